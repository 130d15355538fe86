"""ctrl+p finds any command: every titled key of every screen is offered, and choosing works.

The completeness test is generic: it visits every screen (and every panel) that
declares ``KEYS`` in the keys table, so a key added later with a title is
checked without touching this file. The searches then go through the real
palette, typed as a person types, and check that the chosen command did its thing.
"""

from __future__ import annotations

import importlib
import pkgutil
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget

import facilitate.tui
from apptools import live, make_app, notes_log, plain, settle, sync, type_note
from facilitate.tui.app import FacilitateApp
from facilitate.tui.dialogs.reflection import ReflectionScreen
from facilitate.tui.keys import RUN, Key
from facilitate.tui.palette import keyed_parts
from facilitate.tui.review.export import ExportScreen
from sessionfactory import build_sample_session

SIZE = (120, 40)
# Keys that are not commands, and why (every other key of a screen must have a title).
NOT_COMMANDS = {
    "leave_entry": "escape leaves the note box: a key for typing, not a command",
    "app.quit": "the app's own Quit is in the palette already",
    "close_if": "the projector's p and q do what its escape does",
    "leave_panel": "escape from a panel moves the focus: a key, not a command",
    "tally": "B P W C D count from the notes log; the open Mobius panel's own are commands",
}


def keyed_classes() -> set[type]:
    """Every screen and widget class of the TUI that declares KEYS."""
    for module in pkgutil.walk_packages(facilitate.tui.__path__, "facilitate.tui."):
        importlib.import_module(module.name)

    def subclasses(cls: type) -> Iterator[type]:
        sub: type
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return {
        cls
        for cls in subclasses(Widget)
        if cls.__module__.startswith("facilitate.tui") and "KEYS" in vars(cls)
    }


def offered(app: FacilitateApp) -> set[str]:
    return {command.title for command in app.get_system_commands(app.screen)}


def expected(screen: Screen[Any]) -> tuple[set[str], set[Key]]:
    """The titles the keys table promises here, and the keys it left without one."""
    allows = getattr(screen, "allows", lambda name: True)
    keys: list[Key] = [k for k in getattr(screen, "KEYS", ()) if allows(k.name)]
    for part in keyed_parts(screen):
        keys += list(getattr(part, "KEYS", ()))
    return {k.title for k in keys if k.title}, {k for k in keys if not k.title}


class Visits:
    def __init__(self) -> None:
        self.seen: set[type] = set()

    def check(self, app: FacilitateApp) -> None:
        screen = app.screen
        titles, untitled = expected(screen)
        assert titles, f"{type(screen).__name__} offers nothing"
        missing = titles - offered(app)
        assert not missing, f"{type(screen).__name__}: not in the palette: {missing}"
        stray = {k.action for k in untitled if k.name not in NOT_COMMANDS}
        assert not stray, f"{type(screen).__name__}: keys without a palette title: {stray}"
        self.seen.add(type(screen))
        self.seen.update(type(part) for part in keyed_parts(screen))


