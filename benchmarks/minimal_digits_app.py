"""The yardstick for startup and idle CPU: the smallest Textual app showing a Digits clock.

Modelled on Textual's own ``examples/clock.py``: one ``Digits`` updated every
second, plus a label (:data:`MARKER`) the benchmark looks for on screen, since
Digits draws its figures with box characters that no text search can find.
"""

from __future__ import annotations

from datetime import datetime

from textual.app import App, ComposeResult
from textual.widgets import Digits, Label

MARKER = "MINIMAL DIGITS CLOCK"


class ClockApp(App[None]):
    CSS = """
    Screen { align: center middle; }
    Digits { width: auto; }
    """

    def compose(self) -> ComposeResult:
        yield Label(MARKER)
        yield Digits("")

    def on_ready(self) -> None:
        self.update_clock()
        self.set_interval(1, self.update_clock)

    def update_clock(self) -> None:
        self.query_one(Digits).update(f"{datetime.now():%H:%M:%S}")


if __name__ == "__main__":
    ClockApp().run()
