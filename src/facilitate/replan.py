"""Re-planning the rest of the day from now, so that it meets its fixed times again.

:func:`propose` looks at the day as it stands (the agenda, the reduced state and
"now") and, for each fixed time still ahead (lunch, a break, the close) that the
forecast misses by a minute or more (to the nearest, ``minutes``), wins the time back
by the rule the catch-up line uses too (``catchup.win_back``): breaks whose slot has
gone by before the day can reach them (the 11:20 coffee when the day started at
11:25) are left out first, whole, latest first; then the flexible segments before
it are shortened in proportion to their length, as OnlyT's adaptive timer does, at
most by half each; then the latest of them are left out, one at a time. Breaks still
to come, lunch and segments the agenda marks ``protect = true`` are never shortened
or left out; a break whose time has passed is never shortened either, only kept or
left out. When even that is not enough, the fixed time is late, and the proposal
says by how much. Fixed times already past are never targets.

:func:`evaluate` forecasts any set of lengths (the facilitator's own changes to
a proposal) with the same forecast the screens use (``schedule.snapshot``), so
what is proposed is what the screen shows once it is accepted.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo

from facilitate.agenda import Agenda
from facilitate.catchup import MAX_SHRINK, Candidate, caps, share, win_back
from facilitate.minutes import LATE_S, whole_minutes_s
from facilitate.schedule import Snapshot, snapshot
from facilitate.state import SessionState

__all__ = ["MAX_SHRINK", "caps", "share"]  # the share is the catch-up line's too


@dataclass(frozen=True)
class Item:
    """One segment of the rest of the day, before and after the re-plan."""

    segment: int
    before_s: int  # the length agreed now (0 when already dropped)
    after_s: int  # the proposed length, time already run included
    elapsed_s: float  # already run (the current segment)
    start: datetime  # when the proposal expects it to start
    end: datetime  # and to end
    flexible: bool  # a proposal may shorten or drop it
    fixed: bool  # starts at a fixed time
    dropped: bool = False
    was_dropped: bool = False  # an earlier re-plan left it out
    lapsed: bool = False  # a break whose slot went by before the day could reach it

    @property
    def changed(self) -> bool:
        return self.after_s != self.before_s or self.dropped != self.was_dropped

    @property
    def newly_dropped(self) -> bool:
        return self.dropped and not self.was_dropped


@dataclass(frozen=True)
class FixedTime:
    """A fixed time ahead, and when the plan reaches it."""

    segment: int
    at: datetime
    forecast: datetime

    @property
    def late_s(self) -> float:
        return max(0.0, (self.forecast - self.at).total_seconds())


@dataclass(frozen=True)
class Proposal:
    now: datetime
    items: tuple[Item, ...]  # the current segment and every one after it
    fixed: tuple[FixedTime, ...]  # the fixed times still ahead, in order
    end: datetime  # when the day is forecast to end on this plan

    @property
    def changed(self) -> bool:
        return any(item.changed for item in self.items)

    @property
    def begins(self) -> datetime:
        """When the rest of the day begins: now, or the start chosen for a day not yet
        begun (``run --start 11:05`` at 10:49)."""
        return max(self.now, self.items[0].start) if self.items else self.now

    @property
    def lengths(self) -> dict[int, int]:
        return {item.segment: item.after_s for item in self.items}

    @property
    def dropped(self) -> frozenset[int]:
        return frozenset(item.segment for item in self.items if item.dropped)

    def cut(self, *, dropped: bool, lapsed: bool) -> frozenset[int]:
        """The segments this plan newly leaves out (``dropped``) or shortens, among the
        breaks whose time has gone by (``lapsed``) or the rest."""
        return frozenset(
            i.segment
            for i in self.items
            if i.lapsed == lapsed
            and (i.newly_dropped if dropped else not i.dropped and i.after_s < i.before_s)
        )

    @property
    def left_out(self) -> frozenset[int]:
        """What this plan leaves out that the facilitator loses: not a break whose time has
        gone by (that is over, not lost)."""
        return self.cut(dropped=True, lapsed=False)

    @property
    def shortened(self) -> frozenset[int]:
        """The segments this plan keeps, with less time (breaks whose time has gone by aside)."""
        return self.cut(dropped=False, lapsed=False)

    @property
    def lost_s(self) -> int:
        """The time this plan takes from the day's segments, those left out included: what
        the facilitator loses (a break whose time has gone by gives nothing that was left)."""
        return sum(
            max(0, i.before_s - i.after_s) for i in self.items if not i.lapsed and not i.was_dropped
        )

    @property
    def late(self) -> FixedTime | None:
        """The first fixed time this plan still misses."""
        return next((f for f in self.fixed if f.late_s >= LATE_S), None)


def remaining_segments(state: SessionState) -> range:
    """The segments a re-plan may change: the current one and every one after it."""
    return range(state.current, state.segment_count)


def evaluate(
    agenda: Agenda,
    state: SessionState,
    now: datetime,
    tz: tzinfo,
    lengths: Mapping[int, int],
    dropped: Set[int] = frozenset(),
) -> Proposal:
    """The rest of the day with these lengths (seconds) and these segments left out."""
    before = snapshot(agenda, state, now, tz)
    after = snapshot(agenda, with_plan(state, lengths, dropped), now, tz)
    items = []
    for i in remaining_segments(state):
        seg, timing = agenda.segments[i], after.segments[i]
        was = before.segments[i]
        items.append(
            Item(
                segment=i,
                before_s=was.planned_s,
                after_s=0 if i in dropped else timing.planned_s,
                elapsed_s=timing.elapsed_s,
                start=timing.forecast_start,
                end=timing.forecast_end,
                flexible=seg.flexible,
                fixed=timing.fixed,
                dropped=i in dropped,
                was_dropped=was.status == "dropped",
                lapsed=was.gone,
            )
        )
    return Proposal(now, tuple(items), _fixed_ahead(after, state, now), after.forecast_end)


def with_plan(state: SessionState, lengths: Mapping[int, int], dropped: Set[int]) -> SessionState:
    """A copy of the state as if these lengths had been agreed (the notes are shared, not
    copied: a re-plan never touches them)."""
    runs = [replace(run) for run in state.runs]
    for i, length in lengths.items():
        run = runs[i]
        run.replanned_s = 0 if i in dropped else max(0, length)
        run.adjust_at_replan_s = run.adjust_s
        run.replanned_start = None
        run.dropped = i in dropped
    return replace(state, runs=runs)


def _fixed_ahead(snap: Snapshot, state: SessionState, now: datetime) -> tuple[FixedTime, ...]:
    return tuple(
        FixedTime(t.index, t.planned_start, t.forecast_start)
        for t in snap.segments[state.current + 1 :]
        if t.fixed and t.status != "dropped" and t.planned_start > now
    )


def as_agreed(state: SessionState, agenda: Agenda) -> tuple[dict[int, int], set[int]]:
    """The rest of the day as it stands: each segment's agreed length, and those left out."""
    rest = remaining_segments(state)
    lengths = {i: state.runs[i].agreed_s(agenda.segments[i].duration_s) for i in rest}
    return lengths, {i for i in rest if state.runs[i].dropped and i != state.current}


