"""A session whose folder is gone while changes of it wait in a recovery file.

A terminal closed while its session folder had been deleted (and could not be put
back) keeps what it had in a recovery file (``recovery.keep``), with the session's
start among them. ``resume`` then found no session to offer them to. Here the folder
is made again, with the agenda of the same name as its copy, so that ``resume`` opens
it and offers the changes back as for any other session.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from facilitate.agenda.catalog import load_named
from facilitate.errors import SessionError, UserError
from facilitate.events import parse_instant
from facilitate.osfs import private_dir
from facilitate.paths import Paths
from facilitate.recovery import find, read, waiting
from facilitate.store import resolve_session, write_agenda_copy


def orphaned(paths: Paths) -> dict[str, Path]:
    """Sessions only recovery files still hold, by id: a folder of ``paths``' sessions
    folder, named by the session, that is not there."""
    home = os.path.abspath(paths.sessions_dir)
    found: dict[str, Path] = {}
    for folder, files in waiting(paths).items():
        if os.path.dirname(folder) != home or os.path.isdir(folder):
            continue
        kept = next((one for one in map(read, files) if one is not None), None)
        if kept is not None and kept.session == os.path.basename(folder):
            found[kept.session] = Path(folder)
    return found


def resume_target(paths: Paths, ref: str | None) -> tuple[str, Path]:
    """The session ``resume`` opens: a saved one (``store.resolve_session``), else one
    whose folder is gone but whose changes wait in a recovery file, its folder made again
    (``latest``: the newest of those, when no saved session matches)."""
    try:
        return resolve_session(paths, ref)
    except SessionError:
        lost = orphaned(paths)
        wanted = (ref or "latest").strip()
        sid = max(lost) if wanted == "latest" and lost else wanted
        if sid not in lost:
            raise
    folder = lost[sid]
    private_dir(folder)
    records = [record for kept in find(paths, folder) for record in kept.records]
    start = next((r for r in records if r.get("type") == "session_started"), {})
    name = start.get("agenda_name")
    if isinstance(name, str):
        try:
            _, text = load_named(name, paths)
        except (UserError, OSError):
            return sid, folder  # opened with an agenda rebuilt from the changes, said so
        write_agenda_copy(folder, text, _started(start))
    return sid, folder


def _started(record: dict[str, object]) -> datetime:
    """When the session began, by its start record (else now): the copy's stamp."""
    try:
        return parse_instant(str(record.get("at")))
    except ValueError:
        return datetime.now(UTC)
