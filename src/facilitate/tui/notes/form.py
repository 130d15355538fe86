"""One note, every field of it: kind, text, owner and due date (actions), and where it is
filed: segment, group, role and feedback category (feedback).

Saving asks the session (``commands.ReviseNote``); a refusal is shown here and the form
stays open with everything as typed, so nothing is lost. The groups, roles and
categories offered are the chosen segment's (plus the note's own, should an older copy
of the agenda have named it differently).
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from facilitate.commands import Refusal, ReviseNote
from facilitate.events import NOTE_KINDS
from facilitate.notes import strip_owner_token
from facilitate.state import Note
from facilitate.text import screen_text
from facilitate.tui.dialogs.fields import DialogInput, request_save
from facilitate.tui.keys import NOTE_FORM, bindings
from facilitate.tui.notes.source import NotesSource

NONE = "(none)"


class NoteFormScreen(ModalScreen[bool]):
    """Edit every field of a note; ctrl+s saves, escape cancels (True: saved)."""

    BINDINGS = bindings(NOTE_FORM)
    DEFAULT_CSS = """
    NoteFormScreen { align: center middle; background: $background 60%; }
    NoteFormScreen > #note-form {
        width: 84; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    NoteFormScreen #form-fields { height: auto; max-height: 1fr; }
    NoteFormScreen .form-row { height: auto; }
    NoteFormScreen .form-row > Label { width: 10; padding: 1 0 0 0; }
    NoteFormScreen .form-row > Input, NoteFormScreen .form-row > Select { width: 1fr; }
    NoteFormScreen #form-title { text-style: bold; }
    NoteFormScreen #form-problem { color: $error; height: auto; }
    NoteFormScreen #form-keys { color: $text-muted; }
    """

    def __init__(self, note: Note, source: NotesSource) -> None:
        super().__init__()
        self.note, self.source = note, source

    def compose(self) -> ComposeResult:
        note, agenda, tz = self.note, self.source.agenda, self.source.tz
        when = f"{note.created.astimezone(tz):%H:%M}"
        segments = [(f"{s.index + 1}. {s.title}", s.index) for s in agenda.segments]
        with Vertical(id="note-form"):
            yield Static(f"Edit the note typed at {when}", id="form-title", markup=False)
            with VerticalScroll(id="form-fields"):
                yield from self.row("Kind", Select(
                    [(k, k) for k in NOTE_KINDS], value=note.kind, allow_blank=False, id="kind"
                ))  # fmt: skip
                yield from self.row(
                    "Text",
                    DialogInput(screen_text(strip_owner_token(note.text, note.owner)), id="text"),
                )
                yield from self.row(
                    "Owner",
                    DialogInput(screen_text(note.owner or ""), placeholder="Sam Jones", id="owner"),
                )
                yield from self.row("Due", DialogInput(
                    note.due or "", placeholder="31/12, 31/12/2026, friday, +3d", id="due"
                ))  # fmt: skip
                yield from self.row("Segment", Select(
                    segments, value=note.segment, allow_blank=False, id="segment"
                ))  # fmt: skip
                yield from self.row("Group", Select[str]([], prompt=NONE, id="group"))
                yield from self.row("Role", Select[str]([], prompt=NONE, id="role"))
                yield from self.row("Category", Select[str]([], prompt=NONE, id="category"))
            yield Static("", id="form-problem", markup=False)
            yield Static("tab moves · ctrl+s saves · escape cancels", id="form-keys", markup=False)

    @staticmethod
    def row(label: str, field: Any) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Label(label)
            yield field

    def on_mount(self) -> None:
        self.fill_places(self.note.segment, keep=True)
        self.enable_fields()
        self.set_focus(self.query_one("#text", Input))

    def select(self, name: str) -> Select[Any]:
        return self.query_one(f"#{name}", Select)

    def fill_places(self, segment: int, *, keep: bool) -> None:
        """Offer the groups, roles and categories of ``segment``, keeping what still fits."""
        agenda = self.source.agenda
        seg = agenda.segments[segment] if 0 <= segment < len(agenda.segments) else None
        note = self.note
        for name, offered, own in (
            ("group", seg.groups if seg else (), note.group),
            ("role", seg.roles if seg else (), note.role),
            ("category", seg.feedback if seg else (), note.category),
        ):
            field = self.select(name)
            current = field.value if not keep else own
            values = list(offered)
            if keep and own and own not in values and segment == note.segment:
                values.append(own)
            field.set_options([(v, v) for v in values])
            field.value = current if current in values else Select.NULL

    @on(Select.Changed, "#segment")
    def _segment_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, int):
            self.fill_places(event.value, keep=False)

    @on(Select.Changed, "#kind")
    def _kind_changed(self) -> None:
        self.enable_fields()

    def enable_fields(self) -> None:
        """Owner and due date are an action's; a category is feedback's."""
        kind = self.select("kind").value
        for name in ("owner", "due"):
            self.query_one(f"#{name}", Input).disabled = kind != "action"
        self.select("category").disabled = kind != "feedback"

    def revision(self) -> ReviseNote:
        def chosen(name: str) -> Any:
            field = self.select(name)
            return None if field.disabled or field.is_blank() else field.value

        kind = str(self.select("kind").value)
        action = kind == "action"
        segment = self.select("segment").value
        return ReviseNote(
            self.note.id,
            kind,
            self.query_one("#text", Input).value,
            self.query_one("#owner", Input).value if action else "",
            self.query_one("#due", Input).value if action else "",
            segment if isinstance(segment, int) else self.note.segment,
            chosen("group"),
            chosen("role"),
            chosen("category"),
        )

    closing = False  # saving: the keys typed after ctrl+s wait for the form to close

    def action_save_request(self) -> None:
        request_save(self, self)

    def action_save(self) -> None:
        outcome = self.source.execute(self.revision())
        if isinstance(outcome, Refusal):
            self.query_one("#form-problem", Static).update(f"Not saved: {outcome.reason}")
            return
        self.dismiss(outcome is not None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Escape on an open drop-down closes the drop-down (the list's own key), not the form.
        return action != "cancel" or not any(select.expanded for select in self.query(Select))

    def action_cancel(self) -> None:
        self.dismiss(False)
