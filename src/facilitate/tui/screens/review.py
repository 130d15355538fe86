"""Looking back: the saved sessions, one session's timing and notes, search and actions.

Everything here reads what is on disk; the only writes are marking an action
done (an ``ActionDone`` event appended through a lazily opened
:class:`LiveSession`, so a session still running elsewhere sees it too) and
exporting a file. Screens are given ``paths``, ``tz``, ``today`` and ``clock``
and read no clock of their own, so tests are deterministic. Loading runs in
thread workers, and tables draw only the rows on screen, so 1,000 sessions or
10,000 notes never freeze the keyboard.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from itertools import zip_longest
from pathlib import Path
from typing import Any

from rich.style import Style
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.geometry import Size
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Footer, Input, Label, Select, Static

from facilitate.actions import ActionItem, collect_actions, terminal_text
from facilitate.agenda import format_duration
from facilitate.clock import SessionClock
from facilitate.errors import SessionError
from facilitate.events import ActionDone
from facilitate.export import FORMATS, latest_instant, render
from facilitate.live import LiveSession
from facilitate.paths import Paths
from facilitate.schedule import snapshot
from facilitate.search import SearchHit, SearchIndex, index_sessions, segment_title
from facilitate.session import Note
from facilitate.store import (
    LoadedSession,
    SessionInfo,
    atomic_write,
    list_sessions,
    load_session,
    new_writer_id,
    session_ids,
    status_of,
)
from facilitate.tui.screens.dialogs import ConfirmScreen
from facilitate.tui.widgets.timing_chart import TimingChart

KINDS = ("all", "decision", "action", "note", "question", "feedback")
KIND_STYLE = {"decision": "bold magenta", "action": "bold cyan", "question": "yellow",
              "feedback": "green"}  # fmt: skip
FORMAT_LABELS = {"md": "Markdown minutes (.md)", "csv": "Notes as CSV (.csv)",
                 "json": "Everything as JSON (.json)"}  # fmt: skip
RETRY_S = 2.0
BACK = Binding("q,escape", "back", "Back")

Cell = Text | str


def go_back(screen: Screen[Any]) -> None:
    """Pop this screen, or quit when only the app's blank default screen is under it."""
    stack = screen.app.screen_stack
    if len(stack) > 2 or (len(stack) == 2 and stack[0].id != "_default"):
        screen.app.pop_screen()
    else:
        screen.app.exit()


def is_overdue(due: object, done: bool, today: date) -> bool:
    if done or not due:
        return False
    try:
        return date.fromisoformat(str(due)) < today
    except ValueError:
        return False


def local_time(moment: datetime | None, tz: tzinfo, fmt: str) -> str:
    return moment.astimezone(tz).strftime(fmt) if moment else ""


def session_when(info: SessionInfo, tz: tzinfo) -> str:
    """The local start of a session; its id holds the date when the summary is missing."""
    try:
        return datetime.fromisoformat(info.created).astimezone(tz).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return f"{info.id[:10]} {info.id[11:13]}:{info.id[13:15]}"


def one_line(text: str | None, style: str = "") -> Text:
    """User text for one cell: one line, no control codes (they could drive the terminal)."""
    return Text(terminal_text(text), style=style)


def due_cell(due: object, done: bool, today: date) -> Text:
    """The due date; an overdue one in white on red so it stands out at a glance."""
    if is_overdue(due, done, today):
        return Text(str(due), style="bold white on red")
    return one_line(str(due or ""))


# --- a table that only draws what is on screen ---------------------------------------------


