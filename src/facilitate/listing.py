"""What ``facilitate sessions`` and the review list show of each session, read cheaply.

``summary_data`` is what ``summary.toml`` holds (written by the running session).

A session's ``summary.toml`` is a cache: it is believed only while it stands for
the journals as they are (its ``[source]`` names each journal's size and time as
the state it summarises had read them, and a digest of what it says) and
everything in it is what facilitate writes (an id that matches the folder, a
known status, whole numbers in range, times that can be); anything odd, a
summary edited by hand or one without a ``[source]``, means the session is
replayed instead. On top of that, the list keeps one small file of its own
(:data:`CACHE_FILE` in the sessions folder) with each session's line and the
names, sizes and times of its files, so that a listing of a thousand sessions
replays only those whose files changed since; each of its lines is checked the
same way (values of their type and in range, and a digest of what the line says), and
one that is odd is built again. A cache file bigger than :data:`MAX_CACHE_BYTES` is
not read at all (as if there were none).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeGuard

import tomli_w

from facilitate.agenda import Agenda
from facilitate.agenda.model import MAX_AGENDA_S
from facilitate.events.records import EARLIEST, LATEST
from facilitate.files import MB, read_regular, write_private
from facilitate.journal.format import is_journal_name
from facilitate.osfs import atomic_write
from facilitate.state import SessionState

CACHE_FILE = ".sessions-cache.json"
SUMMARY_FILE = "summary.toml"
_CACHE_VERSION = 2  # 2: each line sealed with a digest of what it says
# About 600 bytes a session (a few journals, a long title): 10,000 sessions fit in 16 MB.
MAX_CACHE_BYTES = 16 * MB
STATUSES = ("not started", "running", "paused", "ended", "interrupted")
# A session's listed length is the time its clock ran: the 7 days an agenda may last.
MAX_DURATION_S = MAX_AGENDA_S
MAX_COUNT = 10_000_000  # notes of one kind in one session
MAX_TEXT = 10_000  # an agenda's name or title
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
    # What replaying its journals found wrong (file:line sentences); never cached, so a
    # damaged session is read and reported again each time it is listed.
    warnings: tuple[str, ...] = ()


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
        "duration_s": min(
            int(sum(state.elapsed(i, now) for i in range(len(agenda.segments)))), MAX_DURATION_S
        ),
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
    if not isinstance(head, dict) or head.get("id") != sid:
        return None
    created = head.get("created")
    if created is not None and not _instant(created):
        return None
    return _info(
        sid,
        folder,
        head.get("agenda_name", ""),
        head.get("agenda_title", ""),
        created.isoformat() if isinstance(created, datetime) else "",
        head.get("status"),
        head.get("duration_s", 0),
        counts,
        STATUSES,
    )


def _info(
    sid: str,
    folder: Path,
    name: object,
    title: object,
    created: str,
    status: object,
    duration: object,
    counts: object,
    statuses: tuple[str, ...],
) -> SessionInfo | None:
    """A line from values read off disk, or None unless each is of its type and in range."""
    if not (_text(name) and _text(title) and status in statuses and isinstance(counts, dict)):
        return None
    if not _whole(duration, MAX_DURATION_S) or not all(
        key in _COUNTS and _whole(value, MAX_COUNT) for key, value in counts.items()
    ):
        return None
    return SessionInfo(sid, folder, str(name), str(title), created, str(status), duration, counts)


def _whole(value: object, most: int) -> TypeGuard[int]:
    return type(value) is int and 0 <= value <= most


def _text(value: object) -> bool:
    return isinstance(value, str) and len(value) <= MAX_TEXT


def _instant(value: object) -> bool:
    """A time facilitate could have written: with its zone, between 1970 and 3000."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return False
    if not isinstance(value, datetime) or value.utcoffset() is None:
        return False
    try:
        return EARLIEST <= value < LATEST
    except OverflowError:
        return False


# --- the summary's source: what it was made from ----------------------------------------------


def write_summary(folder: Path, data: dict[str, Any]) -> None:
    """``summary.toml`` (atomic), sealed with a digest of what it says and of the journals
    in its ``[source]`` (when the caller gives them), so an edited summary is not believed."""
    source = data.get("source")
    if isinstance(source, dict):
        head = tomllib.loads(tomli_w.dumps({k: data[k] for k in ("session", "counts")}))
        journals = source.get("journals", [])
        sealed = {"journals": journals, "digest": _seal(head, journals)}
        # before [[segment]]: the listing reads the file up to there
        rest = {k: v for k, v in data.items() if k not in ("session", "counts", "source")}
        data = {"session": data["session"], "counts": data["counts"], "source": sealed, **rest}
    atomic_write(folder / SUMMARY_FILE, tomli_w.dumps(data).encode("utf-8"))


