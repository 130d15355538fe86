"""Pure timing maths: where the day stands and where it is heading.

Given the agenda, the reduced session state and "now", :func:`snapshot` says
how the current segment stands (elapsed, remaining, overtime, warning level)
and forecasts every segment from the actual past and the planned future. A
fixed-time segment (lunch at 12:30) keeps its time while there is slack before
it and slips only when there is none, which is how facilitators think of it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from facilitate.agenda import Agenda, Segment
from facilitate.state import DayPlan, SessionState

# At most this share of a flexible segment is offered up to win time back.
MAX_CUT_SHARE = 1 / 3


@dataclass(frozen=True)
class SegmentTiming:
    index: int
    status: str  # done, skipped, dropped, current, upcoming
    planned_start: datetime
    planned_s: int  # the agenda's duration plus time added or taken
    elapsed_s: float
    forecast_start: datetime
    forecast_end: datetime
    actual_start: datetime | None
    actual_end: datetime | None
    fixed: bool

    @property
    def slip_s(self) -> float:
        return (self.forecast_start - self.planned_start).total_seconds()


@dataclass(frozen=True)
class Suggestion:
    """Shorten this flexible segment by this much to get back on plan."""

    segment: int
    cut_s: int


@dataclass(frozen=True)
class Pressure:
    """The first fixed time the day is forecast to miss, and what would fix it."""

    segment: int
    overrun_s: float
    suggestions: tuple[Suggestion, ...]
    uncovered_s: int


@dataclass(frozen=True)
class Snapshot:
    now: datetime
    current: int
    running: bool
    ended: bool
    elapsed_s: float
    planned_s: int
    remaining_s: float
    level: str  # ready, normal, warning, overtime, marker, ended
    segments: tuple[SegmentTiming, ...]
    planned_end: datetime
    forecast_end: datetime
    pressure: Pressure | None
    agenda_end: datetime | None = None  # the end as the agenda has it, before any change

    @property
    def overtime_s(self) -> float:
        return max(0.0, -self.remaining_s)

    @property
    def progress(self) -> float:
        if self.planned_s <= 0:
            return 1.0
        return min(1.0, max(0.0, self.elapsed_s / self.planned_s))

    @property
    def slip_s(self) -> float:
        """Positive when the day is forecast to end later than planned."""
        return (self.forecast_end - self.planned_end).total_seconds()


def display_seconds(remaining_s: float) -> int:
    """Whole seconds to show: a countdown shows 10:00 until a full second has gone,
    and overtime counts up from 0 in whole seconds."""
    if remaining_s > 0:
        return math.ceil(remaining_s - 1e-9)
    return -math.floor(-remaining_s + 1e-9) if remaining_s < 0 else 0


def next_change_s(remaining_s: float, *, most: float = 1.0) -> float:
    """Seconds until what :func:`display_seconds` shows next changes (at most ``most``).

    A countdown at a whole number of seconds (10:00 exactly) changes a full second
    later, not at once: answering 0 there made a screen wake 50 times a second.
    """
    if remaining_s > 0:
        fraction = remaining_s % 1.0
        until = fraction if fraction > 1e-9 else 1.0
    else:
        until = 1.0 - (-remaining_s) % 1.0
    return min(most, until)


def format_clock(seconds: float) -> str:
    """``MM:SS`` or ``H:MM:SS`` of a whole number of seconds, signless."""
    total = abs(int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def format_slip(slip_s: float) -> str:
    minutes = round(slip_s / 60)
    if minutes == 0:
        return "on time"
    return f"{abs(minutes)} min {'behind' if minutes > 0 else 'ahead'}"


def session_day(state: SessionState, now: datetime, tz: tzinfo) -> date:
    """The calendar day fixed times refer to: the day the session was created."""
    return (state.created or now).astimezone(tz).date()


def fixed_instant(segment: Segment, day: date, tz: tzinfo) -> datetime | None:
    if segment.at is None:
        return None
    return datetime.combine(day, segment.at, tzinfo=tz)


def fixed_times(
    agenda: Agenda,
    day: date,
    tz: tzinfo,
    chosen: DayPlan | None = None,
    *,
    keep_past: bool = False,
) -> list[datetime | None]:
    """Each segment's fixed start as the day now stands (None: it runs on from the last).

    When the facilitator shifted the plan to a later start, a fixed time before that
    start is gone (it can no longer be kept) and the rest keep their clock time, or
    move by the same amount when the fixed times were shifted too. ``keep_past`` keeps
    those gone times (a re-plan asks whether a break's slot has passed).
    """
    written = _written_start(agenda, day, tz)
    move = timedelta(0)
    start: datetime | None = None
    if chosen is not None and chosen.shift and chosen.start is not None:
        start = chosen.start
        if chosen.shift_fixed and written is not None:
            move = chosen.start - written
    times: list[datetime | None] = []
    for seg in agenda.segments:
        fixed = fixed_instant(seg, day, tz)
        if fixed is not None:
            fixed += move
            if start is not None and fixed < start and not keep_past:
                fixed = None
        times.append(fixed)
    return times


def _written_start(agenda: Agenda, day: date, tz: tzinfo) -> datetime | None:
    return datetime.combine(day, agenda.start, tzinfo=tz) if agenda.start else None


def plan(
    agenda: Agenda,
    origin: datetime,
    day: date,
    tz: tzinfo,
    state: SessionState | None = None,
) -> list[datetime]:
    """Planned start of each segment: as the agenda designs it, from the start the
    facilitator chose, and as the last accepted re-plan set it (``state``)."""
    chosen = state.day if state is not None else None
    cursor = _written_start(agenda, day, tz) or origin
    if chosen is not None and chosen.shift and chosen.start is not None:
        cursor = chosen.start
    fixed = fixed_times(agenda, day, tz, chosen)
    starts = []
    for seg in agenda.segments:
        replanned = state.runs[seg.index] if state is not None else None
        if replanned is not None and replanned.replanned_start is not None:
            cursor = replanned.replanned_start
        elif fixed[seg.index] is not None:
            cursor = fixed[seg.index]  # type: ignore[assignment]
        starts.append(cursor)
        length = seg.duration_s
        if replanned is not None and replanned.replanned_s is not None:
            length = replanned.replanned_s
        cursor += timedelta(seconds=length)
    return starts


def snapshot(agenda: Agenda, state: SessionState, now: datetime, tz: tzinfo) -> Snapshot:
    day = session_day(state, now, tz)
    first_start = state.runs[0].started_at if state.runs else None
    origin = first_start or state.created or now
    planned_starts = plan(agenda, origin, day, tz, state)
    fixed_at = fixed_times(agenda, day, tz, state.day)
    segs = agenda.segments
    timings: list[SegmentTiming] = []
    cursor: datetime | None = None
    ended = state.ended_at is not None
    for i, seg in enumerate(segs):
        run = state.runs[i]
        planned_s = run.agreed_s(seg.duration_s)
        elapsed = state.elapsed(i, now)
        fixed = fixed_at[i]
        # A fixed slot gone by before its segment began (coffee at 11:20 when the day
        # started at 11:38) is no longer a time to keep: not a target, not marked fixed.
        pinned = fixed is not None and (
            fixed + timedelta(seconds=seg.duration_s) > (run.started_at or now)
            or fixed == run.started_at
        )
        if (i != state.current or ended) and run.dropped and run.started_at is None:
            start = end = cursor or planned_starts[i]
            status = "dropped"
        elif i < state.current or ended:
            if run.started_at is not None:
                start = run.started_at
                end = run.ended_at or start + timedelta(seconds=elapsed)
                status = "done"
            else:
                start = end = cursor or planned_starts[i]
                status = "skipped"
        elif i == state.current:
            if run.started_at is not None:
                start = run.started_at
            else:
                start = max(now, planned_starts[i]) if cursor is None else max(now, cursor)
                if fixed is not None:
                    start = max(start, fixed)
            end = max(now, start) + timedelta(seconds=max(0.0, planned_s - elapsed))
            status = "current"
        else:
            start = cursor if cursor is not None else planned_starts[i]
            if fixed is not None:
                start = max(start, fixed)
            end = start + timedelta(seconds=max(0.0, planned_s - elapsed))
            status = "upcoming"
        cursor = max(cursor, end) if cursor is not None else end
        timings.append(
            SegmentTiming(
                index=i,
                status=status,
                planned_start=planned_starts[i],
                planned_s=planned_s,
                elapsed_s=elapsed,
                forecast_start=start,
                forecast_end=end,
                actual_start=run.started_at,
                actual_end=run.ended_at,
                fixed=pinned,
            )
        )
    current = timings[state.current]
    remaining = current.planned_s - current.elapsed_s
    last = state.runs[-1]
    planned_end = planned_starts[-1] + timedelta(
        seconds=last.replanned_s if last.replanned_s is not None else segs[-1].duration_s
    )
    forecast_end = state.ended_at or (cursor or now)
    agenda_end = planned_end
    if state.day.shift or any(run.replanned_start is not None for run in state.runs):
        written = plan(agenda, origin, day, tz)
        agenda_end = written[-1] + timedelta(seconds=segs[-1].duration_s)
    return Snapshot(
        now=now,
        current=state.current,
        running=state.running,
        ended=ended,
        elapsed_s=current.elapsed_s,
        planned_s=current.planned_s,
        remaining_s=remaining,
        level=_level(segs[state.current], state, current, remaining),
        segments=tuple(timings),
        planned_end=planned_end,
        forecast_end=forecast_end,
        pressure=None if ended else _pressure(agenda, timings, state.current, remaining, now),
        agenda_end=agenda_end,
    )


def _level(seg: Segment, state: SessionState, timing: SegmentTiming, remaining: float) -> str:
    if state.ended_at is not None:
        return "ended"
    if seg.duration_s == 0 and timing.planned_s == 0:
        return "marker"  # designed as a moment (Close), not a segment cut to nothing
    if timing.actual_start is None and not state.running:
        return "ready"
    if remaining <= 0:
        return "overtime"
    if remaining <= seg.warning_s:
        return "warning"
    return "normal"


def _pressure(
    agenda: Agenda, timings: list[SegmentTiming], current: int, remaining: float, now: datetime
) -> Pressure | None:
    """Find the first fixed time still ahead that the forecast misses, and offer cuts of
    flexible segments before it (never a break, lunch or a protected segment)."""
    for timing in timings[current + 1 :]:
        if not timing.fixed or timing.status == "dropped" or timing.planned_start <= now:
            continue
        overrun = (timing.forecast_start - timing.planned_start).total_seconds()
        if overrun < 60:
            continue
        # Time won before an earlier fixed segment is absorbed by it (it waits for its
        # time), so only the segments after the last one can bring this one back.
        fixed_before = [t.index for t in timings[current + 1 : timing.index] if t.fixed]
        first = max(fixed_before, default=current)
        capacities: list[tuple[int, int]] = []
        for cand in timings[first : timing.index]:
            seg = agenda.segments[cand.index]
            if not seg.flexible or (cand.fixed and cand.index != current) or cand.planned_s <= 0:
                continue
            left = remaining if cand.index == current else cand.planned_s - cand.elapsed_s
            cap = int(min(left, cand.planned_s * MAX_CUT_SHARE) // 60) * 60
            if cap > 0:
                capacities.append((cand.index, cap))
        return _distribute(timing.index, overrun, capacities)
    return None


def _distribute(segment: int, overrun_s: float, capacities: list[tuple[int, int]]) -> Pressure:
    """Share the cut in proportion to what each segment can give, in whole minutes."""
    need = math.ceil(overrun_s / 60) * 60
    total_cap = sum(cap for _, cap in capacities)
    cuts: list[Suggestion] = []
    if total_cap > 0:
        target = min(need, total_cap)
        goal = target
        for index, cap in sorted(capacities, key=lambda item: -item[1]):
            if goal <= 0:
                break
            share = math.ceil(target * cap / total_cap / 60) * 60
            cut = min(cap, share, goal)
            if cut > 0:
                cuts.append(Suggestion(index, cut))
                goal -= cut
        cuts.sort(key=lambda s: s.segment)
    covered = sum(s.cut_s for s in cuts)
    return Pressure(segment, overrun_s, tuple(cuts), max(0, need - covered))