class RowTable(ScrollView, can_focus=True):
    """Rows by key, drawn on demand by ``render_row(key)``: 10,000 rows fill in milliseconds.

    DataTable formats and measures every cell of every row, which takes seconds
    for 10,000 notes and would be paid again on each keystroke of a search.
    Columns have fixed widths; a width of None shares what is left.
    """

    COMPONENT_CLASSES = {"row-table--header", "row-table--cursor"}
    BINDINGS = [
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "edge(0)", show=False),
        Binding("end", "edge(1)", show=False),
        Binding("enter", "select", show=False),
    ]
    DEFAULT_CSS = """
    RowTable { height: 1fr; overflow-x: hidden; background: $surface; }
    RowTable > .row-table--header { text-style: bold; background: $panel; }
    RowTable > .row-table--cursor {
        background: $block-cursor-blurred-background; color: $block-cursor-blurred-foreground;
    }
    RowTable:focus > .row-table--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    """

    class Highlighted(Message):
        def __init__(self, table: RowTable, key: str | None) -> None:
            super().__init__()
            self.table, self.key = table, key

        @property
        def control(self) -> RowTable:
            return self.table

    class Selected(Highlighted):
        pass

    def __init__(self, columns: Sequence[tuple[str, int | None]] = (), *, empty: str = "",
                 id: str | None = None) -> None:  # fmt: skip
        super().__init__(id=id)
        self.columns = list(columns)
        self.empty = empty
        self.keys: list[str] = []
        self.cursor = 0
        self._render_row: Callable[[str], Sequence[Cell]] = lambda key: ()
        self._cache: dict[tuple[str, bool, bool, int], Strip] = {}

    @property
    def cursor_key(self) -> str | None:
        return self.keys[self.cursor] if self.keys else None

    def set_rows(self, keys: Sequence[str], render_row: Callable[[str], Sequence[Cell]],
                 *, cursor_key: str | None = None) -> None:  # fmt: skip
        """Show these rows; the cursor goes to ``cursor_key`` if given and shown."""
        self.keys = list(keys)
        self._render_row = render_row
        self._cache.clear()
        if cursor_key is not None and cursor_key in self.keys:
            self.cursor = self.keys.index(cursor_key)
        self.cursor = max(0, min(self.cursor, len(self.keys) - 1))
        self.virtual_size = Size(0, len(self.keys) + 1)
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self, self.cursor_key))

    def refresh_rows(self) -> None:
        """Draw again (the data behind ``render_row`` changed); cursor and scroll stay."""
        self._cache.clear()
        self.refresh()

    def move_to(self, index: int) -> None:
        if not self.keys:
            return
        index = max(0, min(index, len(self.keys) - 1))
        if index != self.cursor:
            self.cursor = index
            self.refresh()
            self.post_message(self.Highlighted(self, self.cursor_key))
        self._scroll_to_cursor()

    def _visible_rows(self) -> int:
        return self.scrollable_content_region.height - 1  # the header takes a line

    def _scroll_to_cursor(self) -> None:
        rows = self._visible_rows()
        if rows <= 0:
            return
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + rows:
            self.scroll_to(y=self.cursor - rows + 1, animate=False, immediate=True)

    def action_move(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor + direction * max(1, self._visible_rows() - 1))

    def action_edge(self, end: int) -> None:
        self.move_to(len(self.keys) - 1 if end else 0)

    def action_select(self) -> None:
        if self.keys:
            self.post_message(self.Selected(self, self.cursor_key))

    def on_click(self, event: events.Click) -> None:
        index = round(self.scroll_y) + event.y - 1
        if 0 <= index < len(self.keys):
            self.move_to(index)
            if event.chain > 1:
                self.action_select()

    def on_resize(self) -> None:
        self._cache.clear()
        self._scroll_to_cursor()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def _widths(self, width: int) -> list[int]:
        flexible = sum(1 for _, w in self.columns if w is None)
        rest = width - sum(w or 0 for _, w in self.columns) - 2 * len(self.columns)
        share = max(10, rest // flexible) if flexible else 0
        return [share if w is None else w for _, w in self.columns]

    def _strip(self, cells: Sequence[Cell], width: int, style: Style | None) -> Strip:
        line = Text(no_wrap=True, end="")
        for cell, cell_w in zip_longest(cells, self._widths(width), fillvalue=""):
            if not isinstance(cell_w, int):
                break
            text = cell.copy() if isinstance(cell, Text) else Text(str(cell))
            text.truncate(cell_w, overflow="ellipsis", pad=True)
            line.append(" ")
            line.append_text(text)
            line.append(" ")
        line.truncate(width, pad=True)
        if style is not None:
            line.stylize(style)
        return Strip(list(line.render(self.app.console)), width)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            labels = [label for label, _ in self.columns]
            return self._strip(labels, width, self.get_component_rich_style("row-table--header"))
        index = round(self.scroll_y) + y - 1
        if index >= len(self.keys):
            if index == 0 and self.empty:
                return self._strip([Text(self.empty, style="dim")], width, None)
            return Strip.blank(width)
        key = self.keys[index]
        at_cursor = index == self.cursor
        cache_key = (key, at_cursor, self.has_focus, width)
        strip = self._cache.get(cache_key)
        if strip is None:
            style = self.get_component_rich_style("row-table--cursor") if at_cursor else None
            strip = self._strip(self._render_row(key), width, style)
            if len(self._cache) > 2000:
                self._cache.clear()
            self._cache[cache_key] = strip
        return strip


class OpenTable(RowTable):
    """A row table whose enter is shown in the Footer as "Open"."""

    BINDINGS = [Binding("enter", "select", "Open")]


# --- what the screens share ---------------------------------------------------------------


@dataclass(frozen=True)
class ReviewContext:
    """What every review screen is given instead of reading clocks and folders itself."""

    paths: Paths
    tz: tzinfo
    today: date
    clock: SessionClock
    export_dir: Path | None = None


class SessionCache:
    """Every session replayed once (for search and actions); a reviewed one is read again."""

    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self.loaded: dict[str, LoadedSession] | None = None
        self.index: SearchIndex | None = None
        self.problems: list[str] = []
        self.stale: set[str] = set()

    def load_all(self) -> None:
        """Blocking: call it from a thread worker."""
        loaded = dict(self.loaded or {})
        sids = session_ids(self.paths)
        problems = []
        for sid in sids:
            if sid in loaded and sid not in self.stale:
                continue
            try:
                loaded[sid] = load_session(sid, self.paths.sessions_dir / sid)
            except (SessionError, OSError) as exc:
                problems.append(str(exc))
        ordered = {sid: loaded[sid] for sid in sids if sid in loaded}
        self.index = index_sessions(ordered.values())
        self.loaded, self.problems, self.stale = ordered, problems, set()

    def title(self, sid: str) -> str:
        loaded = (self.loaded or {}).get(sid)
        return f"{sid[:10]} {loaded.agenda.title if loaded else sid[16:]}"


class _Back(Screen[None]):
    ctx: ReviewContext

    def say(self, message: str, *, severity: SeverityLevel = "information",
            timeout: float | None = None) -> None:  # fmt: skip
        """A notification of plain text: notes and paths may hold "[" or other markup."""
        self.notify(message, severity=severity, timeout=timeout, markup=False)

    def action_back(self) -> None:
        go_back(self)

    def open_session(self, sid: str, *, query: str = "", note_id: str | None = None) -> None:
        c = self.ctx
        self.app.push_screen(SessionReviewScreen(c.paths, sid, c.tz, c.today, c.clock,
                                                 query=query, note_id=note_id,
                                                 export_dir=c.export_dir))  # fmt: skip


class SessionListScreen(_Back):
    """All saved sessions, newest first: the door to review, search and actions."""

    BINDINGS = [BACK, Binding("slash", "search", "Search all"), Binding("a", "actions", "Actions")]
    DEFAULT_CSS = """
    SessionListScreen #list-title { padding: 0 1; text-style: bold; }
    SessionListScreen #empty { padding: 1 2; display: none; }
    SessionListScreen.-empty #empty { display: block; }
    SessionListScreen.-empty #sessions { display: none; }
    """

    def __init__(self, paths: Paths, tz: tzinfo, today: date, clock: SessionClock,
                 *, export_dir: Path | None = None) -> None:  # fmt: skip
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
            id="empty", markup=False,
        )  # fmt: skip
        yield OpenTable(id="sessions")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        wide = self.app.size.width >= 100
        counts = ("Decisions", "Actions", "Notes") if wide else ("Dec", "Act", "Notes")
        table = self.query_one("#sessions", OpenTable)
        table.columns = [("Date", 16), ("Agenda", None), ("Length", 6),
                         *((c, len(c)) for c in counts), ("Status", 11)]  # fmt: skip
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
        self.query_one("#list-title", Label).update(f"{len(infos)} sessions in {where}")
        if infos:
            table.focus()

    def _row(self, sid: str) -> list[Cell]:
        info, c = self.infos[sid], self.infos[sid].counts
        return [session_when(info, self.ctx.tz), one_line(info.agenda_title or info.agenda_name),
                format_duration(info.duration_s), str(c.get("decisions", 0)),
                str(c.get("actions", 0)), str(c.get("notes", 0)), info.status]  # fmt: skip

    @on(RowTable.Selected, "#sessions")
    def _open(self, event: RowTable.Selected) -> None:
        if event.key:
            self.open_session(event.key)

    def action_search(self) -> None:
        self.app.push_screen(SearchScreen(self))

    def action_actions(self) -> None:
        self.app.push_screen(ActionsScreen(self))


