"""What ``facilitate sessions`` and the review list show of each session, read cheaply.

``summary_data`` is what ``summary.toml`` holds (written by the running session).

A session's ``summary.toml`` is a cache: it is believed only while it is newer
than the journals and everything in it is what facilitate writes (an id that
matches the folder, a known status, finite whole-number durations and counts);
anything odd means the session is replayed instead. On top of that, the list
keeps one small file of its own (:data:`CACHE_FILE` in the sessions folder) with
each session's line and the names, sizes and times of its files, so that a
listing of a thousand sessions replays only those whose files changed since.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from facilitate.agenda import Agenda
from facilitate.files import MB, read_regular, write_private
from facilitate.journal.format import is_journal_name
from facilitate.state import SessionState

CACHE_FILE = ".sessions-cache.json"
_CACHE_VERSION = 1
STATUSES = ("not started", "running", "paused", "ended", "interrupted")
MAX_DURATION_S = 10**9  # a summary claiming more is damaged
_COUNTS = ("decisions", "actions", "notes", "questions", "feedback")

Fingerprint = list[list[Any]]


@dataclass(frozen=True)
class SessionInfo:
    """One line of ``facilitate sessions``, read from the summary (cheap for 1,000 sessions).

    ``status`` is ``interrupted`` for a session whose timer was running when the
    process keeping its time went away; its ``duration_s`` then runs to its last event.
    """

    id: str
    folder: Path
    agenda_name: str
    agenda_title: str
    created: str
    status: str
    duration_s: int
    counts: dict[str, int]


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


def status_of(state: SessionState, *, timekeeper: bool = True) -> str:
    """A running clock whose process has gone (no ``timekeeper``) is ``interrupted``."""
    if state.ended_at is not None:
        return "ended"
    if state.running:
        return "running" if timekeeper else "interrupted"
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


def unknown_info(sid: str, folder: Path, agenda_name: str) -> SessionInfo:
    return SessionInfo(sid, folder, agenda_name, "", "", "unknown", 0, {})


def info_from_summary(sid: str, folder: Path, data: object) -> SessionInfo | None:
    """The line a summary gives, or None if anything in it is not what facilitate writes."""
    if not isinstance(data, dict):
        return None
    head, counts = data.get("session"), data.get("counts", {})
    if not isinstance(head, dict) or not isinstance(counts, dict) or head.get("id") != sid:
        return None
    name, title = head.get("agenda_name", ""), head.get("agenda_title", "")
    status, duration = head.get("status"), head.get("duration_s", 0)
    created = head.get("created")
    if not (isinstance(name, str) and isinstance(title, str) and status in STATUSES):
        return None
    if not _whole(duration, MAX_DURATION_S) or not all(
        key in _COUNTS and _whole(value, MAX_DURATION_S) for key, value in counts.items()
    ):
        return None
    if created is not None and not isinstance(created, datetime):
        return None
    return SessionInfo(
        id=sid,
        folder=folder,
        agenda_name=name,
        agenda_title=title,
        created=created.isoformat() if created is not None else "",
        status=str(status),
        duration_s=int(duration),
        counts={key: int(value) for key, value in counts.items()},
    )


def _whole(value: object, most: int) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) and 0 <= value <= most and value == int(value)


# --- the listing's own cache -----------------------------------------------------------------


def fingerprint(folder: Path) -> Fingerprint | None:
    """Names, sizes and modification times of the files a session's line depends on."""
    found: Fingerprint = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith(".") or entry.name.endswith(".tmp"):
                    continue
                st = entry.stat(follow_symlinks=False)
                found.append([entry.name, st.st_size, st.st_mtime_ns, st.st_mode])
    except OSError:
        return None
    found.sort()
    return found


def journals_newer(folder: Path, summary: str, prints: Fingerprint | None = None) -> bool:
    """Whether a journal in ``folder`` is newer than its ``summary`` file, from the folder's
    files (``prints``: as the listing just saw them; looked at again when not given).
    Raises FileNotFoundError when there is no summary."""
    times = {name: mtime for name, _, mtime, _ in (prints or fingerprint(folder) or [])}
    if summary not in times:
        raise FileNotFoundError(folder / summary)
    return any(t > times[summary] for name, t in times.items() if is_journal_name(name))


@dataclass
class CachedLine:
    print: Fingerprint
    alive: bool | None  # for a running session: whether its timekeeper was there
    info: SessionInfo


def read_cache(sessions_dir: Path) -> dict[str, CachedLine]:
    """The cache file's lines by session id; empty if it is missing, odd or unreadable."""
    try:
        data = json.loads(read_regular(sessions_dir / CACHE_FILE, 64 * MB))
        if not isinstance(data, dict) or data.get("version") != _CACHE_VERSION:
            return {}
        lines = {}
        for sid, line in data["sessions"].items():
            info = SessionInfo(**{**line["info"], "folder": sessions_dir / sid})
            lines[sid] = CachedLine(line["print"], line["alive"], info)
        return lines
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return {}


def write_cache(sessions_dir: Path, lines: dict[str, CachedLine]) -> None:
    """Best effort: a folder we cannot write to just means no cache next time."""
    data = {
        "version": _CACHE_VERSION,
        "sessions": {
            sid: {
                "print": line.print,
                "alive": line.alive,
                "info": {
                    "id": line.info.id,
                    "agenda_name": line.info.agenda_name,
                    "agenda_title": line.info.agenda_title,
                    "created": line.info.created,
                    "status": line.info.status,
                    "duration_s": line.info.duration_s,
                    "counts": line.info.counts,
                },
            }
            for sid, line in lines.items()
        },
    }
    with contextlib.suppress(OSError):
        write_private(sessions_dir / CACHE_FILE, json.dumps(data).encode("utf-8"))
