"""Small modal dialogs: confirm, pick one of a list, put names to roles."""

from __future__ import annotations

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList
from textual.widgets.option_list import Option


class ConfirmScreen(ModalScreen[bool]):
    """Yes/no with the safe answer on escape."""

    BINDINGS = [Binding("escape,n", "answer(False)", "No"), Binding("y", "answer(True)", "Yes")]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__(classes="dialog")
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self.question, classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="error")
                yield Button(f"{self.no} (n)", id="no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


# Border, padding, title with its margin and the hint line around the list of a ChoiceScreen.
CHOICE_CHROME_ROWS = 8
CHOICE_MAX_ROWS = 20


class ChoiceScreen(ModalScreen[int | None]):
    """Pick one item; digits 1-9 pick directly, escape cancels (None)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        title: str,
        items: list[str],
        *,
        current: int | None = None,
        none_label: str | None = None,
    ) -> None:
        super().__init__(classes="dialog")
        self.title_text, self.items, self.current = title, items, current
        self.none_label = none_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self.title_text, classes="dialog-question")
            options = [
                Option(f"{i + 1 if i < 9 else ' '}  {escape(item)}", id=str(i))
                for i, item in enumerate(self.items)
            ]
            if self.none_label:
                options.append(Option(f"0  {escape(self.none_label)}", id="-1"))
            yield OptionList(*options, id="choices")
            yield Label("[dim]enter or a number chooses · escape cancels[/]")

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        self._fit_list()
        if self.current is not None and 0 <= self.current < len(self.items):
            choices.highlighted = self.current
        choices.focus()

    def on_resize(self) -> None:
        self._fit_list()

    def _fit_list(self) -> None:
        """Leave room for the title and the hint line: on a 24-row terminal a long agenda
        would otherwise push "escape cancels" off the dialog. The list scrolls instead."""
        room = int(self.app.size.height * 0.9) - CHOICE_CHROME_ROWS
        self.query_one(OptionList).styles.max_height = max(3, min(CHOICE_MAX_ROWS, room))

    def on_key(self, event: Key) -> None:
        if event.character and event.character.isdigit():
            number = int(event.character)
            if number == 0 and self.none_label:
                event.stop()
                self.dismiss(-1)
            elif 1 <= number <= min(9, len(self.items)):
                event.stop()
                self.dismiss(number - 1)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)


class RolesScreen(ModalScreen[dict[str, str] | None]):
    """Put participants' names to the segment's roles; ctrl+s or enter on the last saves."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]

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