class _Over(_Back):
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
            self.fill()

    def fill(self) -> None:
        raise NotImplementedError


class SearchScreen(_Over):
    """Words typed here are looked for in every note of every session."""

    BINDINGS = [BACK]

    def compose(self) -> ComposeResult:
        yield Input(placeholder="search all sessions: every word must match", id="query")
        yield Label("Type to search", id="hit-count")
        yield OpenTable([("Date", 16), ("Session", 30), ("Segment", 16), ("Kind", 8),
                         ("Note", None)], id="hits")  # fmt: skip
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
        return [local_time(hit.note.created, self.ctx.tz, "%Y-%m-%d %H:%M"),
                one_line(self.origin.cache.title(hit.session_id)), one_line(hit.segment_title),
                hit.note.kind, one_line(hit.note.text)]  # fmt: skip

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
        yield OpenTable([("Due", 10), ("Owner", 12), ("Action", None), ("Done", 4),
                         ("Session", 30), ("Segment", 16)], id="actions")  # fmt: skip
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
        return [due_cell(item.due_label, item.done, today), one_line(item.owner, style),
                one_line(item.text, style), "✓" if item.done else "open",
                one_line(self.origin.cache.title(item.session_id)),
                one_line(item.segment_title)]  # fmt: skip

    @on(RowTable.Selected, "#actions")
    def _open_action(self, event: RowTable.Selected) -> None:
        item = self.items[event.key or ""]
        self.open_session(item.session_id, note_id=item.note_id)


