"""Pick one item of a list: enter or a digit chooses, escape cancels.

The keys are priority bindings: the choice is made, and the dialog gone, the moment the
key arrives, so whatever is typed straight after it goes where the keyboard returns to
(the note box), not into this list. A digit with nothing to pick does nothing."""

from __future__ import annotations

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from facilitate.tui.keys import CANCEL, CHOOSE, bindings

# Border, padding, title with its margin and the hint line around the list of a ChoiceScreen.
CHOICE_CHROME_ROWS = 8
CHOICE_MAX_ROWS = 20


class ChoiceScreen(ModalScreen[int | None]):
    """Pick one item; digits 1-9 pick directly, escape cancels (None)."""

    BINDINGS = bindings(CANCEL, CHOOSE)

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
        self.set_focus(choices)

    def on_resize(self) -> None:
        self._fit_list()

    def _fit_list(self) -> None:
        """Leave room for the title and the hint line: on a 24-row terminal a long agenda
        would otherwise push "escape cancels" off the dialog. The list scrolls instead."""
        room = int(self.app.size.height * 0.9) - CHOICE_CHROME_ROWS
        self.query_one(OptionList).styles.max_height = max(3, min(CHOICE_MAX_ROWS, room))

    def action_choose(self, number: int) -> None:
        if number == 0 and self.none_label:
            self.dismiss(-1)
        elif 1 <= number <= min(9, len(self.items)):
            self.dismiss(number - 1)
        else:
            self.app.bell()

    def action_choose_highlighted(self) -> None:
        found = self.query(OptionList)
        option = found.first().highlighted_option if found else None
        if option is not None:
            self.dismiss(int(option.id or 0))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)
