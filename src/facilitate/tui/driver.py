"""The terminal driver on Linux and macOS, and the driver of a view served to a browser:
Textual's own, with the Escape key taken out of fast typing before Textual's reader sees
it (:mod:`facilitate.tui.escapes` says why).

:class:`TerminalInput` puts an :class:`EscapeSplitter` in front of Textual's reader and
gives back Textual's events, each Escape key in its place among them; the driver's
input loop is Textual's, reading through it. Only this input loop differs from
``LinuxDriver``: the screen, raw mode, the mouse and resizing are Textual's. A browser
(``facilitate serve``) sends the same bytes a terminal would inside the server's packets:
``served_driver.KeyOrderWebDriver`` reads those through :class:`TerminalInput` too.
(``XTermParser`` is Textual's reader; ``tests/test_escapes.py`` checks that it still
reads what we hand it as we expect.)
"""

from __future__ import annotations

import os
import selectors
import time
from codecs import getincrementaldecoder

from textual import constants, events
from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

from facilitate.tui.escapes import ESCAPE, EscapeSplitter

SELECT_S = 0.1  # as Textual's loop: how often the reader's own timeouts are checked


class TerminalInput:
    """What the terminal sent, to Textual events, with every Escape key where it was typed."""

    def __init__(self, parser: XTermParser, delay_s: float = constants.ESCAPE_DELAY) -> None:
        self.parser = parser
        self.splitter = EscapeSplitter()
        self.delay_s = delay_s
        self._held_since: float | None = None

    def feed(self, data: str, now: float) -> list[Message]:
        found: list[Message] = []
        for piece in self.splitter.feed(data):
            if piece is ESCAPE:
                found.append(events.Key("escape", "\x1b"))
            else:
                found.extend(self.parser.feed(str(piece)))
        self._held_since = now if self.splitter.waiting else None
        return found

    def tick(self, now: float) -> list[Message]:
        """The reader's own timeouts, and what was held once the escape delay has passed."""
        found = list(self.parser.tick())
        if self._held_since is not None and now - self._held_since >= self.delay_s:
            self._held_since = None
            for piece in self.splitter.flush():
                if piece is ESCAPE:
                    found.append(events.Key("escape", "\x1b"))
                else:
                    found.extend(self.parser.feed(str(piece)))
        return found

    def wait_s(self, now: float) -> float:
        """How long the loop may wait for input before something is due."""
        if self._held_since is None:
            return SELECT_S
        return max(0.0, min(SELECT_S, self._held_since + self.delay_s - now))


class KeyOrderDriver(LinuxDriver):
    """Textual's Linux and macOS driver, reading keys through :class:`TerminalInput`."""

    def run_input_thread(self) -> None:
        """Wait for input and dispatch events (Textual's loop, reading through
        :class:`TerminalInput`)."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        reader = TerminalInput(XTermParser(getattr(self, "_debug", False)))
        decode = getincrementaldecoder("utf-8")().decode

        def process(ready: list[tuple[selectors.SelectorKey, int]], final: bool = False) -> None:
            for index, (_, mask) in enumerate(ready):
                if mask & selectors.EVENT_READ:
                    last = index == len(ready) - 1
                    data = decode(os.read(self.fileno, 1024 * 4), final=final and last)
                    if not data:
                        break  # stdin is a pipe that has ended
                    for event in reader.feed(data, time.monotonic()):
                        self.process_message(event)
            for event in reader.tick(time.monotonic()):
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process(selector.select(reader.wait_s(time.monotonic())))
            selector.unregister(self.fileno)
            process(selector.select(SELECT_S), final=True)
        finally:
            selector.close()
            try:
                for _ in reader.parser.feed(""):
                    pass
            except (EOFError, ParseError):
                pass