# --- exporting ----------------------------------------------------------------------------


class ExportScreen(ModalScreen[tuple[str, Path] | None]):
    """Which format, and where; by default the home folder, named after the session."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "export", "Export")]
    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical {
        width: 80%; max-width: 90; height: auto; border: thick $primary; padding: 1 2;
        background: $surface;
    }
    ExportScreen Label { margin-top: 1; }
    """

    def __init__(self, sid: str, folder: Path, fmt: str = "md") -> None:
        super().__init__()
        self.sid, self.folder, self.fmt = sid, folder, fmt

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Export {self.sid}", markup=False)
            yield Select([(FORMAT_LABELS[f], f) for f in FORMATS], value=self.fmt,
                         allow_blank=False, id="format")  # fmt: skip
            yield Label("Save as (enter exports; only you can read the file):")
            yield Input(str(self.folder / f"{self.sid}.{self.fmt}"), id="path")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    @on(Select.Changed, "#format")
    def _format(self, event: Select.Changed) -> None:
        old, new = self.fmt, str(event.value)
        path = self.query_one("#path", Input)
        if path.value.endswith(f".{old}"):
            path.value = path.value[: -len(old)] + new
        self.fmt = new

    @on(Input.Submitted, "#path")
    def action_export(self) -> None:
        raw = self.query_one("#path", Input).value.strip()
        if raw:
            self.dismiss((self.fmt, Path(raw).expanduser().absolute()))

    def action_cancel(self) -> None:
        self.dismiss(None)


def write_export(loaded: LoadedSession, fmt: str, path: Path, tz: tzinfo) -> str | None:
    """Write the export readable by the owner only; the reason it failed, or None."""
    try:
        data = render(fmt, loaded, tz).encode("utf-8")
        if not path.parent.is_dir():
            return f"the folder {path.parent} does not exist"
        atomic_write(path, data)
    except (OSError, ValueError) as exc:
        return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return None


