"""Who was there: the people of the day and their part in it, the venue, the next meeting.

Recorded during the day or that evening (from the command palette or review), so
the minutes can say who came, who sent apologies, who facilitated, where it was
and when the partnership meets next. Each person has a stable ``person`` id: a
name corrected later is the same person, not a second one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from facilitate.events.base import Event

ATTENDANCE = ("present", "apologies", "facilitator")
"""How someone took part: came, sent apologies, or facilitated the day."""


@dataclass(frozen=True, kw_only=True)
class PersonRecorded(Event):
    """Someone on the day's list, or a change to their entry."""

    TYPE: ClassVar[str] = "person_recorded"
    person: str
    name: str
    organisation: str = ""
    role: str = ""  # their role in the day: "Chair", "Service user", "Scribe"...
    attendance: str = "present"


@dataclass(frozen=True, kw_only=True)
class PersonRemoved(Event):
    """Taken off the list (ticked by mistake); the journal keeps the entry."""

    TYPE: ClassVar[str] = "person_removed"
    person: str


@dataclass(frozen=True, kw_only=True)
class VenueSet(Event):
    """Where the day was held; empty clears it."""

    TYPE: ClassVar[str] = "venue_set"
    venue: str


@dataclass(frozen=True, kw_only=True)
class NextMeetingSet(Event):
    """When the partnership meets next: an ISO date (empty clears it) and an optional HH:MM."""

    TYPE: ClassVar[str] = "next_meeting_set"
    date: str
    time: str = ""
