"""The current segment's notes, newest at the bottom, filterable by kind."""

from __future__ import annotations

from datetime import tzinfo

from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from facilitate.state import Note, SessionState

KIND_TAGS = {
    "decision": "[b $success]DECISION[/]",
    "action": "[b $warning]ACTION[/]",
    "question": "[b $accent]QUESTION[/]",
    "feedback": "[b $secondary]FEEDBACK[/]",
    "note": "[dim]note[/]",
}
FILTERS = ("all", "decision", "action", "note", "question", "feedback")


def note_line(note: Note, tz: tzinfo, unsaved: bool = False) -> Content:
    """One row of the log. What people typed goes in as ``$`` variables, never as markup,
    so ``[TBC]``, ``[ approx ]`` or a trailing backslash show exactly as typed."""
    values = {"time": f"{note.created.astimezone(tz):%H:%M}", "text": note.text}
    parts = ["[dim]$time[/]", KIND_TAGS.get(note.kind, "$kind")]
    values["kind"] = note.kind
    if note.category:
        parts.append("[i]$category[/]")
        values["category"] = note.category
    parts.append("$text")
    extras = []
    if note.owner:
        extras.append(f"owner {note.owner}")
    if note.due:
        extras.append(f"due {note.due}")
    if note.group:
        extras.append(note.group)
    if note.role:
        extras.append(f"as {note.role}")
    if note.edited:
        extras.append("edited")
    if note.done:
        extras.append("done")
    if extras:
        parts.append("[dim]($extras)[/]")
        values["extras"] = "; ".join(extras)
    if unsaved:
        parts.append("[b $error]UNSAVED[/]")
    return Content.from_markup(" ".join(parts), **values)


class NotesLog(OptionList):
    """Enter edits the highlighted note, x deletes it (both journaled, original kept)."""

    BINDINGS = [
        Binding("e,enter", "edit_note", "Edit note"),
        Binding("x,delete", "delete_note", "Delete note"),
    ]

    def __init__(self, tz: tzinfo, **kwargs: str) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.tz = tz
        self.kind_filter = "all"
        self._signature: tuple[object, ...] = ()

    def show(self, state: SessionState, segment: int, unsaved_ids: set[str]) -> None:
        notes = [
            n
            for n in state.notes.values()
            if n.segment == segment
            and not n.deleted
            and (self.kind_filter == "all" or n.kind == self.kind_filter)
        ]
        rows = tuple((n.id, n.text, n.kind, n.edited, n.done, n.id in unsaved_ids) for n in notes)
        signature = (*rows, self.kind_filter, segment)
        if signature == self._signature:
            return
        self._signature = signature
        keep = self.highlighted_option.id if self.highlighted_option else None
        # On the newest note, the log follows new ones; moved up to an older one, it stays.
        following = self.highlighted is None or self.highlighted >= self.option_count - 1
        had_notes = self.option_count > 0
        self.clear_options()
        self.add_options(
            [Option(note_line(n, self.tz, n.id in unsaved_ids), id=n.id) for n in notes]
        )
        if notes:
            ids = [n.id for n in notes]
            if following or keep not in ids:
                self.highlighted = len(notes) - 1
                self.scroll_end(animate=False)
            else:
                self.highlighted = ids.index(keep)
        self.border_subtitle = f"{len(notes)} shown · t filters: {self.kind_filter}"
        if bool(notes) != had_notes:
            # Edit and delete show in the footer only with a note to act on; the footer is
            # rebuilt only when that changes, not for every note.
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit_note", "delete_note"):
            return self.highlighted is not None
        return True

    def cycle_filter(self) -> str:
        self.kind_filter = FILTERS[(FILTERS.index(self.kind_filter) + 1) % len(FILTERS)]
        self._signature = ()
        return self.kind_filter

    @property
    def selected_note_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option else None

    async def action_edit_note(self) -> None:
        await self.screen.run_action("edit_note")

    async def action_delete_note(self) -> None:
        await self.screen.run_action("delete_note")
