"""Text that redraws only when it changes: the reactive does the comparing.

A ``Static.update`` with the same text still re-lays out the screen; a reactive
skips a value equal to the one it holds. ``Line`` sizes to its text (a prompt
list that grows); ``Bar`` is a one-line strip whose size never depends on its
text, so a change repaints it without a layout.
"""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from facilitate.text import screen_text


class Line(Widget):
    DEFAULT_CSS = "Line { height: auto; width: 1fr; }"

    text: reactive[str] = reactive("", layout=True)

    def __init__(
        self,
        text: str = "",
        *,
        markup: bool = True,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes, markup=markup)
        self.set_reactive(Line.text, text)

    def render(self) -> Content:
        # Names and notes may come from another terminal's journal: no terminal codes.
        text = screen_text(self.text, keep="\n")
        return Content.from_markup(text) if self._render_markup else Content(text)


class Bar(Line):
    DEFAULT_CSS = "Bar { height: 1; width: 1fr; }"

    text: reactive[str] = reactive("", layout=False)
