"""A huge countdown for a projector: block digits scaled to the terminal's size."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

# 5 rows, 4 columns per glyph; '#' is a filled cell.
_FONT = {
    "0": ["####", "#  #", "#  #", "#  #", "####"],
    "1": ["  # ", " ## ", "  # ", "  # ", " ###"],
    "2": ["####", "   #", "####", "#   ", "####"],
    "3": ["####", "   #", " ###", "   #", "####"],
    "4": ["#  #", "#  #", "####", "   #", "   #"],
    "5": ["####", "#   ", "####", "   #", "####"],
    "6": ["####", "#   ", "####", "#  #", "####"],
    "7": ["####", "   #", "  # ", " #  ", " #  "],
    "8": ["####", "#  #", "####", "#  #", "####"],
    "9": ["####", "#  #", "####", "   #", "####"],
    ":": ["    ", " ## ", "    ", " ## ", "    "],
    "+": ["    ", " #  ", "### ", " #  ", "    "],
    "-": ["    ", "    ", "### ", "    ", "    "],
}
GLYPH_W, GLYPH_H = 4, 5


def render_big(text: str, scale: int, width_scale: int | None = None) -> list[str]:
    """Rows of block characters for ``text``: each font cell ``scale`` rows tall and
    ``width_scale`` columns wide (twice ``scale`` unless given: terminal cells are tall)."""
    wide = scale * 2 if width_scale is None else width_scale
    rows = []
    for r in range(GLYPH_H):
        row = "  ".join(_FONT.get(ch, _FONT["-"])[r] for ch in text)
        scaled = "".join(("█" if c == "#" else " ") * wide for c in row)
        rows.extend([scaled] * scale)
    return rows


def big_size(text: str, width: int, height: int) -> tuple[int, int] | None:
    """The largest (scale, width_scale) at which ``text`` fits ``width`` x ``height``:
    double-width cells at any scale, then single-width ones (an hour-long countdown on
    a 60-column terminal). None when even that does not fit."""
    chars = max(1, len(text))
    natural_w = chars * GLYPH_W + (chars - 1) * 2  # font cells, gaps included
    for scale in range(max(1, height // GLYPH_H), 0, -1):
        if natural_w * scale * 2 <= width and GLYPH_H * scale <= height:
            return scale, scale * 2
    if natural_w <= width and height >= GLYPH_H:
        return 1, 1
    return None


class BigDigits(Widget):
    """Scales its text to the largest size that fits; redraws only when the text changes.

    From full screen down to a 60x20 terminal the countdown (hours included) is drawn
    in blocks; on anything smaller it is plain text rather than a broken drawing.
    """

    DEFAULT_CSS = "BigDigits { height: 1fr; width: 1fr; content-align: center middle; }"

    def __init__(self, text: str = "", **kwargs: str) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._text = text

    @property
    def text(self) -> str:
        return self._text

    def update(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.refresh()

    def render(self) -> Text:
        width, height = self.size
        size = big_size(self._text, width, height)
        rows = [self._text] if size is None else render_big(self._text, *size)
        pad_top = max(0, (height - len(rows)) // 2)
        lines = [""] * pad_top + [row.center(width) for row in rows]
        return Text("\n".join(lines), no_wrap=True, overflow="crop")
