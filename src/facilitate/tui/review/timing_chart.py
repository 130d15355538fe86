"""Planned against actual time, one bar per segment, so overruns jump out in review.

Each row draws the planned length as a light track (``░``) and the time the
segment actually ran on top of it (``█``): the theme's success colour within the
plan, its error colour past it,
with the overrun written in minutes at the end of the row.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from facilitate.agenda import Agenda, format_duration
from facilitate.schedule import Snapshot
from facilitate.tui.styles import rich_style

TITLE_WIDTH = 24
# An overrun shorter than this is noise, not something to point at.
OVERRUN_MIN_S = 60


@dataclass(frozen=True)
class ChartRow:
    title: str
    status: str  # done, skipped, current, upcoming
    planned_s: int
    actual_s: float

    @property
    def overrun_s(self) -> float:
        return self.actual_s - self.planned_s if self.status != "upcoming" else 0.0

    @property
    def overrun_min(self) -> int:
        """Whole minutes over plan, or 0 when it is within a minute of the plan."""
        return round(self.overrun_s / 60) if self.overrun_s >= OVERRUN_MIN_S else 0


def chart_rows(agenda: Agenda, snap: Snapshot) -> list[ChartRow]:
    return [
        ChartRow(agenda.segments[t.index].title, t.status, t.planned_s, t.elapsed_s)
        for t in snap.segments
    ]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(frozen=True)
class ChartColours:
    """Within plan, over plan, still running: the widget passes the theme's colours."""

    within: str | Style = "green"
    over: str | Style = "bold red"
    current: str | Style = "yellow"


def render_chart(rows: list[ChartRow], width: int, colours: ChartColours | None = None) -> Text:
    """The whole chart as text ``width`` cells wide (pure, so tests can read it)."""
    c = colours or ChartColours()
    title_w = min(TITLE_WIDTH, max(8, width // 4))
    # title, planned, bar, actual, overrun note
    bar_w = max(10, width - title_w - 7 - 7 - 14 - 4)
    scale = max([1.0, *(max(r.planned_s, r.actual_s) for r in rows)])
    text = Text(no_wrap=True, overflow="crop")
    text.append(f"{'Segment':<{title_w}} {'plan':>6}  ", style="bold")
    text.append(f"{'░ planned  █ actual  ':<{bar_w}}", style="dim")
    text.append(f" {'actual':>6}\n", style="bold")
    for row in rows:
        text.append(f"{_cut(row.title, title_w):<{title_w}} ")
        text.append(f"{format_duration(row.planned_s):>6}  ")
        planned = round(bar_w * row.planned_s / scale)
        actual = 0 if row.status == "upcoming" else round(bar_w * row.actual_s / scale)
        within = min(planned, actual)
        colour = c.current if row.status == "current" else c.within
        text.append("█" * within, style=colour)
        text.append("░" * (planned - within), style="dim")
        text.append("█" * (actual - within), style=c.over)
        text.append(" " * (bar_w - max(planned, actual)))
        if row.status == "upcoming" or (row.status == "current" and not row.actual_s):
            text.append(f" {'-':>6}", style="dim")
        elif row.status in ("skipped", "dropped"):
            text.append(f" {row.status:>6}", style="dim")
        else:
            text.append(f" {format_duration(row.actual_s):>6}")
        if row.overrun_min:
            text.append(f"  +{row.overrun_min} min over", style=c.over)
        elif row.status == "current" and row.actual_s:
            text.append("  in progress", style=c.current)
        text.append("\n")
    text.rstrip()
    return text


class TimingChart(Widget):
    """Planned vs actual bars for every segment of a session."""

    DEFAULT_CSS = """
    TimingChart {
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._rows: list[ChartRow] = []

    @property
    def rows(self) -> list[ChartRow]:
        return list(self._rows)

    def show(self, agenda: Agenda, snap: Snapshot) -> None:
        self._rows = chart_rows(agenda, snap)
        self.refresh(layout=True)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return len(self._rows) + 1 if self._rows else 1

    def render(self) -> Text:
        if not self._rows:
            return Text("No segments.", style="dim")
        colours = ChartColours(
            within=rich_style("$success"),
            over=rich_style("bold $error"),
            current=rich_style("$warning"),
        )
        return render_chart(self._rows, max(40, self.content_size.width), colours)
