"""Start-up: the command's screen is the first thing drawn, and failures end cleanly."""

from __future__ import annotations

import gc
from pathlib import Path

from textual.widgets import Label

from apptools import make_app, record_notifications, settle, sync, text_of
from facilitate.cli import main
from facilitate.tui.review.sessions import SessionListScreen
from facilitate.tui.run.screen import RunScreen
from sessionfactory import build_sample_session

SIZE = (120, 40)


@sync
async def test_the_run_screen_is_the_apps_first_screen_and_writes_its_summary(
    tmp_path: Path,
) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert [type(s) for s in app.screen_stack] == [RunScreen]
        assert app.live is not None
        assert (app.live.folder / "summary.toml").is_file(), "written once the screen is up"


@sync
async def test_a_session_folder_that_cannot_be_made_ends_with_a_one_line_error(
    tmp_path: Path,
) -> None:
    (tmp_path / "sessions").write_text("a file where the sessions folder should be")
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
    assert app.return_value == 2
    assert app.return_code == 2
    assert app.live is None


@sync
async def test_review_of_one_session_goes_back_to_the_list_then_quits(tmp_path: Path) -> None:
    session_id = build_sample_session(tmp_path).id
    app, _ = make_app(tmp_path, mode="review", session=session_id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert len(app.screen_stack) == 2
        await pilot.press("q")
        await settle(pilot, app)
        assert isinstance(app.screen, SessionListScreen)
        title = text_of(app.screen.query_one("#list-title", Label))
        assert title == f"1 session in {tmp_path / 'sessions'}"
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


@sync
async def test_garbage_collection_resumes_once_the_first_frame_is_drawn(tmp_path: Path) -> None:
    """``cli.main`` pauses collection for start-up; a screen that never resumed it would
    let every cycle of a day-long session pile up in memory."""
    app, _ = make_app(tmp_path)
    gc.disable()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


def test_a_command_without_a_screen_leaves_collection_on(tmp_path: Path) -> None:
    assert main(["--data-dir", str(tmp_path), "agendas"]) == 0
    assert gc.isenabled()


@sync
async def test_resume_of_a_damaged_journal_opens_and_says_what_was_skipped(
    tmp_path: Path,
) -> None:
    session = build_sample_session(tmp_path)
    journal = next(session.folder.glob("journal-*.jsonl"))
    with journal.open("a", encoding="utf-8") as handle:
        handle.write('{"type": "note_added", "text": "cut off by a cra\n')
    app, _ = make_app(tmp_path, mode="resume", session=session.id)
    told = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert [type(s) for s in app.screen_stack] == [RunScreen]
        assert any("unreadable record skipped" in message for message in told)
