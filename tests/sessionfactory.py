"""Deterministic sessions for tests: a fake clock, UTC, and one writer called "scribe".

``build_sample_session`` runs the bundled partnership-meeting agenda from start
to end with every kind of event, so exports (and anything else that reads a
finished session) can be checked against fixed expectations. ``start_session``
gives a bare running-ready session for tests that want to script their own day.
Import it as ``from sessionfactory import ...`` (pytest puts ``tests/`` on sys.path).
Every session made here is closed when its test ends (``conftest.py`` calls
:func:`close_sessions`), so a test may read a session back and go on recording.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from facilitate.agenda import parse_agenda
from facilitate.clock import FakeTimeSource, SessionClock
from facilitate.events import (
    ActionDone,
    ChecklistTicked,
    Event,
    LifecycleStageMarked,
    LifecycleTraitTicked,
    MonologueTallied,
    NoteAdded,
    NoteDeleted,
    NoteEdited,
    QualityMarked,
    ReflectionRecorded,
    RoleAssigned,
    SegmentChanged,
    SessionEnded,
    SessionStarted,
    TimeAdjusted,
    TimerPaused,
    TimerStarted,
)
from facilitate.live import LiveSession
from facilitate.paths import Paths
from facilitate.store import LoadedSession, create_session, load_session

ROOT = Path(__file__).resolve().parent.parent
AGENDAS = ROOT / "src" / "facilitate" / "agendas"
START = datetime(2025, 3, 4, 8, 58, tzinfo=UTC)
WRITER = "scribe"

# A note that tries every trick Markdown and spreadsheets know.
HOSTILE_TEXT = (
    "Budget: £5k *if* agreed | see [the doc](http://x.test) <b>now</b> & `code` _x_ #3\n"
    "- not a list\n"
    "# not a heading\n"
    "1. not numbered\n"
    "> not a quote\n"
    "=cmd|' /C calc'!A0"
)


@dataclass
class Scripted:
    """A live session on a fake clock, with small helpers to script a day."""

    live: LiveSession
    source: FakeTimeSource

    def wait(self, minutes: float) -> None:
        self.source.advance(minutes * 60)

    def record(self, cls: type[Event], **fields: Any) -> None:
        assert self.live.record(cls(at=self.live.now(), **fields)), "event not durable"

    def note(self, kind: str, text: str, segment: int | None = None, **fields: Any) -> str:
        """Add a note and return its id."""
        before = set(self.live.state.notes)
        where = self.live.state.current if segment is None else segment
        self.record(NoteAdded, kind=kind, text=text, segment=where, **fields)
        (note_id,) = set(self.live.state.notes) - before
        return note_id

    def load(self) -> LoadedSession:
        """Read the session back from disk, as an export would; recording may go on after.

        The scripted session is the app keeping the time, though it holds no control lock:
        a running clock is ``running`` here, not ``interrupted``."""
        return replace(load_session(self.live.id, self.live.folder), timekeeper=True)

    def close(self) -> None:
        """Release the journal file; every event is on disk already (``record`` checks)."""
        assert self.live.close() == (), "events left unsaved"


_OPEN: list[Scripted] = []


def close_sessions() -> None:
    """Close every session made here that is still open (after each test, by conftest.py)."""
    while _OPEN:
        _OPEN.pop().close()


def start_session(
    tmp_path: Path,
    agenda_name: str = "partnership-meeting",
    *,
    agenda_text: str | None = None,
    start: datetime = START,
    writer: str = WRITER,
) -> Scripted:
    """A new session in ``tmp_path``, SessionStarted already journaled.

    The agenda is the bundled ``agenda_name``, or ``agenda_text`` (TOML) under that name.
    """
    text = agenda_text or (AGENDAS / f"{agenda_name}.toml").read_text(encoding="utf-8")
    agenda = parse_agenda(text, file=f"{agenda_name}.toml", name=agenda_name)
    source = FakeTimeSource(start)
    paths = Paths(tmp_path, tmp_path)
    sid, folder = create_session(paths, agenda, text, start, UTC)
    live = LiveSession(sid, folder, agenda, SessionClock(source), UTC, writer)
    day = Scripted(live, source)
    _OPEN.append(day)
    day.record(SessionStarted, agenda_name=agenda.name, agenda_title=agenda.title)
    return day


def build_sample_session(tmp_path: Path) -> LoadedSession:
    """The partnership meeting, 09:00-10:20 on 4 March 2025, ended, with everything in it.

    Segments run 12m (+2m), 37m with 5m agreed and a 2m pause (+7m), 12m (-3m), 17m (+2m).
    """
    day = start_session(tmp_path)
    day.record(RoleAssigned, role="Partnership facilitator", person="Asha Patel")
    day.record(RoleAssigned, role="Academic", person="Dr Bo Chen")
    day.record(RoleAssigned, role="Community representative", person="Siân Jones")
    day.record(RoleAssigned, role="Individual member", person="Sam")
    day.record(RoleAssigned, role="Individual member", person="")  # cleared again
    day.wait(2)
    day.record(TimerStarted)  # 09:00, Allocate the roles
    day.wait(2)
    day.note("note", "Group 1 drew lots for roles", group="Group 1")
    day.record(ChecklistTicked, segment=0, item=0, checked=True)
    day.record(ChecklistTicked, segment=0, item=1, checked=True)
    day.record(ChecklistTicked, segment=0, item=3, checked=True)
    day.record(ChecklistTicked, segment=0, item=3, checked=False)
    day.wait(10)
    day.record(SegmentChanged, segment=1, reason="next")  # 09:12, Partnership meeting
    day.wait(3)
    day.note(
        "note", "Asked for baseline data before agreeing targets", group="Group 1", role="Academic"
    )
    day.wait(3)
    question = day.note("question", "Who funds the evaluation?", group="Group 2")
    day.wait(2)
    day.note("decision", "Meet monthly, chaired by the partnership facilitator", group="Group 1")
    day.wait(2)
    day.note("action", "Circulate draft terms of reference", owner="Asha Patel", due="2025-03-18")
    day.wait(1)
    survey = day.note("action", "Share the baseline survey", owner="Dr Bo Chen", due="2025-03-11")
    day.wait(1)
    day.note("action", "Book a room for the next meeting", owner="Siân Jones", due="next meeting")
    day.wait(1)
    day.note("note", HOSTILE_TEXT, group="Group 2")
    day.wait(1)
    typo = day.note("note", "Mistyped note, deleted")
    day.record(NoteDeleted, note_id=typo)
    day.wait(1)
    day.record(
        NoteEdited,
        note_id=question,
        kind="question",
        text="Who funds the evaluation, and for how long?",
    )
    day.record(ActionDone, note_id=survey, done=True)
    for quality, state in (
        ("Mutual understanding", "present"),
        ("Commitment", "developing"),
        ("Acknowledgement", "missing"),
        ("Possibility", "present"),
        ("Possibility", None),
    ):
        day.record(QualityMarked, quality=quality, state=state)
    for name, delta in (
        ("blame", 1),
        ("blame", 1),
        ("worry", 1),
        ("dialogue", 3),
        ("praise", 1),
        ("praise", -1),
    ):
        day.record(MonologueTallied, name=name, delta=delta)
    day.record(LifecycleStageMarked, model="lifecycle-forming", stage="Frustration", segment=1)
    for stage, trait, checked in (
        ("Frustration", "Partners compete for credit and control", True),
        ("Forming", "Enthusiasm for the new challenge and new relationships", True),
        ("Frustration", "Hidden agendas shape what partners do", True),
        ("Frustration", "Hidden agendas shape what partners do", False),
    ):
        day.record(
            LifecycleTraitTicked,
            model="lifecycle-forming",
            stage=stage,
            trait=trait,
            checked=checked,
        )
    day.record(ChecklistTicked, segment=1, item=0, checked=True)
    day.record(ChecklistTicked, segment=1, item=2, checked=True)
    day.wait(1)
    day.record(TimeAdjusted, segment=1, seconds=300)  # 09:28: five more minutes agreed
    day.wait(7)
    day.record(TimerPaused)  # 09:35
    day.wait(2)
    day.record(TimerStarted)  # 09:37
    day.wait(14)
    day.record(SegmentChanged, segment=2, reason="next")  # 09:51, Reflection in role
    day.wait(4)
    day.record(
        ReflectionRecorded,
        segment=2,
        rating=3,
        felt="Rushed: the academic dominated",
        change="Give each role two minutes first",
    )
    day.wait(2)
    day.note(
        "note",
        "Felt like a token seat at the table",
        group="Group 3",
        role="Community representative",
    )
    day.wait(6)
    day.record(SegmentChanged, segment=3, reason="next")  # 10:03, Group feedback
    day.wait(5)
    day.note("feedback", "A clear chair kept us moving", category="What encouraged us")
    day.note(
        "feedback", "Jargon from the academic", category="What discouraged us", group="Group 2"
    )
    day.note("feedback", "Agree ground rules first", category="What we would do differently")
    day.note("feedback", "The room was too warm")
    day.wait(10)
    day.record(
        ReflectionRecorded,
        segment=None,
        rating=4,
        felt="Collaborative once the roles were clear",
        change="",
    )
    day.wait(2)
    day.record(SessionEnded)  # 10:20
    day.close()
    return day.load()


GOLDEN = Path(__file__).resolve().parent / "golden"


def assert_golden(name: str, text: str) -> None:
    """Compare with ``tests/golden/<name>`` byte for byte; ``UPDATE_GOLDEN=1`` rewrites it."""
    path = GOLDEN / name
    data = text.encode("utf-8")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
    assert path.is_file(), f"{path} is missing: run the tests once with UPDATE_GOLDEN=1"
    assert path.read_bytes().decode("utf-8") == text