def as_is(agenda: Agenda, state: SessionState, now: datetime, tz: tzinfo) -> Proposal:
    """The rest of the day if nothing changes."""
    lengths, dropped = as_agreed(state, agenda)
    return evaluate(agenda, state, now, tz, lengths, dropped)


def propose(agenda: Agenda, state: SessionState, now: datetime, tz: tzinfo) -> Proposal:
    """The smallest change (in whole minutes) that meets every fixed time still ahead."""
    lengths, dropped = as_agreed(state, agenda)
    proposal = evaluate(agenda, state, now, tz, lengths, dropped)
    gone = {item.segment for item in proposal.items if item.lapsed}
    previous = state.current
    for target in proposal.fixed:
        # Time won before an earlier fixed time only makes it wait: each fixed time is
        # met by the segments from the one before it (whose start is pinned) up to it.
        window = range(previous, target.segment)
        previous = target.segment
        late = _late_at(agenda, state, now, tz, lengths, dropped, target.segment)
        if late < LATE_S:
            continue
        candidates = [
            Candidate(
                segment=i,
                length_s=lengths[i],
                room_s=_room(state, now, i, lengths[i]),
                flexible=agenda.segments[i].flexible,
                gone=i in gone,
                # The current segment only when its time has gone (registration at
                # 10:45): the room is here for anything else, so it is shortened.
                droppable=i != state.current or i in gone,
            )
            for i in window
            if i not in dropped
        ]
        found = win_back(whole_minutes_s(late), candidates, may_drop=True)
        dropped.update(found.dropped)
        for i, cut in found.cuts.items():
            lengths[i] -= cut
    return evaluate(agenda, state, now, tz, lengths, dropped)


def may_leave_out(state: SessionState, now: datetime, segment: int) -> bool:
    """Whether a re-plan may leave this segment out: any still to come, and the current one
    while it has not begun (a proposal does so only for a break whose time has gone, such
    as registration when the day starts at 10:45); the day then begins with the next."""
    if segment != state.current:
        return True
    return state.runs[segment].started_at is None and state.elapsed(segment, now) <= 0


def _late_at(
    agenda: Agenda,
    state: SessionState,
    now: datetime,
    tz: tzinfo,
    lengths: Mapping[int, int],
    dropped: Set[int],
    segment: int,
) -> float:
    proposal = evaluate(agenda, state, now, tz, lengths, dropped)
    return next((f.late_s for f in proposal.fixed if f.segment == segment), 0.0)


def _room(state: SessionState, now: datetime, segment: int, length: int) -> float:
    """Seconds a segment could give up: all of it, or what the current one has left."""
    if segment == state.current:
        return max(0.0, length - state.elapsed(segment, now))
    return float(length)
