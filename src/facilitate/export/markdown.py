"""The document as Markdown, for people who live in it.

What people typed is escaped only where it would change the rendering
(:mod:`facilitate.export.md_escape`), so minutes pasted into an e-mail show no
stray backslashes. Line breaks inside a note are hard breaks (two spaces).
"""

from __future__ import annotations

import re

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
    Span,
    Table,
)
from facilitate.export.md_escape import Escaper, md_cell, md_heading

__all__ = ["md_cell", "md_heading", "md_line", "md_table", "render_markdown"]
from facilitate.export.textchart import text_chart

MARKERS = {"strong": "**", "over": "**", "em": "*", "muted": "*"}


def _pieces(line: Line) -> list[tuple[str, list[str]]]:
    """Each span's style and its lines: interior line edges trimmed, blank lines dropped."""
    found = []
    for span in line:
        parts = span.text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ").split("\n")
        if len(parts) > 1:
            parts = [parts[0].rstrip(), *(p.strip() for p in parts[1:-1]), parts[-1].lstrip()]
            parts = [parts[0], *(p for p in parts[1:] if p)]
        found.append((span.style, parts))
    return found


def md_line(line: Line, *, indent: str = "", line_start: bool = True) -> list[str]:
    """A line of spans as Markdown lines: user line breaks become hard breaks."""
    pieces = _pieces(line)
    escaper = Escaper([p for _, parts in pieces for p in parts])
    out = [""]
    at_start, first = line_start, True
    for style, parts in pieces:
        for k, part in enumerate(parts):
            if k:
                out.append("")
                at_start = True
            if first:
                part = part.lstrip()
            if not part:
                continue
            text = escaper.line(part, line_start=at_start and not out[-1], paragraph_start=first)
            first = False
            marker = MARKERS.get(style, "")
            if marker:
                inner = text.strip()
                if inner:
                    lead = text[: len(text) - len(text.lstrip())]
                    trail = text[len(text.rstrip()) :]
                    text = f"{lead}{marker}{inner}{marker}{trail}"
            out[-1] += text
    out = [o.rstrip() for o in out]
    return [o + "  " for o in out[:-1]] + [out[-1]] if out else [""]


def md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A GFM table of cells already escaped with :func:`md_cell`."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _item(line: Line, prefix: str = "- ") -> list[str]:
    lines = md_line(line)
    pad = " " * len(prefix)
    return [prefix + lines[0], *(pad + rest for rest in lines[1:])]


def _cell(line: Line) -> str:
    parts = []
    for span in line:
        text = md_cell(span.text)
        marker = MARKERS.get(span.style, "") if text.strip() else ""
        parts.append(f"{marker}{text}{marker}" if marker else text)
    return "".join(parts).strip()


def _block(block: Block) -> list[str]:
    match block:
        case Heading(text, level):
            return ["#" * level + " " + md_heading(text)]
        case Paragraph(line):
            return md_line(line)
        case Bullets(items):
            return [line for item in items for line in _item(item)]
        case Facts(rows):
            return [
                line
                for label, value in rows
                for line in _item((Span(f"{label}:", "strong"), Span(" "), *value))
            ]
        case Table(header, rows):
            return md_table([md_cell(h) for h in header], [[_cell(c) for c in r] for r in rows])
        case Checklist(items):
            return [
                line
                for done, text in items
                for line in _item((Span(text),), f"- [{'x' if done else ' '}] ")
            ]
        case Chart(rows):
            lines = text_chart(rows)
            fence = "`" * max([3, *(len(run) + 1 for run in re.findall(r"`+", "\n".join(lines)))])
            return [fence, *lines, fence]
    raise TypeError(f"cannot draw {block!r}")


def render_markdown(doc: Document) -> str:
    out = [f"# {md_heading(doc.title)}", "", f"*{doc.subtitle}*", ""]
    for section in doc.sections:
        if section.title:
            out += [f"## {md_heading(section.title)}", ""]
        for block in section.blocks:
            out += [*_block(block), ""]
    return "\n".join(out).rstrip("\n") + "\n"
