"""The session and its clock: started, run, paused, moved between segments, ended."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from facilitate.events.base import Event


@dataclass(frozen=True, kw_only=True)
class SessionStarted(Event):
    TYPE: ClassVar[str] = "session_started"
    agenda_name: str
    agenda_title: str


@dataclass(frozen=True, kw_only=True)
class TimerStarted(Event):
    """Space: start, or resume after a pause."""

    TYPE: ClassVar[str] = "timer_started"


@dataclass(frozen=True, kw_only=True)
class TimerPaused(Event):
    """Space, or ``reason`` "quit": the facilitator closed the session with the clock
    running, which stops there (a process that went away leaves it running instead)."""

    TYPE: ClassVar[str] = "timer_paused"
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class SegmentChanged(Event):
    """Next, previous or jump: one event so replay treats them alike."""

    TYPE: ClassVar[str] = "segment_changed"
    segment: int
    reason: str = "jump"


@dataclass(frozen=True, kw_only=True)
class TimeAdjusted(Event):
    TYPE: ClassVar[str] = "time_adjusted"
    segment: int
    seconds: int


@dataclass(frozen=True, kw_only=True)
class SegmentRestarted(Event):
    TYPE: ClassVar[str] = "segment_restarted"
    segment: int


@dataclass(frozen=True, kw_only=True)
class SessionEnded(Event):
    TYPE: ClassVar[str] = "session_ended"


@dataclass(frozen=True, kw_only=True)
class ClockCorrected(Event):
    """The machine's clock was corrected while the session ran (an NTP step, someone
    setting the time): instants from this event on are ``offset_s`` later (earlier when
    negative) than the ones before were for the same moment. The running segment's clock
    moves with them, so no time is gained or lost; instants already written stay."""

    TYPE: ClassVar[str] = "clock_corrected"
    offset_s: float
