"""The document as plain text for the body of an e-mail: no Markdown, no escapes.

Section titles in capitals, segments underlined, lists with bullets, tables
as one line per row (e-mail clients use proportional fonts, so only the
facilitator's figures are set out in columns).
"""

from __future__ import annotations

import re
import textwrap

from facilitate.export.document import (
    Block,
    Bullets,
    Chart,
    Checklist,
    Document,
    Facts,
    Heading,
    Line,
    Paragraph,
    Table,
    line_text,
)
from facilitate.export.textchart import text_chart

WIDTH = 78  # what mail programs and people read comfortably
MAIL_LINE = 990  # mail allows 998 characters a line: a longer word is cut to fit
# what a wrapped line's next lines are indented under: a bullet, number or tick box, or
# the line's own indent (a top-level "Label: " keeps the two spaces facts use)
_LEAD = re.compile(r"\s*(?:• |\d+\. |\[[ x]\] )|\s+")


def _lines(text: str) -> list[str]:
    """Text as lines: tabs as spaces, each line trimmed, no blank lines inside."""
    text = text.replace("\x00", "\ufffd").replace("\t", " ")
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return [ln for ln in lines if ln] or [""]


def _flat(line: Line) -> list[str]:
    """Spans joined, user line breaks kept."""
    return _lines(line_text(line))


def _hanging(lines: list[str], first: str, rest: str) -> list[str]:
    return [first + lines[0], *(rest + ln for ln in lines[1:])]


def _table(header: tuple[str, ...], rows: tuple[tuple[Line, ...], ...], grid: bool) -> list[str]:
    cells = [[" ".join(_flat(c)) for c in row] for row in rows]
    if grid:
        widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(header)]
        out = []
        for row in [list(header), *cells]:
            first, *others = (
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
            out.append("  ".join([first, *others]).rstrip())
        return out
    if len(header) == 2:
        items = [ln for a, b in cells for ln in _hanging(_lines(f"{a}: {b}"), "• ", "  ")]
        return [f"{header[0]}:", *items]  # headed: it must not read as part of what is above
    numbered = header[0] == "#"  # the number leads, the next column is the line
    out = [] if numbered else [f"{header[0]}:"]  # the list says what it is ("Present:")
    for row in cells:
        lead, head, rest = (f"{row[0]}. ", row[1], 2) if numbered else ("• ", row[0], 1)
        pad = " " * len(lead)
        extra = [
            f"{h}: {v}" for h, v in zip(header[rest:], row[rest:], strict=True) if v and v != "—"
        ]
        out += _hanging(_lines(head), lead, pad)
        if extra:
            out.append(pad + " · ".join(extra))
    return out


def _block(block: Block) -> list[str]:
    match block:
        case Heading(text, 3):
            title = " ".join(_lines(text))
            return [title, "─" * min(len(title), 72)]
        case Heading(text, _):
            title = " ".join(_lines(text))
            return [title if ":" in title else title + ":"]
        case Paragraph(line):
            return _flat(line)
        case Bullets(items):
            return [ln for item in items for ln in _hanging(_flat(item), "• ", "  ")]
        case Facts(rows):
            return [
                ln for label, value in rows for ln in _hanging(_flat(value), f"{label}: ", "  ")
            ]
        case Table(header, rows, _, grid):
            return _table(header, rows, grid)
        case Checklist(items):
            return [
                ln
                for done, text in items
                for ln in _hanging(_lines(text), "[x] " if done else "[ ] ", "    ")
            ]
        case Chart(rows):
            return text_chart(rows)
    raise TypeError(f"cannot draw {block!r}")


def wrapped(line: str, width: int = WIDTH) -> list[str]:
    """A line longer than ``width`` as several, each after the first indented under the
    text of a bullet, number or tick box; a word longer than mail allows is cut."""
    if len(line) <= width:
        return [line]
    lead = _LEAD.match(line)
    indent = " " * (len(lead.group(0)) if lead else 0)
    out = textwrap.wrap(
        line, width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    )
    return [piece[i : i + MAIL_LINE] for piece in out for i in range(0, len(piece), MAIL_LINE)]


def render_text(doc: Document) -> str:
    title = " ".join(_lines(doc.title))
    out = [title, doc.subtitle, ""]
    for section in doc.sections:
        if section.title:
            out += [section.title.upper(), ""]
        for block in section.blocks:
            lines = _block(block)
            # the facilitator's figures are set out in columns: wrapping would scatter them
            if not (isinstance(block, Chart) or (isinstance(block, Table) and block.grid)):
                lines = [piece for line in lines for piece in wrapped(line)]
            out += [*lines, ""]
    out[:2] = [piece for line in out[:2] for piece in wrapped(line)]
    return "\n".join(out).rstrip("\n") + "\n"
