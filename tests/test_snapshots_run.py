"""Snapshots of the run screen, projector and help as the room and the scribe see them.

The fake clock makes the top bar's wall clock and every countdown deterministic.
Regenerate with ``pytest tests/test_snapshots_run.py --snapshot-update`` and read
the SVG's text before keeping it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from apptools import advance, make_app, settle, type_note
from facilitate.clock import FakeTimeSource
from facilitate.tui.app import FacilitateApp

WIDE, NARROW = (120, 40), (80, 24)
SIZES = [(60, 20), (80, 24), (120, 40), (200, 60)]
SIZE_IDS = ["60x20", "80x24", "120x40", "200x60"]
# Its second segment's brief (twelve prompts, groups, roles, notes) is longer than any of
# these screens: the brief scrolls and says how much more there is.
LONG_BRIEF = str(Path(__file__).parent / "agendas" / "long-brief.toml")
# sample-programme's registration runs 30 minutes with a 2-minute warning.
ELAPSED = {"normal": 5 * 60 + 12, "warning": 28 * 60 + 30, "overtime": 31 * 60 + 5}

Before = Callable[[Pilot[Any]], Awaitable[None]]


def day_so_far(app: FacilitateApp, source: FakeTimeSource, state: str) -> Before:
    """Start the first segment, take two notes, and let the fake clock run to ``state``."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("space")
        await advance(pilot, app, source, 60)
        await type_note(pilot, app, "d: tea and coffee stay out all morning")
        await type_note(pilot, app, "a: print spare workbooks @sam due:friday")
        await pilot.press("escape")
        await advance(pilot, app, source, ELAPSED[state] - 60)
        # The zero-crossing flash lasts one real second; clear it as its timer would,
        # so the snapshot shows the steady overtime face.
        pilot.app.screen.remove_class("-flash")
        await settle(pilot, app)

    return run_before


@pytest.mark.parametrize("state", ["normal", "warning", "overtime"])
@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
def test_run_screen(snap_compare: Any, tmp_path: Path, state: str, size: tuple[int, int]) -> None:
    app, source = make_app(tmp_path)
    assert snap_compare(app, terminal_size=size, run_before=day_so_far(app, source, state))


def deep_dive(app: FacilitateApp, source: FakeTimeSource) -> Before:
    """Welcome on time, then twelve minutes into the deep dive with a note taken."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("space")
        await advance(pilot, app, source, 10 * 60)
        await pilot.press("right_square_bracket")
        await advance(pilot, app, source, 12 * 60)
        await type_note(pilot, app, "d: each group names a spokesperson first")
        await pilot.press("escape")
        await settle(pilot, app)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_run_screen_with_a_brief_longer_than_the_screen(
    snap_compare: Any, tmp_path: Path, size: tuple[int, int]
) -> None:
    app, source = make_app(tmp_path, LONG_BRIEF)
    assert snap_compare(app, terminal_size=size, run_before=deep_dive(app, source))


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_projector_with_a_brief_longer_than_the_screen(
    snap_compare: Any, tmp_path: Path, size: tuple[int, int]
) -> None:
    app, source = make_app(tmp_path, LONG_BRIEF)
    run_before = deep_dive(app, source)

    async def open_projector(pilot: Pilot[Any]) -> None:
        await run_before(pilot)
        await pilot.press("p")
        await settle(pilot, app)

    assert snap_compare(app, terminal_size=size, run_before=open_projector)


def test_projector(snap_compare: Any, tmp_path: Path) -> None:
    app, source = make_app(tmp_path)
    run_before = day_so_far(app, source, "normal")

    async def open_projector(pilot: Pilot[Any]) -> None:
        await run_before(pilot)
        await pilot.press("p")
        await pilot.pause()

    assert snap_compare(app, terminal_size=WIDE, run_before=open_projector)


def test_help(snap_compare: Any, tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)

    async def open_help(pilot: Pilot[Any]) -> None:
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=WIDE, run_before=open_help)