# --- one session --------------------------------------------------------------------------


class SessionReviewScreen(_Back):
    """One session: its header, planned vs actual timing, and its notes with filters."""

    BINDINGS = [
        BACK,
        Binding("k", "cycle('kind')", "Kind"),
        Binding("G", "cycle('group')", "Group"),
        Binding("R", "cycle('role')", "Role"),
        Binding("slash", "find", "Search"),
        Binding("x", "toggle_done", "Done"),
        Binding("e", "export", "Export"),
        Binding("t", "toggle_chart", "Timing"),
    ]
    DEFAULT_CSS = """
    SessionReviewScreen #head { padding: 0 1; height: auto; }
    SessionReviewScreen #chart-box { height: auto; max-height: 40%; }
    SessionReviewScreen #chart-box.-hidden { display: none; }
    SessionReviewScreen #filters { padding: 0 1; background: $boost; }
    SessionReviewScreen #find { display: none; }
    SessionReviewScreen #find.-shown { display: block; }
    SessionReviewScreen #detail { height: auto; max-height: 4; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, paths: Paths, sid: str, tz: tzinfo, today: date, clock: SessionClock,
                 *, query: str = "", note_id: str | None = None,
                 export_dir: Path | None = None) -> None:  # fmt: skip
        super().__init__()
        self.ctx = ReviewContext(paths, tz, today, clock, export_dir)
        self.sid, self.tz, self.today, self.clock = sid, tz, today, clock
        self.folder = paths.sessions_dir / sid
        self.initial_query, self.focus_note = query, note_id
        self.loaded: LoadedSession | None = None
        self.live: LiveSession | None = None
        self.index = SearchIndex()
        self.filters = {"kind": "all", "group": "all", "role": "all"}
        self.unsaved: set[str] = set()
        self.shown: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(f"Loading {self.sid}…", id="head", markup=False)
        with VerticalScroll(id="chart-box"):
            yield TimingChart(id="chart")
        yield Static("", id="filters", markup=False)
        yield Input(self.initial_query, placeholder="search this session", id="find")
        yield RowTable(id="notes", empty="No notes match.")
        yield Static("", id="detail", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self.initial_query:
            self.query_one("#find", Input).add_class("-shown")
        self.query_one("#notes", RowTable).loading = True
        self.load()

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        try:
            loaded = load_session(self.sid, self.folder)
        except (SessionError, OSError) as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._show, loaded)

    def _failed(self, message: str) -> None:
        if not self.is_attached:
            return
        self.query_one("#head", Static).update(f"Cannot open {self.sid}: {message}")
        self.query_one("#notes", RowTable).loading = False
        self.say(message, severity="error", timeout=10)

    def _show(self, loaded: LoadedSession) -> None:
        if not self.is_attached:  # left before the session had loaded
            return
        self.loaded = loaded
        for warning in loaded.warnings:
            self.say(warning, severity="warning", timeout=8)
        self._reindex()
        self._show_head()
        table = self.query_one("#notes", RowTable)
        table.loading = False
        # group and role get a column when there are any and there is room; the line
        # under the table shows them for the selected note anyway
        notes = loaded.state.notes.values()
        who = self.app.size.width >= 100 and any(n.group or n.role for n in notes)
        table.columns = [("Time", 5), ("Kind", 8), ("Note", None), ("Owner", 10), ("Due", 10),
                         ("Done", 5), *([("Group · role", 16)] if who else [])]  # fmt: skip
        self._fill()
        table.focus()

    def _reindex(self) -> None:
        assert self.loaded is not None
        self.index = SearchIndex()
        self.index.add(self.sid, self.loaded.agenda, self.loaded.state)

    def _show_head(self) -> None:
        assert self.loaded is not None
        state, agenda = self.loaded.state, self.loaded.agenda
        # the day as it stood at its end, or at the last thing recorded: never "now"
        now = state.ended_at or latest_instant(state) or self.clock.now()
        snap = snapshot(agenda, state, now, self.tz)
        start = state.created or state.runs[0].started_at
        length = sum(t.elapsed_s for t in snap.segments)
        head = Text(agenda.title, style="bold")
        head.append(f"\n{local_time(start, self.tz, '%a %d %b %Y, %H:%M')}"
                    f"{local_time(state.ended_at, self.tz, '–%H:%M')} · "
                    f"{format_duration(length)} run · {status_of(state)} · {self.sid}")  # fmt: skip
        if state.roles:
            head.append("\nRoles: " + "; ".join(f"{r}: {p}" for r, p in state.roles.items()))
        self.query_one("#head", Static).update(head)
        self.query_one("#chart", TimingChart).show(agenda, snap)

    # -- the notes table --

    def _visible(self) -> list[Note]:
        query = self.query_one("#find", Input).value
        kind, group, role = (self.filters[f] for f in ("kind", "group", "role"))
        notes = [hit.note for hit in self.index.search(query)]
        notes = [n for n in notes if (kind == "all" or n.kind == kind)
                 and (group == "all" or n.group == group)
                 and (role == "all" or n.role == role)]  # fmt: skip
        notes.sort(key=lambda n: (n.segment, n.created))
        return notes

    def _fill(self) -> None:
        assert self.loaded is not None
        table = self.query_one("#notes", RowTable)
        notes = self._visible()
        self.shown = [n.id for n in notes]
        keys: list[str] = []
        segment = None
        for note in notes:  # a title row before each segment's notes
            if note.segment != segment:
                segment = note.segment
                keys.append(f"seg:{segment}")
            keys.append(note.id)
        table.set_rows(keys, self._row, cursor_key=self.focus_note or table.cursor_key)
        if table.cursor_key and table.cursor_key.startswith("seg:") and len(keys) > 1:
            table.move_to(table.cursor + 1)
        self.focus_note = None
        total = len(self.index)
        bar = " · ".join(f"{f.capitalize()}: {v}" for f, v in self.filters.items())
        if query := self.query_one("#find", Input).value.strip():
            bar += f" · Search: {query}"
        self.query_one("#filters", Static).update(f"{bar} — {len(notes)} of {total} notes")
        self._show_detail()

    def _row(self, key: str) -> list[Cell]:
        assert self.loaded is not None
        if key.startswith("seg:"):
            title = segment_title(self.loaded.agenda, int(key[4:]))
            return ["", "", one_line(f"── {title}", "bold")]
        note = self.loaded.state.notes[key]
        late = note.kind == "action" and is_overdue(note.due, note.done, self.today)
        done: Cell = ""
        if note.kind == "action":
            done = Text("✓" if note.done else "open", style="" if note.done else "dim")
            if note.id in self.unsaved:  # "*": not on disk yet, see the line under the table
                done = Text(f"{done.plain}*", style="bold yellow")
        return [local_time(note.created, self.tz, "%H:%M"),
                Text(note.kind, style=KIND_STYLE.get(note.kind, "")),
                one_line(note.text, "bold red" if late else ""), one_line(note.owner),
                due_cell(note.due, note.done, self.today), done,
                one_line(" · ".join(v for v in (note.group, note.role) if v))]  # fmt: skip

    def selected_note(self) -> Note | None:
        key = self.query_one("#notes", RowTable).cursor_key
        if self.loaded is None or key is None:
            return None
        return self.loaded.state.notes.get(key)

    @on(RowTable.Highlighted, "#notes")
    def _show_detail(self) -> None:
        note = self.selected_note()
        detail = Text()
        if note is not None:
            detail.append("\n".join(terminal_text(line) for line in note.text.splitlines()))
            extra = [f"{k}: {v}" for k, v in (("owner", note.owner), ("due", note.due),
                     ("group", note.group), ("role", note.role), ("category", note.category))
                     if v]  # fmt: skip
            if extra:
                detail.append(f"  ({terminal_text(', '.join(extra))})")
        if self.unsaved and self.live is not None:
            detail.append(f"\n* not saved yet: {self.live.last_error}", style="bold yellow")
        self.query_one("#detail", Static).update(detail)

    # -- keys --

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("cycle", "find", "toggle_done", "export") and self.loaded is None:
            return None  # shown dimmed until the session has loaded
        return True

    def action_cycle(self, field: str) -> None:
        if field == "kind":
            choices = list(KINDS)
        else:
            values = {getattr(hit.note, field) for hit in self.index.search("")}
            choices = ["all", *sorted(v for v in values if v)]
        current = self.filters[field]
        at = choices.index(current) if current in choices else 0
        self.filters[field] = choices[(at + 1) % len(choices)]
        self._fill()

    def action_find(self) -> None:
        find = self.query_one("#find", Input)
        find.add_class("-shown")
        find.focus()

    @on(Input.Changed, "#find")
    def _find_changed(self) -> None:
        if self.loaded is not None:
            self._fill()

    @on(Input.Submitted, "#find")
    def _find_done(self) -> None:
        self.query_one("#notes", RowTable).focus()

    def action_toggle_chart(self) -> None:
        self.query_one("#chart-box").toggle_class("-hidden")

    def action_back(self) -> None:
        find = self.query_one("#find", Input)
        if self.focused is find:  # escape leaves the search box first, clearing it
            find.value = ""
            find.remove_class("-shown")
            self.query_one("#notes", RowTable).focus()
            return
        live = self.live
        if live is not None and live.pending and not live.retry():

            def answered(leave: bool | None) -> None:
                if leave:
                    go_back(self)

            question = (f"{live.pending} change(s) are NOT saved ({live.last_error}).\n"
                        "Leave and lose them?")  # fmt: skip
            self.app.push_screen(ConfirmScreen(question, "Leave and lose them", "Stay"), answered)
            return
        go_back(self)

    def action_toggle_done(self) -> None:
        note = self.selected_note()
        if note is None or note.kind != "action":
            self.say("Select an action to mark it done or not done.", severity="warning")
            return
        try:
            live = self._live()
            live_note = live.state.notes.get(note.id)
            if live_note is None or live_note.deleted:
                raise SessionError(f"that action is no longer in {self.sid}")
            done = not live_note.done
            saved = live.record(ActionDone(at=self.clock.now(), note_id=note.id, done=done))
        except (SessionError, OSError, ValueError) as exc:
            self.say(f"Could not mark the action: {exc}", severity="error", timeout=10)
            return
        if saved:
            self.unsaved.clear()
            self.say(f"Marked {'done' if done else 'not done'}: {terminal_text(note.text)}")
        else:
            self.unsaved.add(note.id)
            self.say(f"NOT saved yet ({live.last_error}); trying again every few seconds.",
                        severity="error", timeout=10)  # fmt: skip
            self.set_timer(RETRY_S, self.retry_pending)
        self.query_one("#notes", RowTable).refresh_rows()
        self._show_detail()

    def _live(self) -> LiveSession:
        """The session opened for writing on the first change; other writers' news folded in."""
        if self.live is None:
            self.live = LiveSession.open(self.sid, self.folder, self.clock, self.tz,
                                         writer_id=new_writer_id())  # fmt: skip
            assert self.loaded is not None
            self.loaded.state = self.live.state
            self._reindex()
        elif self.live.poll():
            self._reindex()
        return self.live

    def retry_pending(self) -> None:
        """Save what is unsaved, and keep trying while anything is."""
        if self.live is None or not self.unsaved:
            return
        if self.live.retry():
            self.unsaved.clear()
            self.say("Saved the change(s) that were waiting.")
            self.query_one("#notes", RowTable).refresh_rows()
            self._show_detail()
        else:
            self.set_timer(RETRY_S, self.retry_pending)

    def action_export(self) -> None:
        folder = self.ctx.export_dir or Path.home()
        self.app.push_screen(ExportScreen(self.sid, folder), self._export)

    def _export(self, choice: tuple[str, Path] | None) -> None:
        if choice is None or self.loaded is None:
            return
        fmt, path = choice
        problem = write_export(self.loaded, fmt, path, self.tz)
        if problem:
            self.say(f"Export failed, {path}: {problem}", severity="error", timeout=10)
        else:
            self.say(f"Exported to {path}", timeout=8)
