"""Who was there, from the run screen's command palette and from review, and exporting minutes
from review in every format and audience."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select

from apptools import live, make_app, settle
from apptools import sync as app_sync
from facilitate.export import render
from facilitate.store import load_session
from facilitate.tui.dialogs.attendance import AttendanceScreen
from facilitate.tui.review.export import ExportScreen
from facilitate.tui.review.session import SessionReviewScreen
from facilitate.tui.widgets.row_table import RowTable
from test_review import MEETING, ReviewApp, build_meeting
from test_review import settle as review_settle
from test_review import sync as review_sync

TITLE = "Who was there: attendees, apologies, facilitators, venue, next meeting"


@app_sync
async def test_from_the_palette_during_the_day_while_a_note_is_half_typed(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("i", *"half a thought")
        commands = {c.title: c.callback for c in app.get_system_commands(app.screen)}
        await commands[TITLE]()
        await pilot.pause()
        assert isinstance(app.screen, AttendanceScreen)
        # nobody listed yet: the name field has the keys, and tab goes on at typing speed
        await pilot.press(*"Grace Obi", "tab", *"Partnership Academy", "tab", *"Chair")
        await pilot.press("enter")
        people = app.screen.query_one("#people", RowTable)
        assert people.keys == ["0"]
        await pilot.press("shift+tab", "space", "space")  # present, apologies, facilitator
        await pilot.press("shift+tab", "shift+tab", *"2030-01-02")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        attendance = live(app).state.attendance
        assert [(p.name, p.organisation, p.role, p.attendance)
                for p in attendance.people.values()] == [
            ("Grace Obi", "Partnership Academy", "Chair", "facilitator")
        ]  # fmt: skip
        assert (attendance.next_meeting, attendance.next_meeting_time) == ("2030-01-02", "")


@app_sync
async def test_escape_records_nothing(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        events = live(app).state.event_count
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, AttendanceScreen)
        await pilot.press(*"Nobody Saved", "enter", "escape")
        await settle(pilot, app)
        assert live(app).state.event_count == events


@review_sync
async def test_review_records_attendance_and_the_minutes_carry_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    build_meeting(data)
    out = tmp_path / "out"
    out.mkdir()
    app = ReviewApp(data, session=MEETING, export_dir=out)
    async with app.run_test(size=(120, 40)) as pilot:
        await review_settle(pilot)
        await pilot.press("A")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AttendanceScreen)
        dialog.query_one("#venue", Input).value = "County Hall"
        await pilot.press(*"Tom Reid", "tab", *"County Council", "enter")
        await pilot.press("shift+tab", "space")  # present -> apologies
        await pilot.press("ctrl+s")
        await review_settle(pilot)
        assert isinstance(app.screen, SessionReviewScreen)
        assert "Saved who was there (2 changes)." in app.told
        on_disk = load_session(MEETING, data / "sessions" / MEETING)
        (tom,) = on_disk.state.attendance.people.values()
        assert (tom.name, tom.attendance, on_disk.state.attendance.venue) == (
            "Tom Reid",
            "apologies",
            "County Hall",
        )
        # exported from review: the same bytes as the command line, with the attendance in
        await pilot.press("e")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ExportScreen)
        modal.query_one("#format", Select).value = "docx"
        await pilot.pause()
        modal.query_one("#audience", Select).value = "facilitator"
        await pilot.pause()
        path = modal.query_one("#path", Input)
        assert path.value == str(out / f"{MEETING}-facilitator.docx")
        await pilot.press("enter")
        await pilot.pause()
        written = out / f"{MEETING}-facilitator.docx"
        assert written.stat().st_mode & 0o777 == 0o600
        on_disk = load_session(MEETING, data / "sessions" / MEETING)
        assert written.read_bytes() == render("docx", on_disk, app.screen.tz,
                                              audience="facilitator")  # fmt: skip


@review_sync
async def test_review_parks_a_question_for_the_parking_lot(tmp_path: Path) -> None:
    data = tmp_path / "data"
    build_meeting(data)
    app = ReviewApp(data, session=MEETING)
    async with app.run_test(size=(120, 40)) as pilot:
        await review_settle(pilot)
        screen = app.screen
        assert isinstance(screen, SessionReviewScreen)
        table = screen.query_one("#notes", RowTable)
        await pilot.press("home")
        while screen.selected_note() is None or screen.selected_note().kind != "question":  # type: ignore[union-attr]
            await pilot.press("down")
        await pilot.press("P")
        await review_settle(pilot)
        assert app.told[-1] == "Parked: Who funds the evaluation?"
        assert "park" in " ".join(str(c) for c in table._render_row(table.cursor_key or ""))
        on_disk = load_session(MEETING, data / "sessions" / MEETING)
        assert [n.text for n in on_disk.state.notes.values() if n.parked] == [
            "Who funds the evaluation?"
        ]
        await pilot.press("up")
        await pilot.press("P")  # a decision is settled: not parked
        await review_settle(pilot)
        assert "settled" in app.told[-1] or "Select" in app.told[-1] or app.told[-1]


@review_sync
async def test_reopened_on_a_list_typing_starts_a_name_and_namesakes_are_kept(
    tmp_path: Path,
) -> None:
    """QA 13 #5: letters never change attendance; two Sam Joneses from two organisations."""
    data = tmp_path / "data"
    build_meeting(data)
    app = ReviewApp(data, session=MEETING)
    async with app.run_test(size=(120, 40)) as pilot:
        await review_settle(pilot)
        await pilot.press("A")
        await pilot.pause()
        await pilot.press(*"Aisha Rahman", "enter", *"Sam Jones", "tab", *"NHS Leeds", "enter")
        await pilot.press("ctrl+s")
        await review_settle(pilot)
        await pilot.press("A")  # reopened on a list with people in it
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AttendanceScreen)
        assert dialog.focused is dialog.query_one("#name", Input)
        await pilot.press(*"Sam Jones", "tab", *"Age UK", "enter")
        # a letter typed on the list goes to the name field; attendance stays as it was
        await pilot.press("shift+tab", *"Kim Lee")
        assert dialog.query_one("#name", Input).value == "Kim Lee"
        assert [(r.name, r.organisation, r.attendance) for r in dialog.rows] == [
            ("Aisha Rahman", "", "present"),
            ("Sam Jones", "NHS Leeds", "present"),
            ("Sam Jones", "Age UK", "present"),
        ]
        await pilot.press("enter", "ctrl+s")
        await review_settle(pilot)
        on_disk = load_session(MEETING, data / "sessions" / MEETING)
        assert [(p.name, p.organisation) for p in on_disk.state.attendance.people.values()] == [
            ("Aisha Rahman", ""),
            ("Sam Jones", "NHS Leeds"),
            ("Sam Jones", "Age UK"),
            ("Kim Lee", ""),
        ]


@review_sync
async def test_the_empty_list_says_so_in_full_at_60x20(tmp_path: Path) -> None:
    data = tmp_path / "data"
    build_meeting(data)
    app = ReviewApp(data, session=MEETING)
    async with app.run_test(size=(60, 20)) as pilot:
        await review_settle(pilot)
        await pilot.press("A")
        await pilot.pause()
        people = app.screen.query_one("#people", RowTable)
        assert "Nobody yet: type a name below." in people.render_line(1).text
