"""The saved sessions, and the screens over them that search every note and list every action.

Apart from ``review`` because these look across all sessions, while that one
looks into a single session.
"""

from __future__ import annotations

from datetime import date, tzinfo
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Input, Label, Static

from facilitate.actions import ActionItem, collect_actions
from facilitate.agenda import format_duration
from facilitate.clock import SessionClock
from facilitate.paths import Paths
from facilitate.search import SearchHit
from facilitate.store import SessionInfo, list_sessions
from facilitate.tui.screens.review_common import (
    BACK,
    BackScreen,
    ReviewContext,
    SessionCache,
    due_cell,
    go_back,
    local_time,
    one_line,
    session_when,
)
from facilitate.tui.widgets.row_table import Cell, OpenTable, RowTable


class SessionListScreen(BackScreen):
    """All saved sessions, newest first: the door to review, search and actions."""

    BINDINGS = [BACK, Binding("slash", "search", "Search all"), Binding("a", "actions", "Actions")]
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
        self.reviewed: str | None = None

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
        wide = self.app.size.width >= 100
        counts = ("Decisions", "Actions", "Notes") if wide else ("Dec", "Act", "Notes")
        table = self.query_one("#sessions", OpenTable)
        table.columns = [
            ("Date", 16),
            ("Agenda", None),
            ("Length", 6),
            *((c, len(c)) for c in counts),
            ("Status", 11),
        ]
        table.loading = True
        self.refresh_list()

    def open_session(self, sid: str, *, query: str = "", note_id: str | None = None) -> None:
        self.reviewed = sid
        super().open_session(sid, query=query, note_id=note_id)

    def on_screen_resume(self) -> None:
        if self.reviewed:  # back from a review: counts or done marks may have changed
            self.cache.stale.add(self.reviewed)
            self.reviewed = None
            self.refresh_list()

    @work(thread=True, exclusive=True, group="list")
    def refresh_list(self) -> None:
        try:
            infos = list_sessions(self.ctx.paths)
        except OSError as exc:
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
            table.focus()

    def _row(self, sid: str) -> list[Cell]:
        info, c = self.infos[sid], self.infos[sid].counts
        return [
            session_when(info, self.ctx.tz),
            one_line(info.agenda_title or info.agenda_name),
            format_duration(info.duration_s),
            str(c.get("decisions", 0)),
            str(c.get("actions", 0)),
            str(c.get("notes", 0)),
            info.status,
        ]

    @on(RowTable.Selected, "#sessions")
    def _open(self, event: RowTable.Selected) -> None:
        if event.key:
            self.open_session(event.key)

    def action_search(self) -> None:
        self.app.push_screen(SearchScreen(self))

    def action_actions(self) -> None:
        self.app.push_screen(ActionsScreen(self))


class _Over(BackScreen):
    """A screen over the session list that uses its cache of replayed sessions."""

    def __init__(self, origin: SessionListScreen) -> None:
        super().__init__()
        self.origin = origin
        self.ctx = origin.ctx

    def open_session(self, sid: str, *, query: str = "", note_id: str | None = None) -> None:
        self.origin.reviewed = sid
        super().open_session(sid, query=query, note_id=note_id)

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        if self.origin.reviewed:
            self.origin.cache.stale.add(self.origin.reviewed)
            self.load()

    @work(thread=True, exclusive=True, group="load-all")
    def load(self) -> None:
        self.app.call_from_thread(self._loading, True)
        self.origin.cache.load_all()
        self.app.call_from_thread(self._loading, False)

    def _loading(self, busy: bool) -> None:
        if not self.is_attached:
            return
        self.query_one(RowTable).loading = busy
        if not busy:
            for problem in self.origin.cache.problems:
                self.say(problem, severity="warning", timeout=8)
            self.fill()  # each screen over the list draws its own rows


