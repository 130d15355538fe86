"""The whole day's notes: every note by segment then group, each one open to be fixed, from
the run screen (without touching the clock) and from review after the session. Edits are
events: the journal keeps what was first typed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from apptools import (
    advance,
    burst,
    countdown,
    entry,
    journal_events,
    live,
    log_lines,
    make_app,
    same_state,
    settle,
    sync,
    type_note,
)
from facilitate.events import NoteAdded, NoteEdited
from facilitate.state import Note
from facilitate.store import load_session
from facilitate.tui.app import FacilitateApp
from facilitate.tui.dialogs.confirm import ConfirmScreen
from facilitate.tui.notes import DayNotesScreen, NoteFormScreen
from facilitate.tui.review.session import SessionReviewScreen
from facilitate.tui.run.screen import RunScreen
from facilitate.tui.widgets.row_table import RowTable
from test_review import (
    MEETING,
    ReviewApp,
    build_evaluation,
    build_meeting,
    build_programme,
    open_meeting,
    select_note,
)
from test_review import settle as settle_review

SIZE = (120, 40)


@pytest.fixture
def saved_sessions(tmp_path: Path) -> Path:
    """The three sessions review is tested on (see test_review)."""
    root = tmp_path / "data"
    build_meeting(root)
    build_programme(root)
    build_evaluation(root)
    return root


async def day_of_notes(pilot: Pilot[Any], app: FacilitateApp) -> None:
    """Notes in the first segment, then in the meeting under two groups and a role."""
    await settle(pilot, app)
    await pilot.press("space")
    await type_note(pilot, app, "welcome done")
    await pilot.press("escape", "right_square_bracket")
    await settle(pilot, app)
    burst(app, "2", *"group two speaks", "enter", "escape", "1", *"group one speaks", "enter")
    burst(app, "escape", "o", "5", *"a: check the data @Bo due:friday", "enter")
    for _ in range(4):
        await pilot.pause()
    await settle(pilot, app)


def notes_screen(app: FacilitateApp) -> DayNotesScreen:
    screen = app.screen
    assert isinstance(screen, DayNotesScreen), f"expected the day's notes, got {screen!r}"
    return screen


def rows(app: FacilitateApp) -> list[str]:
    """The view's rows as text: segment and group headings, then notes."""
    screen = notes_screen(app)
    table = screen.query_one(RowTable)
    return [" ".join(str(cell) for cell in screen.row(key)).strip() for key in table.keys]


async def select(pilot: Pilot[Any], app: FacilitateApp, text: str) -> Note:
    screen = notes_screen(app)
    table = screen.query_one(RowTable)
    await pilot.press("home")
    while (note := screen.selected()) is None or note.text != text:
        assert table.cursor < len(table.keys) - 1, f"{text!r} is not shown"
        await pilot.press("down")
    return note


def form(app: FacilitateApp) -> NoteFormScreen:
    screen = app.screen
    assert isinstance(screen, NoteFormScreen), f"expected the note form, got {screen!r}"
    return screen


@sync
async def test_every_note_of_the_day_by_segment_then_group(tmp_path: Path) -> None:
    app, source = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        await day_of_notes(pilot, app)
        await pilot.press("escape", "a")
        await settle(pilot, app)
        assert rows(app) == [
            "── 1. Allocate the roles",
            "09:30 note    welcome done",
            "── 2. Partnership meeting",
            "Group 1",
            "09:30 note    group one speaks",
            "09:30 ACTION    check the data  (as Academic; owner Bo; due 2026-11-27)",
            "Group 2",
            "09:30 note    group two speaks",
        ]
        # The view does not stop the clock: it runs on underneath.
        before = live(app).state.runs[1].started_at
        await advance(pilot, app, source, 60)
        assert live(app).state.running and live(app).state.runs[1].started_at == before
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, RunScreen) and entry(app).has_focus
        assert countdown(app) == "29:00"


@sync
async def test_fixing_a_notes_text_kind_owner_due_segment_group_and_role(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        await day_of_notes(pilot, app)
        await pilot.press("escape", "a")
        await settle(pilot, app)
        note = await select(pilot, app, "welcome done")
        await pilot.press("enter")
        await settle(pilot, app)
        edit = form(app)
        edit.select("kind").value = "action"
        await pilot.pause()
        assert not edit.query_one("#owner", Input).disabled, "an action has an owner"
        edit.query_one("#text", Input).value = "welcome pack to send"
        edit.query_one("#owner", Input).value = "Sam Jones"
        edit.query_one("#due", Input).value = "31/12"
        edit.select("segment").value = 1
        await pilot.pause()
        edit.select("group").value = "Group 3"
        edit.select("role").value = "Academic"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, DayNotesScreen)
        fixed = live(app).state.notes[note.id]
        assert (fixed.kind, fixed.text, fixed.owner, fixed.due) == (
            "action",
            "welcome pack to send",
            "Sam Jones",
            "2026-12-31",
        )
        assert (fixed.segment, fixed.group, fixed.role) == (1, "Group 3", "Academic")
        assert "Group 3" in rows(app)
        added = [e for e in journal_events(app) if isinstance(e, NoteAdded)]
        assert added[0].text == "welcome done", "the journal keeps what was first typed"
        (edited,) = [e for e in journal_events(app) if isinstance(e, NoteEdited)]
        assert (edited.segment, edited.group) == (1, "Group 3")
        await pilot.press("escape")
        await settle(pilot, app)
        assert any("welcome pack to send" in line for line in log_lines(app))
        same_state(app)


