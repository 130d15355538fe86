"""Planned, re-planned, agreed and actual time per segment, as the renderers draw it.

:func:`timing_rows` shapes the core's timing report (:func:`facilitate.timing.timing_report`,
the one place that measures a day) for the documents: what ran is compared with the
*agreed* length (the plan, or the last accepted re-plan, plus minutes added or taken
during the day), with the planned length beside it, and the re-planned one whenever
a re-plan was accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from facilitate.agenda import Agenda, format_duration
from facilitate.minutes import minutes
from facilitate.schedule import Snapshot
from facilitate.state import SessionState
from facilitate.timing import TimingTotals, timing_report


@dataclass(frozen=True)
class TimingRow:
    index: int
    title: str
    status: str  # done, skipped, dropped (a re-plan left it out), current, upcoming
    planned_s: int  # as the agenda has it
    replanned_s: int | None  # as a re-plan during the day set it (None: never re-planned)
    agreed_s: int  # the length in force: planned or re-planned, plus time added or taken
    actual_s: float
    planned_start: datetime
    actual_start: datetime | None
    running: bool  # still running at the moment of the export
    # Actual minus agreed; None when there is nothing to say yet (not run, or still
    # running and within its time: only an overrun is news before the end).
    over_s: float | None = None

    @property
    def ran(self) -> bool:
        return self.actual_start is not None


def timing_rows(agenda: Agenda, state: SessionState, snap: Snapshot, tz: tzinfo) -> list[TimingRow]:
    return timing_table(agenda, state, snap, tz)[0]


def timing_table(
    agenda: Agenda, state: SessionState, snap: Snapshot, tz: tzinfo
) -> tuple[list[TimingRow], TimingTotals]:
    """The rows and the core's totals, from one timing report."""
    report = timing_report(agenda, state, snap.now, tz)
    rows = [
        TimingRow(
            index=row.segment,
            title=row.title,
            status=row.status,
            planned_s=row.planned_s,
            replanned_s=row.replanned_s,
            agreed_s=row.agreed_s,
            actual_s=row.actual_s or 0.0,
            planned_start=row.planned_start,
            actual_start=row.actual_start,
            running=row.running,
            over_s=row.over_s,
        )
        for row in report.rows
    ]
    return rows, report.totals


def over_text(over_s: float | None) -> str:
    """``+7m``, ``-3m``, ``on time`` (to the nearest minute), or "" when there is no verdict."""
    if over_s is None:
        return ""
    off = minutes(over_s)
    if off == 0:
        return "on time"
    return ("+" if off > 0 else "-") + format_duration(abs(off) * 60)


def length_text(seconds: float) -> str:
    return format_duration(seconds)
