"""Who is writing: asked once when a browser scribe's view opens, shown in the minutes."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from facilitate.commands.writers import MAX_NAME


class WriterNameScreen(ModalScreen[str]):
    """One line: the scribe's name. Enter saves; there is no way round it but to answer."""

    DEFAULT_CSS = """
    WriterNameScreen Label { width: 1fr; }
    """

    def __init__(self, current: str = "") -> None:
        super().__init__(classes="dialog")
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label("Your name, please", classes="dialog-question")
            yield Label(
                "The minutes show it beside the notes you type here. "
                "The facilitator keeps the timer; you add notes.",
                markup=False,
            )
            yield Input(
                self.current, placeholder="e.g. Sam Patel", max_length=MAX_NAME, id="writer-name"
            )
            yield Label("[dim]enter saves[/]")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#writer-name", Input))

    @on(Input.Submitted, "#writer-name")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)
