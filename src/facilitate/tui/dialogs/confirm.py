"""Yes or no, with the safe answer on escape."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from facilitate.tui.keys import CONFIRM, bindings


class ConfirmScreen(ModalScreen[bool]):
    """Yes/no with the safe answer on escape."""

    BINDINGS = bindings(CONFIRM)

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__(classes="dialog")
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self.question, classes="dialog-question", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="error")
                yield Button(f"{self.no} (n)", id="no", variant="primary")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#no", Button))

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    def action_answer_focused(self) -> None:
        """Enter answers with the focused button (the safe one, unless moved)."""
        focused = self.focused
        self.dismiss(isinstance(focused, Button) and focused.id == "yes")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
