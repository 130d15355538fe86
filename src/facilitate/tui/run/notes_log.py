"""The current segment's notes, newest at the bottom, filterable by kind.

The log shows what it is given (``view``). Its keys (enter or e edits the
highlighted note, x deletes it) are the run screen's, so they act in key order; a
click on a note asks for the edit by message. The screen owns the session and decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo
from itertools import islice
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from facilitate.notes import strip_owner_token, uk_date_text
from facilitate.state import Note, SessionState
from facilitate.text import screen_text
from facilitate.tui.styles import KIND_LABELS, kind_style

FILTERS = ("all", "decision", "action", "note", "question", "feedback")


def note_line(note: Note, tz: tzinfo, unsaved: bool = False) -> Content:
    """One row of the log. What people typed goes in as plain text, never as markup, so
    ``[TBC]``, ``[ approx ]`` or a trailing backslash show exactly as typed. (Assembled
    from parts rather than parsed from markup: a tenth of the time, which counts when a
    segment with 10,000 notes is opened.)"""
    # What people typed may come from a damaged or hostile journal: no terminal codes.
    text = screen_text(strip_owner_token(note.text, note.owner))
    kind = (KIND_LABELS.get(note.kind, note.kind), kind_style(note.kind))
    parts: list[str | tuple[str, str]] = [(f"{note.created.astimezone(tz):%H:%M}", "dim")]
    parts += [" ", kind, " "]
    if note.category:
        parts += [(screen_text(note.category), "italic"), " "]
    parts.append(text)
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
        parts += [" ", (screen_text(f"({'; '.join(extras)})"), "dim")]
    if unsaved:
        parts += [" ", ("UNSAVED", "bold $error")]
    return Content.assemble(*parts)


# What a note's row shows (its line is built again only when this changes).
Shown = tuple[object, ...]


def _shown(note: Note, unsaved: bool) -> Shown:
    return (
        note.kind,
        note.text,
        note.owner,
        note.due,
        note.category,
        note.group,
        note.role,
        note.edited is not None,
        note.done,
        unsaved,
    )


@dataclass(frozen=True)
class LogView:
    """What the log should show; an equal view draws nothing new."""

    segment: int = 0
    revision: int = -1  # one more per event the session took in
    unsaved: frozenset[str] = field(default_factory=frozenset)


class NotesLog(OptionList, inherit_bindings=False):
    """The current segment's notes; a click on one asks to edit it. Only moving keys are its
    own (not the scrolling left and right it would inherit: those are the run screen's).
    They move the highlight the moment they arrive, as the screen's e and x act: "up up e"
    typed at once edits the note two up, never the one the highlight was leaving."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(key, action, description, show=False, priority=True)
        for key, action, description in (
            ("down", "cursor_down", "Down"),
            ("end", "last", "Last"),
            ("home", "first", "First"),
            ("pagedown", "page_down", "Page Down"),
            ("pageup", "page_up", "Page Up"),
            ("up", "cursor_up", "Up"),
        )
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
        self._rows: dict[str, Shown] = {}  # what each row shows, by note id, in order
        self._seen = (0, 0)  # the state's events and notes when the rows were last updated

    def watch_view(self, old: LogView, new: LogView) -> None:
        self._show(full=old.segment != new.segment, unsaved_before=old.unsaved)

    def watch_kind_filter(self) -> None:
        self._show(full=True)

    def on_resize(self) -> None:
        """Lines re-wrap at a new width (a panel opened, the terminal resized), which moves
        every note below: keep the highlighted one (the newest, when following) in view."""
        self.call_next(self.scroll_to_highlight)

    def _wanted(self) -> dict[str, Shown]:
        """The notes the log should show now, in order, each with what its row shows."""
        view, kind = self.view, self.kind_filter
        segment, unsaved = view.segment, view.unsaved
        return {
            n.id: _shown(n, n.id in unsaved)
            for n in self.state.notes.values()
            if n.segment == segment and not n.deleted and (kind == "all" or n.kind == kind)
        }

    def _show(self, *, full: bool, unsaved_before: frozenset[str] = frozenset()) -> None:
        """Bring the rows up to date. New notes are *appended* and an edited or deleted
        one changed in place: the other rows are not built again, so a note appears as
        fast with 10,000 notes in the segment as with ten. A new segment or filter (or
        notes shown that moved around) starts over."""
        keep = self.highlighted_option.id if self.highlighted_option else None
        # On the newest note, the log follows new ones; moved up to an older one, it stays.
        following = self.highlighted is None or self.highlighted >= self.option_count - 1
        had_notes = self.option_count > 0
        if full or not self._append_new(unsaved_before):
            wanted = self._wanted()
            if full or not self._update_rows(wanted):
                self.set_options(Option(self._line(note_id), id=note_id) for note_id in wanted)
            self._rows = wanted
        self._seen = (self.state.event_count, len(self.state.notes))
        if rows := self._rows:
            if following or keep not in rows:
                self.highlighted = len(rows) - 1
                self.scroll_end(animate=False)
            else:
                self.highlighted = self.get_option_index(keep)
        self.border_subtitle = f"{len(rows)} shown · t filters: {self.kind_filter}"
        if bool(rows) != had_notes:
            # Edit and delete show in the footer only with a note to act on.
            self.screen.refresh_bindings()

    def _append_new(self, unsaved_before: frozenset[str]) -> bool:
        """People typing: when every event since the last look added a note, nothing shown
        can have changed but whether a note is saved, so only the new notes are looked at.
        False when anything else happened (an edit, a tally, a timer key...): then every
        row is compared."""
        state, (events, notes) = self.state, self._seen
        added = len(state.notes) - notes
        if added < 0 or state.event_count - events != added:
            return False
        view, kind, rows = self.view, self.kind_filter, self._rows
        for note_id in unsaved_before ^ view.unsaved:
            if note_id in rows:
                rows[note_id] = _shown(state.notes[note_id], note_id in view.unsaved)
                self.replace_option_prompt(note_id, self._line(note_id))
        new = [
            n
            for n in islice(state.notes.values(), notes, None)
            if n.segment == view.segment and not n.deleted and (kind == "all" or n.kind == kind)
        ]
        for n in new:
            rows[n.id] = _shown(n, n.id in view.unsaved)
        self.add_options(Option(self._line(n.id), id=n.id) for n in new)
        return True

    def _update_rows(self, wanted: dict[str, Shown]) -> bool:
        """Change only the rows that changed; False when the notes shown moved around (a
        note filed back into this segment among older ones): then the log starts over."""
        rows, order = self._rows, list(wanted)
        kept = [note_id for note_id in order if note_id in rows]
        if order[: len(kept)] != kept or kept != [n for n in rows if n in wanted]:
            return False
        added = order[len(kept) :]
        for note_id in rows:
            if note_id not in wanted:
                self.remove_option(note_id)
        for note_id in kept:
            if rows[note_id] != wanted[note_id]:
                self.replace_option_prompt(note_id, self._line(note_id))
        self.add_options(Option(self._line(note_id), id=note_id) for note_id in added)
        return True

    def _line(self, note_id: str) -> Content:
        return note_line(self.state.notes[note_id], self.tz, note_id in self.view.unsaved)

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
