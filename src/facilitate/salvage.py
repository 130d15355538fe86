"""An agenda for a session whose own copy is missing or damaged, so its notes still open.

The notes are intact in the journal; only the frozen ``agenda.toml`` is gone or
unreadable (a sync tool, a hand edit). First choice is the agenda of the same
name (the user's own, else the bundled one), which is very likely what ran;
otherwise the segments are rebuilt from what the journal says about them
(numbered, untimed), so every note still has a segment to sit under.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from facilitate.agenda import Agenda, AgendaError, Segment, load_agenda
from facilitate.agenda.catalog import agenda_entries
from facilitate.events import (
    ChecklistTicked,
    Event,
    LifecycleStageMarked,
    NoteAdded,
    ReflectionRecorded,
    SegmentChanged,
    SegmentRestarted,
    SessionStarted,
    TimeAdjusted,
)
from facilitate.paths import Paths

MAX_REBUILT = 200  # a damaged line naming segment 10^9 must not build a billion rows


def name_from_folder(folder: Path) -> str:
    """The agenda name in a session folder's name (``2025-03-04-0900-<name>[-2]``)."""
    match = re.match(r"\d{4}-\d{2}-\d{2}-\d{4}-(.+?)(?:-\d+)?$", folder.name)
    return match.group(1) if match else folder.name


def fallback_agenda(
    folder: Path, events: Iterable[Event], paths: Paths | None
) -> tuple[Agenda, str]:
    """The agenda to use instead of the copy, and the words saying which it is."""
    events = list(events)
    started = next((e for e in events if isinstance(e, SessionStarted)), None)
    name = started.agenda_name if started and started.agenda_name else name_from_folder(folder)
    title = started.agenda_title if started and started.agenda_title else name
    where = paths if paths is not None else Paths(folder.parent.parent, folder.parent.parent)
    for entry in agenda_entries(where):
        if entry.name != name:  # exact names only: the name comes from a damaged folder
            continue
        try:
            agenda = load_agenda(entry.path, name=name)
        except AgendaError:
            break
        return agenda, f"using the {entry.source} agenda '{name}' ({entry.path}) instead"
    return rebuilt_agenda(name, title, events), "segments rebuilt from the journal instead"


def rebuilt_agenda(name: str, title: str, events: Iterable[Event]) -> Agenda:
    """Numbered, untimed segments: as many as the journal mentions (at least one)."""
    highest = 0
    for event in events:
        segment = _segment_of(event)
        if segment is not None and 0 <= segment < MAX_REBUILT:
            highest = max(highest, segment)
    segments = tuple(
        Segment(index=i, id=f"segment-{i + 1}", title=f"Segment {i + 1}", duration_s=0)
        for i in range(highest + 1)
    )
    return Agenda(name=name, title=title, segments=segments, source="(rebuilt from the journal)")


def _segment_of(event: Event) -> int | None:
    if isinstance(
        event,
        NoteAdded
        | SegmentChanged
        | TimeAdjusted
        | SegmentRestarted
        | ChecklistTicked
        | LifecycleStageMarked,
    ):
        return event.segment
    if isinstance(event, ReflectionRecorded):
        return event.segment
    return None
