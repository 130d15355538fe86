"""The day's agenda with planned, actual and forecast times; done, current and next marked."""

from __future__ import annotations

from datetime import datetime, tzinfo

from textual.widgets import DataTable

from facilitate.agenda import Agenda, format_duration
from facilitate.schedule import SegmentTiming, Snapshot

TITLE_W = 24
COMPACT_TITLE_W = 20
COLUMNS = (
    ("mark", "", 1),
    ("plan", "Plan", 6),
    ("title", "Segment", TITLE_W),
    ("mins", "Mins", 5),
    ("actual", "Act", 5),
    ("forecast", "Fcst", 6),
)
COMPACT_COLUMNS = (("mark", "", 1), ("forecast", "Fcst", 6), ("title", "Segment", COMPACT_TITLE_W))
MARKS = {"done": "✓", "skipped": "–", "current": "▶", "upcoming": " "}


def _hhmm(moment: datetime | None, tz: tzinfo) -> str:
    return moment.astimezone(tz).strftime("%H:%M") if moment else ""


class AgendaList(DataTable[str]):
    """A read-only table; cells are rewritten only when their text changes.

    It never takes focus, so space and the arrow keys always drive the timer.
    """

    can_focus = False

    def __init__(self, agenda: Agenda, tz: tzinfo, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)  # type: ignore[arg-type]
        self.agenda = agenda
        self.tz = tz
        self._cells: dict[tuple[int, str], str] = {}
        self.compact = False
        self._keys: list[str] = []

    def on_mount(self) -> None:
        self._build()

    def set_compact(self, compact: bool) -> None:
        """Fewer, narrower columns while a side panel shares the row."""
        if compact != self.compact:
            self.compact = compact
            self.set_class(compact, "-compact")
            self._build()

    def _build(self) -> None:
        self.clear(columns=True)
        self._cells.clear()
        columns = COMPACT_COLUMNS if self.compact else COLUMNS
        self._keys = [key for key, _, _ in columns]
        for key, label, width in columns:
            self.add_column(label, key=key, width=width)
        limit = COMPACT_TITLE_W if self.compact else TITLE_W
        for seg in self.agenda.segments:
            title = seg.title if len(seg.title) <= limit else seg.title[: limit - 1] + "…"
            cells = {"title": title, "mins": format_duration(seg.duration_s)}
            self.add_row(*(cells.get(key, "") for key in self._keys), key=str(seg.index))

    def show(self, snap: Snapshot) -> None:
        for timing in snap.segments:
            self._row(timing, snap)
        if self.cursor_row != snap.current and not self.has_focus:
            self.move_cursor(row=snap.current, animate=False)

    def _row(self, t: SegmentTiming, snap: Snapshot) -> None:
        mark = MARKS[t.status]
        if t.status == "upcoming" and t.index == snap.current + 1:
            mark = "›"
        fixed = "@" if t.fixed else " "
        # Whole minutes: a cell that changed every second would redraw the table every second.
        actual = format_duration(t.elapsed_s // 60 * 60) if t.actual_start is not None else ""
        forecast = "" if t.status in ("done", "skipped") else _hhmm(t.forecast_start, self.tz)
        if t.status not in ("done", "skipped") and t.slip_s >= 60:
            forecast += "!"
        values = {
            "mark": mark,
            "plan": f"{_hhmm(t.planned_start, self.tz)}{fixed}",
            "mins": format_duration(t.planned_s),
            "actual": actual,
            "forecast": forecast,
        }
        for column, text in values.items():
            if column in self._keys and self._cells.get((t.index, column)) != text:
                self._cells[(t.index, column)] = text
                self.update_cell(str(t.index), column, text)
