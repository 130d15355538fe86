"""Session folders on disk: ids, "latest", the frozen agenda copy, the summary.

A session is a folder ``sessions/<YYYY-MM-DD>-<HHMM>-<agenda>``: ``agenda.toml``
(the agenda exactly as run), ``journal-<writer>.jsonl`` (one per writer process)
and ``summary.toml`` (a human-readable digest, rewritten atomically). Folders are
0700 and files 0600: these are people's confidential notes.
"""

from __future__ import annotations

import functools
import os
import re
import socket
import stat
import tomllib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

from facilitate.admission import event_or_record, replay_records
from facilitate.agenda import Agenda, AgendaError, parse_agenda
from facilitate.control import controlled
from facilitate.errors import SessionError, UserError
from facilitate.events import Event
from facilitate.files import MB, read_regular
from facilitate.journal import JOURNAL_PREFIX, JOURNAL_SUFFIX, gc_paused, read_merged

# Defined with the listing; callers have always found them here.
from facilitate.listing import COUNT_KEYS as COUNT_KEYS
from facilitate.listing import (
    SUMMARY_FILE,
    CachedLine,
    Fingerprint,
    fingerprint,
    info_from_summary,
    journals_newer,
    journals_readable,
    read_cache,
    summary_current,
    unknown_info,
    write_cache,
)
from facilitate.listing import SessionInfo as SessionInfo
from facilitate.listing import count_notes as count_notes
from facilitate.listing import counts_text as counts_text
from facilitate.listing import status_of as status_of
from facilitate.listing import summary_data as summary_data
from facilitate.listing import write_summary as write_summary
from facilitate.osfs import atomic_write, private_dir
from facilitate.paths import Paths, ensure_private_dir
from facilitate.recovery import waiting, waiting_warning, waiting_warnings
from facilitate.salvage import fallback_agenda, name_from_folder
from facilitate.state import SessionState, new_state
from facilitate.tomlcheck import TomlFileError, read_toml_text
from facilitate.warning_list import in_order

AGENDA_FILE = "agenda.toml"


@dataclass
class LoadedSession:
    id: str
    folder: Path
    agenda: Agenda
    state: SessionState
    warnings: list[str]
    # whether a process still keeps its time; a running clock without one is interrupted
    timekeeper: bool = True


def new_writer_id() -> str:
    """Unique per process, and readable when someone looks in the folder."""
    host = re.sub(r"[^A-Za-z0-9]+", "", socket.gethostname())[:16] or "host"
    return f"{host}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def session_id(agenda_name: str, created_local: datetime, existing: set[str]) -> str:
    """``2026-11-30-0930-sample-programme``: the minute it began, then the agenda's name
    with anything but letters, digits, ``.``, ``_`` and ``-`` made a ``-`` (a folder name
    that is safe on every system and never carries a terminal's control codes)."""
    safe = "".join(c if c.isalnum() or c in "._-" else "-" for c in agenda_name)
    base = f"{created_local:%Y-%m-%d-%H%M}-{safe.strip('.-') or 'agenda'}"
    candidate, n = base, 2
    while candidate in existing:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def create_session(
    paths: Paths, agenda: Agenda, agenda_text: str, now: datetime, tz: tzinfo
) -> tuple[str, Path]:
    """Make the folder with its frozen agenda copy; the caller then journals SessionStarted."""
    root = ensure_private_dir(paths.sessions_dir)
    existing = {p.name for p in root.iterdir()}
    sid = session_id(agenda.name, now.astimezone(tz), existing)
    folder = private_dir(root / sid, exist_ok=False)
    write_agenda_copy(folder, agenda_text, now)
    return sid, folder


def write_agenda_copy(folder: Path, agenda_text: str, created: datetime) -> None:
    """The frozen agenda copy (atomically, owner-only), stamped with the creation instant:
    the copy's mtime orders sessions started in the same minute (their ids differ only
    by agenda name or a -2, -10 suffix). Also how a lost copy is put back."""
    atomic_write(folder / AGENDA_FILE, agenda_text.encode("utf-8"))
    created_ns = (created - _EPOCH) // timedelta(microseconds=1) * 1000
    os.utime(folder / AGENDA_FILE, ns=(created_ns, created_ns))


