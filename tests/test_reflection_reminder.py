"""A segment that asks for a reflection reminds the facilitator as it ends; it never opens
a dialog on its own, where the words a scribe types next would be lost (and their digits
taken as a rating)."""

from __future__ import annotations

from pathlib import Path

from apptools import (
    burst,
    entry,
    live,
    make_app,
    record_notifications,
    run_screen,
    settle,
    sync,
)
from facilitate.tui.dialogs.reflection import ReflectionScreen
from facilitate.tui.run.screen import RunScreen
from test_keyboard_model import PROSE, drain, meeting, prose_saved

REFLECTION_IN_ROLE = 2  # partnership-meeting: reflection = true


@sync
async def test_leaving_a_reflective_segment_reminds_and_w_reflects_on_it(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=(120, 40)) as pilot:
        await meeting(pilot, app, REFLECTION_IN_ROLE)
        toasts = record_notifications(app)
        burst(app, "right_square_bracket")
        await drain(pilot, app)
        assert isinstance(app.screen, RunScreen), "no dialog opens on its own"
        assert live(app).state.current == REFLECTION_IN_ROLE + 1
        assert any("Reflection in role" in t and "w when you are ready" in t for t in toasts)
        await pilot.press("w")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, ReflectionScreen)
        assert "Reflection in role" in str(dialog.query_one("#reflection-title").render())
        await pilot.press("escape")
        await settle(pilot, app)
        assert run_screen(app).reflection_due is None  # asked once; w is this segment again


@sync
async def test_prose_typed_after_ending_the_session_is_a_note_not_a_reflection(
    tmp_path: Path,
) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=(120, 40)) as pilot:
        await meeting(pilot, app)
        toasts = record_notifications(app)
        burst(app, "E", "y", *PROSE, "enter")
        await drain(pilot, app)
        assert isinstance(app.screen, RunScreen)
        assert live(app).state.ended_at is not None and not live(app).state.reflections
        prose_saved(app)
        assert entry(app).has_focus
        assert any("w to reflect on the whole day" in t for t in toasts)
