"""Plain-text tables for the command line, laid out by Rich.

Rich measures each cell in terminal cells, so a Chinese or Japanese title (two
cells a character) keeps the columns after it in line, and on a terminal a long
cell wraps inside its column instead of breaking the row. Piped output (a
script, ``| head``) is never wrapped. No colour codes: the text is the same on
a terminal, in a file and through a pipe.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

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
