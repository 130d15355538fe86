"""A day to put commands to: a bundled agenda, a state, a hand-moved clock, no screen.

``Day.decide`` asks an intent what it would do without recording anything;
``Day.do`` records what it decided (stamped by one writer, so notes get ids)
and folds it into the state with the reducer, as the live app does.
Import it as ``from commandworld import ...`` (pytest puts ``tests/`` on sys.path).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

from facilitate.agenda import Agenda, load_agenda
from facilitate.commands import AddNote, CaptureContext, Intent, Outcome, World
from facilitate.events import Event, NoteAdded, SegmentChanged, with_envelope
from facilitate.reducer import apply
from facilitate.state import SessionState, new_state

AGENDAS = Path(__file__).resolve().parent.parent / "src" / "facilitate" / "agendas"
AGENDA_NAMES = (
    "sample-programme",
    "shared-solutions",
    "partnership-meeting",
    "case-study-perspectives",
    "session-evaluation",
)
T0 = datetime(2025, 6, 12, 9, 0, tzinfo=UTC)  # a Thursday
WRITER = "scribe"


@functools.cache
def agenda(name: str) -> Agenda:
    return load_agenda(AGENDAS / f"{name}.toml")


@dataclass
class Day:
    agenda: Agenda
    now: datetime = T0
    tz: tzinfo = UTC
    events: list[Event] = field(default_factory=list)
    state: SessionState = field(init=False)

    def __post_init__(self) -> None:
        self.state = new_state(len(self.agenda.segments))

    @property
    def world(self) -> World:
        return World(self.agenda, self.state, self.now, self.tz)

    def decide(self, intent: Intent) -> Outcome:
        return intent.decide(self.world)

    def do(self, intent: Intent) -> Outcome:
        """Decide, and record the event if there is one; the unstamped outcome comes back."""
        outcome = self.decide(intent)
        if isinstance(outcome, Event):
            self.record(outcome)
        return outcome

    def record(self, event: Event) -> Event:
        stamped = with_envelope(event, writer=WRITER, seq=len(self.events) + 1)
        self.events.append(stamped)
        apply(self.state, stamped)
        return stamped

    def later(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)

    def note(self, raw: str, context: CaptureContext | None = None) -> str:
        """Save a line that must be accepted; its note id comes back."""
        outcome = self.do(AddNote(raw, context or CaptureContext()))
        assert isinstance(outcome, NoteAdded), outcome
        return self.events[-1].event_id


def day(
    name: str = "sample-programme", at: int = 0, *, now: datetime = T0, tz: tzinfo = UTC
) -> Day:
    """A day of ``name`` standing at segment ``at``, clock not running."""
    result = Day(agenda(name), now=now, tz=tz)
    if at:
        result.record(SegmentChanged(at=result.now, segment=at))
    return result
