"""Planned against actual time as an SVG bar chart, carried inside the HTML report.

One row per segment: a light track for the agreed length (the plan plus time
added or taken), the time it actually ran on top (green within the agreed
length, red past it), a dashed mark where the original plan ended when that
differs, and the figures at the end of the row.

The page carries it as an image whose source is the SVG itself (a ``data:``
URL), not as an ``<svg>`` element: browsers draw both alike, but LibreOffice
opens an inline ``<svg>`` as loose text and Word drops it when the report is
pasted, while both keep an image. Nothing is fetched from anywhere.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from facilitate.export.timing import TimingRow, length_text, over_text

LABEL_W, BAR_W, FIGURE_W = 250, 360, 150
ROW_H, TOP = 26, 40
WITHIN, OVER, TRACK, PLAN = "#2e7d32", "#c62828", "#d5dbe1", "#37474f"


def _cut(text: str, most: int = 36) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1] + "…"


def _figure(row: TimingRow) -> str:
    if not row.ran:
        if row.status == "dropped":
            return "left out"
        return "not run" if row.status in ("done", "skipped") else "to come"
    figure = f"{length_text(row.actual_s)} of {length_text(row.agreed_s)}"
    over = over_text(row.over_s)
    return f"{figure} ({over})" if over and over != "on time" else figure


def chart_summary(rows: tuple[TimingRow, ...]) -> str:
    """The chart in words: its alternative text."""
    return "; ".join(f"{' '.join(r.title.split())}: {_figure(r)}" for r in rows)


def svg_image(rows: tuple[TimingRow, ...]) -> str:
    """An ``<img>`` whose source is the chart's SVG, for a self-contained page."""
    svg = svg_chart(rows)
    height = TOP + ROW_H * len(rows) + 8
    source = quote(svg, safe=" =:/;,()._!*~-'")
    return (
        f'<img class="chart" src="data:image/svg+xml,{source}" '
        f'alt="{escape(chart_summary(rows))}" width="{LABEL_W + BAR_W + FIGURE_W}" '
        f'height="{height}" style="max-width:100%;height:auto">'
    )


def svg_chart(rows: tuple[TimingRow, ...]) -> str:
    width = LABEL_W + BAR_W + FIGURE_W
    height = TOP + ROW_H * len(rows) + 8
    scale = max([1.0, *(max(r.agreed_s, r.planned_s, r.actual_s) for r in rows)])

    def px(seconds: float) -> float:
        return round(BAR_W * seconds / scale, 1)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
        "<title>Planned against actual time, segment by segment</title>",
    ]
    legend = [(TRACK, "agreed length"), (WITHIN, "ran within it"), (OVER, "ran over it")]
    x = LABEL_W
    for colour, words in legend:
        out.append(f'<rect x="{x}" y="10" width="14" height="12" fill="{colour}"/>')
        out.append(f'<text x="{x + 19}" y="20" fill="#222">{words}</text>')
        x += 30 + 7 * len(words)
    out.append(
        f'<line x1="{x}" y1="8" x2="{x}" y2="24" stroke="{PLAN}" stroke-width="2" '
        'stroke-dasharray="3 2"/>'
    )
    out.append(f'<text x="{x + 6}" y="20" fill="#222">planned</text>')
    for i, row in enumerate(rows):
        y = TOP + i * ROW_H
        agreed, actual = px(row.agreed_s), px(row.actual_s) if row.ran else 0.0
        within = min(agreed, actual)
        out.append(
            f'<text x="{LABEL_W - 10}" y="{y + 16}" text-anchor="end" fill="#222">'
            f"{escape(_cut(row.title))}</text>"
        )
        out.append(f'<rect x="{LABEL_W}" y="{y + 3}" width="{agreed}" height="18" fill="{TRACK}"/>')
        if within:
            out.append(
                f'<rect x="{LABEL_W}" y="{y + 7}" width="{within}" height="10" fill="{WITHIN}"/>'
            )
        if actual > agreed:
            out.append(
                f'<rect x="{LABEL_W + agreed}" y="{y + 7}" width="{round(actual - agreed, 1)}"'
                f' height="10" fill="{OVER}"/>'
            )
        if row.planned_s != row.agreed_s:
            mark = LABEL_W + px(row.planned_s)
            out.append(
                f'<line x1="{mark}" y1="{y + 1}" x2="{mark}" y2="{y + 23}" '
                f'stroke="{PLAN}" stroke-width="2" stroke-dasharray="3 2"/>'
            )
        colour = OVER if (row.over_s or 0) >= 30 else "#222"
        out.append(
            f'<text x="{LABEL_W + BAR_W + 10}" y="{y + 16}" fill="{colour}">'
            f"{escape(_figure(row))}</text>"
        )
    out.append("</svg>")
    # Single quotes, so the SVG sits in a double-quoted attribute with few escapes.
    return "\n".join(out).replace('"', "'")
