"""A short reflection after a segment (or the day): how collaborative it felt, what to change.

The screen only asks; the run screen records ``ReflectionRecorded`` from the
result, so a cancelled reflection leaves nothing behind in the journal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from facilitate.tui.dialogs.fields import FORM_KEYS, DialogInput, FormScreen
from facilitate.tui.keys import CANCEL, RATE, bindings

RATING_WORDS = {1: "not at all", 2: "a little", 3: "somewhat", 4: "mostly", 5: "fully"}


@dataclass(frozen=True)
class ReflectionResult:
    """What was entered; ``rating`` is None when the question was skipped."""

    rating: int | None
    felt: str
    change: str


class RatingPicker(Widget, can_focus=True):
    """Five boxes picked with the keys 1-5 (the dialog's: they move on to the next
    question) or left/right (enter moves on)."""

    DEFAULT_CSS = """
    RatingPicker {
        height: 1;
        width: 1fr;
        margin: 0 0 1 0;
    }
    """
    # Taken in the picker's own key order (not as bindings, which would be looked up
    # against wherever the focus is by the time the key is handled: "4<enter>" typed
    # fast would lose the 4 once enter had moved on).
    RATING_KEYS: ClassVar[dict[str, int | str]] = {
        **{str(n): n for n in range(1, 6)},
        "left": "lower",
        "right": "higher",
        "backspace": 0,
        "delete": 0,
    }

    value: reactive[int | None] = reactive(None)

    def render(self) -> Text:
        text = Text()
        for n in range(1, 6):
            chosen = n == self.value
            style = "bold reverse" if chosen else ("bold" if self.has_focus else "dim")
            text.append(f" {n} ", style=style)
            text.append(" ")
        words = RATING_WORDS.get(self.value or 0, "press 1 (not at all) to 5 (fully)")
        text.append(f" {words}", style="italic" if self.value else "dim")
        return text

    def on_key(self, event: events.Key) -> None:
        what = self.RATING_KEYS.get(event.key)
        if what is None:
            return
        event.stop()
        event.prevent_default()
        if isinstance(what, int):
            self.action_rate(what)
        else:
            self.action_step(1 if what == "higher" else -1)

    def action_rate(self, n: int) -> None:
        self.value = n if 1 <= n <= 5 else None

    def action_step(self, delta: int) -> None:
        start = self.value or (0 if delta > 0 else 6)
        self.value = min(5, max(1, start + delta))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()


class ReflectionScreen(FormScreen[ReflectionResult | None]):
    """Asks three questions; ctrl+s (or enter on the last field) saves, escape cancels."""

    DEFAULT_CSS = """
    ReflectionScreen {
        align: center middle;
    }
    ReflectionScreen > #reflection {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    ReflectionScreen #reflection-title {
        text-style: bold;
        width: 1fr;
        margin: 0 0 1 0;
    }
    ReflectionScreen .question {
        width: 1fr;
    }
    ReflectionScreen Input {
        margin: 0 0 1 0;
    }
    ReflectionScreen #reflection-keys {
        color: $text-muted;
        width: 1fr;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [*bindings(CANCEL, *RATE), *FORM_KEYS]

    def __init__(self, segment_title: str | None) -> None:
        super().__init__()
        self.segment_title = segment_title

    def compose(self) -> ComposeResult:
        about = self.segment_title or "the whole session"
        with Vertical(id="reflection"):
            yield Static(Text(f"Reflection: {about}"), id="reflection-title")
            yield Label("How collaborative did this feel?", classes="question")
            yield RatingPicker(id="rating")
            yield Label("What felt collaborative, and what didn't?", classes="question")
            yield DialogInput(
                placeholder="e.g. everyone spoke; staff and users agreed quickly", id="felt"
            )
            yield Label("What would you change next time?", classes="question")
            yield DialogInput(placeholder="e.g. more time in mixed groups", id="change", last=True)
            keys = "1-5 rate and move on · tab next · enter on the last field or ctrl+s saves"
            yield Static(f"{keys} · escape cancels", id="reflection-keys", markup=False)

    def on_mount(self) -> None:
        self.set_focus(self.query_one(RatingPicker))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "rate":  # a digit is a rating only while the rating has the keyboard
            return isinstance(self.focused, RatingPicker)
        return super().check_action(action, parameters)

    def action_rate(self, n: int) -> None:
        """Chosen: the words typed next answer the next question (a digit there is text)."""
        self.query_one(RatingPicker).action_rate(n)
        self.focus_next()

    def result(self) -> ReflectionResult:
        return ReflectionResult(
            rating=self.query_one(RatingPicker).value,
            felt=self.query_one("#felt", Input).value.strip(),
            change=self.query_one("#change", Input).value.strip(),
        )

    def action_save(self) -> None:
        result = self.result()
        if result.rating is None and not result.felt and not result.change:
            self.notify("Nothing to save yet: pick 1-5 or write a line (escape cancels).",
                        severity="warning")  # fmt: skip
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)
