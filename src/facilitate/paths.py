"""Where facilitate keeps its files: the one place paths come from.

Everything else receives a :class:`Paths`; nothing else asks platformdirs or
the environment, so tests point the whole app at a temporary folder.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from facilitate.errors import UserError
from facilitate.osfs import private_dir

APP_NAME = "facilitate"
ENV_DATA_DIR = "FACILITATE_DATA_DIR"
PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Paths:
    """The folders the app reads and writes."""

    data_dir: Path
    config_dir: Path
    log_dir: Path | None = None  # None: ``data_dir/logs``
    state_dir: Path | None = None  # None: ``data_dir``

    @property
    def logs_dir(self) -> Path:
        """Where a crash leaves its traceback for the person to send on."""
        return self.log_dir or self.data_dir / "logs"

    @property
    def recovery_dir(self) -> Path:
        """Where events that could not be saved go when the process must end (the
        platform's state folder; the temp folder is the fallback)."""
        return (self.state_dir or self.data_dir) / "recovery"

    @property
    def sessions_dir(self) -> Path:
        return self.data_dir / "sessions"

    @property
    def user_agendas_dir(self) -> Path:
        return self.config_dir / "agendas"

    @property
    def user_models_dir(self) -> Path:
        return self.config_dir / "models"


def resolve_paths(data_dir: str | None, environ: Mapping[str, str]) -> Paths:
    """Pick the folders: ``--data-dir`` beats ``FACILITATE_DATA_DIR`` beats platformdirs.

    An explicit data dir holds everything (sessions, the user's agendas, settings and
    crash logs), so one flag moves a whole installation, which is what tests and shared
    folders want. Raises UserError when there is no home folder to find the defaults in.
    """
    chosen = data_dir or environ.get(ENV_DATA_DIR) or None
    if chosen:
        root = Path(chosen).expanduser()
        return Paths(data_dir=root, config_dir=root)
    try:
        return Paths(
            data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            log_dir=Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
            state_dir=Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)),
        )
    except (RuntimeError, KeyError, OSError):
        # No HOME and no passwd entry (a container): the platform's folders are unknown.
        raise UserError(
            "cannot tell where your home folder is (HOME is not set), so there is nowhere "
            f"to keep sessions; choose a folder with --data-dir DIR or {ENV_DATA_DIR}=DIR"
        ) from None


def bundled_agendas_dir() -> Path:
    """Agendas shipped inside the package."""
    return PACKAGE_DIR / "agendas"


def bundled_models_dir() -> Path:
    return PACKAGE_DIR / "reference"


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable by the owner only: notes are confidential."""
    return private_dir(path)
