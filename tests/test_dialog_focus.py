"""A dialog's first field has the keyboard the moment the dialog is up, and keeps it until
the person moves on: keys typed fast into a dialog land in the field they were typed in.

Textual's ``Widget.focus()`` only asks for the focus: it is given after the keys already
waiting are handled. A dialog that put its cursor in its first field that way took the
focus back there in the middle of a burst: "4, tab, we listened" in the reflection form
(seen on a real terminal in 1 run of 40) left "we" in the second field and the rest in
the rating above it, or nowhere; the names typed into the roles dialog straight after
R went to the first group's fields. Each test sends the keys that open the dialog and
the first ones typed into it in one burst, then the rest once those are taken in: by
then any focus asked for late has arrived.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from apptools import burst, live, make_app, settle, sync, type_note
from facilitate.tui.app import FacilitateApp
from facilitate.tui.run.screen import RunScreen

SIZE = (120, 40)


async def taken_in(pilot: Pilot[Any], app: FacilitateApp) -> None:
    for _ in range(6):
        await pilot.pause()


async def on_the_keys(pilot: Pilot[Any], app: FacilitateApp, segment: int = 0) -> None:
    """The facilitator's screen, in ``segment``, the keyboard on the notes (KEYS)."""
    await settle(pilot, app)
    for _ in range(segment):
        await pilot.press("right_square_bracket")
    await type_note(pilot, app, "a note first")
    await pilot.press("escape")
    await settle(pilot, app)


@sync
async def test_a_burst_into_the_reflection_form_stays_in_the_fields_it_was_typed_in(
    tmp_path: Path,
) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        await on_the_keys(pilot, app)
        burst(app, "w", "4", *"we")  # the rating moves on to the next question
        await taken_in(pilot, app)
        burst(app, *" listened", "tab", *"more time", "enter", *"then a note", "enter")
        await taken_in(pilot, app)
        (reflection,) = live(app).state.reflections
        assert (reflection.rating, reflection.felt, reflection.change) == (
            4,
            "we listened",
            "more time",
        )
        assert [n.text for n in live(app).state.notes.values()][-1] == "then a note"
        assert isinstance(app.screen, RunScreen)


@sync
async def test_names_typed_straight_after_r_go_to_the_current_groups_roles(
    tmp_path: Path,
) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        await on_the_keys(pilot, app, segment=1)  # three groups of five roles
        burst(app, "2", "escape", "R", *"Asha", "tab")
        await taken_in(pilot, app)
        burst(app, *"Bo", "ctrl+s")
        await taken_in(pilot, app)
        assert live(app).state.group_roles == {
            "Group 2": {"Partnership facilitator": "Asha", "Individual member": "Bo"}
        }


@sync
async def test_a_choice_typed_straight_after_g_picks_from_the_list(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        await on_the_keys(pilot, app)
        burst(app, "g", "down", "down")
        await taken_in(pilot, app)
        burst(app, "enter")
        await taken_in(pilot, app)
        assert live(app).state.current == 2, "two down from the current segment"


@sync
async def test_keys_typed_behind_the_save_key_are_not_the_dialogs(tmp_path: Path) -> None:
    """Enter in the last field saves; the Escape, ] and i typed straight behind it leave
    the note box, move the day on and come back: they must not cancel the reflection
    being saved, nor be typed into the next note."""
    app, _ = make_app(tmp_path, "partnership-meeting")
    async with app.run_test(size=SIZE) as pilot:
        await on_the_keys(pilot, app)
        burst(app, "w")
        await taken_in(pilot, app)
        burst(app, "4", *"we", "tab", *"more", "enter")
        burst(app, "escape", "right_square_bracket", "i", *"next note", "enter")
        await taken_in(pilot, app)
        (reflection,) = live(app).state.reflections
        assert (reflection.rating, reflection.felt, reflection.change) == (4, "we", "more")
        assert live(app).state.current == 1, "] moved the day on once"
        assert [n.text for n in live(app).state.notes.values()][-1] == "next note"
