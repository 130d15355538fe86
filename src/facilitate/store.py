"""Session folders on disk: ids, "latest", the frozen agenda copy, the summary.

A session is a folder ``sessions/<YYYY-MM-DD>-<HHMM>-<agenda>``: ``agenda.toml``
(the agenda exactly as run), ``journal-<writer>.jsonl`` (one per writer process)
and ``summary.toml`` (a human-readable digest, rewritten atomically). Folders are
0700 and files 0600: these are people's confidential notes.
"""

from __future__ import annotations

import os
import re
import socket
import stat
import tomllib
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import tomli_w

from facilitate.agenda import Agenda, AgendaError, parse_agenda
from facilitate.errors import SessionError, UserError
from facilitate.events import EventError, event_from_record
from facilitate.journal import read_session
from facilitate.osfs import atomic_write, private_dir
from facilitate.paths import Paths, ensure_private_dir
from facilitate.reducer import replay
from facilitate.state import SessionState

AGENDA_FILE = "agenda.toml"
SUMMARY_FILE = "summary.toml"


@dataclass(frozen=True)
class SessionInfo:
    """One line of ``facilitate sessions``, read from the summary (cheap for 1,000 sessions)."""

    id: str
    folder: Path
    agenda_name: str
    agenda_title: str
    created: str
    status: str
    duration_s: int
    counts: dict[str, int]


@dataclass
class LoadedSession:
    id: str
    folder: Path
    agenda: Agenda
    state: SessionState
    warnings: list[str]


def new_writer_id() -> str:
    """Unique per process, and readable when someone looks in the folder."""
    host = re.sub(r"[^A-Za-z0-9]+", "", socket.gethostname())[:16] or "host"
    return f"{host}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def session_id(agenda_name: str, created_local: datetime, existing: set[str]) -> str:
    base = f"{created_local:%Y-%m-%d-%H%M}-{agenda_name}"
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
    atomic_write(folder / AGENDA_FILE, agenda_text.encode("utf-8"))
    # The copy's mtime records the creation instant, which orders sessions started in the
    # same minute (their ids differ only by agenda name or a -2, -10 suffix).
    created_ns = (now - _EPOCH) // timedelta(microseconds=1) * 1000
    os.utime(folder / AGENDA_FILE, ns=(created_ns, created_ns))
    return sid, folder


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
    the creation instant stamped on the agenda copy."""
    root = paths.sessions_dir
    if not root.is_dir():
        return []
    found = []
    for folder in root.iterdir():
        try:
            made = (folder / AGENDA_FILE).stat()
        except OSError:
            continue
        if stat.S_ISREG(made.st_mode):
            found.append((folder.name[:15], made.st_mtime_ns, folder.name))
    return [name for *_, name in sorted(found)]


def resolve_session(paths: Paths, ref: str | None) -> tuple[str, Path]:
    """An id, a unique prefix of one, or ``latest`` (the default) to a session folder."""
    ids = session_ids(paths)
    if not ids:
        raise SessionError(f"no saved sessions in {paths.sessions_dir}")
    ref = (ref or "latest").strip()
    if ref == "latest":
        chosen = ids[-1]
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
    path = folder / AGENDA_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SessionError(f"{path}: cannot read the session's agenda: {exc.strerror}") from None
    try:
        return parse_agenda(text, file=str(path), name=_agenda_name(folder))
    except AgendaError as exc:
        raise SessionError(str(exc.problems[0])) from None


def _agenda_name(folder: Path) -> str:
    match = re.match(r"\d{4}-\d{2}-\d{2}-\d{4}-(.+?)(?:-\d+)?$", folder.name)
    return match.group(1) if match else folder.name


def load_session(sid: str, folder: Path) -> LoadedSession:
    """Replay a session's journals; unreadable records become warnings, never a crash."""
    agenda = load_agenda_copy(folder)
    read = read_session(folder)
    warnings = list(read.warnings)
    events = []
    for record, where in zip(read.records, read.origins, strict=True):
        try:
            events.append(event_from_record(record))
        except EventError as exc:
            warnings.append(f"{where}: {exc}; skipped")
    state = replay(len(agenda.segments), events)
    if state.agenda_name:
        # The journal knows the name; the folder name cannot tell "day-2" from a second "day".
        agenda = replace(agenda, name=state.agenda_name)
    else:
        state.agenda_name, state.agenda_title = agenda.name, agenda.title
    return LoadedSession(sid, folder, agenda, state, warnings)


