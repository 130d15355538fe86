"""The day's agenda with planned, actual and forecast times; done, current and next marked."""

from __future__ import annotations

from datetime import datetime, tzinfo

from textual import events

from facilitate.agenda import Agenda, format_duration
from facilitate.minutes import clock, minutes
from facilitate.schedule import SegmentTiming, Snapshot
from facilitate.tui.widgets.row_table import Cell, RowTable

TITLE_W = 24
COMPACT_TITLE_W = 20
# (key, header, width): a RowTable pads every cell with a space each side.
COLUMNS = (
    ("mark", "", 1),
    ("plan", "Plan", 6),
    ("title", "Segment", TITLE_W),
    ("mins", "Mins", 5),
    ("actual", "Act", 5),
    ("forecast", "Fcst", 6),
)
COMPACT_COLUMNS = (("mark", "", 1), ("forecast", "Fcst", 6), ("title", "Segment", COMPACT_TITLE_W))
MARKS = {"done": "✓", "skipped": "–", "dropped": "×", "current": "▶", "upcoming": " "}
PAST = ("done", "skipped", "dropped")


def _hhmm(moment: datetime | None, tz: tzinfo) -> str:
    return clock(moment, tz) if moment else ""


class AgendaList(RowTable, can_focus=False):
    """A read-only table whose highlighted row is the current segment.

    It never takes focus, so space and the arrow keys always drive the timer.
    Rows are drawn from the last snapshot; they are redrawn only when a cell's
    text changes (whole minutes), not on every tick of the countdown.
    """

    def __init__(self, agenda: Agenda, tz: tzinfo, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.agenda = agenda
        self.tz = tz
        self.compact = False
        self._shown: tuple[tuple[int, int, bool, bool], tuple[int, int]] | None = None
        self._cells: dict[int, dict[str, str]] = {
            seg.index: {"title": seg.title, "mins": format_duration(seg.duration_s)}
            for seg in agenda.segments
        }
        self._use_columns(COLUMNS)
        self.set_rows([str(seg.index) for seg in agenda.segments], self._row_cells)

    def _use_columns(self, columns: tuple[tuple[str, str, int], ...]) -> None:
        self._keys = [key for key, _, _ in columns]
        self.columns = [(label, width) for _, label, width in columns]

    def set_compact(self, compact: bool) -> None:
        """Fewer, narrower columns while a side panel shares the row."""
        if compact != self.compact:
            self.compact = compact
            self.set_class(compact, "-compact")
            self._use_columns(COMPACT_COLUMNS if compact else COLUMNS)
            self.refresh_rows()

    def _row_cells(self, key: str) -> list[Cell]:
        cells = self._cells[int(key)]
        return [cells.get(column, "") for column in self._keys]

    def show(self, snap: Snapshot, revision: int = -1) -> None:
        """Rows from the snapshot. They change only by whole minutes, or when the session
        does (``revision``): a tick within the same minute costs nothing."""
        moment = (revision, snap.current, snap.running, snap.ended)
        # Every time shown is the nearest minute: the current segment's forecast end
        # moves them all, its elapsed time the Act cell.
        end = snap.segments[snap.current].forecast_end.timestamp()
        shown = (int(end + 30) // 60, int(snap.elapsed_s + 30) // 60)
        if revision >= 0 and (moment, shown) == self._shown:
            return
        self._shown = (moment, shown)
        changed = False
        upcoming = (t.index for t in snap.segments[snap.current + 1 :] if t.status == "upcoming")
        following = next(upcoming, None)
        for timing in snap.segments:
            changed = self._update_row(timing, following) or changed
        if changed:
            self.refresh_rows()
        self.move_to(snap.current)

    def _update_row(self, t: SegmentTiming, following: int | None) -> bool:
        mark = "›" if t.index == following else MARKS[t.status]
        fixed = "@" if t.fixed else " "
        # Whole minutes (the nearest): a cell that changed every second would redraw the
        # table every second.
        ran = format_duration(minutes(t.elapsed_s) * 60)
        actual = ran if t.actual_start is not None else ""
        forecast = "" if t.status in PAST else _hhmm(t.forecast_start, self.tz)
        if t.status not in PAST and minutes(t.slip_s) > 0:
            forecast += "!"
        values = {
            "mark": mark,
            "plan": f"{_hhmm(t.shown_start, self.tz)}{fixed}",
            "mins": "out" if t.status == "dropped" else format_duration(t.planned_s),
            "actual": actual,
            "forecast": forecast,
        }
        cells = self._cells[t.index]
        changed = any(cells.get(column) != text for column, text in values.items())
        cells.update(values)
        return changed

    def on_click(self, event: events.Click) -> None:
        """Read-only: the highlighted row always shows the current segment."""
        event.stop()
