"""Typing is safe: prose typed straight after any picker, dialog or panel action, at
machine speed, is a note (or nothing) and never a command.

Each test sends the picker's or dialog's keys and the sentence after them in one burst,
as a terminal read delivers a fast typist's keys, so nothing waits for the screen to
catch up. The sentence holds every key that is a command elsewhere: spaces (start and
pause), r (restart), e (edit), x (delete), y (yes), digits (groups), ] (next segment).
Then: the clock runs on untouched, no dialog is open, the note typed before is as it
was, and the sentence is one note, filed where the picker said.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from apptools import (
    burst,
    entry,
    entry_context,
    event_types,
    footer_mode,
    journal_events,
    live,
    make_app,
    notes_log,
    run_screen,
    same_state,
    settle,
    sync,
    timer_status,
    type_note,
)
from facilitate.state import Note
from facilitate.tui.app import FacilitateApp
from facilitate.tui.run.screen import RunScreen

SIZE = (120, 40)
PROSE = "the group said yes, review 2 options next year x3 ] really"
MEETING = 1  # partnership-meeting: three groups, five roles
FEEDBACK = 3  # partnership-meeting: three feedback headings; groups shared with the meeting
GROUPS = ("Group 1", "Group 2", "Group 3")
ROLES = (
    "Partnership facilitator",
    "Individual member",
    "Organisational representative",
    "Community representative",
    "Academic",
)


async def drain(pilot: Pilot[Any], app: FacilitateApp) -> None:
    """Let a long burst be taken in, key by key, and draw."""
    for _ in range(6):
        await pilot.pause()
    await settle(pilot, app)


async def meeting(pilot: Pilot[Any], app: FacilitateApp, segment: int = MEETING) -> Note:
    """The clock running in ``segment`` with one note already typed there; the keyboard
    back on the notes (KEYS)."""
    await settle(pilot, app)
    await pilot.press("space")
    for _ in range(segment):
        await pilot.press("right_square_bracket")
        await settle(pilot, app)
        if not isinstance(app.screen, RunScreen):  # a reflection after a segment
            await pilot.press("escape")
            await pilot.press("escape")
    await type_note(pilot, app, "first note, typed before")
    await pilot.press("escape")
    await settle(pilot, app)
    assert footer_mode(app) == "KEYS"
    (first,) = live(app).state.notes.values()
    return first


def untouched(app: FacilitateApp, first: Note, segment: int = MEETING) -> None:
    """The clock runs on in the same segment, no dialog is open, the earlier note is as
    it was, and nothing was edited or deleted."""
    state = live(app).state
    assert isinstance(app.screen, RunScreen), f"a dialog is still open: {app.screen!r}"
    assert state.running and state.current == segment and state.ended_at is None
    assert all(run.adjust_s == 0 for run in state.runs)
    assert state.notes[first.id] == first
    types = event_types(app)
    for kind in ("NoteEdited", "NoteDeleted", "SegmentRestarted", "TimerPaused", "SessionEnded"):
        assert kind not in types, kind
    assert entry(app).has_focus and entry(app).value == ""
    same_state(app)


def last_note(app: FacilitateApp) -> Note:
    notes = sorted(live(app).state.notes.values(), key=lambda n: (n.created, n.id))
    return notes[-1]


def prose_saved(app: FacilitateApp) -> Note:
    note = last_note(app)
    assert note.text == PROSE and note.kind == "note"
    return note


# --- pickers --------------------------------------------------------------------------


@sync
async def test_prose_after_picking_a_group_is_a_note_of_that_group(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        first = await meeting(pilot, app)
        burst(app, "2", *PROSE, "enter")
        await drain(pilot, app)
        assert prose_saved(app).group == "Group 2"
        untouched(app, first)


@sync
async def test_prose_after_picking_a_role_is_a_note_by_that_role(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        first = await meeting(pilot, app)
        burst(app, "3", *PROSE, "enter", "escape", "o", "5", *PROSE, "enter")
        await drain(pilot, app)
        note = prose_saved(app)
        assert (note.group, note.role) == ("Group 3", "Academic"), "the digit picked the role"
        assert "as Academic" in entry_context(app) and "Group 3" in entry_context(app)
        untouched(app, first)


@sync
async def test_a_digit_past_the_roles_picks_no_group_and_the_picker_waits(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        await meeting(pilot, app)
        burst(app, "o", "7")
        await drain(pilot, app)
        assert not isinstance(app.screen, RunScreen), "seven roles? the picker stays open"
        burst(app, "escape", *"after escape", "enter")
        await drain(pilot, app)
        note = last_note(app)
        assert (note.text, note.group, note.role) == ("after escape", None, None)


@sync
async def test_prose_after_picking_a_feedback_category_is_feedback_there(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        first = await meeting(pilot, app, FEEDBACK)
        burst(app, "f", "2", *PROSE, "enter")
        await drain(pilot, app)
        note = last_note(app)
        assert (note.kind, note.text, note.category) == ("feedback", PROSE, "What discouraged us")
        untouched(app, first, FEEDBACK)


@sync
async def test_a_category_named_after_a_group_files_the_feedback_under_that_group(
    tmp_path: Path,
) -> None:
    """Group 2 reporting back is Group 2's feedback, whichever group was picked before."""
    app, _ = make_app(tmp_path, "case-study-perspectives")
    async with app.run_test(size=SIZE) as pilot:
        first = await meeting(pilot, app, 5)  # Group feedback: themes
        burst(app, "1", *"a note of group 1", "enter", "escape", "f", "2", *PROSE, "enter")
        await drain(pilot, app)
        note = last_note(app)
        assert (note.kind, note.category, note.group) == ("feedback", "Group 2", "Group 2")
        untouched(app, first, 5)


