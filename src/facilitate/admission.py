"""What a journal's events become before the reducer folds them in: made sound, or skipped.

Journals get synced, copied and hand-edited. A record the events cannot read, an event
about a segment the agenda lacks, a due date no one meant: each is mended where what a
person wrote can be kept (a note above all), or skipped, and either way said in a
sentence the caller puts after the record's ``file:line``. ``apply`` stays the pure fold
it is; the live view, ``resume``, review, the listing and every export read a session
through :func:`read_event`, so they all say the same.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from facilitate.events import (
    NOTE_KINDS,
    QUALITY_STATES,
    ChecklistTicked,
    Event,
    EventError,
    NoteAdded,
    NoteEdited,
    QualityMarked,
    ReflectionRecorded,
    SegmentChanged,
    SegmentRestarted,
    TimeAdjusted,
    event_from_record,
)
from facilitate.events.mend import mend_record, note_label
from facilitate.notes import due_problem
from facilitate.reducer import MAX_ADJUST_TOTAL_S, apply
from facilitate.state import SessionState

_ABOUT_A_SEGMENT = (SegmentChanged, TimeAdjusted, SegmentRestarted, ChecklistTicked)
# Events that can hold something out of place; :func:`admit` takes any other as it is.
_CHECKED = (*_ABOUT_A_SEGMENT, NoteAdded, NoteEdited, ReflectionRecorded, QualityMarked)


def replay_records(
    state: SessionState, items: list[tuple[Path, int, Event | dict[str, Any]]], warnings: list[str]
) -> None:
    """Fold a session's merged records (``items``: file, line, and the event or the record
    itself) into ``state`` with :func:`read_event`, each sentence after its ``file:line``.
    ``items`` is emptied as it goes: each event is let go once it is in the state, so a
    big journal is not held twice."""
    items.reverse()
    while items:
        path, lineno, item = items.pop()
        event, said = read_event(state, item)
        if said:
            warnings.extend(f"{path}:{lineno}: {sentence}" for sentence in said)
        if event is not None:
            apply(state, event)


def read_event(
    state: SessionState, item: Event | dict[str, Any]
) -> tuple[Event | None, tuple[str, ...]]:
    """The event a journal record holds (``item``: the record, or the event already made
    of it), as this state can take it, and a sentence for each thing changed or skipped.

    A note whose record is damaged is mended (:func:`mend_record`): a time taken from
    the event before it, a segment from the one current then; then :func:`admit`.
    """
    if isinstance(item, Event):  # nearly every record: its event was made as it was read
        event, warning = admit(state, item)
        return event, () if warning is None else (warning,)
    said: list[str] = []
    try:
        found: Event | None = event_from_record(item)
    except EventError as exc:
        found, said = mend_record(item, exc, at=state.last_at, segment=state.current)
    if found is None:
        return None, tuple(said)
    event, warning = admit(state, found)
    return event, (*said, warning) if warning is not None else tuple(said)


def admit(state: SessionState, event: Event) -> tuple[Event | None, str | None]:
    """The event as this state can take it, and a sentence when it had to change it.

    A damaged or hand-edited journal can name a segment the agenda does not have, a
    note kind this version does not know, a due date no one meant, or add up adjustments
    no day could hold. ``apply`` would drop such events without a word; here notes are
    kept (exports show a note of an unknown segment apart, under "Other"; an impossible
    due date is cleared), anything else is skipped (None), and the sentence says which.
    ``apply`` stays the pure fold it is.
    """
    count = state.segment_count
    if type(event) is NoteAdded:  # most of a journal: checked at once
        if 0 <= event.segment < count and event.kind in NOTE_KINDS and event.due is None:
            return event, None
    elif not isinstance(event, _CHECKED):
        return event, None
    said: list[str] = []
    if isinstance(event, _ABOUT_A_SEGMENT) and not _valid(state, event.segment):
        return None, f"{_segment(event.segment, count)}; skipped"
    if isinstance(event, NoteAdded) and not _valid(state, event.segment):
        said.append(f"note in {_segment(event.segment, count)}; kept apart from the segments")
    segment = event.segment if isinstance(event, ReflectionRecorded) else None
    if isinstance(event, ReflectionRecorded) and segment is not None and not _valid(state, segment):
        said.append(f"reflection on {_segment(segment, count)}; kept for the whole day")
        event = replace(event, segment=None)
    if isinstance(event, NoteAdded | NoteEdited) and event.kind not in NOTE_KINDS:
        kind = event.kind if len(event.kind) <= 20 else event.kind[:20] + "…"
        said.append(f"unknown kind of note {kind!r}; kept as a plain note")
        event = replace(event, kind="note")
    if isinstance(event, NoteAdded | NoteEdited) and event.due is not None:
        problem = due_problem(event.due)
        if problem is not None:
            said.append(f"{note_label(event.TYPE, event.text)}: {problem}; cleared, the note kept")
            event = replace(event, due=None)
    if isinstance(event, QualityMarked) and event.state not in (None, *QUALITY_STATES):
        return None, f"unknown quality state {event.state[:20]!r}; skipped"
    if isinstance(event, TimeAdjusted):
        before = state.runs[event.segment].adjust_s
        total = max(-MAX_ADJUST_TOTAL_S, min(MAX_ADJUST_TOTAL_S, before + event.seconds))
        if total != before + event.seconds:
            way = "added to" if event.seconds > 0 else "taken away from"
            said.append(f"time {way} a segment would come to more than 7 days; capped there")
            event = replace(event, seconds=total - before)
    return event, "; ".join(said) or None


def _segment(segment: int, count: int) -> str:
    if segment < 0:
        number = str(segment) if segment > -(10**9) else "a far-off negative number"
        return f"segment number {number} in the journal, out of range (the agenda has {count})"
    shown = str(segment + 1) if segment < 10**9 else "a far-off number"
    return f"segment {shown}, which the agenda does not have (it has {count})"


def _valid(state: SessionState, segment: int) -> bool:
    return 0 <= segment < state.segment_count


def event_or_record(record: dict[str, Any]) -> Event | dict[str, Any]:
    """The event ``record`` holds, or the record itself when it holds none as it stands:
    what a reader keeps of each record as it reads (an event is smaller than its JSON
    object), for :func:`read_event` to mend or explain once its place is known."""
    try:
        return event_from_record(record)
    except EventError:
        return record
