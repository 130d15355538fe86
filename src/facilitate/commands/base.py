"""What every command shares: the world it decides against, and the answer "no, because".

A command is an intent a person expressed (a key, a palette entry, a message
from a widget) as a frozen dataclass. ``intent.decide(world)`` is pure: the
agenda, the reduced state, "now" and the time zone in; an event to record, a
:class:`Refusal` to show, or None (nothing to do) out. Nothing here reads a
clock or a disk, so every rule is tested without a screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Protocol

from facilitate.agenda import Agenda, Segment
from facilitate.events import Event
from facilitate.state import SessionState


@dataclass(frozen=True)
class Refusal:
    """Why an intent was not carried out, as a sentence the person can act on."""

    reason: str


Outcome = Event | Refusal | None


@dataclass(frozen=True)
class World:
    """Everything a decision may look at."""

    agenda: Agenda
    state: SessionState
    now: datetime
    tz: tzinfo
    # A scribe in a browser (``facilitate serve``) may change only the notes it wrote:
    # anyone holding the link could otherwise rewrite the room's record.
    writer: str | None = None
    own_notes_only: bool = False

    @property
    def today(self) -> date:
        """The local date, for due dates such as ``friday`` or ``+3d``."""
        return self.now.astimezone(self.tz).date()

    @property
    def segment(self) -> Segment:
        return self.agenda.segments[self.state.current]

    @property
    def ended(self) -> bool:
        return self.state.ended_at is not None

    def valid_segment(self, index: int) -> bool:
        return 0 <= index < len(self.agenda.segments)


class Intent(Protocol):
    """Anything a person can ask for."""

    def decide(self, world: World) -> Outcome: ...


def decide(intent: Intent, world: World) -> Outcome:
    """The one entry point the screens use: an event to record, a refusal, or nothing."""
    return intent.decide(world)


ENDED = Refusal("The session has ended: times and segments stay as they were.")
