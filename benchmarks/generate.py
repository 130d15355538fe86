"""Realistic saved sessions for the benchmarks: many small days, or one day with many notes.

Usage: ``python benchmarks/generate.py --data-dir DIR --sessions 1000 --notes 10000``
makes 1,000 short finished sessions plus one session with 10,000 notes in DIR.

Everything goes through the real store: ``create_session``, ``LiveSession.record``
(so every journal line is a real, valid event with its envelope) and
``save_summary``. The only shortcut is that the journal is fsync-ed once at the
end instead of after each record, which turns minutes into seconds for 10,000
notes without changing a byte of what is written.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

from facilitate.agenda import Agenda, Segment
from facilitate.agenda.catalog import load_named
from facilitate.clock import FakeTimeSource, SessionClock
from facilitate.events import (
    ActionDone,
    ChecklistTicked,
    Event,
    MonologueTallied,
    NoteAdded,
    NoteDeleted,
    NoteEdited,
    QualityMarked,
    RoleAssigned,
    SegmentChanged,
    SessionEnded,
    SessionStarted,
    TimerStarted,
)
from facilitate.journal import JournalIO, JournalWriter, encode_record
from facilitate.live import LiveSession
from facilitate.paths import Paths, ensure_private_dir
from facilitate.store import create_session

AGENDA = "shared-solutions"
WRITER = "bench"
FIRST_DAY = datetime(2023, 1, 9, 9, 30, tzinfo=UTC)

PHRASES = (
    "Waiting times for a first appointment are the issue users raised most",
    "Staff say the referral form asks for the same details three times",
    "Nobody owns the follow-up call after discharge",
    "Users want one named contact instead of a switchboard",
    "Evening opening was tried in 2019 and dropped for lack of staff",
    "Letters arrive after the appointment they announce",
    "Interpreters are booked too late for short-notice visits",
    "Frontline staff feel their ideas never reach the managers",
    "Agree a shared priority list before the end of the day",
    "Ask the commissioners which targets are fixed and which can move",
)
KINDS = ("note", "note", "note", "decision", "action", "question", "feedback")
OWNERS = ("Asha", "Bo", "Siân", "Dev", "Maria")
QUALITIES = ("Mutual understanding", "Commitment", "Acknowledgement")


class NoSyncIO(JournalIO):
    """The real journal I/O minus the per-record fsync; :func:`make_session` syncs once."""

    def fsync(self, fd: int) -> None:
        pass

    def fsync_dir(self, path: Path) -> None:
        pass


def _note_segments(agenda: Agenda) -> list[Segment]:
    """The segments people take notes in (not breaks); all of them if the agenda has none."""
    working = [s for s in agenda.segments if s.kind != "break" and s.duration_s > 0]
    return working or list(agenda.segments)


def _note_fields(segment: Segment, n: int, day: datetime) -> dict[str, object]:
    kind = KINDS[n % len(KINDS)]
    fields: dict[str, object] = {
        "kind": kind,
        "text": f"{PHRASES[n % len(PHRASES)]} (#{n})",
        "segment": segment.index,
    }
    if segment.groups:
        fields["group"] = segment.groups[n % len(segment.groups)]
    if segment.roles:
        fields["role"] = segment.roles[n % len(segment.roles)]
    if kind == "action":
        fields["owner"] = OWNERS[n % len(OWNERS)]
        fields["due"] = (day + timedelta(days=7 + n % 21)).date().isoformat()
    if kind == "feedback" and segment.feedback:
        fields["category"] = segment.feedback[n % len(segment.feedback)]
    return fields


def _split(total: int, parts: int) -> Iterator[int]:
    """``total`` spread over ``parts`` as evenly as whole numbers allow."""
    base, extra = divmod(total, parts)
    for i in range(parts):
        yield base + (1 if i < extra else 0)


def make_session(
    paths: Paths,
    notes: int,
    start: datetime = FIRST_DAY,
    *,
    agenda_name: str = AGENDA,
    loaded: tuple[Agenda, str] | None = None,
    ended: bool = True,
) -> tuple[str, Path]:
    """One day of ``agenda_name`` with ``notes`` notes, run to the plan on a fake clock.

    About one note in 50 is edited, one in 50 deleted, and one action in three done,
    so replay and review meet every kind of note event, not just additions.
    """
    agenda, text = loaded or load_named(agenda_name, paths)
    source = FakeTimeSource(start)
    sid, folder = create_session(paths, agenda, text, start, UTC)
    writer = JournalWriter(folder, WRITER, io=NoSyncIO())
    with LiveSession(sid, folder, agenda, SessionClock(source), UTC, WRITER, writer=writer) as live:
        _play_day(live, source, start, notes, ended=ended)
        _sync(writer.path)  # the one fsync NoSyncIO left out
        live.save_summary()
    return sid, folder


def _play_day(
    live: LiveSession, source: FakeTimeSource, start: datetime, notes: int, *, ended: bool
) -> None:
    """Record the day: roles, the timer through every segment, ``notes`` notes and their edits."""
    agenda, folder = live.agenda, live.folder
    seq = itertools.count()

    def record(event: Event) -> str:
        """Journal ``event``; its id, which is the note's id for a NoteAdded."""
        if not live.record(event):
            raise OSError(f"could not write {folder}: {live.last_error}")
        return f"{WRITER}-{next(seq)}"

    record(SessionStarted(at=live.now(), agenda_name=agenda.name, agenda_title=agenda.title))
    for role in sorted({r for s in agenda.segments for r in s.roles}):
        record(RoleAssigned(at=live.now(), role=role, person=OWNERS[len(role) % len(OWNERS)]))
    record(TimerStarted(at=live.now()))
    working = {s.index for s in _note_segments(agenda)}
    per_segment = iter(_split(notes, len(working)))
    n = 0
    for segment in agenda.segments:
        count = next(per_segment) if segment.index in working else 0
        step = segment.duration_s / (count + 1)
        for item in range(min(2, len(segment.checklist))):
            record(ChecklistTicked(at=live.now(), segment=segment.index, item=item, checked=True))
        for _ in range(count):
            source.advance(step)
            note_id = record(NoteAdded(at=live.now(), **_note_fields(segment, n, start)))  # type: ignore[arg-type]
            if n % 50 == 49:
                record(NoteDeleted(at=live.now(), note_id=note_id))
            elif n % 25 == 12:
                record(NoteEdited(at=live.now(), note_id=note_id, kind="note", text=f"Edited #{n}"))
            elif KINDS[n % len(KINDS)] == "action" and n % 3 == 0:
                record(ActionDone(at=live.now(), note_id=note_id))
            if n % 500 == 0:
                record(QualityMarked(at=live.now(), quality=QUALITIES[n % 3], state="developing"))
                record(MonologueTallied(at=live.now(), name="dialogue"))
            n += 1
        source.advance(step if count else segment.duration_s)
        if segment.index + 1 < len(agenda.segments):
            record(SegmentChanged(at=live.now(), segment=segment.index + 1, reason="next"))
    if ended:
        record(SessionEnded(at=live.now()))


