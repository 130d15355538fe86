"""All saved sessions, newest first: the door to one session's review, search and actions."""

from __future__ import annotations

from datetime import date, tzinfo
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.widgets import Footer, Label, Static

from facilitate.agenda import format_duration
from facilitate.clock import SessionClock
from facilitate.errors import UserError
from facilitate.paths import Paths
from facilitate.store import COUNT_KEYS, SessionInfo, list_sessions
from facilitate.tui.keys import SESSION_LIST, bindings
from facilitate.tui.review.cache import SessionCache
from facilitate.tui.review.common import (
    BackScreen,
    ReviewContext,
    one_line,
    session_when,
)
from facilitate.tui.review.session import open_review
from facilitate.tui.widgets.row_table import Cell, OpenTable, RowTable

# One column per kind of note, in COUNT_KEYS order: decisions, actions, questions, feedback, notes.
COUNT_HEADS = ("Decisions", "Actions", "Questions", "Feedback", "Notes")
COUNT_SHORT = ("Dec", "Act", "Q", "Fb", "Notes")


def list_columns(width: int) -> list[tuple[str, str, int | None]]:
    """(key, heading, width) of the list's columns on a screen ``width`` wide: below 80
    columns the date, the agenda, how many notes of every kind and the status (a
    session's review shows the rest); counts by kind from 80, headed in full from 140."""
    counts = COUNT_HEADS if width >= 140 else COUNT_SHORT
    by_kind = [(key, head, max(3, len(head))) for key, head in zip(COUNT_KEYS, counts, strict=True)]
    if width < 80:
        by_kind = [("total", "Notes", 5)]  # of every kind
    return [
        ("date", "Date", 16),
        ("agenda", "Agenda", None),
        *([("length", "Length", 6)] if width >= 80 else []),
        *by_kind,
        ("status", "Status", 11),
    ]


class SessionListScreen(BackScreen):
    """All saved sessions, newest first: the door to review, search and actions."""

    KEYS = SESSION_LIST
    BINDINGS = bindings(SESSION_LIST)
    DEFAULT_CSS = """
    SessionListScreen #list-title { padding: 0 1; text-style: bold; }
    SessionListScreen #empty { padding: 1 2; display: none; }
    SessionListScreen.-empty #empty { display: block; }
    SessionListScreen.-empty #sessions { display: none; }
    """

    def __init__(
        self,
        paths: Paths,
        tz: tzinfo,
        today: date,
        clock: SessionClock,
        *,
        export_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ReviewContext(paths, tz, today, clock, export_dir)
        self.cache = SessionCache(paths)
        self.infos: dict[str, SessionInfo] = {}
        self.keys: list[str] = []  # the list's columns (``list_columns``)

    def compose(self) -> ComposeResult:
        sessions = self.ctx.paths.sessions_dir
        yield Label(f"Sessions in {sessions}", id="list-title", markup=False)
        yield Static(
            f"No saved sessions yet in {sessions}.\n\nStart one with `facilitate run AGENDA` "
            "(`facilitate agendas` lists them), or choose Run in the launcher.",
            id="empty",
            markup=False,
        )
        yield OpenTable(id="sessions")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.on_resize()
        self.query_one("#sessions", OpenTable).loading = True

    def on_resize(self) -> None:
        """The columns the width has room for (``list_columns``)."""
        columns = list_columns(self.size.width or self.app.size.width)
        table = self.query_one("#sessions", OpenTable)
        if [label for label, _ in table.columns] != [label for _, label, _ in columns]:
            self.keys = [key for key, _, _ in columns]
            table.columns = [(label, width) for _, label, width in columns]
            table.refresh_rows()

    def on_screen_resume(self) -> None:
        # Shown for the first time, or back from a review or a search (counts or done marks
        # may have changed). Not also on mount: a screen is resumed when it is first shown,
        # and two readings of a thousand sessions at once took twice as long each.
        self.refresh_list()

    @work(thread=True, exclusive=True, group="list")
    def refresh_list(self) -> None:
        def early(rough: list[SessionInfo]) -> None:  # shown while the rest is replayed
            self.app.call_from_thread(self._show, rough)

        try:
            infos = list_sessions(self.ctx.paths, early)
        except (OSError, UserError) as exc:
            self.app.call_from_thread(self.say, f"Cannot list sessions: {exc}", severity="error")
            infos = []
        self.app.call_from_thread(self._show, infos)

    def _show(self, infos: list[SessionInfo]) -> None:
        if not self.is_attached:  # left while the list was being read
            return
        self.infos = {info.id: info for info in reversed(infos)}
        table = self.query_one("#sessions", OpenTable)
        table.loading = False
        table.set_rows(list(self.infos), self._row, cursor_key=table.cursor_key)
        self.set_class(not infos, "-empty")
        where = self.ctx.paths.sessions_dir
        count = f"{len(infos)} session" + ("" if len(infos) == 1 else "s")
        self.query_one("#list-title", Label).update(f"{count} in {where}")
        if infos:
            self.set_focus(table)

    def _row(self, sid: str) -> list[Cell]:
        info, c = self.infos[sid], self.infos[sid].counts
        cells: dict[str, Cell] = {
            "date": session_when(info, self.ctx.tz),
            "agenda": one_line(info.agenda_title or info.agenda_name),
            "length": format_duration(info.duration_s),
            **{key: str(c.get(key, 0)) for key in COUNT_KEYS},
            "total": str(sum(c.get(key, 0) for key in COUNT_KEYS)),
            "status": info.status,
        }
        return [cells[key] for key in self.keys]

    @on(RowTable.Selected, "#sessions")
    def _open(self, event: RowTable.Selected) -> None:
        if event.key:
            open_review(self, event.key)

    def action_open_selected(self) -> None:
        if key := self.query_one("#sessions", OpenTable).cursor_key:
            open_review(self, key)

    def action_search(self) -> None:
        from facilitate.tui.review.search import SearchScreen

        self.app.push_screen(SearchScreen(self.ctx, self.cache))

    def action_actions(self) -> None:
        from facilitate.tui.review.actions import ActionsScreen

        self.app.push_screen(ActionsScreen(self.ctx, self.cache))
