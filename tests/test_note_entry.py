"""The scribe's side of the run screen: typing notes, fixing them, tagging them.

A note is only as good as what the journal keeps, so most tests read the
journal back as well as the notes log on screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from apptools import (
    advance,
    burst,
    entry,
    entry_context,
    event_types,
    footer_labels,
    footer_mode,
    held_box,
    held_reason,
    journal_events,
    live,
    log_lines,
    make_app,
    notes_log,
    record_notifications,
    same_state,
    segment_title,
    settle,
    sync,
    type_note,
    visible_log_lines,
)
from facilitate.events import NoteAdded, NoteDeleted, NoteEdited
from facilitate.notes import uk_date_text
from facilitate.tui.app import FacilitateApp
from facilitate.tui.dialogs.choice import ChoiceScreen
from facilitate.tui.dialogs.confirm import ConfirmScreen
from facilitate.tui.dialogs.help import HelpScreen
from facilitate.tui.dialogs.roles import RolesScreen
from facilitate.tui.run.screen import RunScreen

SIZE = (120, 40)
GROUP_2 = "Group 2 (scenario PS 1b)"
# START is Sunday 22 November 2026.
FRIDAY = "2026-11-27"

# Bugs reported to the lead; each marker goes when its fix lands (strict: an XPASS fails).


async def go_to(pilot: Pilot[Any], app: FacilitateApp, title: str) -> None:
    """g, then move the highlight to ``title`` and press enter, as for a segment past nine."""
    titles = [s.title for s in live(app).agenda.segments]
    target = titles.index(title)
    if entry(app).has_focus:
        await pilot.press("escape")  # out of the note box: g is a key again
    await pilot.press("g")
    await pilot.pause()
    menu = app.screen.query_one(OptionList)
    steps = target - (menu.highlighted or 0)
    await pilot.press(*(["down"] * steps if steps >= 0 else ["up"] * -steps), "enter")
    await settle(pilot, app)
    assert segment_title(app) == f"{target + 1}. {title}"


def notes_written(app: FacilitateApp) -> list[NoteAdded]:
    return [e for e in journal_events(app) if isinstance(e, NoteAdded)]


@sync
async def test_i_focuses_the_note_box_and_escape_leaves_it(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        assert not entry(app).has_focus
        await pilot.press("i")
        assert entry(app).has_focus
        # While typing, space and the arrows are text, not timer controls.
        await pilot.press(*"go right", "left", "plus")
        assert entry(app).value == "go righ+t"
        await pilot.press("escape")
        assert notes_log(app).has_focus
        assert entry(app).value == "go righ+t", "escape keeps a half-typed note"
        assert event_types(app) == ["SessionStarted"]


@sync
async def test_every_prefix_makes_its_kind_of_note(tmp_path: Path) -> None:
    app, source = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await advance(pilot, app, source, 125)
        for line in (
            "d: meet monthly",
            "a: circulate the terms",
            "q: who funds it?",
            "f: the room was warm",
            "n: explicitly a note",
            "just a note",
        ):
            await type_note(pilot, app, line)
        assert entry(app).value == "", "the box clears for the next note"
        assert entry(app).has_focus, "the box keeps focus for the next note"
        kinds = [(n.kind, n.text) for n in notes_written(app)]
        assert kinds == [
            ("decision", "meet monthly"),
            ("action", "circulate the terms"),
            ("question", "who funds it?"),
            ("feedback", "the room was warm"),
            ("note", "explicitly a note"),
            ("note", "just a note"),
        ]
        assert all(n.segment == 0 for n in notes_written(app))
        assert log_lines(app) == [
            "09:32 DECISION meet monthly",
            "09:32 ACTION circulate the terms",
            "09:32 QUESTION who funds it?",
            "09:32 FEEDBACK the room was warm",
            "09:32 note explicitly a note",
            "09:32 note just a note",
        ]
        same_state(app)


@pytest.mark.parametrize(
    ("typed", "owner", "due", "text"),
    [
        ("a: send minutes @sam due:2026-12-01", "sam", "2026-12-01", "send minutes"),
        ("a: book the room @Siân due:friday", "Siân", FRIDAY, "book the room"),
        ("a: chase funding due:+3d @bo", "bo", "2026-11-25", "chase funding"),
        ("a: write it up due:+2w", None, "2026-12-06", "write it up"),
        (
            'a: find out the cost @"Housing manager" due:31/12',
            "Housing manager",
            "2026-12-31",
            "find out the cost",
        ),
        (
            "a: brief the board @Sam_Jones due:1/12/2026",
            "Sam Jones",
            "2026-12-01",
            "brief the board",
        ),
    ],
)
@sync
async def test_actions_take_an_owner_and_a_due_date_from_the_fake_clock(
    tmp_path: Path, typed: str, owner: str | None, due: str, text: str
) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await type_note(pilot, app, typed)
        (note,) = notes_written(app)
        assert (note.kind, note.owner, note.due, note.text) == ("action", owner, due, text)
        assert f"due {uk_date_text(due)}" in log_lines(app)[0]  # Tue 01/12/2026, not ISO
        same_state(app)


@sync
async def test_due_dates_follow_the_session_clock_not_the_machine(tmp_path: Path) -> None:
    app, source = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await advance(pilot, app, source, 5 * 86400)  # Friday 27th: "friday" means next week
        await type_note(pilot, app, "a: review @asha due:friday")
        assert notes_written(app)[0].due == "2026-12-04"


@sync
async def test_a_bad_due_date_is_held_whole_with_why_and_the_next_note_is_not_glued_on(
    tmp_path: Path,
) -> None:
    app, _ = make_app(tmp_path)
    toasts = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        # Typed blind, at machine speed: the refused line must not swallow the next one.
        burst(app, *"a: renew the lease due:31/02", "enter", *"d: the next note", "enter")
        await pilot.pause()
        await pilot.pause()
        assert [(n.kind, n.text) for n in notes_written(app)] == [("decision", "the next note")]
        held = held_box(app)
        assert held.display and held.value == "a: renew the lease due:31/02"
        assert entry(app).value == "" and entry(app).has_focus
        reason = held_reason(app)
        assert "NOT SAVED" in reason and "31/02' is not a date: the day comes first" in reason
        assert not any("31/02" in t for t in toasts), "the reason is beside the line, not a toast"
        # Up to the held line, fix the date in place, enter saves it.
        await pilot.press("up")
        assert held.has_focus
        await pilot.press(*["backspace"] * 5, *"1/12", "enter")
        await settle(pilot, app)
        assert [n.due for n in notes_written(app)] == [None, "2026-12-01"]
        assert not held.display and entry(app).has_focus
        same_state(app)


@sync
async def test_two_held_lines_are_fixed_one_after_the_other_and_neither_is_lost(
    tmp_path: Path,
) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        burst(app, *"a: first bad due:99/99", "enter", *"a: second bad due:blah", "enter")
        await settle(pilot, app)
        assert "(+1 more)" in held_reason(app)
        await pilot.press("up", "end", *["backspace"] * 5, *"31/12", "enter")
        await settle(pilot, app)
        held = held_box(app)
        assert held.value == "a: second bad due:blah", "the next line waiting takes the box"
        assert "cannot read due date 'blah'" in held_reason(app)
        await pilot.press(*["backspace"] * 4, *"1/12", "enter")
        await settle(pilot, app)
        assert [(n.text, n.due) for n in notes_written(app)] == [
            ("first bad", "2026-12-31"),
            ("second bad", "2026-12-01"),
        ]
        assert not held.display and entry(app).has_focus


@sync
async def test_a_held_line_emptied_and_entered_is_dropped(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await type_note(pilot, app, "a: nonsense due:32/13")
        await pilot.press("up", "ctrl+u")
        assert "emptied: drops it" in held_reason(app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert not held_box(app).display and entry(app).has_focus
        assert notes_written(app) == []
        await type_note(pilot, app, "a: the next refused due:33/13")  # the old line never returns
        assert held_box(app).value == "a: the next refused due:33/13"
        assert "more" not in held_reason(app)


@sync
async def test_a_past_due_date_says_what_today_is(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await type_note(pilot, app, "a: book the hall due:20/11/2026")
        assert notes_written(app) == []
        assert "is in the past (today is Sun 22/11/2026)" in held_reason(app)


@sync
async def test_an_empty_line_saves_nothing(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await type_note(pilot, app, "   ")
        assert notes_written(app) == []


@sync
async def test_a_prefix_with_nothing_after_it_says_so(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await type_note(pilot, app, "d: ")
        assert notes_written(app) == []
        assert "nothing to save" in held_reason(app)
        assert held_box(app).value == "d: "


@sync
async def test_e_on_the_log_edits_a_note_and_the_journal_keeps_the_original(
    tmp_path: Path,
) -> None:
    app, source = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await type_note(pilot, app, "a: book the room @sam due:friday")
        await advance(pilot, app, source, 60)
        await pilot.press("escape", "e")
        assert entry(app).has_focus
        assert entry(app).value == f"a: book the room @sam due:{FRIDAY}"
        assert entry_context(app).startswith("EDITING · the 09:30 note · esc cancels · ACTION")
        entry(app).value = "a: book the big room @jo due:+1d"
        await pilot.press("enter")
        await settle(pilot, app)
        assert log_lines(app) == [
            "09:30 ACTION book the big room (owner jo; due Mon 23/11/2026; edited)"
        ]
        assert "editing" not in entry_context(app)
        (added,) = notes_written(app)
        assert added.text == "book the room"
        (edited,) = [e for e in journal_events(app) if isinstance(e, NoteEdited)]
        assert (edited.note_id, edited.text, edited.owner) == (
            f"{added.writer}-{added.seq}",
            "book the big room",
            "jo",
        )
        same_state(app)


@sync
async def test_escape_cancels_an_edit_without_writing(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await type_note(pilot, app, "q: who chairs?")
        await pilot.press("escape", "enter")
        assert entry(app).value == "q: who chairs?"
        await pilot.press("escape")
        assert entry(app).value == ""
        assert "NoteEdited" not in event_types(app)


@sync
async def test_x_deletes_a_note_after_confirmation_and_the_journal_keeps_it(
    tmp_path: Path,
) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await type_note(pilot, app, "mistyped nonsense")
        await pilot.press("escape", "x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot, app)
        assert log_lines(app) == ["09:30 note mistyped nonsense"]
        assert entry(app).has_focus, "after a dialog the keyboard is the note box's"

        await pilot.press("escape", "x")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot, app)
        assert log_lines(app) == []
        assert [n.text for n in notes_written(app)] == ["mistyped nonsense"]
        assert [type(e) for e in journal_events(app)][-1] is NoteDeleted
        same_state(app)


@sync
async def test_editing_feedback_keeps_its_category(tmp_path: Path) -> None:
    """Fixing a typo in categorised feedback must not drop it out of its category."""
    app, _ = make_app(tmp_path, "session-evaluation")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f", "1")
        await pilot.press(*"good pace", "enter")
        await pilot.press("escape", "f", "0")  # stop capturing into the category
        await pilot.press("escape", "e")
        await pilot.press("end", *" overall", "enter")
        await settle(pilot, app)
        (note,) = live(app).state.notes.values()
        assert note.text == "good pace overall"
        assert note.category is not None


@sync
async def test_the_log_shows_square_brackets_and_backslashes_as_typed(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        for line in ("[TBC] venue", "costs [ approx ] 5k", "path C:\\shared\\"):
            await type_note(pilot, app, line)
        assert log_lines(app) == [
            "09:30 note [TBC] venue",
            "09:30 note costs [ approx ] 5k",
            "09:30 note path C:\\shared\\",
        ]


@sync
async def test_the_newest_note_stays_in_view_while_typing(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:  # a log six rows high
        for i in range(10):
            await type_note(pilot, app, f"point {i}")
        await settle(pilot, app)
        assert visible_log_lines(app)[-1] == "09:30 note point 9"
        assert notes_log(app).highlighted == 9, "escape then e edits the note just typed"


@sync
async def test_number_keys_set_the_group_for_following_notes(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, "shared-solutions")
    toasts = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, app, "C. Mapping out the issues")
        assert "no group (esc 1-4)" in entry_context(app)
        await pilot.press("escape", "2")
        assert "· Users B ·" in entry_context(app)
        assert entry(app).has_focus, "a picked group goes straight to typing"
        await type_note(pilot, app, "queues at reception")
        await pilot.press("escape", "7")
        assert any("has 4 groups: 1-4" in t for t in toasts)
        assert "· Users B ·" in entry_context(app)
        await pilot.press("escape", "4")
        await type_note(pilot, app, "staff feel unheard")
        await pilot.press("escape", "0")
        await type_note(pilot, app, "whole room")
        assert [(n.text, n.group) for n in notes_written(app)] == [
            ("queues at reception", "Users B"),
            ("staff feel unheard", "Staff B"),
            ("whole room", None),
        ]
        assert log_lines(app)[0].endswith("queues at reception (Users B)")

        # A segment with other groups forgets the group, so notes are not mis-filed.
        await pilot.press("escape", "2")
        await go_to(pilot, app, "E. Exploring aspirations")
        assert "no group (esc 1-3)" in entry_context(app)
        assert any("cleared group Users B" in t for t in toasts)
        same_state(app)


@sync
async def test_roles_get_names_and_notes_are_attributed_to_a_role(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await go_to(pilot, app, "Activity 5: Partnership meeting role-play")
        await pilot.press("escape", "2", "escape", "R")  # group 2, then its names
        await pilot.pause()
        assert isinstance(app.screen, RolesScreen)
        assert app.focused is not None and app.focused.id == "role-1-0", "group 2's first role"
        await pilot.press(*"Asha Patel", "tab", *"Bo Chen", "ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, RunScreen)
        assert live(app).state.group_roles == {
            GROUP_2: {"Partnership facilitator": "Asha Patel", "Individual member": "Bo Chen"}
        }
        assert event_types(app).count("RoleAssigned") == 2

        await pilot.press("escape", "o")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("2")
        await settle(pilot, app)
        assert "as Individual member (Bo Chen)" in entry_context(app)
        await type_note(pilot, app, "I can't commit staff time")
        await pilot.press("escape", "o", "0")
        await type_note(pilot, app, "back to nobody")
        assert [(n.text, n.group, n.role) for n in notes_written(app)] == [
            ("I can't commit staff time", GROUP_2, "Individual member"),
            ("back to nobody", GROUP_2, None),
        ]
        assert "as Individual member" in log_lines(app)[0]
        same_state(app)


@sync
async def test_the_roles_dialog_puts_the_cursor_in_the_first_name(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        assert app.focused.id == "role-0-0"  # group 1's first role


@sync
async def test_roles_outside_a_role_play_say_so(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    toasts = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, RunScreen)
        assert any("names no roles" in t for t in toasts)


@sync
async def test_f_picks_a_feedback_category_for_the_following_notes(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, "session-evaluation")
    async with app.run_test(size=SIZE) as pilot:
        categories = live(app).agenda.segments[0].feedback
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("2")
        await settle(pilot, app)
        assert entry(app).has_focus, "choosing a category goes straight to typing"
        assert f"FEEDBACK in {categories[1]}" in entry_context(app)
        await pilot.press(*"clear examples", "enter")
        await pilot.press(*"q: what about the handouts?", "enter")
        await pilot.pause()
        written = [(n.kind, n.text, n.category) for n in notes_written(app)]
        assert written == [
            ("feedback", "clear examples", categories[1]),
            ("question", "what about the handouts?", None),
        ]
        assert log_lines(app)[0] == f"09:30 FEEDBACK {categories[1]} clear examples"
        same_state(app)


@sync
async def test_t_filters_the_log_by_kind(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        for line in ("d: agreed", "a: do it", "just noted", "q: why?", "f: liked it"):
            await type_note(pilot, app, line)
        await pilot.press("escape")
        seen = {}
        for _ in range(6):
            await pilot.press("t")
            await settle(pilot, app)
            kind = notes_log(app).kind_filter
            seen[kind] = [line.split(" ", 2)[2] for line in log_lines(app)]
            assert f"t filters: {kind}" in str(notes_log(app).border_subtitle)
        assert seen == {
            "decision": ["agreed"],
            "action": ["do it"],
            "note": ["just noted"],
            "question": ["why?"],
            "feedback": ["liked it"],
            "all": ["agreed", "do it", "just noted", "why?", "liked it"],
        }
        assert event_types(app).count("NoteAdded") == 5, "filtering writes nothing"


@sync
async def test_notes_belong_to_the_segment_they_were_typed_in(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await type_note(pilot, app, "first segment")
        await pilot.press("escape", "right_square_bracket")
        await settle(pilot, app)
        assert log_lines(app) == []
        await type_note(pilot, app, "second segment")
        await pilot.press("escape", "left_square_bracket")
        await settle(pilot, app)
        assert log_lines(app) == ["09:30 note first segment"]
        assert [n.segment for n in notes_written(app)] == [0, 1]


@sync
async def test_notes_typed_ahead_in_one_burst_stay_separate(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        burst(app, *"d: first", "enter", *"second", "enter", *"third")
        await pilot.pause()
        await pilot.pause()
        assert [(n.kind, n.text) for n in notes_written(app)] == [
            ("decision", "first"),
            ("note", "second"),
        ]
        assert entry(app).value == "third", "the next note is still being typed"


@sync
async def test_a_one_line_paste_goes_into_the_note_box(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i", *"a: ")
        app.post_message(events.Paste("send the slides @bo"))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert [(n.text, n.owner) for n in notes_written(app)] == [("send the slides", "bo")]


@sync
async def test_a_pasted_paragraph_keeps_every_line(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        app.post_message(events.Paste("Budget agreed in principle\nsubject to the board\n"))
        await pilot.pause()
        assert entry(app).value == "Budget agreed in principle subject to the board"


@sync
async def test_while_typing_the_footer_shows_how_to_save_or_leave_not_timer_keys(
    tmp_path: Path,
) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert "Start/Pause" in footer_labels(app)
        assert "Edit note" not in footer_labels(app), "no note yet to edit"
        await pilot.press("i")
        await settle(pilot, app)
        labels = footer_labels(app)
        assert "Save note" in labels and "Stop typing" in labels
        assert footer_mode(app) == "TYPING"
        assert "Start/Pause" not in labels and "+1m" not in labels
        await pilot.press(*"one", "enter", "escape")
        await settle(pilot, app)
        assert {"Start/Pause", "Edit note", "Delete note"} <= set(footer_labels(app))


@sync
async def test_an_arrow_typed_ahead_of_the_note_box_does_not_move_the_timer(
    tmp_path: Path,
) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        before = segment_title(app)
        burst(app, "i", "right", " ", "left", "x")
        await pilot.pause()
        await settle(pilot, app)
        assert segment_title(app) == before
        assert not live(app).state.running
        assert entry(app).value.strip() == "x"


@sync
async def test_a_palette_command_runs_while_a_note_is_half_typed_and_keeps_it(
    tmp_path: Path,
) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("i", *"half a thought")
        commands = {c.title: c.callback for c in app.get_system_commands(app.screen)}
        await commands["Next segment"]()
        await settle(pilot, app)
        assert segment_title(app).startswith("2. ")
        assert entry(app).value == "half a thought"
        assert entry(app).has_focus


@sync
async def test_help_from_the_palette_while_typing_still_lists_every_key(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("i", *"half")
        commands = {c.title: c.callback for c in app.get_system_commands(app.screen)}
        await commands["Help: all keys"]()
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = "\n".join(str(s.render()) for s in app.screen.query(Static))
        assert "Start/Pause" in keys and "Next" in keys
        assert "TYPING  the note box has it" in keys and "due:31/12" in keys


@sync
async def test_quitting_asks_first_while_a_line_is_typed_or_held(tmp_path: Path) -> None:
    from facilitate.tui.dialogs.confirm import ConfirmScreen

    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await type_note(pilot, app, "a: refused before quit due:45/45")
        await pilot.press(*"half typed sentence", "ctrl+q")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen) and app.is_running
        assert "1 refused note waiting to be fixed" in dialog.question
        assert "A line typed in the note box" in dialog.question
        await pilot.press("escape")  # stay
        await settle(pilot, app)
        assert app.is_running and entry(app).value == "half typed sentence"
        assert held_box(app).value == "a: refused before quit due:45/45"
        await pilot.press("ctrl+u", "up", "ctrl+u", "enter", "ctrl+q")  # both gone on purpose
        await settle(pilot, app)
        assert not app.is_running
