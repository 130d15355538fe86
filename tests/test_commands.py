"""The facilitator's and the observer's commands, decided against real agendas, no screen.

Each intent answers an event to record, a refusal the person can act on, or
nothing. The property test at the end throws random intents at a day and checks
that whatever gets recorded keeps the session sound and replays identically.
Capture (notes, roles, actions) is in ``test_commands_capture``.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commandworld import AGENDA_NAMES, T0, Day, agenda, day
from facilitate.commands import (
    ENDED,
    AddNote,
    Adjust,
    AssignRole,
    CaptureContext,
    ClearQuality,
    CycleQuality,
    DeleteNote,
    EditNote,
    End,
    GoTo,
    Intent,
    MarkStage,
    Next,
    Previous,
    Reflect,
    Refusal,
    Restart,
    ReviseNote,
    SetActionDone,
    Tally,
    TickChecklist,
    TickTrait,
    Toggle,
    decide,
)
from facilitate.events import (
    TALLIES,
    ChecklistTicked,
    Event,
    LifecycleStageMarked,
    LifecycleTraitTicked,
    MonologueTallied,
    QualityMarked,
    ReflectionRecorded,
    SegmentChanged,
    SegmentRestarted,
    SessionEnded,
    TimeAdjusted,
    TimerPaused,
    TimerStarted,
)
from facilitate.reducer import replay

LAST = len(agenda("sample-programme").segments) - 1  # 16, "close", planned 0 minutes
PDIF = "lifecycle-pdif"
MEETING = 11  # the sample programme's Activity 5 meeting: three groups, five roles

# --- the timer ------------------------------------------------------------------------


def test_toggle_starts_pauses_and_resumes_the_clock() -> None:
    d = day()
    assert decide(Toggle(), d.world) == TimerStarted(at=T0)
    d.do(Toggle())
    d.later(5)
    assert d.do(Toggle()) == TimerPaused(at=d.now)
    assert not d.state.running and d.state.elapsed(0, d.now) == 300
    d.later(2)
    assert d.do(Toggle()) == TimerStarted(at=d.now)
    d.later(1)
    assert d.state.elapsed(0, d.now) == 360  # the pause did not count


@pytest.mark.parametrize("at", [0, 8, LAST])
@pytest.mark.parametrize(
    "intent", [Toggle(), Next(), Previous(), GoTo(3), Adjust(5), Adjust(-5), Restart()]
)
def test_a_finished_session_stays_finished(at: int, intent: Intent) -> None:
    d = day(at=at)
    d.do(Toggle())
    d.later(10)
    d.do(End())
    assert d.decide(intent) == ENDED  # not "last segment" or "first segment" either
    assert d.decide(End()) is None


def test_next_and_previous_move_one_segment_at_a_time() -> None:
    d = day()
    assert d.do(Next()) == SegmentChanged(at=T0, segment=1, reason="next")
    assert d.do(Next()) == SegmentChanged(at=T0, segment=2, reason="next")
    assert d.do(Previous()) == SegmentChanged(at=T0, segment=1, reason="previous")
    assert d.state.current == 1


def test_next_refuses_at_the_last_segment_and_says_how_to_end() -> None:
    outcome = day(at=LAST).decide(Next())
    assert isinstance(outcome, Refusal)
    assert "last segment" in outcome.reason and "E ends the session" in outcome.reason


def test_previous_refuses_at_the_first_segment() -> None:
    assert day().decide(Previous()) == Refusal("This is the first segment.")


def test_go_to_jumps_refuses_a_segment_not_in_the_agenda_and_ignores_the_current() -> None:
    d = day(at=4)
    assert d.decide(GoTo(9)) == SegmentChanged(at=T0, segment=9, reason="jump")
    assert d.decide(GoTo(LAST + 1)) == Refusal(f"There is no segment {LAST + 2} in this agenda.")
    assert isinstance(d.decide(GoTo(-1)), Refusal)
    assert d.decide(GoTo(4)) is None


def test_moving_while_the_clock_runs_starts_the_next_segment() -> None:
    d = day()
    d.do(Toggle())
    d.later(30)
    d.do(Next())
    d.later(4)
    assert d.state.running and d.state.current == 1
    assert d.state.elapsed(0, d.now) == 1800 and d.state.elapsed(1, d.now) == 240


def test_adjust_adds_and_takes_minutes_on_the_current_segment() -> None:
    d = day(at=3)  # activity-1, 15 minutes
    assert d.do(Adjust(5)) == TimeAdjusted(at=T0, segment=3, seconds=300)
    assert d.do(Adjust(-2)) == TimeAdjusted(at=T0, segment=3, seconds=-120)
    assert d.state.runs[3].adjust_s == 180
    assert d.decide(Adjust(0)) is None


def test_adjust_never_takes_planned_time_below_zero() -> None:
    d = day(at=3)  # 15 minutes planned, 5 added: 20 to take at most
    d.do(Adjust(5))
    assert d.do(Adjust(-30)) == TimeAdjusted(at=T0, segment=3, seconds=-1200)
    assert d.decide(Adjust(-1)) == Refusal("This segment has no planned time left to take away.")
    assert d.decide(Adjust(3)) == TimeAdjusted(at=T0, segment=3, seconds=180)


def test_adjust_refuses_to_take_from_a_segment_planned_at_zero() -> None:
    d = day(at=LAST)
    assert isinstance(d.decide(Adjust(-1)), Refusal)


def test_taking_time_never_gives_time_back_after_a_merged_overdraft() -> None:
    # Two writers each took 10 of the 15 minutes before seeing the other's event.
    d = day(at=3)
    for _ in range(2):
        d.record(TimeAdjusted(at=T0, segment=3, seconds=-600))
    assert isinstance(d.decide(Adjust(-1)), Refusal)
    assert d.decide(Adjust(10)) == TimeAdjusted(at=T0, segment=3, seconds=600)


def test_restart_puts_the_current_segment_back_to_zero() -> None:
    d = day(at=2)
    d.do(Toggle())
    d.later(12)
    assert d.do(Restart()) == SegmentRestarted(at=d.now, segment=2)
    d.later(1)
    assert d.state.running and d.state.elapsed(2, d.now) == 60


def test_end_stops_the_clock_once() -> None:
    d = day(at=5)
    d.do(Toggle())
    d.later(7)
    assert d.do(End()) == SessionEnded(at=d.now)
    d.later(20)
    assert not d.state.running and d.state.elapsed(5, d.now) == 420
    assert d.decide(End()) is None


# --- the observer's panels ------------------------------------------------------------


def test_mark_stage_stamps_the_segment_and_marking_it_again_clears_it() -> None:
    d = day(at=2)  # concepts-and-contexts, the lifecycle panel
    assert d.do(MarkStage(PDIF, "Development")) == LifecycleStageMarked(
        at=T0, model=PDIF, stage="Development", segment=2
    )
    d.do(MarkStage(PDIF, "Implementation"))
    assert d.state.panels.seen(2, None).lifecycle_stage == {PDIF: "Implementation"}
    cleared = d.do(MarkStage(PDIF, "Implementation"))
    assert isinstance(cleared, LifecycleStageMarked) and cleared.stage is None
    assert d.state.panels.seen(2, None).lifecycle_stage == {}


def test_tick_trait_toggles_a_sign_of_a_stage() -> None:
    d = day(at=2)
    sign = TickTrait(PDIF, "Preparation", "Expected results are written down")
    first = d.do(sign)
    assert isinstance(first, LifecycleTraitTicked) and first.checked and first.segment == 2
    assert d.state.panels.seen(2, None).lifecycle_traits[PDIF] == {(sign.stage, sign.trait)}
    second = d.do(sign)
    assert isinstance(second, LifecycleTraitTicked) and not second.checked
    assert d.state.panels.seen(2, None).lifecycle_traits[PDIF] == set()


def test_cycle_quality_steps_present_developing_missing_then_unmarked() -> None:
    d = day(at=10)  # influencing-and-negotiation, the Mobius panel
    seen: list[str | None] = []
    for _ in range(4):
        outcome = d.do(CycleQuality("Commitment"))
        assert isinstance(outcome, QualityMarked)
        seen.append(d.state.panels.seen(10, None).qualities.get("Commitment"))
    assert seen == ["present", "developing", "missing", None]


def test_clear_quality_clears_a_mark_and_is_nothing_when_unmarked() -> None:
    d = day(at=10)
    assert d.decide(ClearQuality("Possibility")) is None
    d.do(CycleQuality("Possibility"))
    assert d.do(ClearQuality("Possibility")) == QualityMarked(
        at=T0, quality="Possibility", state=None, segment=10
    )
    assert d.state.panels.seen(10, None).qualities == {}


def test_tally_counts_up_and_down_but_never_below_zero() -> None:
    d = day(at=10)
    assert d.decide(Tally("worry", -1)) is None
    assert d.do(Tally("worry")) == MonologueTallied(at=T0, name="worry", delta=1, segment=10)
    assert d.do(Tally("worry", -1)) == MonologueTallied(at=T0, name="worry", delta=-1, segment=10)
    assert d.state.panels.seen(10, None).tallies["worry"] == 0
    assert d.decide(Tally("worry", -1)) is None


def test_three_groups_observed_at_once_keep_their_own_marks_and_times() -> None:
    d = day(at=MEETING)
    one, two = "Group 1 (scenario PS 1a)", "Group 2 (scenario PS 1b)"
    d.do(Tally("blame", group=one))
    d.later(2)
    d.do(Tally("blame", group=one))
    d.do(Tally("dialogue", group=two))
    d.do(CycleQuality("Commitment", group=two))
    d.do(Tally("praise"))  # the whole room
    panels = d.state.panels
    assert panels.seen(MEETING, one).tallies == {"blame": 2}
    assert panels.seen(MEETING, one).tally_times["blame"] == [T0, d.now]
    assert panels.seen(MEETING, two).tallies == {"dialogue": 1}
    assert panels.seen(MEETING, two).qualities == {"Commitment": "present"}
    assert panels.seen(MEETING, None).tallies == {"praise": 1}
    assert (panels.seen(MEETING, one).first_at, panels.seen(MEETING, one).last_at) == (T0, d.now)
    # Taking one back drops its time; a later segment starts from nothing.
    d.do(Tally("blame", -1, group=one))
    assert panels.seen(MEETING, one).tally_times["blame"] == [T0]
    assert panels.seen(MEETING + 1, one).tallies == {}
    assert [key for key, _ in panels.in_order()] == [
        (MEETING, None),
        (MEETING, one),
        (MEETING, two),
    ]


def test_marks_for_a_group_the_segment_lacks_are_refused() -> None:
    d = day(at=2)
    for intent in (
        Tally("blame", group="Group 1"),
        CycleQuality("Commitment", group="Group 1"),
        MarkStage(PDIF, "Development", group="Group 1"),
    ):
        outcome = d.decide(intent)
        assert isinstance(outcome, Refusal) and "not a group of this segment" in outcome.reason


def test_tally_refuses_a_name_it_does_not_keep() -> None:
    outcome = day().decide(Tally("gossip"))
    assert isinstance(outcome, Refusal) and "gossip" in outcome.reason


def test_tick_checklist_toggles_a_point_of_any_segment() -> None:
    d = day("shared-solutions", at=4)  # ticking a point of segment 2 from segment 4
    assert d.do(TickChecklist(2, 6)) == ChecklistTicked(at=T0, segment=2, item=6, checked=True)
    d.do(TickChecklist(2, 0))
    assert d.state.panels.checklists[2] == {0, 6}
    unticked = d.do(TickChecklist(2, 6))
    assert isinstance(unticked, ChecklistTicked) and not unticked.checked
    assert d.state.panels.checklists[2] == {0}


@pytest.mark.parametrize(
    ("segment", "item"),
    [(13, 0), (-1, 0), (2, 7), (2, -1), (3, 0)],  # 13 segments; #2 has 7 points; #3 none
)
def test_tick_checklist_refuses_a_point_that_is_not_there(segment: int, item: int) -> None:
    assert isinstance(day("shared-solutions").decide(TickChecklist(segment, item)), Refusal)


def test_reflect_saves_a_rating_and_trimmed_lines() -> None:
    d = day("session-evaluation", at=1)
    assert d.do(Reflect(1, 4, "  listened well ", "\tmore time\n")) == ReflectionRecorded(
        at=T0, segment=1, rating=4, felt="listened well", change="more time"
    )
    assert d.decide(Reflect(None, None, change="shorter lunch")) == ReflectionRecorded(
        at=T0, segment=None, rating=None, felt="", change="shorter lunch"
    )


@pytest.mark.parametrize("rating", [0, 6, -1])
def test_reflect_refuses_a_rating_outside_one_to_five(rating: int) -> None:
    assert day().decide(Reflect(1, rating, "felt fine")) == Refusal(
        "Rate from 1 (not at all) to 5 (fully)."
    )


def test_reflect_refuses_an_empty_reflection_and_an_unknown_segment() -> None:
    d = day("session-evaluation")
    empty = d.decide(Reflect(0, None, "   ", "\n"))
    assert isinstance(empty, Refusal) and "1-5" in empty.reason
    assert isinstance(d.decide(Reflect(2, 3)), Refusal)


# --- random days ----------------------------------------------------------------------

LINES = (
    "",
    "   ",
    "plain note",
    "d: we agreed on Tuesdays",
    "a: send the minutes @sam due:friday",
    "a: book a room @jo due:+3d",
    "a: no one yet",
    "a: later due:someday",
    "q: who pays?",
    "f: more breaks",
    "n: an aside",
    "a:",
)
MODELS = (PDIF, "lifecycle-forming")
STAGES = ("Preparation", "Development")
QUALITIES = ("Commitment", "Possibility")


@functools.cache
def intents(name: str) -> st.SearchStrategy[Intent]:
    """Anything a person could ask for in a day of ``name``, sensible or not; which note,
    and which group, role and category a new note is filed under, is drawn by ``aimed``."""
    segments = agenda(name).segments
    index = st.integers(-1, len(segments))
    roles = st.sampled_from(("Chair", *sorted({r for s in segments for r in s.roles})))
    groups = st.sampled_from(("Elsewhere", *sorted({g for s in segments for g in s.groups})))
    categories = st.sampled_from(("Other", *sorted({c for s in segments for c in s.feedback})))
    lines = st.sampled_from(LINES)
    return st.one_of(
        st.sampled_from((Toggle(), Next(), Previous(), Restart())),
        st.sampled_from((Toggle(), Next(), End())),
        st.builds(GoTo, index),
        st.builds(Adjust, st.integers(-40, 40)),
        *[st.builds(AddNote, lines)] * 3,
        st.builds(EditNote, st.just(""), lines),
        st.builds(DeleteNote, st.just("")),
        *[st.builds(SetActionDone, st.just(""), st.booleans())] * 2,
        st.builds(AssignRole, roles, st.sampled_from(("", " Ann  Lee ", "Bo")), groups | st.none()),
        st.builds(
            ReviseNote,
            st.just(""),
            st.sampled_from(("note", "action", "feedback", "gossip")),
            lines,
            st.sampled_from(("", "Sam Jones")),
            st.sampled_from(("", "friday", "31/02", "+3d")),
            index,
            groups | st.none(),
            roles | st.none(),
            categories | st.none(),
        ),
        st.builds(MarkStage, st.sampled_from(MODELS), st.sampled_from(STAGES), groups | st.none()),
        st.builds(
            TickTrait,
            st.sampled_from(MODELS),
            st.sampled_from(STAGES),
            st.just("t"),
            groups | st.none(),
        ),
        st.builds(CycleQuality, st.sampled_from(QUALITIES), groups | st.none()),
        st.builds(ClearQuality, st.sampled_from(QUALITIES), groups | st.none()),
        st.builds(
            Tally,
            st.sampled_from((*TALLIES, "gossip")),
            st.sampled_from((1, -1)),
            groups | st.none(),
        ),
        st.builds(TickChecklist, index, st.integers(-1, 8)),
        st.builds(Reflect, index | st.none(), st.integers(0, 6) | st.none(), lines, lines),
    )


def aimed(intent: Intent, d: Day, data: st.DataObject) -> Intent:
    """Point an intent at one of the day's notes (or a missing one), or file a new note
    mostly under what the current segment has."""
    if isinstance(intent, EditNote | DeleteNote | SetActionDone | ReviseNote):
        note_id = data.draw(st.sampled_from((*d.state.notes, "scribe-0")), label="note")
        return replace(intent, note_id=note_id)
    if isinstance(intent, AddNote):
        here = d.world.segment
        group, role, category = (
            data.draw(st.sampled_from((None, None, None, *choices, "Elsewhere")))
            for choices in (here.groups, here.roles, here.feedback)
        )
        return AddNote(intent.raw, CaptureContext(group, role, category))
    return intent


def check_sound(d: Day) -> None:
    state, segments = d.state, d.agenda.segments
    assert 0 <= state.current < len(segments)
    for segment, run in zip(segments, state.runs, strict=True):
        assert segment.duration_s + run.adjust_s >= 0, segment.id
        assert state.elapsed(segment.index, d.now) >= 0
    for (index, group), seen in state.panels.observations.items():
        assert 0 <= index < len(segments)
        assert group is None or group in segments[index].groups
        assert all(count == len(seen.tally_times[n]) >= 0 for n, count in seen.tallies.items())
    for note in state.notes.values():
        where = segments[note.segment]
        assert note.group is None or note.group in where.groups
        assert note.role is None or note.role in where.roles
        assert note.category is None or (
            note.kind == "feedback" and note.category in where.feedback
        )
    assert all(r.rating is None or 1 <= r.rating <= 5 for r in state.reflections)
    people = [*state.roles.values(), *(p for g in state.group_roles.values() for p in g.values())]
    assert all(person and person == " ".join(person.split()) for person in people)


@settings(max_examples=200, deadline=None)
@given(name=st.sampled_from(AGENDA_NAMES), data=st.data())
def test_random_intents_keep_the_session_sound_and_replay_the_same(
    name: str, data: st.DataObject
) -> None:
    d = day(name)
    ended_at = None
    for _ in range(data.draw(st.integers(1, 60), label="steps")):
        d.later(data.draw(st.integers(0, 9), label="minutes later"))
        intent = aimed(data.draw(intents(name), label="intent"), d, data)
        before = copy.deepcopy(d.state)
        outcome = d.decide(intent)
        assert d.state == before  # deciding alone changes nothing
        if isinstance(outcome, Event):
            d.record(outcome)
        else:
            assert outcome is None or isinstance(outcome, Refusal)
            assert outcome is None or outcome.reason.strip()
        check_sound(d)
        if ended_at is not None:
            assert d.state.ended_at == ended_at and not d.state.running
        ended_at = d.state.ended_at
    assert replay(len(d.agenda.segments), d.events) == d.state
