"""The facilitator's timer controls: start and pause, move between segments, add or take time.

The keys, the command palette and tests all go through these, so a key press
and a palette command cannot drift apart. A finished session stays finished.
"""

from __future__ import annotations

from dataclasses import dataclass

from facilitate.commands.base import ENDED, Outcome, Refusal, World
from facilitate.events import (
    SegmentChanged,
    SegmentRestarted,
    SessionEnded,
    TimeAdjusted,
    TimerPaused,
    TimerStarted,
)


@dataclass(frozen=True)
class Toggle:
    """Space: start, pause or resume."""

    def decide(self, world: World) -> Outcome:
        if world.ended:
            return ENDED
        now = world.now
        return TimerPaused(at=now) if world.state.running else TimerStarted(at=now)


@dataclass(frozen=True)
class GoTo:
    """Jump to a segment (``reason`` says how: next, previous or jump)."""

    segment: int
    reason: str = "jump"

    def decide(self, world: World) -> Outcome:
        if world.ended:
            return ENDED
        if not world.valid_segment(self.segment):
            return Refusal(f"There is no segment {self.segment + 1} in this agenda.")
        if self.segment == world.state.current:
            return None
        return SegmentChanged(at=world.now, segment=self.segment, reason=self.reason)


@dataclass(frozen=True)
class Next:
    """Move on. From the last segment, ending the session is a separate, confirmed step."""

    def decide(self, world: World) -> Outcome:
        if not world.ended and world.state.current + 1 >= len(world.agenda.segments):
            return Refusal("This is the last segment: E ends the session.")
        return GoTo(world.state.current + 1, "next").decide(world)


@dataclass(frozen=True)
class Previous:
    def decide(self, world: World) -> Outcome:
        if not world.ended and world.state.current == 0:
            return Refusal("This is the first segment.")
        return GoTo(world.state.current - 1, "previous").decide(world)


@dataclass(frozen=True)
class Adjust:
    """Add (or with a negative number take) minutes on the current segment, never below zero."""

    minutes: int

    def decide(self, world: World) -> Outcome:
        if world.ended:
            return ENDED
        if self.minutes == 0:
            return None
        state = world.state
        planned = world.segment.duration_s + state.runs[state.current].adjust_s
        # A merged journal (two writers each taking time) can leave planned below zero:
        # taking must then take nothing, not add the overdraft back.
        seconds = max(self.minutes * 60, -max(planned, 0))
        if seconds == 0:
            return Refusal("This segment has no planned time left to take away.")
        return TimeAdjusted(at=world.now, segment=state.current, seconds=seconds)


@dataclass(frozen=True)
class Restart:
    """The current segment from zero (the screen confirms first)."""

    def decide(self, world: World) -> Outcome:
        if world.ended:
            return ENDED
        return SegmentRestarted(at=world.now, segment=world.state.current)


@dataclass(frozen=True)
class End:
    """End the session: times stop here (the screen confirms first)."""

    def decide(self, world: World) -> Outcome:
        return None if world.ended else SessionEnded(at=world.now)
