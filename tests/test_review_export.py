"""Exporting from review: a file already there is not replaced without asking, and the
format and audience last chosen are offered again (QA 13 #8)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select

from facilitate.tui.dialogs.confirm import ConfirmScreen
from facilitate.tui.review.export import ExportScreen
from test_review import MEETING, ReviewApp, build_meeting, settle, sync


@sync
async def test_replacing_a_file_asks_and_the_last_choice_is_offered_again(tmp_path: Path) -> None:
    data = tmp_path / "data"
    build_meeting(data)
    out = tmp_path / "out"
    out.mkdir()
    edited = out / f"{MEETING}-facilitator.txt"
    edited.write_text("my hand edits\n", encoding="utf-8")
    app = ReviewApp(data, session=MEETING, export_dir=out)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        dialog.query_one("#format", Select).value = "txt"
        await pilot.pause()
        dialog.query_one("#audience", Select).value = "facilitator"
        await pilot.pause()
        assert dialog.query_one("#path", Input).value == str(edited)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep it: back in the dialog, nothing written
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen) and app.screen is dialog
        assert edited.read_text(encoding="utf-8") == "my hand edits\n"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert edited.read_text(encoding="utf-8").startswith("Activity 5")
        assert app.told[-1] == f"Exported to {edited}"
        # the next export offers the same format and audience
        await pilot.press("e")
        await pilot.pause()
        again = app.screen
        assert isinstance(again, ExportScreen)
        assert again.query_one("#format", Select).value == "txt"
        assert again.query_one("#audience", Select).value == "facilitator"
        assert again.query_one("#path", Input).value == str(edited)
