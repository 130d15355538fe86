"""The reducer: ``apply`` folds one event into a :class:`SessionState`; ``replay`` folds many.

``apply`` changes only the state it is given and reads no clock and no disk,
so the live app, ``resume``, the projector, review and every export get the
same answer from the same journal. It mutates in place (rather than copying)
so that replaying 10,000 notes stays linear.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from facilitate.events import (
    ATTENDANCE,
    ActionDone,
    ChecklistTicked,
    ClockCorrected,
    DayStartChosen,
    Event,
    LifecycleStageMarked,
    LifecycleTraitTicked,
    MonologueTallied,
    NextMeetingSet,
    NoteAdded,
    NoteDeleted,
    NoteEdited,
    NoteParked,
    PersonRecorded,
    PersonRemoved,
    PlanChanged,
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
    VenueSet,
    WriterNamed,
    parse_instant,
)
from facilitate.events.records import EARLIEST, LATEST
from facilitate.state import (
    Note,
    Observation,
    Person,
    Reflection,
    Replan,
    SegmentRun,
    SessionState,
    new_state,
)


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
            _put_back(state.runs[event.segment])
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
            if event.segment is not None and _valid(state, event.segment):
                note.segment, note.group, note.role = event.segment, event.group, event.role
        case NoteDeleted() if event.note_id in state.notes:
            state.notes[event.note_id].deleted = True
        case ActionDone() if event.note_id in state.notes:
            state.notes[event.note_id].done = event.done
        case NoteParked() if event.note_id in state.notes:
            state.notes[event.note_id].parked = event.parked
        case PersonRecorded() if event.name.strip() and event.attendance in ATTENDANCE:
            state.attendance.people[event.person] = Person(
                event.person,
                event.name.strip(),
                event.organisation.strip(),
                event.role.strip(),
                event.attendance,
            )
        case PersonRemoved():
            state.attendance.people.pop(event.person, None)
        case VenueSet():
            state.attendance.venue = event.venue.strip()
        case NextMeetingSet():
            state.attendance.next_meeting = event.date.strip()
            state.attendance.next_meeting_time = event.time.strip() if event.date.strip() else ""
        case RoleAssigned():
            roles = (
                state.roles
                if event.group is None
                else state.group_roles.setdefault(event.group, {})
            )
            if event.person.strip():
                roles[event.role] = event.person.strip()
            else:
                roles.pop(event.role, None)
        case WriterNamed():
            if event.name.strip():
                state.writers[event.writer] = event.name.strip()
            else:
                state.writers.pop(event.writer, None)
        case LifecycleStageMarked():
            seen = _observation(state, event.segment, event.group, event.at)
            if event.stage:
                seen.lifecycle_stage[event.model] = event.stage
            else:
                seen.lifecycle_stage.pop(event.model, None)
        case LifecycleTraitTicked():
            seen = _observation(state, event.segment, event.group, event.at)
            traits = seen.lifecycle_traits.setdefault(event.model, set())
            (traits.add if event.checked else traits.discard)((event.stage, event.trait))
        case QualityMarked():
            seen = _observation(state, event.segment, event.group, event.at)
            if event.state:
                seen.qualities[event.quality] = event.state
            else:
                seen.qualities.pop(event.quality, None)
        case MonologueTallied():
            _tally(_observation(state, event.segment, event.group, event.at), event)
        case ChecklistTicked():
            ticked = state.panels.checklists.setdefault(event.segment, set())
            (ticked.add if event.checked else ticked.discard)(event.item)
        case DayStartChosen():
            _choose_start(state, event)
        case PlanChanged() if state.ended_at is None:
            _replan(state, event)
        case ReflectionRecorded():
            state.reflections.append(
                Reflection(event.at, event.segment, event.rating, event.felt, event.change)
            )
        case ClockCorrected():
            # The running segment's start moves with the clock, so the correction adds or
            # takes no time; from here on instants are in the corrected clock's terms.
            if state.running_since is not None:
                state.running_since += timedelta(seconds=event.offset_s)
            # So do the instants the plan is counted from (the day's start, each run's
            # start and end, a re-plan's): the day is not later or earlier for it. What
            # the journal already holds stays as it was written.
            shift = timedelta(seconds=event.offset_s)
            if state.day.start is not None:
                state.day.start += shift
            if state.created is not None:
                state.created += shift
            for run in state.runs:
                if run.started_at is not None:
                    run.started_at += shift
                if run.ended_at is not None:
                    run.ended_at += shift
                if run.replanned_start is not None:
                    run.replanned_start += shift
            state.last_at = event.at
        case _:
            pass


# A segment's agreed extra time, added up over all its time_adjusted events.
MAX_ADJUST_TOTAL_S = 7 * 24 * 3600


def _put_back(run: SegmentRun) -> None:
    """Going to a segment a re-plan left out puts it back with the agenda's length: run
    for no time at all, it would be in overtime the moment it started."""
    if run.dropped:
        run.dropped = False
        run.replanned_s = None
        run.replanned_start = None


def _instant(text: str) -> datetime | None:
    """A plan's instant, or None when damaged or impossible (the event then changes nothing)."""
    try:
        moment = parse_instant(text)
    except (ValueError, OverflowError):
        return None
    return moment if EARLIEST <= moment < LATEST else None


