"""A fast typist's burst (or keys that arrive in one read) must land note by note.

Pilot's ``press`` waits between keys, so it cannot show the ordering bug this
guards against: Enter handled after the characters queued behind it. Here the
key events are posted to the app all at once, as a terminal read delivers them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.app import ComposeResult

from apptools import burst, entry, event_types, live, make_app, sync
from facilitate.tui.app import FacilitateApp
from facilitate.tui.run.screen import RunScreen


def _burst(app: FacilitateApp, keys: str) -> None:
    """Send every key through the driver at once, as one terminal read would;
    ``\\r`` stands for Enter."""
    driver = app._driver
    assert driver is not None
    for char in keys:
        if char == "\r":
            driver.send_message(events.Key("enter", "\r"))
        else:
            driver.send_message(events.Key("space" if char == " " else char, char))


@sync
async def test_notes_typed_in_one_burst_after_i_are_each_saved_whole(tmp_path: Path) -> None:
    app, _source = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        _burst(app, "id: agree the form\ra: draft it @Sam due:+3d\rplain 1 note\r")
        await pilot.pause()
        notes = [(n.kind, n.text, n.owner) for n in live(app).state.notes.values()]
        assert notes == [
            ("decision", "agree the form", None),
            ("action", "draft it", "Sam"),
            ("note", "plain 1 note", None),
        ]
        # None of the typed letters reached the screen's own keys (space, o, 1...).
        assert not live(app).state.running
        assert live(app).state.notes["w-1"].group is None
        assert live(app).state.notes["w-3"].role is None


# -- keys typed while the app starts --------------------------------------------------------

NOTE = "we want weekly reviews, then a restart next year"  # w, e, x, r: commands in KEYS mode


def typed_while_building(monkeypatch: pytest.MonkeyPatch, *keys: str) -> None:
    """The keys reach the app while the run screen is still being built, as keys typed
    straight after ``facilitate run`` do on a busy machine."""
    real_compose = RunScreen.compose

    def compose(screen: RunScreen) -> ComposeResult:
        burst(screen.app, *keys)
        yield from real_compose(screen)

    monkeypatch.setattr(RunScreen, "compose", compose)


@sync
async def test_keys_typed_while_the_screen_is_built_wait_for_it_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """They used to act on a screen with no note box yet (i crashed the app), or run as
    commands once the facilitator's screen set its starting mode (w opened the form)."""
    typed_while_building(monkeypatch, "i", *NOTE, "enter", *"and more", "enter")
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(4):
            await pilot.pause()
        assert isinstance(app.screen, RunScreen)
        assert [n.text for n in live(app).state.notes.values()] == [NOTE, "and more"]
        assert event_types(app) == ["SessionStarted", "NoteAdded", "NoteAdded"]
        assert entry(app).has_focus


@sync
async def test_an_enter_typed_before_the_terminal_was_raw_saves_the_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typed before the app switched the terminal to raw mode, Enter arrives as a line
    feed (ctrl+j): it saves the note all the same."""
    typed_while_building(monkeypatch, "i", *NOTE, "ctrl+j")
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(4):
            await pilot.pause()
        assert [n.text for n in live(app).state.notes.values()] == [NOTE]
        assert entry(app).value == ""


@sync
async def test_alt_and_a_letter_in_the_note_box_types_nothing_and_runs_nothing(
    tmp_path: Path,
) -> None:
    """A terminal with the kitty keyboard protocol sends Alt+w as alt+w (older ones send
    Escape then w, which the driver delivers as that): not text, and not a command."""
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        burst(app, "i", *"half", "alt+w", "alt+right_square_bracket", "alt+x", *" typed")
        for _ in range(4):
            await pilot.pause()
        assert entry(app).value == "half typed"
        assert isinstance(app.screen, RunScreen) and entry(app).has_focus
        assert event_types(app) == ["SessionStarted"]
