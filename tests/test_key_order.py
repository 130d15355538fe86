"""Keys held while there is nowhere right to send them reach the screen in typed order.

:class:`KeyOrderApp` holds keys until the first frame is drawn and while a dialog closes;
a widget that was given keys before the hold and cannot take them hands them back. When
the hold ends, the handed-back keys go first, then those held, in the order typed, to
wherever the keyboard is then.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.widgets import Input

from apptools import burst, sync
from facilitate.tui.key_order import KeyOrderApp


class Box(KeyOrderApp):
    def compose(self) -> ComposeResult:
        yield Input(id="box")


@sync
async def test_handed_back_keys_go_first_then_those_held_in_order() -> None:
    app = Box()
    async with app.run_test() as pilot:
        await pilot.pause()
        box = app.query_one("#box", Input)
        app.set_focus(box)
        await pilot.pause()
        assert not app.holding_keys, "the first frame released the first hold"
        app.hold_keys()
        burst(app, *"cd")  # typed after the hold began: they wait
        await pilot.pause()
        assert box.value == ""
        app.hand_back(_key("a"))  # given to a closing field before the hold: they go first
        app.hand_back(_key("b"))
        app.release_keys()
        await pilot.pause()
        await pilot.pause()
        assert box.value == "abcd"
        burst(app, *"ef")
        await pilot.pause()
        assert box.value == "abcdef"


@sync
async def test_a_key_handed_back_after_the_hold_is_routed_at_once() -> None:
    app = Box()
    async with app.run_test() as pilot:
        box = app.query_one("#box", Input)
        app.set_focus(box)
        await pilot.pause()
        app.hand_back(_key("z"))
        await pilot.pause()
        await pilot.pause()
        assert box.value == "z" and not app.holding_keys


def _key(character: str) -> events.Key:
    return events.Key(character, character)
