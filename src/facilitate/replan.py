"""Re-planning the rest of the day from now, so that it meets its fixed times again.

:func:`propose` looks at the day as it stands (the agenda, the reduced state and
"now") and, for each fixed time still ahead (lunch, a break, the close) that the
forecast misses, shortens the flexible segments before it in proportion to their
length, as OnlyT's adaptive timer does. Breaks, lunch and segments the agenda
marks ``protect = true`` are never shortened, with one exception: a break whose
whole slot has gone by before it began (the 11:20 coffee when the day started at
11:38) is no longer a time to keep, so it gives first, latest first, before any
teaching time: it is shortened, or left out once it has nothing left (the one
running now keeps at least half). A flexible segment keeps at least half its
length; when that is not enough, the latest flexible segments before the fixed
time are dropped, one at a time, until it is. When even that is not enough, the
fixed time is late, and the proposal says by how much. Fixed times already past
are never targets.

:func:`evaluate` forecasts any set of lengths (the facilitator's own changes to
a proposal) with the same forecast the screens use (``schedule.snapshot``), so
what is proposed is what the screen shows once it is accepted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Set
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo

from facilitate.agenda import Agenda
from facilitate.schedule import Snapshot, fixed_times, session_day, snapshot
from facilitate.state import SessionState

MAX_SHRINK = 0.5  # a proposal takes at most this share of a flexible segment's time
STEP_S = 60  # proposals are in whole minutes
LATE_S = 60  # a fixed time forecast less late than this is met


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
    lapsed: bool = False  # a break whose time went by before it began (``lapsed_breaks``)

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
    lapsed = lapsed_breaks(agenda, state, now, tz)
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
                lapsed=i in lapsed,
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
    lapsed = lapsed_breaks(agenda, state, now, tz)
    previous = state.current
    for target in proposal.fixed:
        # Time won before an earlier fixed time only makes it wait: each fixed time is
        # met by the segments from the one before it (whose start is pinned) up to it.
        window = range(previous, target.segment)
        previous = target.segment
        late = _late_at(agenda, state, now, tz, lengths, dropped, target.segment)
        if late < LATE_S:
            continue
        need = math.ceil(late / STEP_S) * STEP_S
        need = _give_up_lapsed(state, now, window, lapsed, lengths, dropped, need)
        if need > 0:
            _shorten(agenda, state, now, window, lengths, dropped, need)
    return evaluate(agenda, state, now, tz, lengths, dropped)


def lapsed_breaks(agenda: Agenda, state: SessionState, now: datetime, tz: tzinfo) -> set[int]:
    """Breaks still ahead (or running now but not begun) whose fixed slot, as the agenda
    times it, ended before now: the day came too late for them."""
    day = session_day(state, now, tz)
    clocks = fixed_times(agenda, day, tz, state.day, keep_past=True)
    lapsed = set()
    for i in remaining_segments(state):
        seg, clock = agenda.segments[i], clocks[i]
        if seg.kind != "break" or clock is None or state.runs[i].started_at is not None:
            continue
        if clock.timestamp() + seg.duration_s <= now.timestamp():
            lapsed.add(i)
    return lapsed


def _give_up_lapsed(
    state: SessionState,
    now: datetime,
    window: range,
    lapsed: Set[int],
    lengths: dict[int, int],
    dropped: set[int],
    need: int,
) -> int:
    """Take what is needed from the breaks whose time has passed, latest first: shorten
    each, leave it out when nothing is left. What is still needed."""
    for i in reversed(window):
        if need <= 0:
            break
        if i not in lapsed or i in dropped or lengths[i] <= 0:
            continue
        if i == state.current:
            give = min(need, caps({i: _room(state, now, i, lengths[i])})[i])
        else:
            give = min(need, lengths[i])
        if give <= 0:
            continue
        lengths[i] -= give
        need -= give
        if lengths[i] == 0 and i != state.current:
            dropped.add(i)
    return need


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


def _shorten(
    agenda: Agenda,
    state: SessionState,
    now: datetime,
    window: range,
    lengths: dict[int, int],
    dropped: set[int],
    need: int,
) -> None:
    """Win ``need`` seconds in ``window``: shorten in proportion, then drop, latest first."""
    current = state.current
    while True:
        flexible = [
            i for i in window if agenda.segments[i].flexible and i not in dropped and lengths[i] > 0
        ]
        # What each can give: the current segment only from what it has left.
        room = {i: _room(state, now, i, lengths[i]) for i in flexible}
        droppable = [i for i in flexible if i != current]
        if need <= sum(caps(room).values()) or not droppable:
            for i, cut in share(need, room).items():
                lengths[i] -= cut
            return
        last = droppable[-1]
        dropped.add(last)
        need -= lengths[last]
        if need <= 0:
            return


def _room(state: SessionState, now: datetime, segment: int, length: int) -> float:
    """Seconds a segment could give up: all of it, or what the current one has left."""
    if segment == state.current:
        return max(0.0, length - state.elapsed(segment, now))
    return float(length)


def share(need: int, room: Mapping[int, float]) -> dict[int, int]:
    """Cuts in whole minutes in proportion to ``room``, summing to ``need`` where they can,
    none above :data:`MAX_SHRINK` of its room (largest remainders get the spare minutes)."""
    most = caps(room)
    total = sum(room.values())
    if total <= 0:
        return {}
    exact = {i: need * r / total for i, r in room.items()}
    cuts = {i: min(most[i], int(exact[i] // STEP_S) * STEP_S) for i in room}
    spare = min(need, sum(most.values())) - sum(cuts.values())
    by_remainder = sorted(room, key=lambda i: (-(exact[i] - cuts[i]), i))
    while spare >= STEP_S:
        moved = False
        for i in by_remainder:
            if spare >= STEP_S and cuts[i] + STEP_S <= most[i]:
                cuts[i] += STEP_S
                spare -= STEP_S
                moved = True
        if not moved:
            break
    return {i: cut for i, cut in cuts.items() if cut > 0}


def caps(room: Mapping[int, float]) -> dict[int, int]:
    """The most a proposal takes from each: :data:`MAX_SHRINK` of its room, to the nearest
    whole minute (half a 15-minute segment is 8 minutes), never more than it has."""
    return {
        i: min(int(r // STEP_S) * STEP_S, math.floor(r * MAX_SHRINK / STEP_S + 0.5) * STEP_S)
        for i, r in room.items()
    }
