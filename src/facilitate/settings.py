"""What a person chose that should outlive the run (the theme), in ``settings.toml``.

The file sits in the config folder (the platform's, or ``--data-dir``). A missing
or damaged file means the defaults: a preference is never worth refusing to start.
"""

from __future__ import annotations

import tomllib
from typing import Any

import tomli_w

from facilitate.osfs import atomic_write, private_dir
from facilitate.paths import Paths

SETTINGS_FILE = "settings.toml"


def read_settings(paths: Paths) -> dict[str, Any]:
    try:
        return tomllib.loads((paths.config_dir / SETTINGS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, tomllib.TOMLDecodeError):
        return {}


def remember(paths: Paths, key: str, value: str) -> None:
    """Keep ``key = value`` for the next start; OSError when the folder cannot be written."""
    settings = read_settings(paths)
    if settings.get(key) == value:
        return
    settings[key] = value
    private_dir(paths.config_dir)
    atomic_write(paths.config_dir / SETTINGS_FILE, tomli_w.dumps(settings).encode("utf-8"))
