"""How wide a table's columns are on paper (Word, and the web page opened in LibreOffice).

A column is at least as wide as what must not break: its heading, a short cell
whole (a date, a name, "Status") and the longest word of a long one. What is
left goes to the columns with long text, in proportion to how much they hold.
"""

from __future__ import annotations

from facilitate.export.document import Table, line_text

KEEP_WHOLE = 16  # characters: "Fri 12 Dec 2025", a person's name, "On time"
CHAR_CM = 0.2  # a character of 10.5 pt Arial (Liberation Sans), bold headings included
PAD_CM = 0.45  # the cell's own margins, left and right
LONG_CAP = 40  # a longer cell asks for no more room than this many characters


def keep_whole(text: str, most: int = KEEP_WHOLE) -> bool:
    """Whether a cell is short enough to be kept on one line."""
    return len(text) <= most and "\n" not in text


def _unbreakable(text: str) -> int:
    if keep_whole(text):
        return len(text)
    return max((len(word) for word in text.split()), default=0)


def column_widths(block: Table, total: float) -> list[float]:
    """Widths in cm summing to ``total``: each column's minimum, then the rest shared by
    the columns whose text is longer than that minimum."""
    columns = [
        [title, *(line_text(row[i]) for row in block.rows)] for i, title in enumerate(block.header)
    ]
    least = [max(map(_unbreakable, texts)) * CHAR_CM + PAD_CM for texts in columns]
    natural = [min(max(map(len, texts)), LONG_CAP) * CHAR_CM + PAD_CM for texts in columns]
    spare = total - sum(least)
    if spare <= 0:  # more than fits: everything in proportion to its minimum
        return [round(total * w / sum(least), 2) for w in least]
    extra = [max(0.0, n - w) for n, w in zip(natural, least, strict=True)]
    share = sum(extra) or float(len(least))
    return [
        round(w + spare * ((e if sum(extra) else 1.0) / share), 2)
        for w, e in zip(least, extra, strict=True)
    ]
