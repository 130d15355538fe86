"""The document as one self-contained HTML page: read on screen, printed to PDF, pasted.

Nothing is fetched from anywhere (no fonts, scripts, images or style sheets:
the styles are in the page and the timing chart is SVG carried in the page
itself, see :mod:`facilitate.export.svg`). Tables carry
their borders and padding as attributes and inline styles too, because e-mail
programs and Word keep those when a table is pasted and drop the style sheet.
Printing starts each major section on a new page. Every piece of user text is
escaped, and marked ``dir="auto"`` so right-to-left text reads the right way.
"""

from __future__ import annotations

from html import escape

from facilitate.export.columns import column_widths, keep_whole
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
from facilitate.export.svg import svg_image

# a name or a status kept on one line; a date may break between its words, which
# leaves the action's text room when LibreOffice opens the page in a wider font
NOWRAP_MOST = 12
PAGE_CM = 17.0  # the width of A4 printed: columns are sized for it, then given as percentages


def _nowrap(cell: Line, align: str) -> str:
    """The cell's attributes: its style, and ``nowrap`` (which LibreOffice reads, where
    it ignores the CSS) for a short one, such as a date or a name."""
    if keep_whole(line_text(cell), NOWRAP_MOST) or "nowrap" in align:
        extra = "" if "nowrap" in align else ";white-space:nowrap"
        return f' nowrap style="{CELL}{align}{extra}"'
    return f' style="{CELL}{align}"'


BORDER = "1px solid #8c8c8c"
CELL = f"border:{BORDER};padding:4px 8px;vertical-align:top;text-align:"
TABLE_ATTRS = (
    f'border="1" cellspacing="0" cellpadding="6" '
    f'width="100%" style="width:100%;border-collapse:collapse;border:{BORDER};margin:0.4em 0 1em"'
)
SPAN_TAGS = {
    "strong": ("<strong>", "</strong>"),
    "em": ("<em>", "</em>"),
    "muted": ('<span class="muted" style="color:#595959">', "</span>"),
    "over": ('<strong class="over" style="color:#b00020">', "</strong>"),
}

STYLE = """
body { font-family: "Segoe UI", Calibri, "Helvetica Neue", Arial, sans-serif; color: #1f1f1f;
       line-height: 1.45; max-width: 52em; margin: 2em auto; padding: 0 1.2em; }
h1 { font-size: 1.6em; margin-bottom: 0.1em; }
.subtitle { font-size: 1.1em; color: #595959; margin-top: 0; }
h2 { font-size: 1.3em; border-bottom: 2px solid #c5ccd3; padding-bottom: 0.15em;
     margin-top: 1.6em; }
h3 { font-size: 1.1em; margin: 1.3em 0 0.3em; }
h4 { font-size: 1em; margin: 0.9em 0 0.2em; }
p, li { margin: 0.25em 0; }
ul { padding-left: 1.4em; }
ul.checklist { list-style: none; padding-left: 0.2em; }
.muted { color: #595959; }
.over { color: #b00020; }
table { border-collapse: collapse; }
th { background: #e8eef4; }
img.chart { display: block; margin: 0.6em 0 1em; }
@page { margin: 18mm 16mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
  section.major { break-before: page; page-break-before: always; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  tr, li, img.chart { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  /* a full-width table's right border falls just outside the printed page in Chromium */
  table { width: 99.5% !important; }
}
""".strip()


def _text(text: str) -> str:
    text = text.replace("\x00", "\ufffd").replace("\r\n", "\n").replace("\r", "\n")
    lines = [escape(line.strip(), quote=True) for line in text.split("\n")]
    return "<br>".join(line for line in lines if line) if len(lines) > 1 else lines[0]


def _line(line: Line) -> str:
    out = []
    for span in line:
        if span.text.strip() and span.style in SPAN_TAGS:
            start, end = SPAN_TAGS[span.style]
            lead = " " if span.text[:1].isspace() else ""
            trail = " " if span.text[-1:].isspace() else ""
            out.append(f"{lead}{start}{_text(span.text)}{end}{trail}")
        else:
            out.append(_text(span.text) if span.text.strip() else escape(span.text))
    return "".join(out)


def _table(block: Table) -> list[str]:
    aligns = [
        "right;white-space:nowrap" if i < len(block.numeric) and block.numeric[i] else "left"
        for i in range(len(block.header))
    ]
    # Column widths as in the Word file, and headings and short cells (a date, a name)
    # kept on one line: LibreOffice and Word break them mid-word otherwise ("Statu s").
    widths = column_widths(block, PAGE_CM)
    out = [f"<table {TABLE_ATTRS}>", "<colgroup>"]
    percents = [f"{round(100 * w / sum(widths), 1):g}%" for w in widths]
    out += [f'<col width="{p}" style="width:{p}">' for p in percents]
    out += ["</colgroup>", "<thead><tr>"]
    out += [
        f'<th scope="col" width="{p}" nowrap style="{CELL}{a};white-space:nowrap;'
        f'background:#e8eef4">{escape(h)}</th>'
        for h, a, p in zip(block.header, aligns, percents, strict=True)
    ]
    out += ["</tr></thead>", "<tbody>"]
    for row in block.rows:
        cells = "".join(
            f'<td dir="auto"{_nowrap(cell, a)}>{_line(cell)}</td>'
            for cell, a in zip(row, aligns, strict=True)
        )
        out.append(f"<tr>{cells}</tr>")
    out += ["</tbody>", "</table>"]
    return out


def _block(block: Block) -> list[str]:
    match block:
        case Heading(text, level):
            return [f'<h{level} dir="auto">{_text(" ".join(text.split()))}</h{level}>']
        case Paragraph(line):
            return [f'<p dir="auto">{_line(line)}</p>']
        case Bullets(items):
            return ["<ul>", *(f'<li dir="auto">{_line(item)}</li>' for item in items), "</ul>"]
        case Facts(rows):
            return [
                f'<p dir="auto"><strong>{escape(label)}:</strong> {_line(value)}</p>'
                for label, value in rows
            ]
        case Table():
            return _table(block)
        case Checklist(items):
            undone = ' <span class="muted" style="color:#595959">(not done)</span>'
            points = [
                f'<li dir="auto">{"☑" if done else "☐"} {_text(text)}{"" if done else undone}</li>'
                for done, text in items
            ]
            return ['<ul class="checklist">', *points, "</ul>"]
        case Chart(rows):
            return [svg_image(rows)]
    raise TypeError(f"cannot draw {block!r}")


def render_html(doc: Document) -> str:
    title = " ".join(doc.title.split())
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(doc.subtitle)}: {escape(title)}</title>",
        f"<style>\n{STYLE}\n</style>",
        "</head>",
        f'<body class="{escape(doc.audience)}">',
        "<header>",
        f'<h1 dir="auto">{escape(title)}</h1>',
        f'<p class="subtitle">{escape(doc.subtitle)}</p>',
        "</header>",
    ]
    for section in doc.sections:
        classes = ' class="major"' if section.major else ""
        out.append(f'<section id="{escape(section.key)}"{classes}>')
        if section.title:
            out.append(f"<h2>{escape(section.title)}</h2>")
        for block in section.blocks:
            out += _block(block)
        out.append("</section>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
