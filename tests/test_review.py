"""Review: the session list, one session's timing and notes, search, actions and export.

Sessions are built on a fake clock (fixed instants in March 2025, UTC) with
the real journal and summary code, then reviewed through the real screens.
"""

from __future__ import annotations

import asyncio
import functools
import stat
from collections.abc import Callable, Coroutine
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Input, Select, Static

from facilitate.clock import FakeTimeSource, SessionClock
from facilitate.events import (
    ActionDone,
    NoteDeleted,
    RoleAssigned,
    SegmentChanged,
    SessionEnded,
    TimeAdjusted,
    TimerStarted,
)
from facilitate.paths import Paths
from facilitate.store import load_session
from facilitate.tui.review.actions import ActionsScreen
from facilitate.tui.review.export import ExportScreen
from facilitate.tui.review.search import SearchScreen
from facilitate.tui.review.session import SessionReviewScreen
from facilitate.tui.review.sessions import SessionListScreen
from facilitate.tui.review.timing_chart import TimingChart
from facilitate.tui.widgets.row_table import RowTable
from sessionfactory import Scripted, start_session

TODAY = date(2025, 3, 20)
REVIEWED_AT = datetime(2025, 3, 20, 16, 0, tzinfo=UTC)
MEETING = "2025-03-04-0900-partnership-meeting"
PROGRAMME = "2025-03-11-0930-sample-programme"
EVALUATION = "2025-03-18-1400-session-evaluation"


def build_meeting(root: Path) -> None:
    """Ended: overran the meeting by 8 minutes, two actions (one overdue by TODAY)."""
    day = start_session(root, "partnership-meeting", start=datetime(2025, 3, 4, 9, 0, tzinfo=UTC))
    day.record(RoleAssigned, role="Partnership facilitator", person="Asha Patel")
    day.record(TimerStarted)
    day.wait(10)
    day.note("note", "Group 1 drew lots for roles", group="Group 1")
    day.record(SegmentChanged, segment=1, reason="next")
    day.wait(5)
    day.note("decision", "Meet monthly, chaired by the facilitator", group="Group 1")
    day.note("action", "Share the baseline survey", owner="Bo", due="2025-03-11")
    day.note("action", "Circulate draft terms of reference", owner="Asha", due="2025-03-31")
    day.note("question", "Who funds the evaluation?", group="Group 2", role="Academic")
    typo = day.note("note", "Mistyped budget note")
    day.record(NoteDeleted, note_id=typo)
    day.wait(33)
    day.record(SegmentChanged, segment=2, reason="next")
    day.wait(12)
    day.note("feedback", "A clear chair kept us moving", category="What encouraged us")
    day.record(SegmentChanged, segment=3, reason="next")
    day.wait(15)
    day.record(SessionEnded)
    finish(day)


def build_programme(root: Path) -> None:
    """Not ended: stopped in the third segment; one action already done."""
    day = start_session(root, "sample-programme", start=datetime(2025, 3, 11, 9, 30, tzinfo=UTC))
    day.record(TimerStarted)
    day.wait(30)
    day.record(SegmentChanged, segment=1, reason="next")
    day.record(TimeAdjusted, segment=1, seconds=300)
    day.wait(12)
    done = day.note("action", "Send the budget figures", owner="Priya", due="2025-03-14")
    day.record(ActionDone, note_id=done, done=True)
    day.note("note", "Budget discussion postponed to the afternoon")
    day.record(SegmentChanged, segment=2, reason="next")
    day.wait(20)
    finish(day)


def build_evaluation(root: Path) -> None:
    """Created and never started."""
    day = start_session(root, "session-evaluation", start=datetime(2025, 3, 18, 14, 0, tzinfo=UTC))
    finish(day)


def finish(day: Scripted) -> None:
    day.live.save_summary()
    assert day.live.queue is not None
    day.live.queue.writer.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    build_meeting(root)
    build_programme(root)
    build_evaluation(root)
    return root


class ReviewApp(App[None]):
    """The screens on their own, with a fake clock and UTC: what the launcher will push."""

    def __init__(self, data: Path, *, session: str | None = None, export_dir: Path | None = None):
        super().__init__()
        self.paths = Paths(data, data)
        self.clock = SessionClock(FakeTimeSource(REVIEWED_AT))
        self.session = session
        self.export_dir = export_dir
        self.told: list[str] = []

    def notify(self, message: str, **kwargs: Any) -> None:
        """Keep what the user was told, to check it."""
        self.told.append(message)
        super().notify(message, **kwargs)

    def get_default_screen(self) -> Screen[Any]:
        """The first screen, built as FacilitateApp builds its own (q on it quits)."""
        if self.session:
            return SessionReviewScreen(self.paths, self.session, UTC, TODAY, self.clock,
                                       export_dir=self.export_dir)  # fmt: skip
        return SessionListScreen(self.paths, UTC, TODAY, self.clock)


