"""The driver of a view served to a browser (``facilitate serve``): Textual's, with the
keys read through :class:`~facilitate.tui.driver.TerminalInput` as a terminal's are.

A browser sends what a terminal would (xterm.js encodes the keys the same way), inside
the server's packets; an Escape typed just before other keys is glued to them by
Textual's reader there too. In its own module: a terminal's start-up does not import it.
"""

from __future__ import annotations

import time
from codecs import getincrementaldecoder
from traceback import format_exc

from textual import log
from textual._xterm_parser import XTermParser
from textual.drivers._byte_stream import ByteStream
from textual.drivers.web_driver import WebDriver, _ExitInput

from facilitate.tui.driver import TerminalInput


class KeyOrderWebDriver(WebDriver):
    """Textual's driver for a view in a browser, reading the typed keys (the server's
    ``D`` packets) through :class:`TerminalInput`; its other packets are Textual's."""

    def run_input_thread(self) -> None:
        """Textual's loop over the server's packets, with the keys read through
        :class:`TerminalInput` (its reader wakes at least every 0.1 s: held Escapes are
        given out in time)."""
        packets = self._input_reader
        reader = TerminalInput(XTermParser(getattr(self, "_debug", False)))
        decode = getincrementaldecoder("utf-8")().decode
        stream = ByteStream()
        try:
            for data in packets:
                for kind, payload in stream.feed(data) if data else ():
                    if kind == "D":
                        for event in reader.feed(decode(payload), time.monotonic()):
                            self.process_message(event)
                    else:
                        self._on_meta(kind, payload)
                for event in reader.tick(time.monotonic()):
                    self.process_message(event)
        except _ExitInput:
            pass
        except Exception:  # as Textual's loop: logged, never over the person's screen
            log(format_exc())
        finally:
            packets.close()
