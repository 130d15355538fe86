"""The capture bar: what the next note is filed under, readable whole at every size, and
odd pasted text saved as typed or clearly refused, never half-saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot

from apptools import (
    burst,
    entry,
    entry_context,
    held_box,
    held_reason,
    live,
    make_app,
    run_screen,
    settle,
    sync,
)
from facilitate.tui.app import FacilitateApp

EVALUATION_PINK = "Pink: what worked well for you today"


def context_on_screen(app: FacilitateApp) -> str:
    """The context line as drawn, every row of it, joined: what the scribe can read."""
    line = run_screen(app).query_one("#entry-context")
    rows = [line.render_line(y).text.strip() for y in range(line.size.height)]
    return " ".join(row for row in rows if row)


async def drain(pilot: Pilot[Any], app: FacilitateApp) -> None:
    for _ in range(4):
        await pilot.pause()
    await settle(pilot, app)


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)])
@sync
async def test_the_context_line_is_never_cut(tmp_path: Path, size: tuple[int, int]) -> None:
    app, _ = make_app(tmp_path, "sample-programme")
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        assert context_on_screen(app).startswith("1. Registration"), "shown from the start"
        # Activity 5: three groups with long names, five roles
        await pilot.press("g", *["down"] * 11, "enter")
        await drain(pilot, app)
        burst(app, "escape", "3", "escape", "o", "3")
        await drain(pilot, app)
        burst(app, *'a: cost it @"Housing manager" due:+3d')
        await drain(pilot, app)
        shown = context_on_screen(app)
        for part in (
            "Group 3 (scenario PS 1c)",
            "as Organisational representative",
            "ACTION",
            "owner Housing manager",
            "due Wed 25/11/2026",
        ):
            assert part in shown, f"{part!r} is cut at {size}: {shown!r}"


@sync
async def test_the_evaluations_colour_stays_in_sight_while_typing(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, "session-evaluation")
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot, app)
        burst(app, "f", "1", *"more time for questions")
        await drain(pilot, app)
        assert f"FEEDBACK in {EVALUATION_PINK}" in context_on_screen(app)
        burst(app, "enter", "escape", "f", "4", *"shorter lunch", "enter")
        await drain(pilot, app)
        notes = [(n.text, n.category) for n in live(app).state.notes.values()]
        assert notes == [
            ("more time for questions", EVALUATION_PINK),
            ("shorter lunch", "Blue: what could be improved, and how"),
        ]


@sync
async def test_a_prefix_typed_shows_the_kind_before_the_note_is_saved(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        burst(app, "i", *"q: who")
        await drain(pilot, app)
        assert "QUESTION" in entry_context(app)
        entry(app).value = "a: ring them @Priya due:someday"
        await drain(pilot, app)
        assert "owner or due not readable yet" in entry_context(app)


# --- odd pasted text ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pasted", "in_the_box"),
    [
        ("tabs\tbetween\twords", "tabs between words"),
        ("line one\nline two\r\nline three", "line one line two line three"),
        ("bell\x07 and escape\x1b[31m red", "bell and escape[31m red"),
        ("مرحبا بالجميع", "مرحبا بالجميع"),
        ("party 🎉 time 👍🏽", "party 🎉 time 👍🏽"),
    ],
)
@sync
async def test_pasted_text_is_saved_as_the_box_shows_it(
    tmp_path: Path, pasted: str, in_the_box: str
) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("i")
        app.post_message(events.Paste(pasted))
        await drain(pilot, app)
        assert entry(app).value == in_the_box
        await pilot.press("enter")
        await drain(pilot, app)
        (note,) = live(app).state.notes.values()
        assert note.text == in_the_box


@sync
async def test_ten_thousand_characters_are_saved_and_one_more_is_refused_whole(
    tmp_path: Path,
) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("i")
        entry(app).value = "x" * 10_000
        await pilot.press("enter")
        await drain(pilot, app)
        assert [len(n.text) for n in live(app).state.notes.values()] == [10_000]
        entry(app).value = "y" * 10_001
        await pilot.press("enter")
        await drain(pilot, app)
        assert len(live(app).state.notes) == 1, "nothing half-saved"
        assert held_box(app).value == "y" * 10_001
        assert "up to 10,000 characters; this one has 10,001" in held_reason(app)


@sync
async def test_a_malformed_owner_never_loses_the_note(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        burst(app, "i", *'a: book it @"Sam Jones', "enter", *"next note", "enter")
        await drain(pilot, app)
        assert [n.text for n in live(app).state.notes.values()] == ["next note"]
        assert held_box(app).value == 'a: book it @"Sam Jones'
        assert "no closing quote" in held_reason(app)