def make_busy_segment(
    paths: Paths, notes: int, start: datetime = FIRST_DAY, *, agenda_name: str = AGENDA
) -> tuple[str, Path]:
    """A day still running, its clock paused in a working segment that shows ``notes``
    notes in the run screen's log (``resume``, ``join``). As in :func:`make_session`, one
    in 50 is edited and one more in 50 deleted (not counted in ``notes``)."""
    agenda, text = load_named(agenda_name, paths)
    segment = _note_segments(agenda)[0]
    source = FakeTimeSource(start)
    sid, folder = create_session(paths, agenda, text, start, UTC)
    writer = JournalWriter(folder, WRITER, io=NoSyncIO())
    with LiveSession(sid, folder, agenda, SessionClock(source), UTC, WRITER, writer=writer) as live:
        seq = itertools.count()

        def record(event: Event) -> str:
            """Journal ``event``; its id, which is the note's id for a NoteAdded."""
            if not live.record(event):
                raise OSError(f"could not write {folder}: {live.last_error}")
            return f"{WRITER}-{next(seq)}"

        record(SessionStarted(at=live.now(), agenda_name=agenda.name, agenda_title=agenda.title))
        if segment.index:
            record(SegmentChanged(at=live.now(), segment=segment.index, reason="jump"))
        shown = 0
        for n in itertools.count():
            if shown == notes:
                break
            source.advance(0.2)
            note_id = record(NoteAdded(at=live.now(), **_note_fields(segment, n, start)))  # type: ignore[arg-type]
            if n % 50 == 49:
                record(NoteDeleted(at=live.now(), note_id=note_id))
                continue
            shown += 1
            if n % 25 == 12:
                record(NoteEdited(at=live.now(), note_id=note_id, kind="note", text=f"Edited #{n}"))
        _sync(writer.path)
        live.save_summary()
    return sid, folder


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_heavy_journal(paths: Paths, source: Path, size: int) -> str:
    """A session whose one journal is ``size`` bytes (the reader's limit, say): the records
    of the session in ``source`` (one made by :func:`make_session`) played again and again,
    renumbered and with each note's text marked by the round, as a facilitator who never
    stopped typing would leave it. Written straight to the file: 100,000 records through
    the store would take minutes for the same bytes."""
    lines = (source / f"journal-{WRITER}.jsonl").read_bytes().splitlines()
    records = [json.loads(line) for line in lines]
    sid = f"{source.name}-heavy"
    folder = ensure_private_dir(paths.sessions_dir / sid)
    (folder / "agenda.toml").write_bytes((source / "agenda.toml").read_bytes())
    written, seq = 0, 0
    with open(folder / f"journal-{WRITER}.jsonl", "wb") as handle:
        for n in itertools.count():
            for record in records:
                if n and record["type"] in ("session_started", "session_ended"):
                    continue
                record = {**record, "seq": seq}
                if record["type"] == "note_added":
                    record["text"] = f"{record['text']} (round {n})"
                line = encode_record(record)
                if written + len(line) > size:
                    return sid
                handle.write(line)
                written, seq = written + len(line), seq + 1
    raise AssertionError("unreachable")