class SearchScreen(_Over):
    """Words typed here are looked for in every note of every session."""

    BINDINGS = [BACK]

    def compose(self) -> ComposeResult:
        yield Input(placeholder="search all sessions: every word must match", id="query")
        yield Label("Type to search", id="hit-count")
        yield OpenTable(
            [("Date", 16), ("Session", 30), ("Segment", 16), ("Kind", 8), ("Note", None)], id="hits"
        )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.hits: dict[str, SearchHit] = {}
        super().on_mount()

    def action_back(self) -> None:
        if self.focused is self.query_one("#hits"):
            self.query_one("#query", Input).focus()
        else:
            go_back(self)

    @on(Input.Changed, "#query")
    def fill(self) -> None:
        index = self.origin.cache.index
        query = self.query_one("#query", Input).value
        if index is None:
            return
        found = index.search(query) if query.strip() else []
        self.hits = {f"{hit.session_id}/{hit.note.id}": hit for hit in found}
        self.query_one("#hits", OpenTable).set_rows(list(self.hits), self._row)
        label = f"{len(found)} notes match" if query.strip() else "Type to search"
        self.query_one("#hit-count", Label).update(label)

    def _row(self, key: str) -> list[Cell]:
        hit = self.hits[key]
        return [
            local_time(hit.note.created, self.ctx.tz, "%Y-%m-%d %H:%M"),
            one_line(self.origin.cache.title(hit.session_id)),
            one_line(hit.segment_title),
            hit.note.kind,
            one_line(hit.note.text),
        ]

    @on(Input.Submitted, "#query")
    def _to_results(self) -> None:
        if self.hits:
            self.query_one("#hits", OpenTable).focus()

    @on(RowTable.Selected, "#hits")
    def _open_hit(self, event: RowTable.Selected) -> None:
        hit = self.hits[event.key or ""]
        query = self.query_one("#query", Input).value
        self.open_session(hit.session_id, query=query, note_id=hit.note.id)


class ActionsScreen(_Over):
    """Every action of every session: who owes what by when, overdue ones in red."""

    BINDINGS = [BACK, Binding("o", "toggle_open", "Open only")]

    def __init__(self, origin: SessionListScreen, *, open_only: bool = False) -> None:
        super().__init__(origin)
        self.open_only = open_only
        self.items: dict[str, ActionItem] = {}

    def compose(self) -> ComposeResult:
        yield Label("", id="actions-title")
        yield OpenTable(
            [
                ("Due", 10),
                ("Owner", 12),
                ("Action", None),
                ("Done", 4),
                ("Session", 30),
                ("Segment", 16),
            ],
            id="actions",
        )
        yield Footer(compact=True)

    def action_toggle_open(self) -> None:
        self.open_only = not self.open_only
        self.fill()

    def fill(self) -> None:
        loaded = self.origin.cache.loaded
        if loaded is None:
            return
        today = self.ctx.today
        items = [i for i in collect_actions(loaded.values()) if not (self.open_only and i.done)]
        self.items = {f"{i.session_id}/{i.note_id}": i for i in items}
        table = self.query_one("#actions", OpenTable)
        table.set_rows(list(self.items), self._row, cursor_key=table.cursor_key)
        overdue = sum(1 for i in items if i.overdue(today))
        which = "open actions" if self.open_only else "actions"
        hint = "" if self.open_only else "; o shows open ones only"
        self.query_one("#actions-title", Label).update(
            f"{len(items)} {which} across {len(loaded)} sessions, {overdue} overdue{hint}"
        )

    def _row(self, key: str) -> list[Cell]:
        item = self.items[key]
        today = self.ctx.today
        style = "bold red" if item.overdue(today) else ""
        return [
            due_cell(item.due_label, item.done, today),
            one_line(item.owner, style),
            one_line(item.text, style),
            "✓" if item.done else "open",
            one_line(self.origin.cache.title(item.session_id)),
            one_line(item.segment_title),
        ]

    @on(RowTable.Selected, "#actions")
    def _open_action(self, event: RowTable.Selected) -> None:
        item = self.items[event.key or ""]
        self.open_session(item.session_id, note_id=item.note_id)
