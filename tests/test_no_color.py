"""NO_COLOR is honoured everywhere, without a crash: every screen is drawn under it.

Textual turns ``NO_COLOR`` into a filter over every segment it draws, which
needs each segment to carry a style; a widget that drew bare text crashed the
run screen at its first Space and review at once. Each test walks a room with
the filter on and has the whole screen drawn (a screenshot) at every step.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen

from apptools import live, make_app, settle, sync, type_note
from facilitate.tui.app import FacilitateApp
from sessionfactory import build_sample_session

SIZE = (100, 30)


@pytest.fixture(autouse=True)
def _no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")


async def drawn(pilot: Pilot[Any], app: FacilitateApp, *words: str) -> type[Screen[Any]]:
    """Draw the whole screen as the terminal would get it; the words must be on it."""
    await settle(pilot, app)
    assert app.no_color
    shot = app.export_screenshot()  # every widget's lines, through the NO_COLOR filter
    text = html.unescape("".join(re.findall(r">([^<]*)</text>", shot))).replace("\xa0", " ")
    for word in words:
        assert word in text, f"{word!r} not on the screen"
    return type(app.screen)


@sync
async def test_the_run_screen_its_panels_and_dialogs(tmp_path: Path) -> None:
    app, source = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await drawn(pilot, app, "Registration")
        await pilot.press("space")  # where it crashed
        source.advance(30)
        await drawn(pilot, app, "› 10:00")  # below 110 columns: the now and next line
        await type_note(pilot, app, "d: share one referral form")
        await pilot.press("escape")
        await drawn(pilot, app, "DECISION")
        for panel, title in (("l", "Lifecycle"), ("m", "Mobius"), ("c", "Checklist")):
            await pilot.press(panel)
            await drawn(pilot, app, title)
            await pilot.press("escape")
        # After a dialog the keyboard is the note box's: escape once more for the keys.
        for key, words in (("question_mark", "keys"), ("g", "Go to"), ("w", "collaborative")):
            await pilot.press(key)
            await drawn(pilot, app, words)
            await pilot.press("escape", "escape")
        await pilot.press("E")
        await drawn(pilot, app, "End the session")
        await pilot.press("n", "escape")
        await pilot.press("p")
        await drawn(pilot, app, "Next")
        await pilot.press("escape", "escape")
        await pilot.press("t")
        await drawn(pilot, app, "Registration")
        assert live(app).state.running


@sync
async def test_the_projector_on_its_own(tmp_path: Path) -> None:
    session = build_sample_session(tmp_path)
    app, _ = make_app(tmp_path, mode="projector", session=session.id)
    async with app.run_test(size=SIZE) as pilot:
        await drawn(pilot, app, "Thank you")


@sync
async def test_the_launcher(tmp_path: Path) -> None:
    build_sample_session(tmp_path)
    app, _ = make_app(tmp_path, mode="launcher")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await drawn(pilot, app, "Start a new session")
        await pilot.press("r")
        await drawn(pilot, app, "1 session")


@sync
async def test_review_search_actions_and_export(tmp_path: Path) -> None:
    session = build_sample_session(tmp_path)
    app, _ = make_app(tmp_path, mode="review")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await drawn(pilot, app, "1 session")
        await pilot.press("enter")
        await pilot.pause()
        await drawn(pilot, app, "Kind: all")
        await pilot.press("t", "slash")
        await drawn(pilot, app, "Kind")
        await pilot.press("escape", "e")
        await drawn(pilot, app, "Export")
        await pilot.press("escape", "q")
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"role")
        await drawn(pilot, app, "notes match")
        await pilot.press("escape", "a")
        await pilot.pause()
        await drawn(pilot, app, "actions across")
        assert session.id
