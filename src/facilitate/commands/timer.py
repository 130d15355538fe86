"""Which event each facilitator control produces, given the state: no Textual, no clock.

The TUI, the command palette and tests all go through these, so a key press and
a palette command cannot drift apart.
"""

from __future__ import annotations

from datetime import datetime

from facilitate.events import (
    Event,
    SegmentChanged,
    SegmentRestarted,
    SessionEnded,
    TimeAdjusted,
    TimerPaused,
    TimerStarted,
)
from facilitate.state import SessionState


def toggle(state: SessionState, now: datetime) -> Event | None:
    """Space: start, pause or resume. A finished session stays finished."""
    if state.ended_at is not None:
        return None
    return TimerPaused(at=now) if state.running else TimerStarted(at=now)


def go_to(state: SessionState, segment: int, now: datetime, reason: str = "jump") -> Event | None:
    if state.ended_at is not None or not 0 <= segment < state.segment_count:
        return None
    if segment == state.current:
        return None
    return SegmentChanged(at=now, segment=segment, reason=reason)


def next_segment(state: SessionState, now: datetime) -> Event | None:
    """Right: move on. From the last segment, ending the session is a separate, confirmed step."""
    return go_to(state, state.current + 1, now, "next")


def previous_segment(state: SessionState, now: datetime) -> Event | None:
    return go_to(state, state.current - 1, now, "previous")


def adjust(state: SessionState, minutes: int, now: datetime, planned_s: int) -> Event | None:
    """Add or take minutes from the current segment; never below zero planned time."""
    if state.ended_at is not None or minutes == 0:
        return None
    run = state.runs[state.current]
    seconds = minutes * 60
    if planned_s + run.adjust_s + seconds < 0:
        seconds = -(planned_s + run.adjust_s)
    if seconds == 0:
        return None
    return TimeAdjusted(at=now, segment=state.current, seconds=seconds)


def restart(state: SessionState, now: datetime) -> Event | None:
    if state.ended_at is not None:
        return None
    return SegmentRestarted(at=now, segment=state.current)


def end_session(state: SessionState, now: datetime) -> Event | None:
    return None if state.ended_at is not None else SessionEnded(at=now)
