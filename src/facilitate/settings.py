"""What a person chose that should outlive the run (the theme), in ``settings.toml``.

The file sits in the config folder (the platform's, or ``--data-dir``). A missing
or damaged file means the defaults: a preference is never worth refusing to start.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
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


KNOWN_KEYS = ("theme",)


def settings_warnings(paths: Paths, themes: Iterable[str]) -> list[str]:
    """What is wrong with settings.toml, in words (the defaults are used instead)."""
    path = paths.config_dir / SETTINGS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        return [f"{path}: cannot be read ({getattr(exc, 'strerror', None) or exc})"]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return [f"{path}: {exc}; the defaults are used"]
    problems = [
        f"{path}: unknown setting '{key}' (known: {', '.join(KNOWN_KEYS)})"
        for key in data
        if key not in KNOWN_KEYS
    ]
    theme = data.get("theme")
    names = sorted(themes)
    if theme is not None and (not isinstance(theme, str) or theme not in names):
        problems.append(f"{path}: theme {theme!r} is not a theme here; one of: {', '.join(names)}")
    return problems


def remember(paths: Paths, key: str, value: str) -> None:
    """Keep ``key = value`` for the next start; OSError when the folder cannot be written."""
    settings = read_settings(paths)
    if settings.get(key) == value:
        return
    settings[key] = value
    private_dir(paths.config_dir)
    atomic_write(paths.config_dir / SETTINGS_FILE, tomli_w.dumps(settings).encode("utf-8"))