async def settle(pilot: Pilot[None]) -> None:
    """Let thread workers (loading) finish and their results reach the screen."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def screen_text(app: App[None]) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def row_keys(table: DataTable[object]) -> list[str]:
    return [str(row.key.value) for row in table.ordered_rows]


def notes_shown(screen: SessionReviewScreen) -> list[str]:
    assert screen.loaded is not None
    return [screen.loaded.state.notes[i].text for i in screen.shown]


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test without an async pytest plugin (fixtures still resolve)."""

    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return wrapper


def review_screen(app: App[None]) -> SessionReviewScreen:
    screen = app.screen
    assert isinstance(screen, SessionReviewScreen)
    return screen


async def open_meeting(pilot: Pilot[None]) -> SessionReviewScreen:
    """From the list (newest first), open the oldest session: the partnership meeting."""
    await settle(pilot)
    await pilot.press("end", "enter")
    await settle(pilot)
    screen = review_screen(pilot.app)
    assert screen.sid == MEETING
    return screen


async def select_note(pilot: Pilot[None], screen: SessionReviewScreen, text: str) -> None:
    table = screen.query_one("#notes", RowTable)
    await pilot.press("home")
    while selected_text(screen) != text:
        assert table.cursor < len(table.keys) - 1, f"{text!r} is not shown"
        await pilot.press("down")


def selected_text(screen: SessionReviewScreen) -> str | None:
    note = screen.selected_note()
    return note.text if note else None


# --- the session list -----------------------------------------------------------------------


@sync
async def test_list_shows_sessions_newest_first_with_their_counts(data_dir: Path) -> None:
    app = ReviewApp(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SessionListScreen)
        table = screen.query_one("#sessions", RowTable)
        assert table.keys == [EVALUATION, PROGRAMME, MEETING]
        text = screen_text(app)
        assert "2025-03-04 09:00  Activity 5: Partnership meeting role-play" in text
        meeting_line = next(line for line in text.splitlines() if MEETING[:10] in line)
        # decisions, actions, questions, feedback, notes: every kind is counted
        assert meeting_line.split()[-7:] == ["1h15m", "1", "2", "1", "1", "1", "ended"]
        assert "Dec  Act  Q    Fb   Notes" in text
        assert "not started" in text
        for key in ("Open", "Back", "Search all", "Actions"):
            assert key in text.splitlines()[-1]


@sync
async def test_no_sessions_says_how_to_start_one(tmp_path: Path) -> None:
    app = ReviewApp(tmp_path / "empty")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "No saved sessions yet" in text
        assert "facilitate run AGENDA" in text


