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
from facilitate.catchup import Candidate, win_back
from facilitate.minutes import LATE_S, minutes, whole_minutes_s
from facilitate.state import DayPlan, SessionState


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
    fixed: bool  # its fixed time still binds it (see :func:`binds`)
    # A break whose fixed slot has ended before the day can reach it (the 11:20 coffee
    # forecast at 12:19): kept whole only when there is room, else left out first.
    gone: bool = False
    # The start the agenda lists: the plan in force, or, for a segment the latest
    # re-plan took as already over, when it really began (None: it never did). Read
    # top to bottom it never runs backwards.
    shown_start: datetime | None = None

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
    """The first fixed time the day is forecast to miss, and what would fix it: breaks
    whose time has passed to leave out, then minutes from flexible segments."""

    segment: int
    at: datetime  # the fixed time
    overrun_s: float
    suggestions: tuple[Suggestion, ...]
    uncovered_s: int
    leave_out: tuple[int, ...] = ()

    @property
    def need_s(self) -> int:
        """The overrun in whole minutes (the nearest): what the suggestions add up to."""
        return whole_minutes_s(self.overrun_s)


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
    late = minutes(slip_s)
    if late == 0:
        return "on time"
    return f"{abs(late)} min {'behind' if late > 0 else 'ahead'}"


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


def binds(
    fixed: datetime | None, segment: Segment, started: datetime | None, now: datetime
) -> bool:
    """Whether a fixed time still holds its segment. Before the segment begins, only while
    that time is ahead: once it has passed it is no target, no ``@``, and an accepted
    re-plan does not make the time it was given a new one. Once begun, when it began
    within its slot (lunch at 12:30 started at 12:34 was still lunch at 12:30)."""
    if fixed is None:
        return False
    if started is None:
        return fixed > now
    return started < fixed + timedelta(seconds=segment.duration_s) or started == fixed


def _settled(state: SessionState) -> int:
    """The first segment the latest accepted re-plan planned: what came before it, it took
    as it happened."""
    replans = state.day.replans
    return min(replans[-1].lengths, default=0) if replans else 0


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
    slots = fixed_times(agenda, day, tz, state.day, keep_past=True)
    settled = _settled(state)
    segs = agenda.segments
    timings: list[SegmentTiming] = []
    cursor: datetime | None = None
    ended = state.ended_at is not None
    for i, seg in enumerate(segs):
        run = state.runs[i]
        planned_s = run.agreed_s(seg.duration_s)
        elapsed = state.elapsed(i, now)
        pinned = binds(fixed_at[i], seg, run.started_at, now)
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
                start = max(now, cursor or planned_starts[i])
                if pinned:
                    start = max(start, fixed_at[i] or start)
            end = max(now, start) + timedelta(seconds=max(0.0, planned_s - elapsed))
            status = "current"
        else:
            start = cursor if cursor is not None else planned_starts[i]
            if pinned:
                start = max(start, fixed_at[i] or start)
            end = start + timedelta(seconds=max(0.0, planned_s - elapsed))
            status = "upcoming"
        cursor = max(cursor, end) if cursor is not None else end
        slot = slots[i]
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
                gone=seg.kind == "break"
                and status in ("current", "upcoming")
                and run.started_at is None
                and not pinned
                and slot is not None
                and start >= slot + timedelta(seconds=seg.duration_s),
                shown_start=run.started_at if i < settled else planned_starts[i],
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
        pressure=None if ended else _pressure(agenda, timings, fixed_at, state.current, remaining),
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
    agenda: Agenda,
    timings: list[SegmentTiming],
    fixed_at: list[datetime | None],
    current: int,
    remaining: float,
) -> Pressure | None:
    """The first fixed time still ahead that the forecast misses, and how to win it back by
    the rule the re-plan uses (``catchup.win_back``), without leaving out any teaching.
    Measured against the fixed time itself, as the re-plan measures it (not the later
    time an accepted re-plan may have admitted for it)."""
    for timing in timings[current + 1 :]:
        at = fixed_at[timing.index]
        if not timing.fixed or timing.status == "dropped" or at is None:
            continue
        overrun = (timing.forecast_start - at).total_seconds()
        if overrun < LATE_S:
            continue
        # Time won before an earlier fixed segment is absorbed by it (it waits for its
        # time), so only the segments after the last one can bring this one back.
        fixed_before = [t.index for t in timings[current + 1 : timing.index] if t.fixed]
        first = max(fixed_before, default=current)
        window = []
        for cand in timings[first : timing.index]:
            if cand.status == "dropped" or (cand.fixed and cand.index != current):
                continue
            left = remaining if cand.index == current else cand.planned_s - cand.elapsed_s
            window.append(
                Candidate(
                    segment=cand.index,
                    length_s=cand.planned_s,
                    room_s=max(0.0, left),
                    flexible=agenda.segments[cand.index].flexible,
                    gone=cand.gone,
                    droppable=cand.index != current or cand.actual_start is None,
                )
            )
        need = whole_minutes_s(overrun)
        found = win_back(need, window, may_drop=False)
        cuts = tuple(Suggestion(i, cut) for i, cut in sorted(found.cuts.items()))
        return Pressure(timing.index, at, overrun, cuts, found.uncovered_s, tuple(found.dropped))
    return None
