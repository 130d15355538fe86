"""The capture bar under the notes: what the next note is filed under, and the box to type it.

The bar keeps the scribe's context (group, role, feedback category) and whether
a note is being edited, and shows them on the line above the box. On Enter it
posts :class:`CaptureBar.Submitted` with the line and that context; the screen
decides (``commands.AddNote`` / ``EditNote``) and records, and gives a refused
line back with :meth:`give_back`.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input

from facilitate.agenda import Segment
from facilitate.commands import CaptureContext
from facilitate.tui.run.note_entry import NoteEntry
from facilitate.tui.widgets.line import Bar

PLACEHOLDER = (
    "i: type a note · d: decision · a: action @owner due:friday · q: question · f: feedback"
)


class CaptureBar(Vertical):
    DEFAULT_CSS = "CaptureBar { height: auto; }"

    context: reactive[CaptureContext] = reactive(CaptureContext, init=False)
    editing: reactive[str | None] = reactive(None, init=False)
    segment: reactive[Segment | None] = reactive(None, init=False)

    @dataclass
    class Submitted(Message):
        """A line typed and Enter pressed: a new note, or the edit of ``editing``."""

        raw: str
        context: CaptureContext
        editing: str | None

    def compose(self) -> ComposeResult:
        yield Bar(id="entry-context")
        yield NoteEntry(placeholder=PLACEHOLDER, id="entry")

    @property
    def entry(self) -> NoteEntry:
        return self.query_one(NoteEntry)

    def on_mount(self) -> None:
        self._show_context()

    def watch_context(self) -> None:
        self._show_context()

    def watch_editing(self) -> None:
        self._show_context()

    def watch_segment(self) -> None:
        self._show_context()

    def _show_context(self) -> None:
        parts = []
        if self.editing:
            parts.append("[b]editing a note[/] (escape cancels)")
        ctx = self.context
        if ctx.group:
            parts.append(f"group: {escape(ctx.group)}")
        if ctx.role:
            parts.append(f"as: {escape(ctx.role)}")
        if ctx.category:
            parts.append(f"feedback: {escape(ctx.category)}")
        if self.segment is not None and self.segment.groups and not ctx.group:
            parts.append("[dim]1-9 picks a group[/]")
        self.query_one("#entry-context", Bar).text = "  ".join(parts)

    @on(Input.Submitted, "#entry")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.post_message(self.Submitted(event.value, self.context, self.editing))

    def begin_edit(self, note_id: str, line: str) -> None:
        self.editing = note_id
        self.entry.value = line
        self.entry.cursor_position = len(line)

    def end_edit(self) -> None:
        if self.editing is not None:
            self.editing = None
            self.entry.value = ""

    def give_back(self, raw: str) -> None:
        self.entry.give_back(raw)
