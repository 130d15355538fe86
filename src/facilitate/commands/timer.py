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
class Quit:
    """The facilitator quits the session's screen: a running clock stops at that moment, so
    the session reads as paused then (``sessions``, exports), not as interrupted at its last
    event, which is for a process that went away. ``resume`` carries on from there."""

    def decide(self, world: World) -> Outcome:
        if world.ended or not world.state.running:
            return None
        return TimerPaused(at=world.now, reason="quit")


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
    """Move on, past segments a re-plan left out. From the last segment, ending the
    session is a separate, confirmed step."""

    def decide(self, world: World) -> Outcome:
        if world.ended:
            return ENDED
        later = _kept(world, range(world.state.current + 1, len(world.agenda.segments)))
        if later is None:
            return Refusal("This is the last segment: E ends the session.")
        return GoTo(later, "next").decide(world)


@dataclass(frozen=True)
class Previous:
    def decide(self, world: World) -> Outcome:
        if world.ended:
            return ENDED
        earlier = _kept(world, range(world.state.current - 1, -1, -1))
        if earlier is None:
            return Refusal("This is the first segment.")
        return GoTo(earlier, "previous").decide(world)


def _kept(world: World, order: range) -> int | None:
    """The first segment in ``order`` the day still has (not dropped by a re-plan)."""
    runs = world.state.runs
    return next((i for i in order if not runs[i].dropped), None)


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
        run = state.runs[state.current]
        planned = world.segment.duration_s + run.adjust_s
        if run.replanned_s is not None:
            planned = run.replanned_s + run.adjust_s - run.adjust_at_replan_s
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
