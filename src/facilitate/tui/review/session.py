"""One saved session: its timing, its notes with filters, marking actions done, exporting.

The only writes are marking an action done (an ``ActionDone`` event appended
through a lazily opened :class:`LiveSession`, so a session still running
elsewhere sees it too) and exporting a file. Screens are given ``paths``,
``tz``, ``today`` and ``clock`` and read no clock of their own, so tests are
deterministic. Loading runs in a thread worker, and the notes table draws only
the rows on screen, so 10,000 notes never freeze the keyboard.
"""

from __future__ import annotations

from datetime import date, tzinfo
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Input, Static

from facilitate.clock import SessionClock
from facilitate.errors import SessionError
from facilitate.export import latest_instant
from facilitate.live import LiveSession
from facilitate.paths import Paths
from facilitate.schedule import snapshot
from facilitate.search import SearchIndex, segment_title
from facilitate.state import Note
from facilitate.store import LoadedSession, load_session
from facilitate.tui.dialogs.confirm import ConfirmScreen
from facilitate.tui.keys import SESSION_REVIEW, bindings
from facilitate.tui.review.common import (
    BackScreen,
    ReviewContext,
    due_cell,
    go_back,
    is_overdue,
    local_time,
    one_line,
)
from facilitate.tui.review.export import ExportChoice, ExportScreen, write_export
from facilitate.tui.review.head import note_detail, session_head
from facilitate.tui.review.timing_chart import TimingChart
from facilitate.tui.review.writes import ReviewNotes, ReviewWrites
from facilitate.tui.styles import kind_style, rich_style
from facilitate.tui.widgets.row_table import Cell, RowTable

KINDS = ("all", "decision", "action", "note", "question", "feedback")
NOTE_COLUMNS: dict[str, tuple[str, int | None]] = {
    "time": ("Time", 5),
    "kind": ("Kind", 8),
    "note": ("Note", None),
    "owner": ("Owner", 10),
    "due": ("Due", 10),
    "done": ("Done", 5),
    "who": ("Group · role", 16),
}


def note_columns(width: int, *, who: bool) -> list[str]:
    """The notes table's columns on a screen ``width`` wide. The note keeps room to be
    read: below 80 columns owner and due give way, and group and role (when any note has
    them) get a column from 100; the line under the table shows all four for the note
    the cursor is on."""
    keys = ["time", "kind", "note"]
    if width >= 80:
        keys += ["owner", "due"]
    keys.append("done")
    if who and width >= 100:
        keys.append("who")
    return keys


# --- one session --------------------------------------------------------------------------


