"""A fast typist's burst (or keys that arrive in one read) must land note by note.

Pilot's ``press`` waits between keys, so it cannot show the ordering bug this
guards against: Enter handled after the characters queued behind it. Here the
key events are posted to the app all at once, as a terminal read delivers them.
"""

from __future__ import annotations

from pathlib import Path

from textual import events

from apptools import live, make_app, sync
from facilitate.tui.app import FacilitateApp


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
