"""The day's plan: when it really started, and re-planning the rest of it from now.

``ChooseStart`` answers the question asked once when a day starts well away from
its planned start (or ``facilitate run --start``); ``Replan`` records a re-plan
the facilitator accepted (``replan.propose`` makes the proposal, the facilitator
may change it). Both keep what was planned: they add what was agreed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

from facilitate.agenda import parse_clock
from facilitate.commands.base import ENDED, Outcome, Refusal, World
from facilitate.events import DayStartChosen, PlanChanged, format_instant

# Starting further than this from the planned start asks how to time the day.
ASK_AFTER = timedelta(minutes=10)


def planned_start(world: World) -> datetime | None:
    """The agenda's own start on the session's day (None: it has none)."""
    start = world.agenda.start
    if start is None:
        return None
    day = (world.state.created or world.now).astimezone(world.tz).date()
    return datetime.combine(day, start, tzinfo=world.tz)


def start_question(world: World) -> timedelta | None:
    """How far from the planned start the day is starting, when that is worth asking about:
    the agenda has a start, the question has not been answered, the clock has not run yet
    and "now" is more than :data:`ASK_AFTER` away from it. None: do not ask."""
    planned = planned_start(world)
    state = world.state
    if planned is None or state.day.chosen or state.started or world.ended:
        return None
    away = world.now - planned
    return away if abs(away) > ASK_AFTER else None


@dataclass(frozen=True)
class ChooseStart:
    """The day starts at ``start`` (None: now). ``shift`` moves the plan to it, with
    fixed times keeping their clock time unless ``shift_fixed``; neither keeps the
    planned times (and says so, so the question is not asked again)."""

    start: datetime | None = None
    shift: bool = True
    shift_fixed: bool = False

    def decide(self, world: World) -> Outcome:
        if world.ended:
            return ENDED
        if world.state.started and self.shift:
            return Refusal("The day has already started: re-plan from now instead (n).")
        start = self.start or world.now
        return DayStartChosen(
            at=world.now,
            start=format_instant(start),
            shift=self.shift,
            shift_fixed=self.shift and self.shift_fixed,
        )


@dataclass(frozen=True)
class DayStart:
    """``facilitate run --start now|HH:MM``: the day's real start, said before it opens.
    The plan is shifted to it; fixed times keep their clock time unless ``shift_fixed``."""

    at: time | None = None  # None: now
    shift_fixed: bool = False

    @classmethod
    def parse(cls, text: str, *, shift_fixed: bool = False) -> DayStart:
        """``now`` or a clock time (``09:45``, ``9.45``); ValueError says what was wrong."""
        if text.strip().lower() == "now":
            return cls(None, shift_fixed)
        return cls(parse_clock(text), shift_fixed)

    def intent(self, now: datetime, tz: tzinfo) -> ChooseStart:
        start = now
        if self.at is not None:
            start = datetime.combine(now.astimezone(tz).date(), self.at, tzinfo=tz)
        return ChooseStart(start, shift=True, shift_fixed=self.shift_fixed)


@dataclass(frozen=True)
class Replan:
    """Agree new lengths (seconds) for the rest of the day, and leave some segments out."""

    lengths: Mapping[int, int]
    dropped: frozenset[int] = frozenset()
    reason: str = ""

    def decide(self, world: World) -> Outcome:
        from facilitate.replan import (  # first use: not at start-up
            evaluate,
            may_leave_out,
            remaining_segments,
        )

        if world.ended:
            return ENDED
        state = world.state
        rest = remaining_segments(state)
        outside = [i for i in (*self.lengths, *self.dropped) if i not in rest]
        if outside:
            return Refusal("A re-plan changes only the current segment and the ones after it.")
        if state.current in self.dropped:
            if not may_leave_out(state, world.now, state.current):
                return Refusal(
                    "The current segment has begun: shorten it instead of leaving it out."
                )
            if all(i in self.dropped or state.runs[i].dropped for i in rest):
                return Refusal("That leaves nothing to run: keep at least one segment.")
        if any(length < 0 for length in self.lengths.values()):
            return Refusal("A segment cannot be given less than no time.")
        reason = " ".join(self.reason.split())
        if not reason:
            return Refusal("Say why the day is re-planned: the reason goes in the report.")
        proposal = evaluate(
            world.agenda, state, world.now, world.tz, self._complete(world), self.dropped
        )
        if not proposal.changed:
            return Refusal("That is the plan as it stands: nothing to change.")
        items = proposal.items
        return PlanChanged(
            at=world.now,
            reason=reason,
            segments=[item.segment for item in items],
            lengths=[item.after_s for item in items],
            starts=[format_instant(item.start) for item in items],
            dropped=sorted(self.dropped),
        )

    def _complete(self, world: World) -> dict[int, int]:
        """Every remaining segment's length: as given, or as agreed now."""
        state, segments = world.state, world.agenda.segments
        return {
            i: self.lengths.get(i, state.runs[i].agreed_s(segments[i].duration_s))
            for i in range(state.current, state.segment_count)
        }
