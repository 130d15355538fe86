"""SessionState and the reducer that builds it from events.

``apply`` changes only the state it is given and reads no clock and no disk,
so the live app, ``resume``, the projector, review and every export get the
same answer from the same journal. It mutates in place (rather than copying)
so that replaying 10,000 notes stays linear.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from facilitate.events import (
    ActionDone,
    ChecklistTicked,
    Event,
    LifecycleStageMarked,
    LifecycleTraitTicked,
    MonologueTallied,
    NoteAdded,
    NoteDeleted,
    NoteEdited,
    QualityMarked,
    ReflectionRecorded,
    RoleAssigned,
    SegmentChanged,
    SegmentRestarted,
    SessionEnded,
    SessionStarted,
    TimeAdjusted,
    TimerPaused,
    TimerStarted,
)


@dataclass
class SegmentRun:
    """What actually happened to one segment."""

    elapsed_s: float = 0.0
    adjust_s: int = 0
    started_at: datetime | None = None
    ended_at: datetime | None = None


@dataclass
class Note:
    id: str
    kind: str
    text: str
    segment: int
    created: datetime
    writer: str
    group: str | None = None
    role: str | None = None
    owner: str | None = None
    due: str | None = None
    category: str | None = None
    edited: datetime | None = None
    deleted: bool = False
    done: bool = False


@dataclass
class Reflection:
    at: datetime
    segment: int | None
    rating: int | None
    felt: str
    change: str


@dataclass
class Panels:
    """What the process observer recorded beside the clock."""

    lifecycle_stage: dict[str, str] = field(default_factory=dict)
    lifecycle_traits: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    qualities: dict[str, str] = field(default_factory=dict)
    tallies: dict[str, int] = field(default_factory=dict)
    checklists: dict[int, set[int]] = field(default_factory=dict)


@dataclass
class SessionState:
    """Everything a session is, derived from its events."""

    segment_count: int
    agenda_name: str = ""
    agenda_title: str = ""
    created: datetime | None = None
    current: int = 0
    running_since: datetime | None = None
    ended_at: datetime | None = None
    runs: list[SegmentRun] = field(default_factory=list)
    notes: dict[str, Note] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    panels: Panels = field(default_factory=Panels)
    reflections: list[Reflection] = field(default_factory=list)
    event_count: int = 0
    last_at: datetime | None = None

    def __post_init__(self) -> None:
        if not self.runs:
            self.runs = [SegmentRun() for _ in range(self.segment_count)]

    @property
    def running(self) -> bool:
        return self.running_since is not None

    @property
    def started(self) -> bool:
        return any(run.started_at is not None for run in self.runs)

    def elapsed(self, segment: int, now: datetime) -> float:
        """Seconds the segment has run, counting the current run up to ``now``."""
        run = self.runs[segment]
        if segment == self.current and self.running_since is not None:
            return run.elapsed_s + max(0.0, (now - self.running_since).total_seconds())
        return run.elapsed_s

    def live_notes(self) -> list[Note]:
        return [note for note in self.notes.values() if not note.deleted]


def new_state(segment_count: int) -> SessionState:
    return SessionState(segment_count=segment_count)


def replay(segment_count: int, events: Iterable[Event]) -> SessionState:
    state = new_state(segment_count)
    for event in events:
        apply(state, event)
    return state


def apply(state: SessionState, event: Event) -> None:
    """Fold one event into the state. Events that make no sense now are ignored, never fatal."""
    state.event_count += 1
    if state.last_at is None or event.at > state.last_at:
        state.last_at = event.at
    match event:
        case SessionStarted():
            state.agenda_name, state.agenda_title = event.agenda_name, event.agenda_title
            state.created = state.created or event.at
        case TimerStarted():
            if state.running_since is None and state.ended_at is None:
                state.running_since = event.at
                run = state.runs[state.current]
                run.started_at = run.started_at or event.at
                run.ended_at = None
        case TimerPaused():
            _stop_clock(state, event.at)
        case SegmentChanged() if (
            _valid(state, event.segment)
            and event.segment != state.current
            and state.ended_at is None
        ):
            was_running = state.running_since is not None
            _leave_current(state, event.at)
            state.current = event.segment
            if was_running:
                state.running_since = event.at
                run = state.runs[event.segment]
                run.started_at = run.started_at or event.at
                run.ended_at = None
        case TimeAdjusted() if _valid(state, event.segment):
            state.runs[event.segment].adjust_s += event.seconds
        case SegmentRestarted() if _valid(state, event.segment) and state.ended_at is None:
            run = state.runs[event.segment]
            run.elapsed_s = 0.0
            run.ended_at = None
            if event.segment == state.current and state.running_since is not None:
                state.running_since = event.at
                run.started_at = event.at
            else:
                run.started_at = None
        case SessionEnded():
            if state.ended_at is None:
                _leave_current(state, event.at)
                state.ended_at = event.at
        case NoteAdded():
            note_id = event.event_id
            state.notes[note_id] = Note(
                id=note_id,
                kind=event.kind,
                text=event.text,
                segment=event.segment,
                created=event.at,
                writer=event.writer,
                group=event.group,
                role=event.role,
                owner=event.owner,
                due=event.due,
                category=event.category,
            )
        case NoteEdited() if event.note_id in state.notes:
            note = state.notes[event.note_id]
            note.kind, note.text, note.owner = event.kind, event.text, event.owner
            note.due, note.category, note.edited = event.due, event.category, event.at
        case NoteDeleted() if event.note_id in state.notes:
            state.notes[event.note_id].deleted = True
        case ActionDone() if event.note_id in state.notes:
            state.notes[event.note_id].done = event.done
        case RoleAssigned():
            if event.person.strip():
                state.roles[event.role] = event.person.strip()
            else:
                state.roles.pop(event.role, None)
        case LifecycleStageMarked():
            if event.stage:
                state.panels.lifecycle_stage[event.model] = event.stage
            else:
                state.panels.lifecycle_stage.pop(event.model, None)
        case LifecycleTraitTicked():
            traits = state.panels.lifecycle_traits.setdefault(event.model, set())
            (traits.add if event.checked else traits.discard)((event.stage, event.trait))
        case QualityMarked():
            if event.state:
                state.panels.qualities[event.quality] = event.state
            else:
                state.panels.qualities.pop(event.quality, None)
        case MonologueTallied():
            tallies = state.panels.tallies
            tallies[event.name] = max(0, tallies.get(event.name, 0) + event.delta)
        case ChecklistTicked():
            ticked = state.panels.checklists.setdefault(event.segment, set())
            (ticked.add if event.checked else ticked.discard)(event.item)
        case ReflectionRecorded():
            state.reflections.append(
                Reflection(event.at, event.segment, event.rating, event.felt, event.change)
            )
        case _:
            pass


def _valid(state: SessionState, segment: int) -> bool:
    return 0 <= segment < state.segment_count


def _stop_clock(state: SessionState, at: datetime) -> None:
    if state.running_since is not None:
        run = state.runs[state.current]
        run.elapsed_s += max(0.0, (at - state.running_since).total_seconds())
        state.running_since = None


def _leave_current(state: SessionState, at: datetime) -> None:
    run = state.runs[state.current]
    if state.running_since is not None:
        _stop_clock(state, at)
        run.ended_at = at
    elif run.started_at is not None and run.ended_at is None:
        run.ended_at = at
