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


def render_big(text: str, scale: int) -> list[str]:
    """Rows of block characters for ``text`` at an integer ``scale``."""
    rows = []
    for r in range(GLYPH_H):
        row = "  ".join(_FONT.get(ch, _FONT["-"])[r] for ch in text)
        scaled = "".join(("█" if c == "#" else " ") * (scale * 2) for c in row)
        rows.extend([scaled] * scale)
    return rows


class BigDigits(Widget):
    """Scales its text to the largest size that fits; redraws only when the text changes."""

    DEFAULT_CSS = "BigDigits { height: 1fr; width: 1fr; content-align: center middle; }"

    def __init__(self, text: str = "", **kwargs: str) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._text = text

    def update(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.refresh()

    def render(self) -> Text:
        width, height = self.size
        chars = max(1, len(self._text))
        natural_w = chars * GLYPH_W * 2 + (chars - 1) * 4
        scale = max(1, min(width // max(1, natural_w), height // GLYPH_H))
        rows = render_big(self._text, scale)
        pad_top = max(0, (height - len(rows)) // 2)
        lines = [""] * pad_top + [row.center(width) for row in rows]
        return Text("\n".join(lines), no_wrap=True, overflow="crop")