@sync
async def test_a_refused_fix_keeps_the_form_open_with_what_was_typed(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        await day_of_notes(pilot, app)
        await pilot.press("escape", "a")
        await settle(pilot, app)
        await select(pilot, app, "check the data")
        await pilot.press("enter")
        await settle(pilot, app)
        edit = form(app)
        edit.query_one("#due", Input).value = "31/02"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is edit
        problem = str(edit.query_one("#form-problem", Static).render())
        assert "Not saved: due date '31/02' is not a date" in problem
        assert edit.query_one("#due", Input).value == "31/02"
        assert not [e for e in journal_events(app) if isinstance(e, NoteEdited)]


@sync
async def test_escape_on_an_open_list_closes_the_list_and_keeps_the_edit(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        await day_of_notes(pilot, app)
        await pilot.press("escape", "a")
        await settle(pilot, app)
        await select(pilot, app, "welcome done")
        await pilot.press("enter")
        await settle(pilot, app)
        edit = form(app)
        await pilot.press("end", *" EDITED", "shift+tab", "enter")  # text, then the kind list
        await settle(pilot, app)
        assert edit.select("kind").expanded
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen is edit and not edit.select("kind").expanded
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert any(n.text == "welcome done EDITED" for n in live(app).state.notes.values())


@sync
async def test_moving_to_another_segment_offers_that_segments_groups(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        await day_of_notes(pilot, app)
        await pilot.press("escape", "a")
        await settle(pilot, app)
        await select(pilot, app, "group two speaks")
        await pilot.press("enter")
        await settle(pilot, app)
        edit = form(app)
        assert edit.select("group").value == "Group 2"
        edit.select("segment").value = 3  # Group feedback: its groups, and categories
        await pilot.pause()
        assert edit.select("group").value == "Group 2", "the same groups: the group stays"
        edit.select("kind").value = "feedback"
        await pilot.pause()
        edit.select("category").value = "What encouraged us"
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        moved = next(n for n in live(app).state.notes.values() if n.text == "group two speaks")
        assert (moved.segment, moved.group, moved.kind, moved.category) == (
            3,
            "Group 2",
            "feedback",
            "What encouraged us",
        )


@sync
async def test_delete_asks_first_and_x_typed_by_mistake_deletes_nothing(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        await day_of_notes(pilot, app)
        await pilot.press("escape", "a")
        await settle(pilot, app)
        note = await select(pilot, app, "welcome done")
        await pilot.press("x", "y")  # prose typed here by mistake
        await settle(pilot, app)
        assert not live(app).state.notes[note.id].deleted
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot, app)
        assert live(app).state.notes[note.id].deleted
        assert "welcome done" not in " ".join(rows(app))


@sync
async def test_review_after_the_session_fixes_notes_in_the_same_view(
    saved_sessions: Path,
) -> None:
    data_dir = saved_sessions
    app = ReviewApp(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_meeting(pilot)
        await select_note(pilot, screen, "Who funds the evaluation?")
        await pilot.press("a")
        await settle_review(pilot)
        view = app.screen
        assert isinstance(view, DayNotesScreen)
        table = view.query_one(RowTable)
        await pilot.press("home")
        while (note := view.selected()) is None or note.text != "Who funds the evaluation?":
            assert table.cursor < len(table.keys) - 1
            await pilot.press("down")
        await pilot.press("enter")
        await settle_review(pilot)
        edit = app.screen
        assert isinstance(edit, NoteFormScreen)
        edit.query_one("#text", Input).value = "Who funds the evaluation, and for how long?"
        edit.query_one(Select).value = "question"
        await pilot.press("ctrl+s")
        await settle_review(pilot)
        await pilot.press("escape")
        await settle_review(pilot)
        assert isinstance(app.screen, SessionReviewScreen)
        texts = [screen.loaded.state.notes[i].text for i in screen.shown]  # type: ignore[union-attr]
        assert "Who funds the evaluation, and for how long?" in texts
    on_disk = load_session(MEETING, data_dir / "sessions" / MEETING)
    edited = [n for n in on_disk.state.notes.values() if n.edited is not None]
    assert [n.text for n in edited] == ["Who funds the evaluation, and for how long?"]


@sync
async def test_moving_and_editing_typed_at_once_open_the_note_moved_to(tmp_path: Path) -> None:
    """The list's moving keys act as they arrive, like e: "home down e" typed in one burst
    opens the second row's note, not the one the cursor was leaving."""
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        await day_of_notes(pilot, app)
        await pilot.press("escape", "a")
        await settle(pilot, app)
        burst(app, "home", "down", "e")
        for _ in range(4):
            await pilot.pause()
        assert form(app).note.text == "welcome done"
