"""Scribe capture on the run screen: the note box, edits, deletions, groups, roles, categories.

A mixin so the run screen module keeps to layout, time and timer controls. It
records events through ``self.record`` like everything else on that screen.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual import events
from textual.widgets import Input

from facilitate.events import Event, NoteAdded, NoteDeleted, NoteEdited, RoleAssigned
from facilitate.notes import NoteSyntaxError, parse_note, unparse_note
from facilitate.tui.widgets.note_entry import NoteEntry
from facilitate.tui.widgets.notes_log import NotesLog

if TYPE_CHECKING:
    from facilitate.tui.screens.run import RunScreen

    _Base = RunScreen
else:
    _Base = object


class CaptureActions(_Base):
    """Note entry and attribution; expects the run screen's widgets and ``record``."""

    # -- note entry --

    def action_focus_entry(self) -> None:
        # Screen.set_focus is immediate; Widget.focus() is deferred, and keys typed
        # right after "i" would still reach the screen's own bindings.
        self.set_focus(self.query_one("#entry", NoteEntry))

    def on_key(self, event: events.Key) -> None:
        """Keep a burst of typing in order around "i".

        Textual runs screen bindings only when a key has bubbled back up to the
        App, after the keys read with it were already sent to the old focus. So
        "i" is acted on here, as it passes the screen, and any printable key or
        Enter that reaches the screen while the note box has focus (the box stops
        the ones it handles itself) was typed for the box and goes there.
        """
        entry = self.query_one("#entry", NoteEntry)
        if self.focused is entry:
            entry.take_stray_key(event)
        elif event.key == "i":
            event.stop()
            event.prevent_default()
            self.action_focus_entry()

    def action_leave_entry(self) -> None:
        entry = self.query_one("#entry", NoteEntry)
        if self.editing:
            self.editing = None
            entry.value = ""
        self.set_focus(self.query_one("#log", NotesLog))
        self._render_context()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "entry":
            return
        event.stop()
        raw = event.value
        if not raw.strip():
            return
        today = self.live.now().astimezone(self.live.tz).date()
        try:
            default = "feedback" if self.category else "note"
            parsed = parse_note(raw, today, default_kind=default)
        except NoteSyntaxError as exc:
            self.notify(str(exc), severity="error")
            self.query_one("#entry", NoteEntry).give_back(raw)
            return
        due = parsed.due.isoformat() if isinstance(parsed.due, date) else None
        category = self.category if parsed.kind == "feedback" else None
        if self.editing and parsed.kind == "feedback" and category is None:
            original = self.live.state.notes.get(self.editing)
            category = original.category if original else None  # a typo fix keeps its place
        now = self.live.now()
        if self.editing:
            event_out: Event = NoteEdited(
                at=now,
                note_id=self.editing,
                kind=parsed.kind,
                text=parsed.text,
                owner=parsed.owner,
                due=due,
                category=category,
            )
            self.editing = None
        else:
            event_out = NoteAdded(
                at=now,
                kind=parsed.kind,
                text=parsed.text,
                segment=self.live.state.current,
                group=self.group,
                role=self.role,
                owner=parsed.owner,
                due=due,
                category=category,
            )
        self.record(event_out)

    def action_edit_note(self) -> None:
        note_id = self.query_one("#log", NotesLog).selected_note_id
        note = self.live.state.notes.get(note_id or "")
        if note is None:
            return
        self.editing = note.id
        entry = self.query_one("#entry", NoteEntry)
        entry.value = unparse_note(note.kind, note.text, note.owner, note.due)
        self.set_focus(entry)
        self._render_context()

    def action_delete_note(self) -> None:
        from facilitate.tui.screens import dialogs

        note_id = self.query_one("#log", NotesLog).selected_note_id
        note = self.live.state.notes.get(note_id or "")
        if note is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.record(NoteDeleted(at=self.live.now(), note_id=note.id))

        preview = note.text if len(note.text) < 60 else note.text[:57] + "..."
        self.app.push_screen(
            dialogs.ConfirmScreen(f"Delete this note?\n{preview}", "Delete", "Keep"), confirmed
        )

    def action_filter(self) -> None:
        kind = self.query_one("#log", NotesLog).cycle_filter()
        self.notify(f"Showing {kind} notes", timeout=2)
        self.render_state()

    # -- groups, roles, feedback categories --

    def action_group(self, number: int) -> None:
        groups = self.live.agenda.segments[self.live.state.current].groups
        if number == 0:
            self.group = None
        elif number <= len(groups):
            self.group = groups[number - 1]
        else:
            self.notify("This segment has no group with that number", severity="warning")
        self._render_context()

    def action_pick_role(self) -> None:
        from facilitate.tui.screens import dialogs

        roles = list(self.live.agenda.segments[self.live.state.current].roles)
        if not roles:
            self.notify("This segment names no roles (add roles = [...] to the agenda)")
            return
        names = [
            f"{r} ({self.live.state.roles[r]})" if r in self.live.state.roles else r for r in roles
        ]

        def chosen(index: int | None) -> None:
            if index is not None:
                self.role = roles[index] if index >= 0 else None
                self._render_context()

        self.app.push_screen(
            dialogs.ChoiceScreen("Following notes are by", names, none_label="nobody"), chosen
        )

    def action_assign_roles(self) -> None:
        from facilitate.tui.screens import dialogs

        roles = list(self.live.agenda.segments[self.live.state.current].roles)
        if not roles:
            roles = sorted({r for s in self.live.agenda.segments for r in s.roles})
        if not roles:
            self.notify("This agenda names no roles")
            return

        def saved(names: dict[str, str] | None) -> None:
            for role, person in (names or {}).items():
                if self.live.state.roles.get(role, "") != person:
                    self.record(RoleAssigned(at=self.live.now(), role=role, person=person))

        self.app.push_screen(dialogs.RolesScreen(roles, dict(self.live.state.roles)), saved)

    def action_pick_category(self) -> None:
        from facilitate.tui.screens import dialogs

        categories = list(self.live.agenda.segments[self.live.state.current].feedback)
        if not categories:
            self.notify("This segment has no feedback categories; f: still marks feedback")
            return

        def chosen(index: int | None) -> None:
            if index is not None:
                self.category = categories[index] if index >= 0 else None
                self._render_context()
                self.action_focus_entry()

        self.app.push_screen(
            dialogs.ChoiceScreen("Capture feedback into", categories, none_label="no category"),
            chosen,
        )
