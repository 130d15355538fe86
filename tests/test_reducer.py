"""The reducer: what each event means, and that replay always gives the same state.

The live app, ``resume`` after a crash, the projector, review and every export
all rebuild the session from its journal with the same reducer, so a fact
recorded once must read back identically, in one go or event by event, before
and after a round trip through the journal's JSON.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facilitate.events import (
    EVENT_TYPES,
    ActionDone,
    ChecklistTicked,
    ClockCorrected,
    DayStartChosen,
    Event,
    EventError,
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
    event_from_record,
    format_instant,
    with_envelope,
)
from facilitate.reducer import apply, replay
from facilitate.state import SessionState, new_state

T0 = datetime(2025, 6, 12, 8, 30, tzinfo=UTC)
N = 4  # segments


def t(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def run(*events: Event, n: int = N) -> SessionState:
    return replay(n, events)


def note(minute: float, seq: int, text: str = "x", kind: str = "note", **kw: Any) -> Event:
    return NoteAdded(
        at=t(minute), writer="w1", seq=seq, kind=kind, text=text, segment=kw.pop("segment", 0), **kw
    )


# --- timer ---------------------------------------------------------------------------------------


def test_a_fresh_state_is_not_started() -> None:
    state = new_state(N)
    assert len(state.runs) == N
    assert (state.current, state.running, state.started) == (0, False, False)
    assert state.elapsed(0, t(60)) == 0


def test_session_started_records_the_agenda_and_the_first_instant_only() -> None:
    state = run(
        SessionStarted(at=t(0), agenda_name="a", agenda_title="A"),
        SessionStarted(at=t(5), agenda_name="a", agenda_title="A"),
    )
    assert (state.agenda_name, state.agenda_title, state.created) == ("a", "A", t(0))
    assert state.event_count == 2


def test_start_pause_resume_counts_only_running_time() -> None:
    state = run(TimerStarted(at=t(0)), TimerPaused(at=t(10)), TimerStarted(at=t(15)))
    assert state.running
    assert state.runs[0].started_at == t(0)  # resuming keeps the first start
    assert state.elapsed(0, t(20)) == 15 * 60
    state_paused = run(TimerStarted(at=t(0)), TimerPaused(at=t(10)))
    assert not state_paused.running
    assert state_paused.elapsed(0, t(99)) == 10 * 60
    assert state_paused.runs[0].ended_at is None  # paused is not finished


def test_double_start_and_double_pause_are_harmless() -> None:
    state = run(
        TimerStarted(at=t(0)), TimerStarted(at=t(5)), TimerPaused(at=t(10)), TimerPaused(at=t(12))
    )
    assert state.elapsed(0, t(30)) == 10 * 60


def test_next_while_running_carries_the_clock_on() -> None:
    state = run(TimerStarted(at=t(0)), SegmentChanged(at=t(30), segment=1, reason="next"))
    assert state.current == 1
    assert state.running
    assert state.runs[0].ended_at == t(30)
    assert state.runs[1].started_at == t(30)
    assert state.elapsed(0, t(50)) == 30 * 60
    assert state.elapsed(1, t(50)) == 20 * 60


def test_next_while_paused_waits_for_start() -> None:
    state = run(
        TimerStarted(at=t(0)),
        TimerPaused(at=t(20)),
        SegmentChanged(at=t(25), segment=1, reason="next"),
    )
    assert state.current == 1
    assert not state.running
    assert state.runs[0].ended_at == t(25)
    assert state.runs[1].started_at is None
    assert state.elapsed(1, t(40)) == 0


def test_previous_returns_to_a_segment_and_keeps_its_time() -> None:
    state = run(
        TimerStarted(at=t(0)),
        SegmentChanged(at=t(10), segment=1, reason="next"),
        SegmentChanged(at=t(15), segment=0, reason="previous"),
    )
    assert state.current == 0
    assert state.runs[0].started_at == t(0)
    assert state.runs[0].ended_at is None  # running again
    assert state.elapsed(0, t(20)) == 15 * 60
    assert state.elapsed(1, t(20)) == 5 * 60


def test_jump_skips_segments_without_starting_them() -> None:
    state = run(TimerStarted(at=t(0)), SegmentChanged(at=t(10), segment=3, reason="jump"))
    assert state.current == 3
    assert state.runs[1].started_at is None
    assert state.runs[2].started_at is None
    assert state.runs[3].started_at == t(10)


@pytest.mark.parametrize("segment", [-1, N, 99])
def test_jump_out_of_range_is_ignored(segment: int) -> None:
    state = run(TimerStarted(at=t(0)), SegmentChanged(at=t(10), segment=segment))
    assert state.current == 0
    assert state.elapsed(0, t(20)) == 20 * 60


def test_change_to_the_current_segment_changes_nothing() -> None:
    state = run(TimerStarted(at=t(0)), SegmentChanged(at=t(10), segment=0))
    assert state.runs[0].ended_at is None
    assert state.elapsed(0, t(20)) == 20 * 60


def test_restart_while_running_starts_the_count_again() -> None:
    state = run(TimerStarted(at=t(0)), SegmentRestarted(at=t(12), segment=0))
    assert state.running
    assert state.runs[0].started_at == t(12)
    assert state.elapsed(0, t(20)) == 8 * 60


def test_restart_while_paused_makes_it_not_started() -> None:
    state = run(TimerStarted(at=t(0)), TimerPaused(at=t(12)), SegmentRestarted(at=t(13), segment=0))
    assert state.runs[0].started_at is None
    assert state.elapsed(0, t(20)) == 0


def test_restart_of_another_segment_leaves_the_running_one_alone() -> None:
    state = run(
        TimerStarted(at=t(0)),
        SegmentChanged(at=t(10), segment=1),
        SegmentRestarted(at=t(15), segment=0),
    )
    assert state.elapsed(0, t(20)) == 0
    assert state.elapsed(1, t(20)) == 10 * 60
    assert state.running


def test_adjust_adds_and_takes_minutes_from_any_segment() -> None:
    state = run(
        TimeAdjusted(at=t(0), segment=0, seconds=300),
        TimeAdjusted(at=t(1), segment=0, seconds=-60),
        TimeAdjusted(at=t(1), segment=2, seconds=120),
        TimeAdjusted(at=t(1), segment=9, seconds=120),
    )
    assert [r.adjust_s for r in state.runs] == [240, 0, 120, 0]


def test_end_stops_the_clock_for_good() -> None:
    state = run(
        TimerStarted(at=t(0)),
        SessionEnded(at=t(30)),
        TimerStarted(at=t(40)),
        SessionEnded(at=t(50)),
    )
    assert state.ended_at == t(30)
    assert not state.running
    assert state.runs[0].ended_at == t(30)
    assert state.elapsed(0, t(90)) == 30 * 60


def test_clock_skew_never_makes_time_negative() -> None:
    state = run(TimerStarted(at=t(10)), TimerPaused(at=t(5)))
    assert state.elapsed(0, t(20)) == 0
    running = run(TimerStarted(at=t(10)))
    assert running.elapsed(0, t(5)) == 0


# --- notes ---------------------------------------------------------------------------------------


def test_note_ids_are_writer_and_sequence() -> None:
    state = run(
        note(1, 0, "first"),
        NoteAdded(
            at=t(2),
            writer="scribe",
            seq=0,
            kind="action",
            text="Send minutes",
            segment=2,
            owner="Ann",
            due="Friday",
        ),
    )
    assert list(state.notes) == ["w1-0", "scribe-0"]
    action = state.notes["scribe-0"]
    assert (action.kind, action.text, action.segment) == ("action", "Send minutes", 2)
    assert (action.owner, action.due, action.writer, action.created) == (
        "Ann",
        "Friday",
        "scribe",
        t(2),
    )


def test_edit_replaces_the_text_and_keeps_when_it_was_written() -> None:
    state = run(
        note(1, 0, "Meet mnthly", kind="note"),
        NoteEdited(
            at=t(3),
            note_id="w1-0",
            kind="decision",
            text="Meet monthly",
            owner=None,
            due=None,
            category="governance",
        ),
    )
    edited = state.notes["w1-0"]
    assert (edited.kind, edited.text, edited.category) == ("decision", "Meet monthly", "governance")
    assert edited.created == t(1)
    assert edited.edited == t(3)


def test_delete_hides_the_note_but_keeps_it() -> None:
    state = run(note(1, 0, "keep"), note(2, 1, "oops"), NoteDeleted(at=t(3), note_id="w1-1"))
    assert [n.text for n in state.live_notes()] == ["keep"]
    assert state.notes["w1-1"].deleted


def test_action_done_and_undone() -> None:
    state = run(note(1, 0, "Book room", kind="action"), ActionDone(at=t(2), note_id="w1-0"))
    assert state.notes["w1-0"].done
    state = run(
        note(1, 0, "Book room", kind="action"),
        ActionDone(at=t(2), note_id="w1-0"),
        ActionDone(at=t(3), note_id="w1-0", done=False),
    )
    assert not state.notes["w1-0"].done


def test_events_about_unknown_notes_are_ignored() -> None:
    state = run(
        note(1, 0),
        NoteEdited(at=t(2), note_id="w9-9", kind="note", text="?"),
        NoteDeleted(at=t(2), note_id="nope"),
        ActionDone(at=t(2), note_id="nope"),
    )
    assert list(state.notes) == ["w1-0"]
    assert state.notes["w1-0"].text == "x"


# --- roles and panels ----------------------------------------------------------------------------


def test_roles_assigned_trimmed_and_cleared() -> None:
    state = run(
        RoleAssigned(at=t(0), role="Academic", person="  Sam "),
        RoleAssigned(at=t(1), role="Chair", person="Kim"),
        RoleAssigned(at=t(2), role="Chair", person="  "),
    )
    assert state.roles == {"Academic": "Sam"}


def test_lifecycle_stage_and_traits() -> None:
    state = run(
        LifecycleStageMarked(at=t(0), model="pdif", stage="forming"),
        LifecycleStageMarked(at=t(1), model="pdif", stage="storming"),
        LifecycleStageMarked(at=t(1), model="mobius", stage="x"),
        LifecycleStageMarked(at=t(2), model="mobius", stage=None),
        LifecycleTraitTicked(at=t(3), model="pdif", stage="s", trait="a", checked=True),
        LifecycleTraitTicked(at=t(3), model="pdif", stage="s", trait="b", checked=True),
        LifecycleTraitTicked(at=t(4), model="pdif", stage="s", trait="a", checked=False),
    )
    seen = state.panels.seen(0, None)
    assert seen.lifecycle_stage == {"pdif": "storming"}
    assert seen.lifecycle_traits == {"pdif": {("s", "b")}}
    assert (seen.first_at, seen.last_at) == (t(0), t(4))


def test_marks_without_a_segment_belong_to_the_segment_current_when_recorded() -> None:
    """Journals from before marks were kept per segment and group still read: each mark
    goes to the segment that was running when it was made, for the whole room."""
    state = run(
        MonologueTallied(at=t(0), name="blame"),
        SegmentChanged(at=t(1), segment=2),
        MonologueTallied(at=t(2), name="blame"),
        QualityMarked(at=t(2), quality="trust", state="present"),
        MonologueTallied(at=t(3), name="praise", segment=1, group="Group 1"),
    )
    panels = state.panels
    assert panels.seen(0, None).tallies == {"blame": 1}
    assert panels.seen(2, None).tallies == {"blame": 1}
    assert panels.seen(2, None).qualities == {"trust": "present"}
    assert panels.seen(1, "Group 1").tally_times == {"praise": [t(3)]}
    assert [key for key, _ in panels.in_order()] == [(0, None), (1, "Group 1"), (2, None)]


def test_an_old_edit_keeps_the_notes_place_and_a_new_one_moves_it() -> None:
    state = run(
        note(1, 0, "x"),
        NoteEdited(at=t(2), note_id="w1-0", kind="note", text="y"),
    )
    assert (state.notes["w1-0"].segment, state.notes["w1-0"].group) == (0, None)
    state = run(
        note(1, 0, "x"),
        NoteEdited(at=t(2), note_id="w1-0", kind="note", text="y", segment=2, group="G", role="R"),
    )
    moved = state.notes["w1-0"]
    assert (moved.segment, moved.group, moved.role, moved.text) == (2, "G", "R", "y")


def test_roles_per_group_sit_beside_the_days_roles() -> None:
    state = run(
        RoleAssigned(at=t(0), role="Academic", person="Sam"),
        RoleAssigned(at=t(1), role="Academic", person=" Bo ", group="Group 2"),
        RoleAssigned(at=t(2), role="Chair", person="Kim", group="Group 2"),
        RoleAssigned(at=t(3), role="Chair", person="", group="Group 2"),
    )
    assert state.roles == {"Academic": "Sam"}
    assert state.group_roles == {"Group 2": {"Academic": "Bo"}}
    assert state.person("Academic", "Group 2") == "Bo"
    assert state.person("Academic", "Group 1") == "Sam"
    assert state.person("Chair", "Group 2") is None


def test_qualities_tallies_and_checklists() -> None:
    state = run(
        QualityMarked(at=t(0), quality="trust", state="present"),
        QualityMarked(at=t(0), quality="respect", state="missing"),
        QualityMarked(at=t(1), quality="respect", state=None),
        MonologueTallied(at=t(1), name="blame"),
        MonologueTallied(at=t(1), name="blame"),
        MonologueTallied(at=t(1), name="praise", delta=-1),
        MonologueTallied(at=t(1), name="dialogue", delta=3),
        ChecklistTicked(at=t(2), segment=0, item=1, checked=True),
        ChecklistTicked(at=t(2), segment=0, item=2, checked=True),
        ChecklistTicked(at=t(3), segment=0, item=1, checked=False),
    )
    seen = state.panels.seen(0, None)
    assert seen.qualities == {"trust": "present"}
    assert seen.tallies == {"blame": 2, "praise": 0, "dialogue": 3}  # never negative
    assert seen.tally_times["dialogue"] == [t(1)] * 3
    assert state.panels.checklists == {0: {2}}


def test_reflections_are_kept_in_order() -> None:
    state = run(
        ReflectionRecorded(at=t(0), segment=1, rating=4, felt="open", change="less talk"),
        ReflectionRecorded(at=t(5), segment=None, rating=None),
    )
    assert [(r.segment, r.rating, r.felt) for r in state.reflections] == [
        (1, 4, "open"),
        (None, None, ""),
    ]


# --- the day's plan: its start and re-plans -------------------------------------------------------


def iso(minutes: float) -> str:
    return format_instant(t(minutes))


def test_choosing_the_start_is_remembered_once_answered() -> None:
    state = run(DayStartChosen(at=t(5), start=iso(5), shift=True, shift_fixed=False))
    assert (state.day.start, state.day.shift, state.day.chosen) == (t(5), True, True)
    kept = run(DayStartChosen(at=t(5), start=iso(5), shift=False, shift_fixed=True))
    assert kept.day.chosen and not kept.day.shift and not kept.day.shift_fixed
    damaged = run(DayStartChosen(at=t(5), start="half past nine"))
    assert not damaged.day.chosen  # the question will be asked again


def test_a_re_plan_sets_agreed_lengths_that_later_minutes_add_to() -> None:
    state = run(
        TimeAdjusted(at=t(1), segment=1, seconds=300),
        PlanChanged(
            at=t(10),
            reason="late start",
            segments=[0, 1, 2, 3],
            lengths=[600, 900, 0, 1200],
            starts=[iso(10), iso(20), iso(35), iso(35)],
            dropped=[2],
        ),
        TimeAdjusted(at=t(12), segment=1, seconds=60),
    )
    runs = state.runs
    assert [r.agreed_s(1800) for r in runs] == [600, 960, 0, 1200]
    assert runs[1].replanned_s == 900 and runs[1].replanned_start == t(20)
    assert runs[2].dropped and not runs[3].dropped
    [replan] = state.day.replans
    assert (replan.reason, replan.lengths, replan.dropped) == (
        "late start",
        {0: 600, 1: 900, 2: 0, 3: 1200},
        frozenset({2}),
    )


def test_a_damaged_re_plan_changes_nothing() -> None:
    for bad in (
        {"segments": [0, 1], "lengths": [60], "starts": [iso(0)], "dropped": []},
        {"segments": [0], "lengths": [60], "starts": ["tea time"], "dropped": []},
    ):
        state = run(PlanChanged(at=t(1), reason="x", **bad))  # type: ignore[arg-type]
        assert state.day.replans == [] and state.runs[0].replanned_s is None
    ended = run(SessionEnded(at=t(1)), PlanChanged(
        at=t(2), reason="x", segments=[0], lengths=[60], starts=[iso(2)], dropped=[]
    ))  # fmt: skip
    assert ended.day.replans == []  # a finished day is not re-planned


# --- a garbled journal never crashes replay ------------------------------------------------------

GARBLED: list[dict[str, Any]] = [
    {"type": "time_adjusted", "segment": "3", "seconds": 60},
    {"type": "segment_changed", "segment": 1.5},
    {"type": "segment_changed", "segment": True},
    {"type": "note_deleted", "note_id": ["w1-0"]},
    {"type": "monologue_tallied", "name": "blame", "delta": "1"},
    {"type": "role_assigned", "role": "Chair", "person": None},
    {"type": "checklist_ticked", "segment": 0, "item": [1], "checked": True},
    {"type": "note_added", "kind": "note", "text": None, "segment": 0},
]


@pytest.mark.parametrize("record", GARBLED, ids=[str(r) for r in GARBLED])
def test_a_record_with_wrong_types_is_refused_not_fatal(record: dict[str, Any]) -> None:
    """A hand-edited or damaged journal line must become a warning (EventError), never a
    TypeError halfway through ``resume``."""
    full = {"at": "2025-06-12T08:30:00.000000+00:00", "writer": "w1", "seq": 7, **record}
    try:
        event = event_from_record(full)
    except EventError:
        return
    state = replay(N, [event, TimerStarted(at=t(1)), note(2, 8)])
    assert 0 <= state.current < N
    assert state.elapsed(state.current, t(5)) >= 0


def test_unknown_event_types_are_refused() -> None:
    with pytest.raises(EventError):
        event_from_record({"type": "launch_rockets", "at": "2025-06-12T08:30:00+00:00"})
    with pytest.raises(EventError):
        event_from_record({"type": "timer_started", "at": "yesterday"})


# --- properties: replay == incremental == after a JSON round trip --------------------------------

WRITERS = ("w1", "scribe")
TEXT = st.text(max_size=12)
NAMES = st.sampled_from(["", "a", "b", "Chair", "pdif", "trust"])
SEGMENT = st.integers(min_value=-1, max_value=N)  # includes out-of-range values
NOTE_ID = st.builds(lambda w, s: f"{w}-{s}", st.sampled_from(WRITERS), st.integers(0, 12))
OPTIONAL = st.none() | TEXT
INSTANT = st.sampled_from(
    ["2025-06-12T09:30:00.000000+00:00", "2025-06-12T11:38:00.000000+00:00", "not a time"]
)
# Where an observer's mark belongs; left out, as in older journals.
WHERE = {"segment": st.none() | SEGMENT, "group": st.none() | NAMES}

PAYLOADS: dict[type[Event], st.SearchStrategy[dict[str, Any]]] = {
    SessionStarted: st.fixed_dictionaries({"agenda_name": TEXT, "agenda_title": TEXT}),
    TimerStarted: st.just({}),
    TimerPaused: st.just({}),
    SegmentChanged: st.fixed_dictionaries(
        {"segment": SEGMENT, "reason": st.sampled_from(["next", "previous", "jump"])}
    ),
    TimeAdjusted: st.fixed_dictionaries({"segment": SEGMENT, "seconds": st.integers(-3600, 3600)}),
    SegmentRestarted: st.fixed_dictionaries({"segment": SEGMENT}),
    SessionEnded: st.just({}),
    NoteAdded: st.fixed_dictionaries(
        {
            "kind": st.sampled_from(["note", "decision", "action", "question", "feedback"]),
            "text": TEXT,
            "segment": SEGMENT,
        },
        optional={
            "group": OPTIONAL,
            "role": OPTIONAL,
            "owner": OPTIONAL,
            "due": OPTIONAL,
            "category": OPTIONAL,
        },
    ),
    NoteEdited: st.fixed_dictionaries(
        {"note_id": NOTE_ID, "kind": st.sampled_from(["note", "action"]), "text": TEXT},
        optional={
            "owner": OPTIONAL,
            "due": OPTIONAL,
            "category": OPTIONAL,
            "segment": st.none() | SEGMENT,
            "group": OPTIONAL,
            "role": OPTIONAL,
        },
    ),
    NoteDeleted: st.fixed_dictionaries({"note_id": NOTE_ID}),
    ActionDone: st.fixed_dictionaries({"note_id": NOTE_ID, "done": st.booleans()}),
    RoleAssigned: st.fixed_dictionaries(
        {"role": NAMES, "person": TEXT}, optional={"group": st.none() | NAMES}
    ),
    WriterNamed: st.fixed_dictionaries({"name": TEXT}),
    LifecycleStageMarked: st.fixed_dictionaries(
        {"model": NAMES, "stage": st.none() | NAMES}, optional=WHERE
    ),
    LifecycleTraitTicked: st.fixed_dictionaries(
        {"model": NAMES, "stage": NAMES, "trait": NAMES, "checked": st.booleans()},
        optional=WHERE,
    ),
    QualityMarked: st.fixed_dictionaries(
        {"quality": NAMES, "state": st.sampled_from([None, "present", "developing", "missing"])},
        optional=WHERE,
    ),
    MonologueTallied: st.fixed_dictionaries(
        {
            "name": st.sampled_from(["blame", "praise", "worry", "claim", "dialogue"]),
            "delta": st.integers(-2, 3),
        },
        optional=WHERE,
    ),
    ChecklistTicked: st.fixed_dictionaries(
        {"segment": SEGMENT, "item": st.integers(0, 4), "checked": st.booleans()}
    ),
    ClockCorrected: st.fixed_dictionaries(
        {"offset_s": st.sampled_from([-3600.0, -300.0, 6.5, 300.0, 3600.0])}
    ),
    ReflectionRecorded: st.fixed_dictionaries(
        {
            "segment": st.none() | SEGMENT,
            "rating": st.none() | st.integers(1, 5),
            "felt": TEXT,
            "change": TEXT,
        }
    ),
    NoteParked: st.fixed_dictionaries({"note_id": NOTE_ID, "parked": st.booleans()}),
    PersonRecorded: st.fixed_dictionaries(
        {
            "person": NAMES,
            "name": TEXT,
            "organisation": TEXT,
            "role": TEXT,
            "attendance": st.sampled_from(["present", "apologies", "facilitator", "gone"]),
        }
    ),
    PersonRemoved: st.fixed_dictionaries({"person": NAMES}),
    VenueSet: st.fixed_dictionaries({"venue": TEXT}),
    NextMeetingSet: st.fixed_dictionaries(
        {
            "date": st.sampled_from(["", "2026-01-15", "soon"]),
            "time": st.sampled_from(["", "10:00"]),
        }
    ),
    DayStartChosen: st.fixed_dictionaries(
        {"start": INSTANT, "shift": st.booleans(), "shift_fixed": st.booleans()}
    ),
    PlanChanged: st.integers(0, N + 1).flatmap(
        lambda n: st.fixed_dictionaries(
            {
                "reason": TEXT,
                "segments": st.lists(SEGMENT, min_size=n, max_size=n),
                "lengths": st.lists(st.integers(-60, 7200), min_size=n, max_size=n),
                # Now and then one start too many, or a damaged one: that changes nothing.
                "starts": st.lists(INSTANT, min_size=n, max_size=n + 1),
                "dropped": st.lists(SEGMENT, max_size=2),
            }
        )
    ),
}


def test_the_strategies_cover_every_event_type() -> None:
    assert set(PAYLOADS) == set(EVENT_TYPES.values())


# Timer events are weighted up so that long runs of start/pause/next actually happen.
EVENT_KIND = st.sampled_from(
    [TimerStarted, TimerPaused, SegmentChanged, SegmentChanged, TimeAdjusted, SegmentRestarted] * 2
    + list(PAYLOADS)
)


@st.composite
def journals(draw: st.DrawFn) -> list[Event]:
    count = draw(st.integers(0, 40))
    moment = T0 + timedelta(microseconds=draw(st.integers(0, 10**6)))
    seqs = dict.fromkeys(WRITERS, 0)
    events: list[Event] = []
    for _ in range(count):
        kind = draw(EVENT_KIND)
        payload = draw(PAYLOADS[kind])
        moment += timedelta(microseconds=draw(st.integers(0, 3_600_000_000)))
        if kind is ClockCorrected:  # from here on the writer's clock reads that much more
            moment += timedelta(seconds=payload["offset_s"])
        writer = draw(st.sampled_from(WRITERS))
        events.append(kind(at=moment, writer=writer, seq=seqs[writer], **payload))
        seqs[writer] += 1
    return events


def through_json(event: Event) -> Event:
    return event_from_record(json.loads(json.dumps(event.to_record())))


@settings(max_examples=300, deadline=None)
@given(journals())
def test_replay_equals_incremental_apply_and_survives_the_journal(events: list[Event]) -> None:
    incremental = new_state(N)
    for event in events:
        apply(incremental, event)
    replayed = replay(N, events)
    assert replayed == incremental
    round_tripped = [through_json(e) for e in events]
    assert round_tripped == events
    assert replay(N, round_tripped) == incremental


@settings(max_examples=300, deadline=None)
@given(journals())
def test_time_is_never_invented(events: list[Event]) -> None:
    """Only one segment runs at a time, so the segments' times add up to no more than the
    span of the journal, and none is negative. (A clock correction moves the instants
    after it, not time: the true span leaves it out.)"""
    state = replay(N, events)
    if not events:
        return
    end = events[-1].at
    corrections = sum(e.offset_s for e in events[1:] if isinstance(e, ClockCorrected))
    span = (end - events[0].at).total_seconds() - corrections
    times = [state.elapsed(i, end) for i in range(N)]
    assert all(x >= 0 for x in times)
    assert sum(times) <= span + 1e-6
    assert 0 <= state.current < N
    if state.ended_at is not None:
        assert not state.running
    for n in state.notes.values():
        assert n.id == f"{n.writer}-{n.id.rsplit('-', 1)[1]}"


@settings(max_examples=100, deadline=None)
@given(journals(), st.sampled_from(WRITERS), st.integers(0, 99))
def test_stamping_keeps_the_event_and_sets_its_envelope(
    events: list[Event], writer: str, seq: int
) -> None:
    for event in events:
        stamped = with_envelope(event, writer=writer, seq=seq)
        assert type(stamped) is type(event)
        assert (stamped.writer, stamped.seq, stamped.event_id) == (writer, seq, f"{writer}-{seq}")
        assert stamped.at == event.at
