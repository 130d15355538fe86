"""Finding agendas by name: the user's own folder first, then the bundled ones."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from facilitate.agenda import (
    Agenda,
    AgendaError,
    Problem,
    did_you_mean,
    parse_agenda,
    read_agenda_text,
)
from facilitate.files import kind_of
from facilitate.paths import Paths, bundled_agendas_dir


@dataclass(frozen=True)
class AgendaEntry:
    name: str
    path: Path
    source: str  # "bundled" or "user"


def agenda_entries(paths: Paths, problems: list[str] | None = None) -> list[AgendaEntry]:
    """Every agenda file by name; a user's agenda hides a bundled one of the same name.

    A folder that cannot be read is skipped, with a sentence in ``problems`` if given.
    """
    found: dict[str, AgendaEntry] = {}
    for source, folder in (("bundled", bundled_agendas_dir()), ("user", paths.user_agendas_dir)):
        try:
            names = sorted(os.listdir(folder))  # a FIFO is refused (ENOTDIR), never opened
        except FileNotFoundError:
            continue
        except NotADirectoryError:
            if problems is not None and source == "user":
                problems.append(f"{folder} {_not_a_folder(folder)}")
            continue
        except OSError as exc:
            if problems is not None:
                problems.append(f"cannot read {folder}: {exc.strerror or exc}")
            continue
        for name in names:
            if name.endswith(".toml") and not name.startswith("."):
                path = folder / name
                found[path.stem] = AgendaEntry(path.stem, path, source)
    return sorted(found.values(), key=lambda e: (e.source != "bundled", e.name))


def _not_a_folder(folder: Path) -> str:
    try:
        mode = os.stat(folder).st_mode
    except OSError:
        return "is not a folder"  # gone again, or a file above it
    what = "a file" if stat.S_ISREG(mode) else kind_of(mode)
    return f"is {what}, not a folder: your own agendas go in a folder of that name"


def find_agenda(ref: str, paths: Paths) -> Path:
    """A path, or the name of a user or bundled agenda."""
    candidate = Path(ref).expanduser()
    if candidate.suffix == ".toml" or "/" in ref or candidate.exists():
        return candidate
    entries = {e.name: e for e in agenda_entries(paths)}
    if ref in entries:
        return entries[ref].path
    raise AgendaError(
        [
            Problem(
                ref,
                "no agenda file or bundled agenda by that name"
                f"{did_you_mean(ref, entries)}; `facilitate agendas` lists them",
            )
        ]
    )


def load_named(ref: str, paths: Paths) -> tuple[Agenda, str]:
    """The agenda and its exact text (kept as the session's frozen copy)."""
    path = find_agenda(ref, paths)
    text = read_agenda_text(path)
    return parse_agenda(text, file=str(path), name=path.stem), text
