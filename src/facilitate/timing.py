"""The timing report of a session: planned, re-planned, agreed and actual, per segment.

Every export and review screen that says how a day ran reads it from here, so they
all measure over and under the same, honest way: against the length agreed in the
room (the plan, or the last accepted re-plan, plus the minutes added or taken with
``+`` and ``-``), with the agenda's own length beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from facilitate.agenda import Agenda
from facilitate.schedule import plan, session_day, snapshot
from facilitate.state import Replan, SessionState


@dataclass(frozen=True)
class TimingRow:
    segment: int
    title: str
    status: str  # done, skipped, dropped, current, upcoming
    fixed: bool  # starts at a fixed clock time
    planned_start: datetime  # as the agenda has it
    planned_s: int  # the agenda's length
    replanned_start: datetime | None  # when the day's start or a re-plan moved it
    replanned_s: int | None  # the length the last accepted re-plan gave it
    agreed_s: int  # re-planned (or planned) plus the minutes agreed since
    actual_start: datetime | None
    actual_s: float | None  # None: it never ran
    over_s: float | None  # actual - agreed; None until that means something
    running: bool  # the clock is on it now

    @property
    def adjusted_s(self) -> int:
        """Minutes added (or taken) in the room on top of the plan or re-plan."""
        base = self.replanned_s if self.replanned_s is not None else self.planned_s
        return 0 if self.status == "dropped" else self.agreed_s - base


@dataclass(frozen=True)
class TimingTotals:
    """The day in sum. ``planned_s`` and ``agreed_s`` cover every segment; the ``ran_*``
    figures and ``over_s`` only those that ran, so that actual minus agreed is the
    over/under (a segment that never ran saved no time)."""

    planned_s: int  # the agenda, every segment
    agreed_s: int  # as agreed, every segment (left out: none)
    actual_s: float
    over_s: float | None  # once the session has ended: the rows that ran, added up
    ran: int = 0  # how many segments ran
    ran_planned_s: int = 0  # their planned lengths
    ran_agreed_s: int = 0  # and agreed lengths

    @property
    def not_run_agreed_s(self) -> int:
        return self.agreed_s - self.ran_agreed_s


@dataclass(frozen=True)
class TimingReport:
    rows: tuple[TimingRow, ...]
    totals: TimingTotals
    replans: tuple[Replan, ...]  # each accepted re-plan with its reason, oldest first
    day_start: datetime | None  # the start the facilitator chose, if any
    shifted: bool  # the plan was moved to that start
    ended_at: datetime | None


def timing_report(agenda: Agenda, state: SessionState, now: datetime, tz: tzinfo) -> TimingReport:
    """How the day ran (and, while it runs, is running) segment by segment."""
    snap = snapshot(agenda, state, now, tz)
    day = session_day(state, now, tz)
    origin = state.runs[0].started_at or state.created or now
    written = plan(agenda, origin, day, tz)
    moved = state.day.shift or any(run.replanned_start is not None for run in state.runs)
    rows = []
    for seg, timing in zip(agenda.segments, snap.segments, strict=True):
        run = state.runs[seg.index]
        started = timing.actual_start is not None
        in_progress = timing.status == "current" and not snap.ended
        over: float | None = None
        if started and not (in_progress and timing.elapsed_s <= timing.planned_s):
            over = timing.elapsed_s - timing.planned_s  # in progress: only an overrun is news
        rows.append(
            TimingRow(
                segment=seg.index,
                title=seg.title,
                status=timing.status,
                fixed=timing.fixed,
                planned_start=written[seg.index],
                planned_s=seg.duration_s,
                replanned_start=timing.planned_start if moved else None,
                replanned_s=run.replanned_s,
                agreed_s=0 if timing.status == "dropped" else timing.planned_s,
                actual_start=timing.actual_start,
                actual_s=timing.elapsed_s if started else None,
                over_s=over,
                running=timing.status == "current" and state.running,
            )
        )
    actual = sum(row.actual_s or 0.0 for row in rows)
    agreed = sum(row.agreed_s for row in rows)
    # Over/under of the segments that ran, as their rows say it: a segment that never ran
    # has no over/under, so its agreed minutes do not count as time saved.
    measured = [row.over_s for row in rows if row.over_s is not None]
    ran = [row for row in rows if row.actual_s is not None]
    totals = TimingTotals(
        planned_s=agenda.total_planned_s,
        agreed_s=agreed,
        actual_s=actual,
        over_s=sum(measured) if snap.ended and measured else None,
        ran=len(ran),
        ran_planned_s=sum(row.planned_s for row in ran),
        ran_agreed_s=sum(row.agreed_s for row in ran),
    )
    return TimingReport(
        rows=tuple(rows),
        totals=totals,
        replans=tuple(state.day.replans),
        day_start=state.day.start,
        shifted=state.day.shift,
        ended_at=state.ended_at,
    )