# --- dialogs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "what"),
    [
        (("r", "n"), "restart, answered no"),
        (("x", "n"), "delete, answered no"),
        (("x", "escape"), "delete, escaped"),
        (("E", "n"), "end the session, answered no"),
        (("question_mark", "escape"), "help"),
        (("p", "escape"), "the projector"),
        (("a", "escape"), "the whole day's notes"),
        (("n", "escape"), "re-plan, rejected"),
        (("A", "escape"), "who was there, cancelled"),
        (("g", "escape"), "go to, escaped"),
        (("w", "escape"), "reflection, escaped"),
    ],
)
@sync
async def test_prose_after_a_dialog_is_a_note(
    tmp_path: Path, keys: tuple[str, ...], what: str
) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        first = await meeting(pilot, app)
        burst(app, *keys, *PROSE, "enter")
        await drain(pilot, app)
        prose_saved(app)
        untouched(app, first)


@sync
async def test_prose_after_going_to_a_segment_is_a_note_there(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        first = await meeting(pilot, app)
        burst(app, "g", "3", *PROSE, "enter")
        await drain(pilot, app)
        assert prose_saved(app).segment == 2
        untouched(app, first, segment=2)
        assert event_types(app).count("SegmentChanged") == 2


@sync
async def test_prose_after_restarting_is_a_note_and_restarts_once(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        await meeting(pilot, app)
        burst(app, "r", "y", *PROSE, "enter")
        await drain(pilot, app)
        prose_saved(app)
        assert event_types(app).count("SegmentRestarted") == 1
        assert live(app).state.running and entry(app).has_focus


@sync
async def test_prose_after_deleting_a_note_is_a_note_and_deletes_only_that_one(
    tmp_path: Path,
) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        first = await meeting(pilot, app)
        burst(app, "x", "y", *PROSE, "enter")
        await drain(pilot, app)
        prose_saved(app)
        assert live(app).state.notes[first.id].deleted
        assert event_types(app).count("NoteDeleted") == 1
        assert len(live(app).state.live_notes()) == 1


@sync
async def test_prose_after_naming_the_roles_of_a_group_is_a_note(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        first = await meeting(pilot, app)
        burst(app, "2", "escape", "R")
        await drain(pilot, app)  # the names are typed into the dialog once it is there
        burst(
            app, *"Asha", "tab", *"Bo", "enter", "enter", "enter", *"Di", "ctrl+s", *PROSE, "enter"
        )
        await drain(pilot, app)
        assert live(app).state.group_roles == {
            "Group 2": {
                "Partnership facilitator": "Asha",
                "Individual member": "Bo",
                "Academic": "Di",
            }
        }
        assert prose_saved(app).group == "Group 2"
        untouched(app, first)


@sync
async def test_prose_after_a_reflection_is_a_note(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        first = await meeting(pilot, app)
        burst(app, "w")
        await drain(pilot, app)
        burst(app, "4", *"we listened", "enter", *"more time", "enter", *PROSE, "enter")
        await drain(pilot, app)
        (reflection,) = live(app).state.reflections
        assert (reflection.rating, reflection.felt, reflection.change) == (
            4,
            "we listened",
            "more time",
        )
        prose_saved(app)
        untouched(app, first)


@sync
async def test_prose_after_editing_a_note_is_a_new_note(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        first = await meeting(pilot, app)
        burst(app, "e", "end", *" (fixed)", "enter", *PROSE, "enter")
        await drain(pilot, app)
        assert live(app).state.notes[first.id].text == "first note, typed before (fixed)"
        prose_saved(app)
        assert event_types(app).count("NoteEdited") == 1


# --- panels ---------------------------------------------------------------------------


@sync
async def test_prose_typed_into_a_panel_moves_no_clock_opens_nothing_and_edits_no_note(
    tmp_path: Path,
) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        first = await meeting(pilot, app)
        burst(app, "2", "escape", "m", "B", "c", "r", " ", "e", "y", "1", "]", "t", "E")
        await drain(pilot, app)
        screen = run_screen(app)
        assert footer_mode(app) == "PANEL"
        assert isinstance(app.screen, RunScreen)
        seen = live(app).state.panels.seen(MEETING, "Group 2")
        assert seen.tallies == {"blame": 1}, "B in the Mobius panel counts for the group picked"
        state = live(app).state
        assert state.running and state.current == MEETING
        assert state.notes == {first.id: first}
        assert screen.capture.context.group == "Group 2", "1 in a panel picks no group"
        burst(app, "escape", "i", *PROSE, "enter")
        await drain(pilot, app)
        assert prose_saved(app).group == "Group 2"
        untouched(app, first)


@sync
async def test_a_suggested_panel_opens_without_the_keyboard_and_its_key_gives_it(
    tmp_path: Path,
) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        await meeting(pilot, app)  # the meeting suggests the Mobius panel
        screen = run_screen(app)
        panel = screen.query_one("#panel-mobius")
        assert panel.display and footer_mode(app) == "KEYS"
        assert "m: use this panel" in " ".join(str(w.render()) for w in panel.query(".panel-keys"))
        burst(app, "B", "W")  # tallies from the notes log, for the whole room
        await drain(pilot, app)
        assert live(app).state.panels.seen(MEETING, None).tallies == {"blame": 1, "worry": 1}
        burst(app, "m")  # open, not in use: m gives it the keyboard (does not close it)
        await drain(pilot, app)
        assert panel.display and footer_mode(app) == "PANEL"
        burst(app, "c")  # another panel's key from inside: that panel instead
        await drain(pilot, app)
        assert screen.query_one("#panel-checklist").display and not panel.display
        burst(app, "c")  # its own key from inside: closes it, back to the notes
        await drain(pilot, app)
        assert not screen.query_one("#side").display
        assert app.focused is notes_log(app)


@sync
async def test_tallies_never_count_while_typing(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        await meeting(pilot, app)
        burst(app, "i", *"Bob Preston Wants Clear Data", "enter")
        await drain(pilot, app)
        assert live(app).state.panels.observations == {}
        assert last_note(app).text == "Bob Preston Wants Clear Data"


# --- the scribe's terminal --------------------------------------------------------------


@sync
async def test_a_scribe_types_from_the_start_and_after_every_picker(tmp_path: Path) -> None:
    app, source = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("right_square_bracket")  # the facilitator moves on to the meeting
        sid = live(app).id
    scribe, _ = make_app(tmp_path, mode="join", session=sid, writer_id="s", source=source)
    async with scribe.run_test(size=SIZE) as pilot:
        await settle(pilot, scribe)
        assert entry(scribe).has_focus and footer_mode(scribe) == "TYPING"
        burst(scribe, *PROSE, "enter", "escape", "1", *PROSE, "enter", "escape", "space", "]")
        await drain(pilot, scribe)
        notes = [(n.text, n.group) for n in live(scribe).state.notes.values()]
        assert notes == [(PROSE, None), (PROSE, "Group 1")]
        assert live(scribe).state.current == MEETING, "a scribe's keys never move the timer"
        assert not live(scribe).state.running
        mine = [e for e in journal_events(scribe) if e.writer == "s"]
        assert {type(e).__name__ for e in mine} == {"NoteAdded"}


@sync
async def test_the_footer_names_the_mode_of_the_moment(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert footer_mode(app) == "KEYS"
        await pilot.press("i")
        await settle(pilot, app)
        assert footer_mode(app) == "TYPING"
        await pilot.press("escape", "c")
        await settle(pilot, app)
        assert footer_mode(app) == "PANEL"
        await pilot.press("escape")
        await settle(pilot, app)
        assert footer_mode(app) == "KEYS"


@sync
async def test_the_footer_says_dialog_while_a_dialog_has_the_keys(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        await meeting(pilot, app)
        for opens in ("o", "question_mark", "r", "g"):
            await pilot.press(opens)
            await settle(pilot, app)
            assert not isinstance(app.screen, RunScreen)
            assert footer_mode(app) == "DIALOG", opens
            await pilot.press("escape")
            await settle(pilot, app)
            assert footer_mode(app) == "TYPING", opens
            await pilot.press("escape")
            await settle(pilot, app)


@sync
async def test_the_ready_clock_says_how_to_start_it_from_the_note_box(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert timer_status(app) == "READY · space starts"
        await pilot.press("i")
        await settle(pilot, app)
        assert timer_status(app) == "READY · esc, then space starts"
        await pilot.press("escape")
        await settle(pilot, app)
        assert timer_status(app) == "READY · space starts"