def created_stamp(folder: Path) -> datetime | None:
    """When the session was created, from its agenda copy's stamp (None: no copy)."""
    try:
        return _EPOCH + timedelta(microseconds=(folder / AGENDA_FILE).stat().st_mtime_ns // 1000)
    except (OSError, OverflowError):
        return None


def read_agenda_copy_text(folder: Path) -> str | None:
    """The agenda copy's text as it is on disk (to put it back if it is lost), or None."""
    try:
        return read_toml_text(folder / AGENDA_FILE, "agenda")
    except TomlFileError:
        return None


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def discard_new_session(folder: Path) -> None:
    """Remove the folder of a session that never started, so a failed start leaves no empty
    "not started" session behind. A folder with any journal in it is kept, untouched."""
    try:
        entries = list(folder.iterdir())
        if any(entry.name.startswith("journal-") for entry in entries):
            return
        for entry in entries:
            if entry.is_file():
                entry.unlink()
        folder.rmdir()
    except OSError:
        pass  # what is left is harmless: `sessions` shows it as not started


def session_ids(paths: Paths) -> list[str]:
    """All session ids, oldest first: by the date and minute the id starts with, then by
    the creation instant stamped on the agenda copy (without one: its first journal's).
    A folder is a session if it holds either; an unreadable sessions folder is a
    :class:`SessionError`."""
    root = paths.sessions_dir
    try:
        entries = os.listdir(root)
    except FileNotFoundError:
        return []
    except NotADirectoryError:
        raise SessionError(f"{root} is a file, not a folder of sessions") from None
    except OSError as exc:
        raise SessionError(f"cannot read {root}: {exc.strerror or exc}") from None
    found = []
    for name in entries:
        folder = root / name
        if name.startswith("."):
            continue
        try:
            made = (folder / AGENDA_FILE).stat()
            if stat.S_ISREG(made.st_mode):
                found.append((name[:15], made.st_mtime_ns, name))
                continue
        except PermissionError:  # a session we may not look into: listed, and says so
            found.append((name[:15], 0, name))
            continue
        except OSError:
            pass
        made_ns = _journal_only(folder)
        if made_ns is not None:
            found.append((name[:15], made_ns, name))
    return [name for *_, name in sorted(found)]


def _journal_only(folder: Path) -> int | None:
    """For a session folder without its agenda copy: when its first journal was written."""
    try:
        with os.scandir(folder) as entries:
            times = [
                entry.stat().st_mtime_ns
                for entry in entries
                if entry.name.startswith(JOURNAL_PREFIX) and entry.name.endswith(JOURNAL_SUFFIX)
            ]
    except OSError:
        return None
    return min(times) if times else None


# How far back ``latest`` looks for a session someone is running now.
LIVE_LOOKBACK = 50


def resolve_session(
    paths: Paths, ref: str | None, *, prefer_live: bool = False
) -> tuple[str, Path]:
    """An id, a unique prefix of one, or ``latest`` (the default) to a session folder.

    With ``prefer_live`` (a scribe joining, a projector, serve), ``latest`` is the newest
    session a facilitator is running now, and only without one the newest of all: a
    session started and left unstarted must not catch the scribes of the one in progress.
    """
    ids = session_ids(paths)
    if not ids:
        raise SessionError(f"no saved sessions in {paths.sessions_dir}")
    ref = (ref or "latest").strip()
    if ref == "latest":
        chosen = ids[-1]
        if prefer_live:
            recent = reversed(ids[-LIVE_LOOKBACK:])
            chosen = next(
                (sid for sid in recent if controller_alive(paths.sessions_dir / sid)), chosen
            )
    elif ref in ids:
        chosen = ref
    else:
        matches = [i for i in ids if i.startswith(ref)]
        if not matches:
            raise SessionError(f"no session matches '{ref}' (see `facilitate sessions`)")
        if len(matches) > 1:
            shown = ", ".join(matches[:4]) + (" ..." if len(matches) > 4 else "")
            raise SessionError(f"'{ref}' matches {len(matches)} sessions: {shown}")
        chosen = matches[0]
    return chosen, paths.sessions_dir / chosen


def load_agenda_copy(folder: Path) -> Agenda:
    """The agenda exactly as the session ran it; :class:`SessionError` if it cannot be read."""
    path = folder / AGENDA_FILE
    try:
        text = read_toml_text(path, "agenda")
    except TomlFileError as exc:
        why = exc.problem.message
        raise SessionError(f"{path}: cannot read the session's agenda: {why}") from None
    try:
        agenda = _parse_copy(text)
    except AgendaError as exc:
        raise SessionError(str(replace(exc.problems[0], file=str(path)))) from None
    warnings = tuple(replace(p, file=str(path)) for p in agenda.warnings)
    return replace(agenda, name=name_from_folder(folder), source=str(path), warnings=warnings)


@functools.lru_cache(maxsize=32)
def _parse_copy(text: str) -> Agenda:
    """Sessions of the same agenda share its text: a list of a thousand of them validates
    it once, not a thousand times."""
    return parse_agenda(text, file=AGENDA_FILE, name="")


def load_session(
    sid: str, folder: Path, paths: Paths | None = None, *, aside: bool = True
) -> LoadedSession:
    """Replay a session's journals; what is damaged becomes a warning, never a crash.

    Unreadable lines and records, events about segments the agenda does not have and
    duplicate numbers are skipped (or a note kept where it can be shown) with a warning
    naming the file and line. Without a readable agenda copy, the agenda of the same
    name is used (from ``paths``, else the bundled ones), else one rebuilt from the
    journal, with a warning saying so. With ``paths``, changes of the session that wait in
    a recovery file (not yet in its journals) are a warning too, unless ``aside`` is False.
    """
    try:
        os.listdir(folder)
    except OSError as exc:
        raise SessionError(f"cannot read {folder}: {exc.strerror or exc}") from None
    with gc_paused():  # tens of thousands of objects made at once, none of them cyclic
        items, warnings = read_merged(folder, event_or_record)
        try:
            agenda = load_agenda_copy(folder)
        except SessionError as exc:
            known = (item for _, _, item in items if isinstance(item, Event))
            agenda, why = fallback_agenda(folder, known, paths)
            warnings.insert(0, f"{exc}; {why}")
        state = new_state(len(agenda.segments))
        replay_records(state, items, warnings)
    if paths is not None and aside:  # changes kept aside when a terminal ended are not here
        warnings += waiting_warnings(paths, sid, folder)
    warnings = in_order(warnings, folder)  # by line; a sentence said 20,000 times, once
    state.created = state.created or created_stamp(folder)  # nothing recorded yet
    if state.agenda_name:
        # The journal knows the name; the folder name cannot tell "day-2" from a second "day".
        agenda = replace(agenda, name=state.agenda_name)
    else:
        state.agenda_name, state.agenda_title = agenda.name, agenda.title
    timekeeper = not state.running or controller_alive(folder)
    return LoadedSession(sid, folder, agenda, state, warnings, timekeeper)


def controller_alive(folder: Path) -> bool:
    """Whether a process keeps the session's time now (holds its lock or a fresh lease)."""
    return controlled(folder, datetime.now(UTC))


# --- summary ------------------------------------------------------------------------------


def session_info(sid: str, folder: Path, paths: Paths | None = None) -> SessionInfo:
    """From the summary (cheap) while it is up to date and sound, else by replaying the
    journals (a crash before the first summary, a scribe's join that wrote after it, a
    damaged summary), else a minimal line from the folder name. A session whose clock
    ran when its timekeeper went away is ``interrupted`` at its last event."""
    info, believed = _summary_info(sid, folder, rough=False)
    return info if info is not None and believed else _replayed_info(sid, folder, paths)


def _summary_info(
    sid: str, folder: Path, *, rough: bool, prints: Fingerprint | None = None
) -> tuple[SessionInfo | None, bool]:
    """The summary's line if it is sound, and whether to believe it: it stands for the
    journals as they are now (its ``[source]``), and a running session's timekeeper is still
    there. Without ``rough`` (nobody shows a line before the journals are replayed), a
    summary older than a journal is not even read. ``prints``: the folder's files as the
    listing just saw them (no need to look again)."""
    try:
        prints = prints or fingerprint(folder) or []
        stale = journals_newer(folder, SUMMARY_FILE, prints)
        if stale and not rough:
            return None, False
        text = read_regular(folder / SUMMARY_FILE, MB).decode()
        # the listing needs [session], [counts] and [source]: not the per-segment tables
        head = tomllib.loads(text.split("\n[[segment]]")[0])
        info = info_from_summary(sid, folder, head)
    except (OSError, ValueError):
        return None, False
    current = not stale and summary_current(head, prints)
    believed = current and (info is None or info.status != "running" or controller_alive(folder))
    return info, believed


def _replayed_info(sid: str, folder: Path, paths: Paths | None) -> SessionInfo:
    try:
        loaded = load_session(sid, folder, paths, aside=False)  # the listing looks once
    except (UserError, OSError) as exc:
        unknown = unknown_info(sid, folder, name_from_folder(folder))
        return replace(unknown, warnings=(str(exc),))
    state = loaded.state
    now = state.last_at or state.created or datetime.fromtimestamp(0, tz=UTC)
    data = summary_data(sid, loaded.agenda, state, now)
    data["session"]["status"] = status_of(state, timekeeper=loaded.timekeeper)
    info = info_from_summary(sid, folder, data) or unknown_info(sid, folder, loaded.agenda.name)
    return replace(info, warnings=tuple(loaded.warnings))


def list_sessions(
    paths: Paths, early: Callable[[list[SessionInfo]], None] | None = None
) -> list[SessionInfo]:
    """Every session's line, oldest first. Lines are kept in the listing's cache by the
    names, sizes and times of each session's files; only changed sessions are read.

    Sessions whose summary cannot be believed are replayed last; before that, ``early``
    (a screen that wants to show something at once) gets every line, those with their
    summary as it stands (or "unknown")."""
    cache = read_cache(paths.sessions_dir)
    lines: dict[str, CachedLine] = {}
    rough: dict[str, tuple[Fingerprint, SessionInfo]] = {}
    for sid in session_ids(paths):
        folder = paths.sessions_dir / sid
        prints = fingerprint(folder) or []
        line = cache.get(sid)
        if line is not None and line.print == prints and line.alive == _alive(line.info, folder):
            lines[sid] = line
            continue
        info, believed = _summary_info(sid, folder, rough=early is not None, prints=prints)
        if info is not None and believed and journals_readable(folder, prints):
            lines[sid] = CachedLine(prints, _alive(info, folder), info)
        else:
            rough[sid] = (prints, info or unknown_info(sid, folder, name_from_folder(folder)))
            lines[sid] = CachedLine([], None, rough[sid][1])  # a place in the order
    if rough and early is not None:
        early([line.info for line in lines.values()])
    for sid, (prints, _) in rough.items():
        folder = paths.sessions_dir / sid
        info = _replayed_info(sid, folder, paths)
        lines[sid] = CachedLine(prints, _alive(info, folder), info)
    sound = {sid: line for sid, line in lines.items() if not line.info.warnings}
    if sound != cache:  # a damaged session stays out, to be read (and reported) again
        write_cache(paths.sessions_dir, sound)
    kept = waiting(paths)  # changes waiting in recovery files, said with their session
    infos = [line.info for line in lines.values()]
    for n, info in enumerate(infos):
        files = kept.get(os.path.abspath(info.folder))
        warning = waiting_warning(info.id, info.folder, files) if files else None
        if warning and warning not in info.warnings:
            infos[n] = replace(info, warnings=(*info.warnings, warning))
    return infos


def _alive(info: SessionInfo, folder: Path) -> bool | None:
    """For a session whose clock ran: is its timekeeper there (part of its cached line)."""
    return controller_alive(folder) if info.status in ("running", "interrupted") else None