@sync
async def test_every_titled_key_of_every_screen_is_in_the_palette(tmp_path: Path) -> None:
    visits = Visits()
    session = build_sample_session(tmp_path)

    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        visits.check(app)
        for panel in ("lifecycle", "mobius", "checklist"):
            run_screen = app.screen
            await run_screen.run_action(f"panel('{panel}')")
            await settle(pilot, app)
            visits.check(app)
        await pilot.press("escape")
        await pilot.press("p")
        await pilot.pause()
        visits.check(app)

    app, _ = make_app(tmp_path, mode="launcher")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        visits.check(app)

    app, _ = make_app(tmp_path, mode="review")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        visits.check(app)
        await pilot.press("enter")
        await pilot.pause()
        visits.check(app)
        await pilot.press("q", "slash")
        await pilot.pause()
        visits.check(app)
        await pilot.press("escape", "a")
        await pilot.pause()
        visits.check(app)

    app, _ = make_app(tmp_path, mode="projector", session=session.id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        visits.check(app)

    assert keyed_classes() <= visits.seen, "a screen or panel with KEYS was never visited"


@sync
async def test_a_scribe_is_not_offered_the_timer(tmp_path: Path) -> None:
    session = build_sample_session(tmp_path)
    app, _ = make_app(tmp_path, mode="join", session=session.id, writer_id="scribe")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        titles = offered(app)
    assert "Type a note" in titles
    assert not {k.title for k in RUN if k.timer} & titles


# --- searching the real palette --------------------------------------------------------------


async def choose(pilot: Pilot[Any], app: FacilitateApp, query: str) -> str:
    """ctrl+p, type ``query``, take the best match (the first line) with enter."""
    if not isinstance(app.screen, CommandPalette):
        await pilot.press("ctrl+p")
        await pilot.pause()
    await pilot.press(*query)
    palette = app.screen
    assert isinstance(palette, CommandPalette)
    found: list[str] = []
    for _ in range(200):  # the palette searches in the background: look until it answers
        await pilot.pause()
        commands = palette.query_one(CommandList)
        found = [
            plain(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)
        ]
        if found:
            break
    assert found, f"nothing found for {query!r}"
    palette.query_one(CommandList).highlighted = 0
    await pilot.press("enter")
    await pilot.pause()
    return found[0]


def shown_panel(app: FacilitateApp) -> str | None:
    side = app.screen.query_one("#side")
    shown = [w.id for w in side.children if w.display]
    return shown[0] if side.display and shown else None


@pytest.mark.parametrize("panel", ["lifecycle", "mobius", "checklist"])
@sync
async def test_the_palette_opens_each_panel(tmp_path: Path, panel: str) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        first = await choose(pilot, app, panel)
        await settle(pilot, app)
        assert panel in first.lower()
        assert shown_panel(app) == f"panel-{panel}"


@sync
async def test_the_palette_reaches_into_an_open_panel(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await choose(pilot, app, "mobius")
        await settle(pilot, app)
        first = await choose(pilot, app, "one more blame")
        await settle(pilot, app)
        assert first.startswith("Mobius: one more blame")
        state = live(app).state
        assert state.panels.seen(state.current, None).tallies.get("blame") == 1


@sync
async def test_the_palette_reflects_and_filters(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await type_note(pilot, app, "d: a decision to filter by")
        await pilot.press("escape")
        assert (await choose(pilot, app, "reflect")).startswith("Reflect")
        assert isinstance(app.screen, ReflectionScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert (await choose(pilot, app, "filter")).startswith("Filter the notes")
        assert notes_log(app).kind_filter != "all"


@sync
async def test_the_palette_exports_from_review(tmp_path: Path) -> None:
    session = build_sample_session(tmp_path)
    app, _ = make_app(tmp_path, mode="review", session=session.id)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(5):
            await pilot.pause()
        assert (await choose(pilot, app, "export")).startswith("Export")
        assert isinstance(app.screen, ExportScreen)


@sync
async def test_the_launcher_starts_an_agenda_from_the_palette(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, mode="launcher")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first = await choose(pilot, app, "start shared solutions")
        await settle(pilot, app)
        assert first.startswith("Start: Shared Solutions")
        assert live(app).agenda.name == "shared-solutions"


@sync
async def test_the_palette_changes_the_theme_and_it_is_remembered(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert app.theme != "textual-light"
        assert (await choose(pilot, app, "theme")).startswith("Theme")
        await choose(pilot, app, "textual-light")
        await settle(pilot, app)
        assert app.theme == "textual-light"
    settings = tomllib.loads((tmp_path / "settings.toml").read_text())
    assert settings["theme"] == "textual-light"
    again, _ = make_app(tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot, again)
        assert again.theme == "textual-light", "the next start keeps the chosen theme"


@sync
async def test_the_palette_finds_attendees(tmp_path: Path) -> None:
    from facilitate.tui.dialogs.attendance import AttendanceScreen

    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        first = await choose(pilot, app, "attendees")
        assert "attendees" in first.lower()
        assert isinstance(app.screen, AttendanceScreen)
