"""A Word file read back with python-docx, as text a golden file and a person can read.

Import it as ``from docxread import ...`` (pytest puts ``tests/`` on sys.path).
"""

from __future__ import annotations

import io

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph


def open_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def tables(data: bytes) -> list[list[list[str]]]:
    """Every table's cell texts, row by row."""
    return [[[cell.text for cell in row.cells] for row in t.rows] for t in open_docx(data).tables]


def outline(data: bytes) -> str:
    """The body in order: each paragraph as ``[style] text`` (bold runs in **, a page break
    before as ``--- page ---``), each table as rows of cells joined by `` | ``; a chart cell
    shaded as ``#RRGGBB``."""
    document = open_docx(data)
    props = document.core_properties
    lines = [f"title: {props.title} | subject: {props.subject} | author: {props.author!r}"]
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            if item.paragraph_format.page_break_before:
                lines.append("--- page ---")
            text = "".join(f"**{r.text}**" if r.bold and r.text.strip() else r.text
                           for r in item.runs)  # fmt: skip
            rtl = " (right to left)" if item._p.pPr is not None and item._p.pPr.find(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bidi") is not None \
                else ""  # fmt: skip
            if text or item.style is None or item.style.name != "Normal":
                name = item.style.name if item.style is not None else "?"
                lines.append(f"[{name}]{rtl} {text}".rstrip())
        elif isinstance(item, Table):
            lines.append("<table>")
            for row in item.rows:
                cells = []
                for cell in row.cells:
                    shading = cell._tc.tcPr.find(
                        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}shd"
                    ) if cell._tc.tcPr is not None else None  # fmt: skip
                    fill = shading.get(
                        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}fill"
                    ) if shading is not None else None  # fmt: skip
                    text = cell.text.replace("\n", "⏎")
                    cells.append(text if text or not fill else f"#{fill}")
                lines.append("  " + " | ".join(cells))
            lines.append("</table>")
    return "\n".join(lines) + "\n"
