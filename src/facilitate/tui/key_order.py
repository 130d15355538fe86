"""Keys reach the app in the order they were typed, from the first frame on.

Three things stood between a fast typist and the screen, all before any widget sees a
key. Textual's reader took an Escape followed at once by other keys for the start of
one long terminal code (``tui/escapes.py``; on Linux and macOS ``tui/driver.py`` reads
the terminal through :class:`~facilitate.tui.escapes.EscapeSplitter`). Keys that
arrived while the first screen was still being built were handled by a screen with no
note box yet: ``i`` crashed the app, or the screen then set its own starting mode and
the rest of the note ran as single-key commands (``w`` opened the reflection form). And
keys typed behind the key that closes a dialog reached that dialog's field, which had
to pass them on to the note box from its own queue: any the field got after the dialog
had gone were dropped, and the rest could arrive behind newer ones.

Here keys are *held*, in order, while there is nowhere right to send them: until the
first frame is drawn, and while a dialog closes. A widget that was given keys before
the hold and cannot take them hands them back; they go first, in order. When the hold
ends, every key is routed as if it had just arrived, to wherever the keyboard is now.
"""

from __future__ import annotations

from functools import partial

from textual import events
from textual.app import App
from textual.driver import Driver

Typed = events.Key | events.Paste
HOLD_MOST_S = 1.0  # a dialog's hold ends by then whatever happens: keys never stay stuck


class KeyOrderApp(App[int]):
    """An app whose keys are never taken apart, put together, or handled too early."""

    def __init__(self) -> None:
        super().__init__()
        self._held: list[Typed] | None = []  # held until the first frame is drawn
        self._handed_back = 0  # keys handed back go before those held since
        self._holds = 0  # how many holds began: a late safety release ends only its own

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver for this terminal; on Linux and macOS, and in a browser, one
        that delivers an Escape typed just before other keys as Escape, then those keys."""
        driver = super().get_driver_class()
        if driver.__module__ == "textual.drivers.linux_driver":
            from facilitate.tui.driver import KeyOrderDriver

            return KeyOrderDriver
        if driver.__module__ == "textual.drivers.web_driver":  # served to a browser
            from facilitate.tui.served_driver import KeyOrderWebDriver

            return KeyOrderWebDriver
        return driver

    async def on_event(self, event: events.Event) -> None:
        """Keys (and pastes) wait, in order, while they are held."""
        held = self._held
        if held is not None and isinstance(event, Typed) and not event.is_forwarded:
            held.append(event)
            return
        await super().on_event(event)

    @property
    def holding_keys(self) -> bool:
        return self._held is not None

    def hold_keys(self) -> None:
        """From now on keys wait, in order, until :meth:`release_keys` (or a second at
        most, should whatever held them never say so)."""
        if self._held is None:
            self._held, self._handed_back = [], 0
            self._holds += 1
            self.set_timer(HOLD_MOST_S, partial(self._release_late, self._holds))

    def _release_late(self, hold: int) -> None:
        if self._holds == hold and self._held is not None:
            self.release_keys()

    def hand_back(self, event: events.Key) -> None:
        """A key routed to a widget before the hold that the widget cannot take: it goes
        before every key held since (after those handed back before it). Handed back
        with no hold on, it is routed again at once."""
        if self._held is None:
            self.hold_keys()
            self.release_keys()
        assert self._held is not None
        self._held.insert(self._handed_back, events.Key(event.key, event.character))
        self._handed_back += 1

    def release_keys(self) -> None:
        """Route the held keys now, in order, to wherever the keyboard is, then go on
        routing keys as they arrive."""
        self.call_next(self._release)

    def on_mount(self) -> None:
        # Once the first screen has drawn, the keys typed so far go to it, before any key
        # typed after them. (Its own on_mount has run: it has set where the keys go.)
        self.screen.call_after_refresh(self.release_keys)

    async def _release(self) -> None:
        held, self._held = self._held or [], None
        for event in held:
            await super().on_event(event)
