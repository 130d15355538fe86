"""The document as a Word file (python-docx): headings, real tables, the timing chart.

The chart is a table whose cells are shaded like bars, so it prints and edits
in Word and LibreOffice alike without an image library. The file is A4 with
the document's title in its properties, and the same session always gives the
same bytes: zip entries carry a fixed time, and the file's own dates are the
session's.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from datetime import UTC, datetime

from docx import Document as new_word_document
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table as WordTable
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph as WordParagraph

from facilitate.export.columns import column_widths
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
    line_text,
)
from facilitate.export.timing import TimingRow, length_text, over_text

MUTED = RGBColor(0x59, 0x59, 0x59)
RED = RGBColor(0xB0, 0x00, 0x20)
WITHIN, OVER, TRACK, HEADER = "2E7D32", "C62828", "D5DBE1", "E8EEF4"
CHART_CELLS = 28
BODY_FONT = "Arial"
GAP_TWIPS = 60  # 3 pt between two bars of the chart
TEXT_WIDTH_CM = 17.0  # A4 less two 2 cm margins
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# XML 1.0 refuses these characters; a stray control code must not make the file unwritable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def right_to_left(text: str) -> bool:
    """Whether the first letter with a direction reads right to left (Arabic, Hebrew...)."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def _runs(paragraph: WordParagraph, line: Line) -> None:
    for span in line:
        lines = xml_safe(span.text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
        run = paragraph.add_run()
        for k, part in enumerate(lines):
            if k:
                run.add_break()
            run.add_text(part.strip() if len(lines) > 1 else part)
        if span.style in ("strong", "over"):
            run.bold = True
        if span.style == "em":
            run.italic = True
        if span.style == "muted":
            run.font.color.rgb = MUTED
        if span.style == "over":
            run.font.color.rgb = RED
    if right_to_left(line_text(line)):
        paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(table: WordTable) -> None:
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(flag)


def _fix_widths(table: WordTable, widths: list[float]) -> None:
    """Column widths Word and LibreOffice both keep: the grid's and every cell's."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def _table(word: WordDocument, block: Table) -> None:
    table = word.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.style = "Table Grid"
    _fix_widths(table, column_widths(block, TEXT_WIDTH_CM))
    _repeat_header(table)
    for row in table.rows:  # a row is read whole: never split across two pages
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for i, (cell, title) in enumerate(zip(table.rows[0].cells, block.header, strict=True)):
        _runs(cell.paragraphs[0], (Span(title, "strong"),))
        _shade(cell, HEADER)
        if i < len(block.numeric) and block.numeric[i]:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for r, row in enumerate(block.rows, start=1):
        for i, (cell, value) in enumerate(zip(table.rows[r].cells, row, strict=True)):
            _runs(cell.paragraphs[0], value)
            if i < len(block.numeric) and block.numeric[i]:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    word.add_paragraph()


def bar_cells(timing: TimingRow, scale: float) -> tuple[int, int]:
    """How many chart cells the agreed length and the actual length fill.

    A cell is a minute or two, so an overrun shorter than a cell would round away:
    a segment the figures call over (``+1m``) gets at least one red cell."""
    agreed = round(CHART_CELLS * timing.agreed_s / scale)
    actual = round(CHART_CELLS * timing.actual_s / scale) if timing.ran else 0
    if over_text(timing.over_s).startswith("+") and actual <= agreed:
        actual = agreed + 1
        if actual > CHART_CELLS:  # the longest row: the agreed part gives up a cell
            agreed, actual = CHART_CELLS - 1, CHART_CELLS
    return agreed, actual


def _keep_row(row: _Row, *, with_next: bool) -> None:
    """A row never split across pages, and kept on the page of the row after it."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    if with_next:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def _gap(row: _Row) -> None:
    """A thin empty row, so that the bars of two-line labels do not run together."""
    height = OxmlElement("w:trHeight")
    height.set(qn("w:val"), str(GAP_TWIPS))
    height.set(qn("w:hRule"), "exact")
    row._tr.get_or_add_trPr().append(height)
    for cell in row.cells:
        cell.paragraphs[0].paragraph_format.space_after = Pt(0)
        cell.paragraphs[0].paragraph_format.line_spacing = Pt(1)


def _chart(word: WordDocument, rows: tuple[TimingRow, ...]) -> None:
    """One row per segment (a thin gap between): its title, a bar of shaded cells, its
    figures; the whole chart and its legend kept on one page."""
    scale = max([1.0, *(max(r.agreed_s, r.actual_s) for r in rows)])
    table = word.add_table(rows=max(0, 2 * len(rows) - 1), cols=CHART_CELLS + 2)
    cell_w = round((TEXT_WIDTH_CM - 5.6 - 3.6) / CHART_CELLS, 3)
    _fix_widths(table, [5.6, *([cell_w] * CHART_CELLS), 3.6])
    for n, row in enumerate(table.rows):
        _keep_row(row, with_next=True)  # the last keeps with the legend
        if n % 2:
            _gap(row)
    for row, timing in zip(table.rows[::2], rows, strict=True):
        cells = row.cells
        _runs(cells[0].paragraphs[0], (Span(timing.title),))
        agreed, actual = bar_cells(timing, scale)
        within = min(agreed, actual)
        for k in range(CHART_CELLS):
            fill = WITHIN if k < within else TRACK if k < agreed else OVER if k < actual else ""
            if fill:
                _shade(cells[1 + k], fill)
        figure = length_text(timing.actual_s) if timing.ran else "not run"
        over = over_text(timing.over_s)
        style = "over" if over.startswith("+") else ""
        _runs(
            cells[-1].paragraphs[0], (Span(f" {figure}"), Span(f" {over}" if over else "", style))
        )
    legend = word.add_paragraph()
    for colour, words in (
        (TRACK, "agreed length  "),
        (WITHIN, "ran within it  "),
        (OVER, "ran over it"),
    ):
        mark = legend.add_run("■ ")
        mark.font.color.rgb = RGBColor.from_string(colour)
        legend.add_run(words).font.color.rgb = MUTED


def _block(word: WordDocument, block: Block) -> None:
    match block:
        case Heading(text, level):
            _runs(word.add_heading("", level=level - 1), (Span(" ".join(text.split())),))
        case Paragraph(line):
            _runs(word.add_paragraph(), line)
        case Bullets(items):
            for item in items:
                _runs(word.add_paragraph(style="List Bullet"), item)
        case Facts(rows):
            for label, value in rows:
                _runs(word.add_paragraph(), (Span(f"{label}: ", "strong"), *value))
        case Table():
            _table(word, block)
        case Checklist(items):
            for done, text in items:
                mark = "☑ " if done else "☐ "
                tail = () if done else (Span(" (not done)", "muted"),)
                _runs(word.add_paragraph(), (Span(mark), Span(text), *tail))
        case Chart(rows):
            _chart(word, rows)
        case _:
            raise TypeError(f"cannot draw {block!r}")


def _reproducible(data: bytes) -> bytes:
    """The same zip with every entry dated ZIP_TIME, so equal documents are equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def render_docx(doc: Document, created: datetime | None) -> bytes:
    word = new_word_document()
    section = word.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    word.styles["Normal"].font.size = Pt(10.5)
    # Arial in Word, its metric twin Liberation Sans in LibreOffice: text is as wide in
    # both, so the table columns sized for it fit (the template's theme font fell back
    # to a much wider one in LibreOffice, breaking 'Status' and dates).
    word.styles["Normal"].font.name = BODY_FONT
    when = (created or datetime(2000, 1, 1, tzinfo=UTC)).astimezone(UTC).replace(tzinfo=None)
    props = word.core_properties
    props.title = xml_safe(" ".join(doc.title.split()))
    props.subject = doc.subtitle
    props.author = props.last_modified_by = props.comments = props.keywords = ""
    props.created = props.modified = when
    props.revision = 1
    _runs(word.add_heading("", level=0), (Span(" ".join(doc.title.split())),))
    word.add_paragraph(doc.subtitle, style="Subtitle")
    for part in doc.sections:
        if part.title:
            heading = word.add_heading(part.title, level=1)
            heading.paragraph_format.page_break_before = part.major
        for block in part.blocks:
            _block(word, block)
    buffer = io.BytesIO()
    word.save(buffer)
    return _reproducible(buffer.getvalue())