def make_sessions(
    paths: Paths, count: int, notes_each: int = 6, *, agenda_name: str = AGENDA
) -> list[str]:
    """``count`` short finished days, one a day from :data:`FIRST_DAY`, oldest first.

    Made by a few threads at once: the time goes into fsync (the store's atomic writes),
    which releases the GIL, and each day has its own date so their ids never collide.
    """
    loaded = load_named(agenda_name, paths)
    ensure_private_dir(paths.sessions_dir)

    def one(i: int) -> str:
        start = FIRST_DAY + timedelta(days=i)
        return make_session(paths, notes_each, start, loaded=loaded)[0]

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(one, range(count)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data-dir", required=True, type=Path, help="where to put sessions/")
    parser.add_argument("--sessions", type=int, default=0, help="short sessions to make")
    parser.add_argument("--notes", type=int, default=0, help="make one session with this many")
    parser.add_argument("--agenda", default=AGENDA, help=f"agenda name (default {AGENDA})")
    args = parser.parse_args(argv)
    paths = Paths(args.data_dir, args.data_dir)
    t0 = time.perf_counter()
    made = make_sessions(paths, args.sessions, agenda_name=args.agenda) if args.sessions else []
    if args.notes:
        # After the short ones, so it is "latest".
        last = FIRST_DAY + timedelta(days=len(made))
        made.append(make_session(paths, args.notes, last, agenda_name=args.agenda)[0])
    took = time.perf_counter() - t0
    print(f"made {len(made)} session(s) in {paths.sessions_dir} in {took:.1f} s")
    if made:
        print(f"latest: {made[-1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
