"""The scribe's commands: notes with their kind, group, role and feedback category; edits,
deletions, actions done, names put to roles, and what a move between segments clears.

No screen: each intent is decided against a bundled agenda and a reduced state.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from commandworld import T0, WRITER, agenda, day
from facilitate.commands import (
    AddNote,
    AssignRole,
    CaptureContext,
    DeleteNote,
    EditNote,
    Refusal,
    ReviseNote,
    SetActionDone,
    pick_group,
)
from facilitate.events import ActionDone, NoteAdded, NoteDeleted, NoteEdited, RoleAssigned

SAMPLE = agenda("sample-programme")
ACTIVITY_2 = 4  # three groups; feedback "Opportunities", "Challenges"; no roles
MEETING = 11  # three groups, five roles, no feedback
GROUP_1 = "Group 1 (scenario PS 1a)"
FACILITATOR = "Partnership facilitator"
GONE = "That note is no longer there (deleted, or never saved)."

# --- adding a note --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "kind", "text"),
    [
        ("d: meet monthly", "decision", "meet monthly"),
        ("A: write it up", "action", "write it up"),
        ("q:  who chairs?", "question", "who chairs?"),
        ("f: more breaks", "feedback", "more breaks"),
        ("n: d: is a prefix", "note", "d: is a prefix"),
        ("  just a thought  ", "note", "just a thought"),
    ],
)
def test_a_prefix_makes_the_kind(raw: str, kind: str, text: str) -> None:
    assert day(at=2).decide(AddNote(raw)) == NoteAdded(at=T0, kind=kind, text=text, segment=2)


def test_an_action_takes_its_owner_and_due_date() -> None:
    outcome = day().decide(AddNote("a: send the slides @priya due:2025-07-01"))
    assert isinstance(outcome, NoteAdded)
    assert (outcome.text, outcome.owner, outcome.due) == ("send the slides", "priya", "2025-07-01")


def test_a_past_due_date_is_refused_saying_what_today_is() -> None:
    outcome = day().decide(AddNote("a: book it due:11/06/2025"))
    assert outcome == Refusal(
        "due date Wed 11/06/2025 is in the past (today is Thu 12/06/2025): give a later date"
    )


def test_owner_and_due_are_only_read_in_actions() -> None:
    outcome = day().decide(AddNote("d: ask @priya due:friday"))
    assert isinstance(outcome, NoteAdded)
    assert (outcome.owner, outcome.due, outcome.text) == (None, None, "ask @priya due:friday")


@pytest.mark.parametrize(("word", "due"), [("tomorrow", "2025-06-14"), ("friday", "2025-06-20")])
def test_due_dates_count_from_the_local_date_not_the_utc_one(word: str, due: str) -> None:
    # 23:30 UTC on Thursday 12 June is already Friday 13 June in Auckland.
    auckland = timezone(timedelta(hours=12))
    d = day(now=datetime(2025, 6, 12, 23, 30, tzinfo=UTC), tz=auckland)
    assert d.world.today.isoformat() == "2025-06-13"
    outcome = d.decide(AddNote(f"a: order lunch due:{word}"))
    assert isinstance(outcome, NoteAdded) and outcome.due == due


def test_a_bad_due_date_is_refused_with_how_to_write_one() -> None:
    outcome = day().decide(AddNote("a: fix it due:someday"))
    assert isinstance(outcome, Refusal)
    assert "someday" in outcome.reason and "day first (31/12, 31/12/2026)" in outcome.reason


@pytest.mark.parametrize("raw", ["", "   ", "\t\n"])
def test_an_empty_line_is_nothing_to_do(raw: str) -> None:
    assert day().decide(AddNote(raw)) is None


def test_a_prefix_with_nothing_after_it_is_refused() -> None:
    outcome = day().decide(AddNote("a:  "))
    assert isinstance(outcome, Refusal) and "after the prefix" in outcome.reason


def test_a_note_is_filed_under_the_picked_group_and_role() -> None:
    context = CaptureContext(group=GROUP_1, role=FACILITATOR)
    outcome = day(at=MEETING).decide(AddNote("q: who decides?", context))
    assert isinstance(outcome, NoteAdded)
    assert (outcome.segment, outcome.group, outcome.role) == (MEETING, GROUP_1, FACILITATOR)


def test_a_picked_category_makes_a_plain_line_feedback_in_that_category() -> None:
    outcome = day(at=ACTIVITY_2).decide(
        AddNote("new funding", CaptureContext(category="Challenges"))
    )
    assert isinstance(outcome, NoteAdded)
    assert (outcome.kind, outcome.category) == ("feedback", "Challenges")


@pytest.mark.parametrize(("raw", "kind"), [("d: apply jointly", "decision"), ("n: aside", "note")])
def test_a_category_is_kept_only_for_feedback(raw: str, kind: str) -> None:
    outcome = day(at=ACTIVITY_2).decide(AddNote(raw, CaptureContext(category="Challenges")))
    assert isinstance(outcome, NoteAdded)
    assert (outcome.kind, outcome.category) == (kind, None)


@pytest.mark.parametrize(
    "context",
    [
        CaptureContext(group="Mixed 1"),
        CaptureContext(role=FACILITATOR),  # roles belong to the meeting, not activity 2
        CaptureContext(category="Inform"),  # activity 3's category
    ],
)
def test_a_group_role_or_category_the_segment_lacks_is_refused(context: CaptureContext) -> None:
    d = day(at=ACTIVITY_2)
    outcome = d.decide(AddNote("hello", context))
    assert isinstance(outcome, Refusal) and "segment" in outcome.reason
    assert d.state.notes == {}


# --- editing, deleting, actions done --------------------------------------------------


def test_an_edit_replaces_the_line_and_keeps_a_feedback_notes_category() -> None:
    d = day(at=ACTIVITY_2)
    note_id = d.note("new fundign", CaptureContext(category="Opportunities"))
    d.later(1)
    assert d.do(EditNote(note_id, "f: new funding")) == NoteEdited(
        at=d.now,
        note_id=note_id,
        kind="feedback",
        text="new funding",
        category="Opportunities",
        segment=ACTIVITY_2,
    )
    note = d.state.notes[note_id]
    assert (note.text, note.category, note.edited) == ("new funding", "Opportunities", d.now)


def test_an_edit_that_changes_the_kind_drops_the_category() -> None:
    d = day(at=ACTIVITY_2)
    note_id = d.note("pilot it", CaptureContext(category="Opportunities"))
    outcome = d.decide(EditNote(note_id, "a: pilot it @sam due:30/06"))
    assert outcome == NoteEdited(
        at=T0,
        note_id=note_id,
        kind="action",
        text="pilot it",
        owner="sam",
        due="2025-06-30",
        category=None,
        segment=ACTIVITY_2,
    )


def test_an_edit_keeps_the_notes_place_and_a_past_due_date_it_already_had() -> None:
    d = day(at=MEETING)
    note_id = d.note("a: chase the funder @jo due:friday", CaptureContext(GROUP_1, FACILITATOR))
    d.later(60 * 24 * 10)  # ten days on, friday has passed
    outcome = d.do(EditNote(note_id, "a: chase the big funder @jo due:2025-06-13"))
    assert isinstance(outcome, NoteEdited)
    note = d.state.notes[note_id]
    assert (note.text, note.due, note.segment, note.group, note.role) == (
        "chase the big funder",
        "2025-06-13",
        MEETING,
        GROUP_1,
        FACILITATOR,
    )
    assert isinstance(d.decide(EditNote(note_id, "a: chase it @jo due:2025-06-14")), Refusal)


def test_an_edit_that_changes_nothing_is_nothing_to_do() -> None:
    d = day()
    note_id = d.note("a: call the venue @jo due:friday")
    assert d.decide(EditNote(note_id, "a: call the venue @jo due:2025-06-13")) is None
    assert d.decide(EditNote(note_id, "a: call the venue due:13/6 @jo")) is None
    feedback_id = d.note("f: good pace")
    assert d.decide(EditNote(feedback_id, "f: good pace")) is None


def test_an_edit_cannot_empty_a_note() -> None:
    d = day()
    note_id = d.note("keep me")
    outcome = d.decide(EditNote(note_id, "  "))
    assert isinstance(outcome, Refusal) and "deletes" in outcome.reason
    assert isinstance(d.decide(EditNote(note_id, "a: x due:soon")), Refusal)


def test_a_deleted_or_unknown_note_cannot_be_edited_deleted_or_done() -> None:
    d = day()
    note_id = d.note("a: tidy up")
    assert d.do(DeleteNote(note_id)) == NoteDeleted(at=T0, note_id=note_id)
    assert d.state.live_notes() == []
    for missing in (note_id, "scribe-99"):
        assert d.decide(EditNote(missing, "again")) == Refusal(GONE)
        assert d.decide(DeleteNote(missing)) == Refusal(GONE)
        assert d.decide(SetActionDone(missing, True)) == Refusal(GONE)


def test_actions_are_marked_done_and_undone() -> None:
    d = day()
    action = d.note("a: send minutes")
    assert d.decide(SetActionDone(action, False)) is None
    assert d.do(SetActionDone(action, True)) == ActionDone(at=T0, note_id=action, done=True)
    assert d.state.notes[action].done
    assert d.decide(SetActionDone(action, True)) is None
    assert d.do(SetActionDone(action, False)) == ActionDone(at=T0, note_id=action, done=False)


def test_only_actions_can_be_marked_done() -> None:
    d = day()
    decision = d.note("d: meet monthly")
    assert d.decide(SetActionDone(decision, True)) == Refusal("Only actions can be marked done.")


# --- roles ----------------------------------------------------------------------------


def test_assign_role_puts_a_tidied_name_to_a_role_of_any_segment() -> None:
    d = day(at=0)  # registration has no roles; the meeting later does
    assert d.do(AssignRole(FACILITATOR, "  Ann   van  Dijk ")) == RoleAssigned(
        at=T0, role=FACILITATOR, person="Ann van Dijk"
    )
    assert d.state.roles == {FACILITATOR: "Ann van Dijk"}
    assert d.decide(AssignRole(FACILITATOR, "Ann van Dijk ")) is None


def test_assign_role_with_no_name_clears_it() -> None:
    d = day()
    assert d.decide(AssignRole("Academic", "")) is None  # nobody to clear
    d.do(AssignRole("Academic", "Bo"))
    assert d.do(AssignRole("Academic", "  ")) == RoleAssigned(at=T0, role="Academic", person="")
    assert d.state.roles == {}


def test_roles_are_put_to_names_per_group() -> None:
    d = day(at=MEETING)
    group_2 = "Group 2 (scenario PS 1b)"
    d.do(AssignRole("Academic", "Bo", GROUP_1))
    d.do(AssignRole("Academic", "Cy", group_2))
    d.do(AssignRole("Academic", "Di"))  # for the day, where a group has nobody
    assert d.state.group_roles == {GROUP_1: {"Academic": "Bo"}, group_2: {"Academic": "Cy"}}
    assert d.state.person("Academic", GROUP_1) == "Bo"
    assert d.state.person("Academic", "Group 3 (scenario PS 1c)") == "Di"
    assert d.state.person("Academic") == "Di"
    assert d.decide(AssignRole("Academic", "Bo", GROUP_1)) is None
    assert d.do(AssignRole("Academic", "", GROUP_1)) == RoleAssigned(
        at=T0, role="Academic", person="", group=GROUP_1
    )
    assert d.state.person("Academic", GROUP_1) == "Di"
    assert d.decide(AssignRole("Academic", "Bo", "Mixed 1")) == Refusal(
        "No segment has the role 'Academic' in 'Mixed 1'."
    )


def test_assign_role_refuses_a_role_the_agenda_does_not_have() -> None:
    outcome = day("session-evaluation").decide(AssignRole("Academic", "Bo"))
    assert outcome == Refusal("This agenda has no role called 'Academic'.")


# --- what the next note is filed under ------------------------------------------------


def test_moving_on_clears_what_the_new_segment_lacks_and_says_so() -> None:
    context = CaptureContext(group=GROUP_1, role=FACILITATOR, category=None)
    kept, cleared = context.for_segment(SAMPLE.segments[13])  # a break: no groups, no roles
    assert kept == CaptureContext()
    assert cleared == [f"group {GROUP_1}", f"role {FACILITATOR}"]
    feedback = CaptureContext(category="Challenges")
    assert feedback.for_segment(SAMPLE.segments[7]) == (
        CaptureContext(),
        ["feedback category Challenges"],
    )


def test_moving_on_keeps_what_the_new_segment_has() -> None:
    context = CaptureContext(group=GROUP_1, role=FACILITATOR)
    assert context.for_segment(SAMPLE.segments[MEETING]) == (context, [])
    both = CaptureContext(group=GROUP_1, category="Challenges")
    # activity 3 has the same groups but other categories: the group stays
    assert both.for_segment(SAMPLE.segments[7]) == (
        CaptureContext(group=GROUP_1),
        ["feedback category Challenges"],
    )


def test_the_reflection_after_the_meeting_keeps_its_groups_and_roles() -> None:
    context = CaptureContext(group=GROUP_1, role=FACILITATOR)
    assert context.for_segment(SAMPLE.segments[12]) == (context, [])


def test_a_category_named_after_a_group_files_the_note_under_that_group() -> None:
    feedback = agenda("case-study-perspectives").segments[5]  # each group reports back
    context = CaptureContext(group="Group 1").with_category(feedback, "Group 2")
    assert context == CaptureContext(group="Group 2", category="Group 2")
    plain = CaptureContext(group=GROUP_1).with_category(SAMPLE.segments[ACTIVITY_2], "Challenges")
    assert plain == CaptureContext(group=GROUP_1, category="Challenges")


def test_picking_a_group_moves_a_category_that_was_a_group_with_it() -> None:
    feedback = agenda("case-study-perspectives").segments[5]  # each group reports back
    reporting = CaptureContext().with_category(feedback, "Group 3")
    assert reporting.with_group(feedback, "Group 1") == CaptureContext(
        group="Group 1", category="Group 1"
    )
    assert reporting.with_group(feedback, None) == CaptureContext()
    # A category that is not a group (the evaluation's colours) stays as it was.
    themed = CaptureContext(category="Challenges")
    assert themed.with_group(SAMPLE.segments[ACTIVITY_2], GROUP_1) == CaptureContext(
        group=GROUP_1, category="Challenges"
    )


def test_pick_group_by_number() -> None:
    segment = SAMPLE.segments[ACTIVITY_2]
    assert pick_group(segment, 1) == GROUP_1
    assert pick_group(segment, 3) == "Group 3 (scenario PS 1c)"
    assert pick_group(segment, 0) is None  # 0 clears


@pytest.mark.parametrize("number", [4, 9, -1])
def test_pick_group_names_the_valid_range(number: int) -> None:
    assert pick_group(SAMPLE.segments[ACTIVITY_2], number) == Refusal(
        "This segment has 3 groups: 1-3."
    )


def test_pick_group_in_a_segment_without_groups() -> None:
    assert pick_group(SAMPLE.segments[1], 1) == Refusal("This segment is not run in groups.")
    assert pick_group(SAMPLE.segments[1], 0) is None


# --- revising every field of a note (the notes view's form) ---------------------------


def test_revise_moves_a_note_to_another_segment_group_and_role() -> None:
    d = day(at=ACTIVITY_2)
    note_id = d.note("we need a chair", CaptureContext(group=GROUP_1))
    d.later(5)
    outcome = d.do(
        ReviseNote(
            note_id, "question", "who chairs?", segment=MEETING, group=GROUP_1, role=FACILITATOR
        )
    )
    assert outcome == NoteEdited(
        at=d.now,
        note_id=note_id,
        kind="question",
        text="who chairs?",
        segment=MEETING,
        group=GROUP_1,
        role=FACILITATOR,
    )
    note = d.state.notes[note_id]
    assert (note.segment, note.group, note.role, note.kind) == (
        MEETING,
        GROUP_1,
        FACILITATOR,
        "question",
    )


def test_revise_reads_owner_and_due_as_typed_in_the_form() -> None:
    d = day()
    note_id = d.note("a: book the room")
    outcome = d.do(ReviseNote(note_id, "action", "book the room", '@"Sam  Jones"', "31/07"))
    assert isinstance(outcome, NoteEdited)
    assert (outcome.owner, outcome.due) == ("Sam Jones", "2025-07-31")
    assert (
        d.decide(ReviseNote(note_id, "action", "book the room", "Sam Jones", "2025-07-31")) is None
    )


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"kind": "decision", "owner": "Sam"}, "Only actions have an owner"),
        ({"kind": "note", "category": "Challenges"}, "Only feedback has a category"),
        ({"kind": "gossip"}, "not a kind of note"),
        ({"text": "  "}, "cannot empty a note"),
        ({"due": "31/02"}, "is not a date"),
        ({"segment": 99}, "not in this agenda"),
        ({"group": "Mixed 1"}, "'Mixed 1' is not a group of 'Activity 2"),
        ({"role": FACILITATOR}, "is not a role of"),
        ({"kind": "feedback", "category": "Inform"}, "is not a feedback category of"),
    ],
)
def test_revise_refuses_what_the_note_or_segment_cannot_have(
    change: dict[str, object], says: str
) -> None:
    d = day(at=ACTIVITY_2)
    note_id = d.note("a: apply jointly")
    fields: dict[str, object] = {"kind": "action", "text": "apply jointly", "segment": ACTIVITY_2}
    outcome = d.decide(ReviseNote(note_id, **{**fields, **change}))  # type: ignore[arg-type]
    assert isinstance(outcome, Refusal) and says in outcome.reason


def test_revise_keeps_a_group_the_agenda_no_longer_names_when_it_is_not_changed() -> None:
    d = day(at=ACTIVITY_2)
    note_id = d.note("old group")
    d.state.notes[note_id].group = "Table 9"  # as an older copy of the agenda had it
    outcome = d.decide(
        ReviseNote(note_id, "note", "old group fixed", segment=ACTIVITY_2, group="Table 9")
    )
    assert isinstance(outcome, NoteEdited) and outcome.group == "Table 9"


def test_a_scribe_in_a_browser_changes_only_the_notes_it_wrote() -> None:
    d = day(at=ACTIVITY_2)
    mine = d.note("a: book the room @Priya")
    theirs = d.note("the facilitator's own note")
    d.state.notes[theirs] = replace(d.state.notes[theirs], writer="f")
    served = replace(d.world, writer=WRITER, own_notes_only=True)
    for intent in (
        EditNote(theirs, "rewritten"),
        DeleteNote(theirs),
        ReviseNote(theirs, "note", "rewritten", segment=ACTIVITY_2),
    ):
        refusal = intent.decide(served)
        assert isinstance(refusal, Refusal) and "only the notes you wrote" in refusal.reason
    assert isinstance(EditNote(mine, "a: book the hall @Priya").decide(served), NoteEdited)
    assert isinstance(SetActionDone(mine, True).decide(served), ActionDone)
    # The facilitator's terminal (and any terminal not served) changes any note.
    assert isinstance(DeleteNote(theirs).decide(d.world), NoteDeleted)