class SessionReviewScreen(ReviewWrites):
    """One session: its header, planned vs actual timing, and its notes with filters."""

    KEYS = SESSION_REVIEW
    BINDINGS = bindings(SESSION_REVIEW)
    DEFAULT_CSS = """
    SessionReviewScreen #head { padding: 0 1; height: auto; }
    SessionReviewScreen #chart-box { height: auto; max-height: 40%; }
    SessionReviewScreen #chart-box.-hidden { display: none; }
    SessionReviewScreen #filters { padding: 0 1; background: $boost; }
    SessionReviewScreen #find { display: none; }
    SessionReviewScreen #find.-shown { display: block; }
    SessionReviewScreen #detail { height: auto; max-height: 4; padding: 0 1; color: $text-muted; }
    """

    def __init__(
        self,
        paths: Paths,
        sid: str,
        tz: tzinfo,
        today: date,
        clock: SessionClock,
        *,
        query: str = "",
        note_id: str | None = None,
        export_dir: Path | None = None,
    ) -> None:
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
        self.note_keys: list[str] = []  # the notes table's columns (``note_columns``)

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
            loaded = load_session(self.sid, self.folder, self.ctx.paths)
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
        self._fit_columns()
        self._fill()
        self.set_focus(table)

    def on_resize(self) -> None:
        if self.loaded is not None:
            self._fit_columns()

    def _fit_columns(self) -> None:
        """The columns the screen's width has room for (``note_columns``)."""
        assert self.loaded is not None
        who = any(n.group or n.role for n in self.loaded.state.notes.values())
        keys = note_columns(self.size.width or self.app.size.width, who=who)
        if keys != self.note_keys:
            self.note_keys = keys
            table = self.query_one("#notes", RowTable)
            table.columns = [NOTE_COLUMNS[key] for key in keys]
            table.refresh_rows()

    def _reindex(self) -> None:
        assert self.loaded is not None
        self.index = SearchIndex()
        self.index.add(self.sid, self.loaded.agenda, self.loaded.state)

    def _after_attendance(self) -> None:
        self._show_head()

    def _show_head(self) -> None:
        assert self.loaded is not None
        state, agenda = self.loaded.state, self.loaded.agenda
        # the day as it stood at its end, or at the last thing recorded: never "now"
        now = state.ended_at or latest_instant(state) or self.clock.now()
        snap = snapshot(agenda, state, now, self.tz)
        self.query_one("#head", Static).update(session_head(self.loaded, snap, self.tz))
        self.query_one("#chart", TimingChart).show(agenda, snap)

    # -- the notes table --

    def _visible(self) -> list[Note]:
        query = self.query_one("#find", Input).value
        kind, group, role = (self.filters[f] for f in ("kind", "group", "role"))
        notes = [hit.note for hit in self.index.search(query)]
        notes = [
            n
            for n in notes
            if (kind == "all" or n.kind == kind)
            and (group == "all" or n.group == group)
            and (role == "all" or n.role == role)
        ]
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
        done: Cell = Text("park", style="italic") if note.parked else ""
        if note.kind == "action":
            done = Text("✓" if note.done else "open", style="" if note.done else "dim")
            if note.id in self.unsaved:  # "*": not on disk yet, see the line under the table
                done = Text(f"{done.plain}*", style=rich_style("bold $warning"))
        cells: dict[str, Cell] = {
            "time": local_time(note.created, self.tz, "%H:%M"),
            "kind": Text(note.kind, style=rich_style(kind_style(note.kind))),
            "note": one_line(note.text, rich_style("bold $error") if late else ""),
            "owner": one_line(note.owner),
            "due": due_cell(note.due, note.done, self.today),
            "done": done,
            "who": one_line(" · ".join(v for v in (note.group, note.role) if v)),
        }
        return [cells[key] for key in self.note_keys]

    def selected_note(self) -> Note | None:
        key = self.query_one("#notes", RowTable).cursor_key
        if self.loaded is None or key is None:
            return None
        return self.loaded.state.notes.get(key)

    @on(RowTable.Highlighted, "#notes")
    def _show_detail(self) -> None:
        note = self.selected_note()
        detail = note_detail(note) if note is not None else Text()
        if self.unsaved and self.live is not None:
            detail.append(
                f"\n* not saved yet: {self.live.last_error}", style=rich_style("bold $warning")
            )
        self.query_one("#detail", Static).update(detail)

    # -- keys --

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        waits = (
            "cycle",
            "find",
            "toggle_done",
            "toggle_parked",
            "attendance",
            "export",
            "all_notes",
        )
        if action in waits and self.loaded is None:
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
        self.set_focus(find)

    @on(Input.Changed, "#find")
    def _find_changed(self) -> None:
        if self.loaded is not None:
            self._fill()

    @on(Input.Submitted, "#find")
    def _find_done(self) -> None:
        self.set_focus(self.query_one("#notes", RowTable))

    def action_toggle_chart(self) -> None:
        self.query_one("#chart-box").toggle_class("-hidden")

    def action_back(self) -> None:
        find = self.query_one("#find", Input)
        if self.focused is find:  # escape leaves the search box first, clearing it
            find.value = ""
            find.remove_class("-shown")
            self.set_focus(self.query_one("#notes", RowTable))
            return
        live = self.live
        if live is not None and live.pending and not live.retry():

            def answered(leave: bool | None) -> None:
                if leave:
                    go_back(self)

            question = (
                f"{live.pending} change(s) are NOT saved ({live.last_error}).\nLeave and lose them?"
            )
            self.app.push_screen(ConfirmScreen(question, "Leave and lose them", "Stay"), answered)
            return
        go_back(self)

    def action_all_notes(self) -> None:
        """Every note of the session, to look at and to fix (edits are journaled)."""
        if self.loaded is None:
            return
        from facilitate.tui.notes import DayNotesScreen

        title = self.loaded.state.agenda_title or self.loaded.agenda.title
        self.app.push_screen(DayNotesScreen(ReviewNotes(self, self.loaded), title=title))

    def on_screen_resume(self) -> None:
        """Back from the day's notes (or a dialog): show the notes as they now are."""
        if self.loaded is not None:
            self._reindex()
            self._fill()

    def action_export(self, again: ExportChoice | None = None, problem: str = "") -> None:
        folder = self.ctx.export_dir or Path.home()
        dialog = ExportScreen(self.sid, folder, again=again, problem=problem)
        self.app.push_screen(dialog, self._export)

    def _export(self, choice: ExportChoice | None) -> None:
        if choice is None or self.loaded is None:
            return
        problem = write_export(self.loaded, choice, self.tz)
        if problem:  # the dialog again, the path as typed, the reason in it
            self.action_export(choice, f"Export failed: {problem}")
        else:
            self.say(f"Exported to {choice.path}", timeout=8)


def open_review(over: BackScreen, sid: str, *, query: str = "", note_id: str | None = None) -> None:
    """Push one session's review over ``over`` (q comes back to it)."""
    c = over.ctx
    over.app.push_screen(
        SessionReviewScreen(
            c.paths,
            sid,
            c.tz,
            c.today,
            c.clock,
            query=query,
            note_id=note_id,
            export_dir=c.export_dir,
        )
    )