def _choose_start(state: SessionState, event: DayStartChosen) -> None:
    start = _instant(event.start)
    if start is None:
        return  # a damaged instant: the plan stays as it was
    day = state.day
    day.start, day.shift, day.chosen = start, event.shift, True
    day.shift_fixed = event.shift and event.shift_fixed


def _replan(state: SessionState, event: PlanChanged) -> None:
    if not len(event.segments) == len(event.lengths) == len(event.starts):
        return
    found = [_instant(start) for start in event.starts]
    starts = [start for start in found if start is not None]
    if len(starts) != len(found) or any(length > MAX_ADJUST_TOTAL_S for length in event.lengths):
        return  # a damaged record changes nothing rather than half the plan
    lengths: dict[int, int] = {}
    dropped = frozenset(s for s in event.dropped if _valid(state, s))
    for segment, length, start in zip(event.segments, event.lengths, starts, strict=True):
        if not _valid(state, segment):
            continue
        run = state.runs[segment]
        run.replanned_s = 0 if segment in dropped else max(0, length)
        run.replanned_start, run.adjust_at_replan_s = start, run.adjust_s
        run.dropped = segment in dropped
        lengths[segment] = run.replanned_s
    state.day.replans.append(Replan(event.at, event.reason, lengths, dropped))
    _past_left_out(state)


def _past_left_out(state: SessionState) -> None:
    """A re-plan that left out the current segment before it began (registration when the
    day starts at 10:45) begins the day with the next segment it kept."""
    run = state.runs[state.current]
    if not run.dropped or run.started_at is not None or state.running_since is not None:
        return
    later = range(state.current + 1, state.segment_count)
    kept = next((i for i in later if not state.runs[i].dropped), None)
    if kept is None:
        run.dropped = False  # nothing after it: it stays, with the time the re-plan gave it
    else:
        state.current = kept


def _observation(
    state: SessionState, segment: int | None, group: str | None, at: datetime
) -> Observation:
    """Where a mark goes: its segment (or, in a record older than marks per segment, the
    segment current when it was recorded) and group."""
    where = segment if segment is not None and _valid(state, segment) else state.current
    return state.panels.observe(where, group, at)


def _tally(seen: Observation, event: MonologueTallied) -> None:
    """Counts never go below zero; each one keeps its time (taking one back drops the last)."""
    count = seen.tallies.get(event.name, 0)
    new = max(0, count + event.delta)
    times = seen.tally_times.setdefault(event.name, [])
    if new > count:
        times.extend([event.at] * (new - count))
    else:
        del times[new:]
    seen.tallies[event.name] = new


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
