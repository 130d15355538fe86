"""Every note of the session, by segment then by group, each one open to be fixed.

Enter (or e) opens the highlighted note in a form; delete asks before hiding it. Edits
are events: the journal keeps what was first typed. The view follows the session: a
note another terminal adds appears within a second. Nothing here moves the clock.
"""

from __future__ import annotations

from datetime import date, tzinfo

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static

from facilitate import commands
from facilitate.agenda import Agenda
from facilitate.notes import strip_owner_token, uk_date
from facilitate.state import Note
from facilitate.text import screen_text
from facilitate.tui.keys import DAY_NOTES, bindings
from facilitate.tui.notes.form import NoteFormScreen
from facilitate.tui.notes.source import NotesSource
from facilitate.tui.styles import KIND_LABELS, kind_style, rich_style
from facilitate.tui.widgets.row_table import Cell, RowTable

KINDS = ("all", "decision", "action", "note", "question", "feedback")
FOLLOW_S = 1.0


def note_rows(agenda: Agenda, notes: list[Note]) -> list[str]:
    """Row keys: a heading per segment (``seg:3``) and per group (``grp:3:Group 1``), then
    the notes under them, oldest first; the room's notes come before any group's."""
    keys: list[str] = []
    by_segment: dict[int, list[Note]] = {}
    for note in sorted(notes, key=lambda n: (n.segment, n.created, n.id)):
        by_segment.setdefault(note.segment, []).append(note)
    for segment, mine in by_segment.items():
        keys.append(f"seg:{segment}")
        keys += [n.id for n in mine if not n.group]
        known = agenda.segments[segment].groups if 0 <= segment < len(agenda.segments) else ()
        groups = list(dict.fromkeys([*known, *sorted({n.group for n in mine if n.group})]))
        for group in groups:
            inside = [n.id for n in mine if n.group == group]
            if inside:
                keys += [f"grp:{segment}:{group}", *inside]
    return keys


def where_text(note: Note, tz: tzinfo) -> str:
    """A note's context in a few words, for the line beside it."""
    parts = []
    if note.role:
        parts.append(f"as {note.role}")
    if note.category:
        parts.append(f"in {note.category}")
    if note.owner:
        parts.append(f"owner {note.owner}")
    if note.due:
        parts.append(f"due {note.due}")
    if note.done:
        parts.append("done")
    if note.edited:
        parts.append(f"edited {note.edited.astimezone(tz):%H:%M}")
    return "; ".join(parts)


class DayNotesScreen(Screen[None]):
    """The whole day's notes, to look back at and to fix any of them."""

    BINDINGS = bindings(DAY_NOTES)
    DEFAULT_CSS = """
    DayNotesScreen #day-head { height: auto; padding: 0 1; background: $boost; }
    DayNotesScreen #day-detail { height: auto; max-height: 5; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, source: NotesSource, *, title: str = "") -> None:
        super().__init__()
        self.source = source
        self.title_text = title
        self.kind = "all"
        self._seen = -1

    def compose(self) -> ComposeResult:
        yield Static("", id="day-head", markup=False)
        yield RowTable(
            [("Time", 5), ("Kind", 8), ("Note", None)], id="day-notes", empty="No notes yet."
        )
        yield Static("", id="day-detail", markup=False)
        yield Footer()

    @property
    def table(self) -> RowTable:
        return self.query_one("#day-notes", RowTable)

    def on_mount(self) -> None:
        self.fill()
        rows = self.table.keys
        notes = [k for k in rows if not k.startswith(("seg:", "grp:"))]
        if notes:  # start on the newest note, as the notes log does
            newest = max(notes, key=lambda k: self.source.state.notes[k].created)
            self.table.move_to(rows.index(newest))
        self.set_focus(self.table)
        self.set_interval(FOLLOW_S, self.follow)

    def follow(self) -> None:
        """Another terminal wrote, or a change was saved: draw again."""
        if self.source.state.event_count != self._seen:
            self.fill()

    def notes(self) -> list[Note]:
        return [
            n for n in self.source.state.live_notes() if self.kind == "all" or n.kind == self.kind
        ]

    def fill(self) -> None:
        self._seen = self.source.state.event_count
        notes = self.notes()
        table = self.table
        table.set_rows(note_rows(self.source.agenda, notes), self.row, cursor_key=table.cursor_key)
        total = len(self.source.state.live_notes())
        shown = f"{len(notes)} of {total}" if self.kind != "all" else f"{total}"
        head = f"All notes · {self.title_text} · {shown} notes · kind: {self.kind}"
        self.query_one("#day-head", Static).update(head)
        self.show_detail()

    def row(self, key: str) -> list[Cell]:
        agenda, tz = self.source.agenda, self.source.tz
        if key.startswith("seg:"):
            index = int(key[4:])
            title = agenda.segments[index].title if 0 <= index < len(agenda.segments) else "?"
            return ["", "", Text(f"── {index + 1}. {title}", style="bold")]
        if key.startswith("grp:"):
            group = key.split(":", 2)[2]
            return ["", "", Text(f"   {group}", style=rich_style("bold $accent"))]
        note = self.source.state.notes[key]
        text = Text("   " + strip_owner_token(note.text, note.owner).replace("\n", " "))
        if where := where_text(note, tz):
            text.append(f"  ({where})", style="dim")
        if key in self.source.unsaved():
            text.append("  UNSAVED", style=rich_style("bold $error"))
        return [
            f"{note.created.astimezone(tz):%H:%M}",
            Text(KIND_LABELS.get(note.kind, note.kind), style=rich_style(kind_style(note.kind))),
            text,
        ]

    def selected(self) -> Note | None:
        key = self.table.cursor_key
        note = self.source.state.notes.get(key) if key else None
        return note if note is not None and not note.deleted else None

    @on(RowTable.Highlighted, "#day-notes")
    def show_detail(self) -> None:
        note = self.selected()
        detail = Text()
        if note is not None:
            detail.append(screen_text(note.text, keep="\n"))
            if note.due:
                detail.append(f"\ndue {uk_date_text(note.due)}", style="dim")
        self.query_one("#day-detail", Static).update(detail)
        self.refresh_bindings()

    @on(RowTable.Selected, "#day-notes")
    def _selected(self) -> None:
        self.action_edit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "delete"):
            return self.selected() is not None
        return True

    def action_close(self) -> None:
        self.dismiss(None)

    def action_filter(self) -> None:
        self.kind = KINDS[(KINDS.index(self.kind) + 1) % len(KINDS)]
        self.fill()

    def action_edit(self) -> None:
        note = self.selected()
        if note is None:
            return
        self.app.push_screen(NoteFormScreen(note, self.source), lambda _: self.fill())

    def action_delete(self) -> None:
        note = self.selected()
        if note is None:
            return
        from facilitate.tui.dialogs.confirm import ConfirmScreen

        shown = screen_text(note.text)
        preview = shown if len(shown) < 60 else shown[:57] + "..."

        def answered(sure: bool | None) -> None:
            if sure:
                self.source.execute(commands.DeleteNote(note.id))
                self.fill()

        self.app.push_screen(
            ConfirmScreen(f"Delete this note?\n{preview}", "Delete", "Keep"), answered
        )


def uk_date_text(due: str) -> str:
    try:
        return uk_date(date.fromisoformat(due))
    except ValueError:
        return due
