"""The current segment's notes, newest at the bottom, filterable by kind.

The log shows what it is given (``view``). Its keys (enter or e edits the
highlighted note, x deletes it) are the run screen's, so they act in key order; a
click on a note asks for the edit by message. The screen owns the session and decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from facilitate.notes import strip_owner_token, uk_date_text
from facilitate.state import Note, SessionState
from facilitate.tui.styles import kind_markup

FILTERS = ("all", "decision", "action", "note", "question", "feedback")


def note_line(note: Note, tz: tzinfo, unsaved: bool = False) -> Content:
    """One row of the log. What people typed goes in as ``$`` variables, never as markup,
    so ``[TBC]``, ``[ approx ]`` or a trailing backslash show exactly as typed."""
    text = strip_owner_token(note.text, note.owner)
    values = {"time": f"{note.created.astimezone(tz):%H:%M}", "text": text}
    parts = ["[dim]$time[/]", kind_markup(note.kind)]
    if note.category:
        parts.append("[i]$category[/]")
        values["category"] = note.category
    parts.append("$text")
    extras = []
    if note.owner:
        extras.append(f"owner {note.owner}")
    if note.due:
        extras.append(f"due {uk_date_text(note.due)}")
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


@dataclass(frozen=True)
class LogView:
    """What the log should show; an equal view draws nothing new."""

    segment: int = 0
    revision: int = -1  # one more per event the session took in
    unsaved: frozenset[str] = field(default_factory=frozenset)


class NotesLog(OptionList, inherit_bindings=False):
    """The current segment's notes; a click on one asks to edit it. Only moving keys are its
    own (not the scrolling left and right it would inherit: those are the run screen's)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("home", "first", "First", show=False),
        Binding("pagedown", "page_down", "Page Down", show=False),
        Binding("pageup", "page_up", "Page Up", show=False),
        Binding("up", "cursor_up", "Up", show=False),
    ]

    view: reactive[LogView] = reactive(LogView, init=False)
    kind_filter: reactive[str] = reactive("all", init=False)

    @dataclass
    class EditRequested(Message):
        note_id: str

    def __init__(self, state: SessionState, tz: tzinfo, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state = state
        self.tz = tz

    def watch_view(self) -> None:
        self._rebuild()

    def watch_kind_filter(self) -> None:
        self._rebuild()

    def _rebuild(self) -> None:
        view, kind = self.view, self.kind_filter
        notes = [
            n
            for n in self.state.notes.values()
            if n.segment == view.segment and not n.deleted and (kind == "all" or n.kind == kind)
        ]
        keep = self.highlighted_option.id if self.highlighted_option else None
        # On the newest note, the log follows new ones; moved up to an older one, it stays.
        following = self.highlighted is None or self.highlighted >= self.option_count - 1
        had_notes = self.option_count > 0
        self.set_options(
            [Option(note_line(n, self.tz, n.id in view.unsaved), id=n.id) for n in notes]
        )
        if notes:
            ids = [n.id for n in notes]
            if following or keep not in ids:
                self.highlighted = len(notes) - 1
                self.scroll_end(animate=False)
            else:
                self.highlighted = ids.index(keep)
        self.border_subtitle = f"{len(notes)} shown · t filters: {kind}"
        if bool(notes) != had_notes:
            # Edit and delete show in the footer only with a note to act on.
            self.screen.refresh_bindings()

    def cycle_filter(self) -> str:
        self.kind_filter = FILTERS[(FILTERS.index(self.kind_filter) + 1) % len(FILTERS)]
        return self.kind_filter

    @property
    def selected_note_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option else None

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        message.stop()
        if message.option_id is not None:
            self.post_message(self.EditRequested(message.option_id))
