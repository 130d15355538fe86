"""Put participants' names to roles."""

from __future__ import annotations

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from facilitate.tui.keys import CANCEL, SAVE, bindings


class RolesScreen(ModalScreen[dict[str, str] | None]):
    """Put participants' names to the segment's roles; ctrl+s or enter on the last saves."""

    BINDINGS = bindings(CANCEL, SAVE)

    def __init__(self, roles: list[str], assigned: dict[str, str]) -> None:
        super().__init__(classes="dialog")
        self.roles, self.assigned = roles, assigned

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label("Who plays each role?", classes="dialog-question")
            with VerticalScroll(id="role-fields"):
                for i, role in enumerate(self.roles):
                    yield Label(escape(role))
                    yield Input(
                        self.assigned.get(role, ""),
                        placeholder="participant's name",
                        id=f"role-{i}",
                    )
            yield Label("[dim]tab moves · enter on the last (or ctrl+s) saves · escape cancels[/]")

    def on_mount(self) -> None:
        self.query_one("#role-0", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == f"role-{len(self.roles) - 1}":
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        names = {
            role: self.query_one(f"#role-{i}", Input).value.strip()
            for i, role in enumerate(self.roles)
        }
        self.dismiss(names)

    def action_cancel(self) -> None:
        self.dismiss(None)