def summary_source(folder: Path, read: Mapping[str, int], own: str | None) -> dict[str, Any]:
    """The ``[source]`` of a summary made now from a state that has read ``read[name]``
    bytes of each journal (all of ``own``, the journal this process writes): each journal's
    name, size and modification time, or -1 for a size when the state has not read all of
    it (another writer's lines since the last look), so the summary is not believed."""
    journals: list[list[Any]] = []
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if not is_journal_name(entry.name):
                continue
            with contextlib.suppress(OSError):
                st = entry.stat(follow_symlinks=False)
                whole = entry.name == own or read.get(entry.name, 0) == st.st_size
                journals.append([entry.name, st.st_size if whole else -1, st.st_mtime_ns])
    return {"journals": sorted(journals)}


def summary_current(head: dict[str, Any], prints: Fingerprint) -> bool:
    """Whether a summary (its tables before ``[[segment]]``) stands for the journals as the
    listing sees them (``prints``) and says what it said when it was written."""
    source = head.get("source")
    if not isinstance(source, dict):
        return False  # written by hand, or by a facilitate from before sources
    journals = [[name, size, mtime] for name, size, mtime, _ in prints if is_journal_name(name)]
    if source.get("journals") != journals:
        return False
    tables: dict[str, Any] = {k: head[k] for k in ("session", "counts") if k in head}
    return source.get("digest") == _seal(tables, journals)


def _seal(head: dict[str, Any], journals: object) -> str:
    text = json.dumps([head, journals], sort_keys=True, default=str)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


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


def journals_readable(folder: Path, prints: Fingerprint) -> bool:
    """Whether this process may read every journal in ``folder`` (``prints``: its files).
    Taking the right away (``chmod``) leaves a summary looking up to date; the listing
    then reads the journals, and says what it could not read, as ``export`` does."""
    return all(os.access(folder / name, os.R_OK) for name, *_ in prints if is_journal_name(name))


@dataclass
class CachedLine:
    print: Fingerprint
    alive: bool | None  # for a running session: whether its timekeeper was there
    info: SessionInfo


def read_cache(sessions_dir: Path) -> dict[str, CachedLine]:
    """The cache file's lines by session id; empty if it is missing, odd or unreadable.
    A line whose values are not what facilitate writes is left out (built again)."""
    path = sessions_dir / CACHE_FILE
    try:
        if os.stat(path).st_size > MAX_CACHE_BYTES:
            return {}  # not even its first 16 MB: built again, small
        data = json.loads(read_regular(path, MAX_CACHE_BYTES))
        if not isinstance(data, dict) or data.get("version") != _CACHE_VERSION:
            return {}
        lines = {}
        for sid, line in data["sessions"].items():
            cached = _cached_line(sid, sessions_dir / sid, line)
            if cached is not None:
                lines[sid] = cached
        return lines
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return {}


def _cached_line(sid: str, folder: Path, line: Any) -> CachedLine | None:
    prints, alive, raw = line.get("print"), line.get("alive"), line.get("info")
    if line.get("seal") != _line_seal(sid, prints, alive, raw):
        return None  # edited since it was written (or by another tool)
    if not isinstance(prints, list) or alive not in (True, False, None):
        return None
    if not isinstance(raw, dict) or raw.get("id") != sid:
        return None
    created = raw.get("created")
    if not isinstance(created, str) or (created and not _instant(created)):
        return None
    info = _info(
        sid,
        folder,
        raw.get("agenda_name"),
        raw.get("agenda_title"),
        created,
        raw.get("status"),
        raw.get("duration_s"),
        raw.get("counts"),
        (*STATUSES, "unknown"),  # a line the listing made for a session it could not read
    )
    return None if info is None else CachedLine(prints, alive, info)


def _line_seal(sid: str, prints: object, alive: object, info: object) -> str:
    """The digest a cache line carries of what it says (its id included: a line moved
    under another session's id is not that session's)."""
    text = json.dumps([sid, prints, alive, info], sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _written_line(sid: str, line: CachedLine) -> dict[str, Any]:
    info = {
        "id": line.info.id,
        "agenda_name": line.info.agenda_name,
        "agenda_title": line.info.agenda_title,
        "created": line.info.created,
        "status": line.info.status,
        "duration_s": line.info.duration_s,
        "counts": line.info.counts,
    }
    seal = _line_seal(sid, line.print, line.alive, info)
    return {"print": line.print, "alive": line.alive, "info": info, "seal": seal}


def write_cache(sessions_dir: Path, lines: dict[str, CachedLine]) -> None:
    """Best effort: a folder we cannot write to just means no cache next time."""
    data = {
        "version": _CACHE_VERSION,
        "sessions": {sid: _written_line(sid, line) for sid, line in lines.items()},
    }
    with contextlib.suppress(OSError):
        write_private(sessions_dir / CACHE_FILE, json.dumps(data).encode("utf-8"))