@sync
async def test_q_leaves_the_list(data_dir: Path) -> None:
    app = ReviewApp(data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0 and not app.is_running


# --- one session ----------------------------------------------------------------------------


@sync
async def test_review_shows_timing_overrun_and_notes_by_segment(data_dir: Path) -> None:
    app = ReviewApp(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        text = screen_text(app)
        assert "Tue 04 Mar 2025, 09:00–10:15 · 1h15m run · ended" in text
        assert "Roles: Partnership facilitator: Asha Patel" in text
        chart = screen.query_one(TimingChart)
        over = {row.title: row.overrun_min for row in chart.rows}
        assert over == {"Allocate the roles": 0, "Partnership meeting": 8,
                        "Reflection in role": 0, "Group feedback": 0}  # fmt: skip
        assert "+8 min over" in text
        # grouped by segment, the deleted note left out
        assert notes_shown(screen) == [
            "Group 1 drew lots for roles",
            "Meet monthly, chaired by the facilitator",
            "Share the baseline survey",
            "Circulate draft terms of reference",
            "Who funds the evaluation?",
            "A clear chair kept us moving",
        ]
        assert "── Partnership meeting" in text
        assert "Mistyped" not in text
        await pilot.press("t")
        assert "+8 min over" not in screen_text(app)


@sync
async def test_filters_cycle_kind_group_and_role(data_dir: Path) -> None:
    app = ReviewApp(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        await pilot.press("k")
        assert screen.filters["kind"] == "decision"
        assert notes_shown(screen) == ["Meet monthly, chaired by the facilitator"]
        await pilot.press("k")
        assert notes_shown(screen) == [
            "Share the baseline survey",
            "Circulate draft terms of reference",
        ]
        assert "Kind: action" in screen_text(app)
        for _ in range(4):
            await pilot.press("k")
        assert screen.filters["kind"] == "all"
        await pilot.press("G", "G")
        assert screen.filters["group"] == "Group 2"
        assert notes_shown(screen) == ["Who funds the evaluation?"]
        await pilot.press("G", "R")
        assert screen.filters["role"] == "Academic"
        assert notes_shown(screen) == ["Who funds the evaluation?"]


@sync
async def test_search_within_a_session_and_escape_clears_it(data_dir: Path) -> None:
    app = ReviewApp(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        await pilot.press("slash")
        await pilot.press(*"TERMS draft")
        assert notes_shown(screen) == ["Circulate draft terms of reference"]
        await pilot.press("enter")  # back to the table, the search stays
        assert screen.focused is screen.query_one("#notes")
        assert notes_shown(screen) == ["Circulate draft terms of reference"]
        await pilot.press("slash", "ctrl+u")
        await pilot.press(*"asha")  # the owner is searched too
        assert notes_shown(screen) == ["Circulate draft terms of reference"]
        await pilot.press("escape")
        assert len(notes_shown(screen)) == 6
        assert review_screen(app) is screen  # escape left the search box, not the screen


@sync
async def test_x_marks_an_action_done_in_the_journal(data_dir: Path) -> None:
    app = ReviewApp(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        await select_note(pilot, screen, "Share the baseline survey")
        line = next(line for line in screen_text(app).splitlines() if "baseline" in line)
        assert "open" in line
        await pilot.press("x")
        await pilot.pause()
        line = next(line for line in screen_text(app).splitlines() if "baseline" in line)
        assert "✓" in line
        on_disk = load_session(MEETING, data_dir / "sessions" / MEETING).state
        (note,) = [n for n in on_disk.notes.values() if n.text == "Share the baseline survey"]
        assert note.done
        await pilot.press("x")
        on_disk = load_session(MEETING, data_dir / "sessions" / MEETING).state
        assert not on_disk.notes[note.id].done
        # x on something that is not an action changes nothing
        await select_note(pilot, screen, "Who funds the evaluation?")
        await pilot.press("x")
        await pilot.pause()
        assert app.told[-1].startswith("Select an action")


@sync
async def test_a_failed_write_stays_visible_as_unsaved_until_saved(data_dir: Path) -> None:
    folder = data_dir / "sessions" / MEETING
    app = ReviewApp(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot)
        await select_note(pilot, screen, "Share the baseline survey")
        await pilot.press("x")  # opens the session for writing
        hidden = folder.with_name("elsewhere")
        folder.rename(hidden)
        folder.write_text("a file where the folder was: it cannot be re-created")
        await pilot.press("x")
        await pilot.pause()
        text = screen_text(app)
        line = next(line for line in text.splitlines() if "baseline" in line)
        assert "open*" in line
        assert "* not saved yet" in text
        folder.unlink()
        hidden.rename(folder)
        screen.retry_pending()
        await pilot.pause()
        line = next(line for line in screen_text(app).splitlines() if "baseline" in line)
        assert "open*" not in line and "open" in line
    on_disk = load_session(MEETING, folder).state
    (note,) = [n for n in on_disk.notes.values() if n.text == "Share the baseline survey"]
    assert not note.done  # done, then undone: both saved, in order


@sync
async def test_export_markdown_from_the_modal(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    app = ReviewApp(data_dir, session=MEETING, export_dir=out)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ExportScreen)
        path_box = modal.query_one("#path", Input)
        assert path_box.value == str(out / f"{MEETING}.md")
        modal.query_one("#format", Select).value = "csv"
        await pilot.pause()
        assert path_box.value == str(out / f"{MEETING}.csv")
        modal.query_one("#format", Select).value = "md"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        written = out / f"{MEETING}.md"
        assert written.is_file()
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
        assert "Activity 5: Partnership meeting role-play" in written.read_text(encoding="utf-8")
        assert app.told[-1] == f"Exported to {written}"


@sync
async def test_export_to_a_missing_folder_is_reported_not_raised(
    data_dir: Path, tmp_path: Path
) -> None:
    app = ReviewApp(data_dir, session=MEETING, export_dir=tmp_path / "nowhere")
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        # the dialog again, the path as it was, the reason inside it (no toast over the path)
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        path = dialog.query_one("#path", Input)
        assert path.value == str(tmp_path / "nowhere" / f"{MEETING}.md")
        problem = dialog.query_one("#problem", Static)
        assert str(problem.render()).startswith("Export failed: the folder")
        assert "does not exist" in str(problem.render())
        assert problem.region.y > path.region.y and problem.region.height >= 1
        assert not [t for t in app.told if t.startswith("Export failed")]
        assert not (tmp_path / "nowhere").exists()


@sync
async def test_markup_and_control_codes_in_notes_show_as_typed(tmp_path: Path) -> None:
    day = start_session(
        tmp_path, "session-evaluation", start=datetime(2025, 3, 18, 14, 0, tzinfo=UTC)
    )
    day.note("note", "[b]not bold[/b] and \x1b[31mnot red")
    day.note("action", "Fix [link](x)", owner="[i]Ann", due="2025-03-01")
    finish(day)
    app = ReviewApp(tmp_path, session=EVALUATION)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "[b]not bold[/b] and \ufffd[31mnot red" in text
        assert "Fix [link](x)" in text and "[i]Ann" in text
        await pilot.press("down", "x")  # the notification repeats the text, markup and all
        assert app.told[-1] == "Marked done: Fix [link](x)"


# --- across sessions --------------------------------------------------------------------------


@sync
async def test_search_across_sessions_opens_the_session_at_the_hit(data_dir: Path) -> None:
    app = ReviewApp(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"budget figures")
        hits = app.screen.query_one("#hits", RowTable)
        assert hits.keys == [f"{PROGRAMME}/{hits.keys[0].split('/')[1]}"]
        assert "1 note matches" in screen_text(app)
        await pilot.press("ctrl+u", *"BUDGET")
        assert len(hits.keys) == 2  # the deleted "Mistyped budget note" is not found
        await pilot.press("enter", "enter")
        await settle(pilot)
        screen = review_screen(app)
        assert screen.sid == PROGRAMME
        assert screen.query_one("#find", Input).value == "BUDGET"
        assert selected_text(screen) == "Send the budget figures"
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)


@sync
async def test_actions_across_sessions_with_overdue_and_open_only(data_dir: Path) -> None:
    app = ReviewApp(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ActionsScreen)
        texts = [screen.items[k].text for k in screen.query_one("#actions", RowTable).keys]
        assert texts == [
            "Share the baseline survey",  # due 11 March: overdue on the 20th
            "Send the budget figures",
            "Circulate draft terms of reference",
        ]
        assert "3 actions across 3 sessions, 1 overdue" in screen_text(app)
        await pilot.press("o")
        texts = [screen.items[k].text for k in screen.query_one("#actions", RowTable).keys]
        assert texts == ["Share the baseline survey", "Circulate draft terms of reference"]
        # marking it done in its session clears it from the open ones
        await pilot.press("enter")
        await settle(pilot)
        assert selected_text(review_screen(app)) == "Share the baseline survey"
        await pilot.press("x", "q")
        await settle(pilot)
        texts = [screen.items[k].text for k in screen.query_one("#actions", RowTable).keys]
        assert texts == ["Circulate draft terms of reference"]
        assert "0 overdue" in screen_text(app)


# --- snapshots ----------------------------------------------------------------------------


@pytest.fixture
def relative_data(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The data dir as a relative path, so the folder shown is the same on every machine."""
    monkeypatch.chdir(data_dir.parent)
    return Path(data_dir.name)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_snapshot_session_list(
    relative_data: Path, snap_compare: Any, size: tuple[int, int]
) -> None:
    assert snap_compare(ReviewApp(relative_data), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_snapshot_session_review(
    relative_data: Path, snap_compare: Any, size: tuple[int, int]
) -> None:
    app = ReviewApp(relative_data, session=MEETING)
    assert snap_compare(app, terminal_size=size, run_before=settle)


@sync
async def test_at_60x20_the_tables_keep_whole_headings_and_readable_notes(data_dir: Path) -> None:
    """On a small terminal each table shows fewer columns, whole, and the note its room:
    owner and due are in the line under the notes; widening the window brings them back."""
    app = ReviewApp(data_dir)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        heading = next(line for line in text.splitlines() if "Date" in line)
        assert heading.split() == ["Date", "Agenda", "Notes", "Status"]
        meeting = next(line for line in text.splitlines() if MEETING[:10] in line)
        assert meeting.split()[-2:] == ["6", "ended"]  # notes of every kind
        screen = await open_meeting(pilot)
        table = screen.query_one("#notes", RowTable)
        assert table.render_line(0).text.split() == ["Time", "Kind", "Note", "Done"]
        assert "Meet monthly, chaired by the fa…" in screen_text(app)  # 32 columns of it
        await select_note(pilot, screen, "Share the baseline survey")
        assert "owner: Bo, due: Tue 11/03/2025" in str(screen.query_one("#detail", Static).render())
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        header = table.render_line(0).text
        for label in ("Owner", "Due", "Done", "Group · role"):
            assert label in header