# --- summary ------------------------------------------------------------------------------


COUNT_KEYS = ("decisions", "actions", "questions", "feedback", "notes")
_COUNT_WORDS = {
    "decisions": ("decision", "decisions"),
    "actions": ("action", "actions"),
    "questions": ("question", "questions"),
    "feedback": ("feedback", "feedback"),
    "notes": ("note", "notes"),
}


def counts_text(counts: dict[str, int]) -> str:
    """``1 decision, 2 actions, 9 feedback``: every kind there is, nothing for kinds with none."""
    parts = []
    for key in COUNT_KEYS:
        n = counts.get(key, 0)
        if n:
            one, many = _COUNT_WORDS[key]
            parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts) or "nothing captured"


def count_notes(state: SessionState) -> dict[str, int]:
    counts = {"decisions": 0, "actions": 0, "notes": 0, "questions": 0, "feedback": 0}
    plural = {
        "decision": "decisions",
        "action": "actions",
        "note": "notes",
        "question": "questions",
        "feedback": "feedback",
    }
    for note in state.live_notes():
        counts[plural.get(note.kind, "notes")] += 1
    return counts


def status_of(state: SessionState) -> str:
    if state.ended_at is not None:
        return "ended"
    if state.running:
        return "running"
    return "paused" if state.started else "not started"


def summary_data(sid: str, agenda: Agenda, state: SessionState, now: datetime) -> dict[str, Any]:
    """What a person (or ``sessions``) wants without replaying the journal."""
    session: dict[str, Any] = {
        "id": sid,
        "agenda_name": agenda.name,
        "agenda_title": agenda.title,
        "status": status_of(state),
        "current_segment": agenda.segments[state.current].title,
        "duration_s": int(sum(state.elapsed(i, now) for i in range(len(agenda.segments)))),
        "updated": now,
    }
    if state.created:
        session["created"] = state.created
    if state.ended_at:
        session["ended"] = state.ended_at
    segments = []
    for seg, run in zip(agenda.segments, state.runs, strict=True):
        row: dict[str, Any] = {
            "title": seg.title,
            "planned_min": seg.duration_s // 60,
            "actual_s": int(state.elapsed(seg.index, now)),
        }
        if run.started_at:
            row["started"] = run.started_at
        if run.ended_at:
            row["ended"] = run.ended_at
        segments.append(row)
    return {"session": session, "counts": count_notes(state), "segment": segments}


def write_summary(folder: Path, data: dict[str, Any]) -> None:
    atomic_write(folder / SUMMARY_FILE, tomli_w.dumps(data).encode("utf-8"))


def session_info(sid: str, folder: Path) -> SessionInfo:
    """From the summary (cheap) while it is up to date, else by replaying the journals
    (a crash before the first summary, or a scribe's join that wrote after it), else a
    minimal line from the folder name."""
    try:
        if _journals_newer_than_summary(folder):
            raise ValueError("summary is older than the journal")
        data = tomllib.loads((folder / SUMMARY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, tomllib.TOMLDecodeError):
        try:
            loaded = load_session(sid, folder)
            now = loaded.state.last_at or datetime.fromtimestamp(0, tz=UTC)
            data = summary_data(sid, loaded.agenda, loaded.state, now)
        except (UserError, OSError):
            return SessionInfo(sid, folder, _agenda_name(folder), "", "", "unknown", 0, {})
    try:
        head = data["session"]
        created = head.get("created")
        return SessionInfo(
            id=sid,
            folder=folder,
            agenda_name=str(head.get("agenda_name", "")),
            agenda_title=str(head.get("agenda_title", "")),
            created=created.isoformat() if isinstance(created, datetime) else "",
            status=str(head.get("status", "")),
            duration_s=int(head.get("duration_s", 0)),
            counts={k: int(v) for k, v in data.get("counts", {}).items()},
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return SessionInfo(sid, folder, _agenda_name(folder), "", "", "unknown", 0, {})


def _journals_newer_than_summary(folder: Path) -> bool:
    summary_mtime = (folder / SUMMARY_FILE).stat().st_mtime_ns
    return any(j.stat().st_mtime_ns > summary_mtime for j in folder.glob("journal-*.jsonl"))


def list_sessions(paths: Paths) -> list[SessionInfo]:
    return [session_info(sid, paths.sessions_dir / sid) for sid in session_ids(paths)]
