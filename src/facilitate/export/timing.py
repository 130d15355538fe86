"""Planned, agreed and actual time per segment: what the timing report and chart are drawn from.

:func:`timing_rows` is the one place that reads the schedule for a report. It
compares what ran with the *agreed* length (the plan plus minutes added or
taken during the day), with the planned length beside it. The run-screen work
adds a re-plan (a new length accepted part-way through the day): it fills
:attr:`TimingRow.replanned_s` here, or replaces this function with its own, and
the renderers already show the column whenever any row has one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from facilitate.agenda import Agenda, format_duration
from facilitate.schedule import Snapshot
from facilitate.state import SessionState


@dataclass(frozen=True)
class TimingRow:
    index: int
    title: str
    status: str  # done, skipped, current, upcoming
    planned_s: int  # as the agenda has it
    replanned_s: int | None  # as a re-plan during the day set it (None: never re-planned)
    agreed_s: int  # the length in force: planned or re-planned, plus time added or taken
    actual_s: float
    planned_start: datetime
    actual_start: datetime | None
    running: bool  # still running at the moment of the export

    @property
    def ran(self) -> bool:
        return self.actual_start is not None

    @property
    def over_s(self) -> float | None:
        """Actual minus agreed; None when there is nothing to say yet (not run, or still
        running and within its time: only an overrun is news before the end)."""
        if not self.ran or (self.status == "current" and self.actual_s < self.agreed_s):
            return None
        return self.actual_s - self.agreed_s


def replanned_length(state: SessionState, segment: int) -> int | None:
    """The seam for re-planning: the length a re-plan gave ``segment``, if any.

    Nothing records a re-plan yet, so this is None for every segment.
    """
    return None


def timing_rows(agenda: Agenda, state: SessionState, snap: Snapshot) -> list[TimingRow]:
    rows = []
    for seg, timing in zip(agenda.segments, snap.segments, strict=True):
        replanned = replanned_length(state, seg.index)
        rows.append(
            TimingRow(
                index=seg.index,
                title=seg.title,
                status=timing.status,
                planned_s=seg.duration_s,
                replanned_s=replanned,
                agreed_s=max(
                    0,
                    (seg.duration_s if replanned is None else replanned)
                    + state.runs[seg.index].adjust_s,
                ),
                actual_s=timing.elapsed_s,
                planned_start=timing.planned_start,
                actual_start=timing.actual_start,
                running=timing.status == "current" and state.running,
            )
        )
    return rows


def over_text(over_s: float | None) -> str:
    """``+7m``, ``-3m``, ``on time`` (to the nearest minute), or "" when there is no verdict."""
    if over_s is None:
        return ""
    minutes = math.floor(over_s / 60 + 0.5)
    if minutes == 0:
        return "on time"
    return ("+" if minutes > 0 else "-") + format_duration(abs(minutes) * 60)


def length_text(seconds: float) -> str:
    return format_duration(seconds)
