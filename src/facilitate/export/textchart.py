"""Planned against actual as lines of text, for the plain-text and Markdown reports."""

from __future__ import annotations

from facilitate.export.timing import TimingRow, length_text, over_text

BAR_WIDTH = 30
TITLE_WIDTH = 28


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def text_chart(rows: tuple[TimingRow, ...]) -> list[str]:
    """``█`` what ran within the agreed length, ``░`` agreed time not used, ``▓`` past it."""
    scale = max([1.0, *(max(r.agreed_s, r.actual_s) for r in rows)])
    lines = [f"{'':<{TITLE_WIDTH}}  █ ran  ░ agreed, not used  ▓ over the agreed length"]
    for row in rows:
        agreed = round(BAR_WIDTH * row.agreed_s / scale)
        actual = round(BAR_WIDTH * row.actual_s / scale) if row.ran else 0
        within = min(agreed, actual)
        bar = "█" * within + "░" * (agreed - within) + "▓" * (actual - within)
        if row.ran:
            figure = f"{length_text(row.actual_s)} of {length_text(row.agreed_s)}"
            over = over_text(row.over_s)
            if over and over != "on time":
                figure += f" ({over})"
        else:
            figure = "not run" if row.status in ("done", "skipped") else "to come"
            if row.status == "dropped":
                figure = "left out"
        lines.append(f"{_cut(row.title, TITLE_WIDTH):<{TITLE_WIDTH}}  {bar:<{BAR_WIDTH}}  {figure}")
    return [line.rstrip() for line in lines]
