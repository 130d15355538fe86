"""A table that draws only the rows on screen, so 10,000 notes never freeze the keyboard.

It lives apart from the review screens because it is a general widget: the
session list, search, actions and one session's notes all show their rows
through it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import zip_longest

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from facilitate.text import screen_text

Cell = Text | str


class RowTable(ScrollView, can_focus=True):
    """Rows by key, drawn on demand by ``render_row(key)``: 10,000 rows fill in milliseconds.

    DataTable formats and measures every cell of every row, which takes seconds
    for 10,000 notes and would be paid again on each keystroke of a search.
    Columns have fixed widths; a width of None shares what is left.
    """

    COMPONENT_CLASSES = {"row-table--header", "row-table--cursor"}
    # Moving keys act the moment they arrive (priority), as the keys of the screens that
    # act on the highlighted row do: "down down e" typed at once edits the row two down.
    BINDINGS = [
        Binding("up", "move(-1)", show=False, priority=True),
        Binding("down", "move(1)", show=False, priority=True),
        Binding("pageup", "page(-1)", show=False, priority=True),
        Binding("pagedown", "page(1)", show=False, priority=True),
        Binding("home", "edge(0)", show=False, priority=True),
        Binding("end", "edge(1)", show=False, priority=True),
        Binding("enter", "select", show=False),
    ]
    DEFAULT_CSS = """
    RowTable { height: 1fr; overflow-x: hidden; background: $surface; }
    RowTable > .row-table--header { text-style: bold; background: $panel; }
    RowTable > .row-table--cursor {
        background: $block-cursor-blurred-background; color: $block-cursor-blurred-foreground;
    }
    RowTable:focus > .row-table--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    """

    class Highlighted(Message):
        def __init__(self, table: RowTable, key: str | None) -> None:
            super().__init__()
            self.table, self.key = table, key

        @property
        def control(self) -> RowTable:
            return self.table

    class Selected(Highlighted):
        pass

    def __init__(
        self,
        columns: Sequence[tuple[str, int | None]] = (),
        *,
        empty: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.columns = list(columns)
        self.empty = empty
        self.keys: list[str] = []
        self.cursor = 0
        self._render_row: Callable[[str], Sequence[Cell]] = lambda key: ()
        self._cache: dict[tuple[str, bool, bool, int], Strip] = {}

    @property
    def cursor_key(self) -> str | None:
        return self.keys[self.cursor] if self.keys else None

    def set_rows(
        self,
        keys: Sequence[str],
        render_row: Callable[[str], Sequence[Cell]],
        *,
        cursor_key: str | None = None,
    ) -> None:
        """Show these rows; the cursor goes to ``cursor_key`` if given and shown."""
        self.keys = list(keys)
        self._render_row = render_row
        self._cache.clear()
        if cursor_key is not None and cursor_key in self.keys:
            self.cursor = self.keys.index(cursor_key)
        self.cursor = max(0, min(self.cursor, len(self.keys) - 1))
        self.virtual_size = Size(0, len(self.keys) + 1)
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self, self.cursor_key))

    def refresh_rows(self) -> None:
        """Draw again (the data behind ``render_row`` changed); cursor and scroll stay."""
        self._cache.clear()
        self.refresh()

    def move_to(self, index: int) -> None:
        if not self.keys:
            return
        index = max(0, min(index, len(self.keys) - 1))
        if index != self.cursor:
            self.cursor = index
            self.refresh()
            self.post_message(self.Highlighted(self, self.cursor_key))
        self._scroll_to_cursor()

    def _visible_rows(self) -> int:
        return self.scrollable_content_region.height - 1  # the header takes a line

    def _scroll_to_cursor(self) -> None:
        rows = self._visible_rows()
        if rows <= 0:
            return
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + rows:
            self.scroll_to(y=self.cursor - rows + 1, animate=False, immediate=True)

    def action_move(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor + direction * max(1, self._visible_rows() - 1))

    def action_edge(self, end: int) -> None:
        self.move_to(len(self.keys) - 1 if end else 0)

    def action_select(self) -> None:
        if self.keys:
            self.post_message(self.Selected(self, self.cursor_key))

    def on_click(self, event: events.Click) -> None:
        index = round(self.scroll_y) + event.y - 1
        if 0 <= index < len(self.keys):
            self.move_to(index)
            if event.chain > 1:
                self.action_select()

    def on_resize(self) -> None:
        self._cache.clear()
        self._scroll_to_cursor()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def _widths(self, width: int) -> list[int]:
        flexible = sum(1 for _, w in self.columns if w is None)
        rest = width - sum(w or 0 for _, w in self.columns) - 2 * len(self.columns)
        share = max(10, rest // flexible) if flexible else 0
        return [share if w is None else w for _, w in self.columns]

    def notify_style_update(self) -> None:
        """The theme (or a class) changed: rows drawn in the old colours must go."""
        super().notify_style_update()
        self._cache.clear()

    def _strip(self, cells: Sequence[Cell], width: int, style: Style | None) -> Strip:
        """One row: the cells over the widget's own colours (the theme's), so every segment
        has a style: a light theme gets light rows, and NO_COLOR's filter has one to strip."""
        if all(isinstance(cell, str) for cell in cells):
            return self._plain_strip(cells, width, style)  # type: ignore[arg-type]
        line = Text(no_wrap=True, end="")
        for cell, cell_w in zip_longest(cells, self._widths(width), fillvalue=""):
            if not isinstance(cell_w, int):
                break
            text = cell.copy() if isinstance(cell, Text) else Text(str(cell))
            text.plain = screen_text(text.plain)  # a note from a damaged journal: no codes
            text.truncate(cell_w, overflow="ellipsis", pad=True)
            line.append(" ")
            line.append_text(text)
            line.append(" ")
        line.truncate(width, pad=True)
        if style is not None:
            line.stylize(style)
        return Strip(list(line.render(self.app.console)), width).apply_style(self.rich_style)

    def _plain_strip(self, cells: Sequence[str], width: int, style: Style | None) -> Strip:
        """Rows of plain text (the agenda, most lists) without building Rich Text: one
        segment each, cut with an ellipsis as Text would, a tenth of the work."""
        parts = []
        for cell, cell_w in zip_longest(cells, self._widths(width), fillvalue=""):
            if not isinstance(cell_w, int):
                break
            parts.append(f" {_fit(screen_text(cell), cell_w)} ")
        line = Segment(set_cell_size("".join(parts), width), style)
        return Strip([line], width).apply_style(self.rich_style)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            labels = [label for label, _ in self.columns]
            return self._strip(labels, width, self.get_component_rich_style("row-table--header"))
        index = round(self.scroll_y) + y - 1
        if index >= len(self.keys):
            if index == 0 and self.empty:
                # across the whole row, not cut to the first column's width
                line = Text(f" {self.empty}", style="dim", no_wrap=True, end="")
                line.truncate(width, overflow="ellipsis", pad=True)
                return Strip(list(line.render(self.app.console)), width).apply_style(
                    self.rich_style
                )
            return Strip.blank(width, self.rich_style)
        key = self.keys[index]
        at_cursor = index == self.cursor
        cache_key = (key, at_cursor, self.has_focus, width)
        strip = self._cache.get(cache_key)
        if strip is None:
            style = self.get_component_rich_style("row-table--cursor") if at_cursor else None
            strip = self._strip(self._render_row(key), width, style)
            if len(self._cache) > 2000:
                self._cache.clear()
            self._cache[cache_key] = strip
        return strip


def _fit(text: str, width: int) -> str:
    """``text`` padded or cut to ``width`` cells, an ellipsis marking a cut."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, max(0, width - 1)) + "…" if width > 0 else ""


class OpenTable(RowTable):
    """A row table whose enter is shown in the Footer as "Open"."""

    BINDINGS = [Binding("enter", "select", "Open")]
