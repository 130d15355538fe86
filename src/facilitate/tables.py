"""Plain-text tables for the command line.

Each cell is measured in terminal cells, so a Chinese or Japanese title (two
cells a character) keeps the columns after it in line, and on a terminal a long
cell wraps inside its column instead of breaking the row. Piped output (a
script, ``| head``) is never wrapped. No colour codes: the text is the same on
a terminal, in a file and through a pipe.

Tables are laid out here, line by line, the way Rich lays out a table (the same
column widths, wrapping and alignment; a test holds the two side by side over random
tables): Rich's own took about 0.3 s for the thousand rows of ``facilitate sessions``,
this a few milliseconds. Cells this layout does not measure (control characters,
spaces at either end) and terminals too narrow for two cells a column are still
left to Rich.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich.cells import cell_len

UNBOUNDED = 100_000


def render_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    width: int | None = None,
    right: Sequence[int] = (),
) -> str:
    """Columns two spaces apart, a header row, no rules; ``right``: columns aligned right.
    ``width`` is the terminal's (cells wrap to fit), None for a pipe (no wrapping)."""
    lines = [list(header), *(list(row) for row in rows)]
    if any(not cell.isprintable() or cell != cell.strip() for line in lines for cell in line):
        # Line breaks, tabs, other controls, spaces at either end: Rich knows how it draws
        # those (it drops a right-aligned cell's trailing spaces, for one).
        return _rich_table(header, rows, width=width, right=right)
    sizes = [[cell_len(cell) for cell in line] for line in lines]
    widths = [max(column) for column in zip(*sizes, strict=True)]
    gaps = GAP * (len(widths) - 1)
    if width is not None and sum(widths) + gaps > width:
        if width - gaps < MIN_COLUMN * len(widths):
            return _rich_table(header, rows, width=width, right=right)
        widths = _fit(widths, width - gaps)
    out = []
    for index, (line, size) in enumerate(zip(lines, sizes, strict=True)):
        if all(used <= room for used, room in zip(size, widths, strict=True)):
            out.append(_row(line, widths, right))
            continue
        wrapped = [_wrap(cell, room) for cell, room in zip(line, widths, strict=True)]
        height = max(len(pieces) for pieces in wrapped)
        if index == 0:  # the header's names sit on its last line, over their columns
            wrapped = [[""] * (height - len(pieces)) + pieces for pieces in wrapped]
        for n in range(height):
            out.append(_row([p[n] if n < len(p) else "" for p in wrapped], widths, right))
    return "".join(out)


GAP = 2  # spaces between columns
MIN_COLUMN = 2  # a column narrower than this cannot hold a wide character: Rich decides


def _row(cells: list[str], widths: list[int], right: Sequence[int]) -> str:
    padded = []
    for i, cell in enumerate(cells):
        pad = " " * (widths[i] - cell_len(cell))
        padded.append(pad + cell if i in right else cell + pad)
    return (" " * GAP).join(padded).rstrip() + "\n"


def _fit(widths: list[int], room: int) -> list[int]:
    """Column widths that add up to ``room`` at most, shared out as Rich shares them (so a
    table reads as it did when Rich laid it out): the widest columns give way first,
    evenly, down to the next widest, until the table fits; short columns (a status, a
    length) keep their width."""
    # Rich counts each column's padding in its width: a space each side, none at the edges.
    last = len(widths) - 1
    pads = [(GAP // 2) * ((i > 0) + (i < last)) for i in range(len(widths))]
    room += sum(pads)
    total = [min(w + p, room) for w, p in zip(widths, pads, strict=True)]
    while (excess := sum(total) - room) > 0:
        widest = max(total)
        second = max((w for w in total if w != widest), default=0)
        shrink = [1 if w == widest else 0 for w in total]
        if not widest - second:
            break
        total = _ratio_reduce(excess, shrink, [min(excess, widest - second)] * len(total), total)
    if (excess := sum(total) - room) > 0:
        total = _ratio_reduce(excess, [1] * len(total), total, total)
    return [w - p for w, p in zip(total, pads, strict=True)]


def _ratio_reduce(total: int, ratios: list[int], most: list[int], values: list[int]) -> list[int]:
    """Take ``total`` off ``values`` in proportion to ``ratios``, at most ``most`` each."""
    ratios = [ratio if top else 0 for ratio, top in zip(ratios, most, strict=True)]
    left, weight = total, sum(ratios)
    reduced = []
    for ratio, top, value in zip(ratios, most, values, strict=True):
        if ratio and weight > 0:
            taken = min(top, round(ratio * left / weight))
            reduced.append(value - taken)
            left -= taken
            weight -= ratio
        else:
            reduced.append(value)
    return reduced


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken between words; a word longer
    than a line is cut (a character that takes no cell of its own stays with the one
    before it)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        while cell_len(word) > width:
            if line:
                lines.append(line)
                line = ""
            cut = _cut(word, width)
            lines.append(word[:cut])
            word = word[cut:]
        joined = f"{line} {word}" if line else word
        if cell_len(joined) <= width:
            line = joined
        else:
            lines.append(line)
            line = word
    return [*lines, line] if line or not lines else lines


def _cut(word: str, width: int) -> int:
    """How many characters of ``word`` fill at most ``width`` cells (at least one)."""
    used = 0
    for index, char in enumerate(word):
        used += cell_len(char)
        if used > width:
            return max(index, 1)
    return len(word)


def _rich_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    width: int | None,
    right: Sequence[int],
) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False, show_edge=False, padding=(0, 1), header_style="")
    for index, name in enumerate(header):
        table.add_column(
            Text(name),
            justify="right" if index in right else "left",
            no_wrap=width is None,
            overflow="fold",
        )
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    out = io.StringIO()
    console = Console(
        file=out,
        width=width or UNBOUNDED,
        color_system=None,
        force_terminal=False,
        legacy_windows=False,
        markup=False,
        emoji=False,
        highlight=False,
    )
    console.print(table)
    return "".join(line.rstrip() + "\n" for line in out.getvalue().splitlines())
