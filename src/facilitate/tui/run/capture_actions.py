"""Scribe capture on the run screen: the note box, edits and deletions, groups, roles and
feedback categories. The rules are the core's (``commands.capture``); this turns keys and
pickers into intents and keeps the capture bar's context."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual import on

from facilitate import commands
from facilitate.commands import CaptureContext, Refusal
from facilitate.notes import unparse_note
from facilitate.tui.run.capture import CaptureBar
from facilitate.tui.run.note_entry import NoteEntry
from facilitate.tui.run.notes_log import NotesLog
from facilitate.tui.run.owner import SessionOwner


class CaptureScreen(SessionOwner):
    @property
    def log_widget(self) -> NotesLog:
        return self.query_one("#log", NotesLog)

    @property
    def capture(self) -> CaptureBar:
        return self.query_one("#capture", CaptureBar)

    @property
    def typing(self) -> bool:
        return isinstance(self.focused, NoteEntry)

    def set_context(self, context: CaptureContext) -> None:
        self.capture.context = context

    # -- the note box --

    def action_focus_entry(self) -> None:
        # Screen.set_focus is immediate: keys after "i" in the same burst reach the box.
        self.set_focus(self.capture.entry)

    def action_leave_entry(self) -> None:
        self.capture.end_edit()
        self.set_focus(self.log_widget)

    @on(CaptureBar.Submitted)
    def _note_submitted(self, message: CaptureBar.Submitted) -> None:
        message.stop()
        if message.editing is not None:
            outcome = self.execute(commands.EditNote(message.editing, message.raw))
            if not isinstance(outcome, Refusal):
                self.capture.editing = None
        else:
            outcome = self.execute(commands.AddNote(message.raw, message.context))
        if isinstance(outcome, Refusal):
            self.capture.give_back(message.raw)

    def action_filter(self) -> None:
        kind = self.log_widget.cycle_filter()
        self.notify(f"Showing {kind} notes", timeout=2)

    # -- edit and delete, asked for by the log (or the palette) --

    @on(NotesLog.EditRequested)
    def _edit_requested(self, message: NotesLog.EditRequested) -> None:
        self.edit_note(message.note_id)

    @on(NotesLog.DeleteRequested)
    def _delete_requested(self, message: NotesLog.DeleteRequested) -> None:
        self.delete_note(message.note_id)

    def action_edit_note(self) -> None:
        if (note_id := self.log_widget.selected_note_id) is not None:
            self.edit_note(note_id)

    def action_delete_note(self) -> None:
        if (note_id := self.log_widget.selected_note_id) is not None:
            self.delete_note(note_id)

    def edit_note(self, note_id: str) -> None:
        note = self.live.state.notes.get(note_id)
        if note is None or note.deleted:
            return
        self.capture.begin_edit(note.id, unparse_note(note.kind, note.text, note.owner, note.due))
        self.set_focus(self.capture.entry)

    def delete_note(self, note_id: str) -> None:
        note = self.live.state.notes.get(note_id)
        if note is None or note.deleted:
            return
        preview = note.text if len(note.text) < 60 else note.text[:57] + "..."
        self.confirm(
            f"Delete this note?\n{preview}", "Delete", "Keep", commands.DeleteNote(note.id)
        )

    # -- groups, roles, feedback categories --

    def action_group(self, number: int) -> None:
        segment = self.live.agenda.segments[self.live.state.current]
        picked = commands.pick_group(segment, number)
        if isinstance(picked, Refusal):
            self.notify(picked.reason, severity="warning")
            return
        self.set_context(replace(self.capture.context, group=picked))

    def action_pick_role(self) -> None:
        from facilitate.tui.dialogs.choice import ChoiceScreen

        roles = list(self.live.agenda.segments[self.live.state.current].roles)
        if not roles:
            self.notify("This segment names no roles (add roles = [...] to the agenda)")
            return
        assigned = self.live.state.roles
        names = [f"{r} ({assigned[r]})" if r in assigned else r for r in roles]

        def chosen(index: int | None) -> None:
            if index is not None:
                role = roles[index] if index >= 0 else None
                self.set_context(replace(self.capture.context, role=role))

        self.app.push_screen(
            ChoiceScreen("Following notes are by", names, none_label="nobody"), chosen
        )

    def action_assign_roles(self) -> None:
        from facilitate.tui.dialogs.roles import RolesScreen

        roles = list(self.live.agenda.segments[self.live.state.current].roles)
        if not roles:
            roles = sorted({r for s in self.live.agenda.segments for r in s.roles})
        if not roles:
            self.notify("This agenda names no roles")
            return

        def saved(names: dict[str, str] | None) -> None:
            for role, person in (names or {}).items():
                self.execute(commands.AssignRole(role, person))

        self.app.push_screen(RolesScreen(roles, dict(self.live.state.roles)), saved)

    def action_attendance(self) -> None:
        """Who was there, the venue and the next meeting: recorded as the dialog is saved."""
        from facilitate.tui.dialogs.attendance import AttendanceScreen

        agenda = self.live.agenda
        form = commands.attendance_form(self.live.state.attendance, agenda.participants)

        def saved(result: commands.AttendanceForm | None) -> None:
            if result is not None:
                for intent in commands.attendance_changes(self.live.state.attendance, result):
                    self.execute(intent)

        self.app.push_screen(AttendanceScreen(form, agenda.title), saved)

    def action_pick_category(self) -> None:
        from facilitate.tui.dialogs.choice import ChoiceScreen

        categories = list(self.live.agenda.segments[self.live.state.current].feedback)
        if not categories:
            self.notify("This segment has no feedback categories; f: still marks feedback")
            return

        def chosen(index: int | None) -> None:
            if index is not None:
                category = categories[index] if index >= 0 else None
                self.set_context(replace(self.capture.context, category=category))
                self.action_focus_entry()

        self.app.push_screen(
            ChoiceScreen("Capture feedback into", categories, none_label="no category"), chosen
        )

    # -- who is writing, and the minutes so far --

    def ask_writer_name(self) -> None:
        """A browser scribe's name, for the minutes; asked until one is given."""
        from facilitate.tui.dialogs.writer_name import WriterNameScreen

        def answered(name: str | None) -> None:
            outcome = self.execute(commands.NameWriter(name or ""))
            if isinstance(outcome, Refusal) or outcome is None:
                self.call_after_refresh(self.ask_writer_name)
                return
            writer = self.live.writer_id or ""
            shown = self.live.state.writers.get(writer, "")
            self.notify(f"Your notes show as {shown} in the minutes.", markup=False)

        self.app.push_screen(WriterNameScreen(), answered)

    def action_export_minutes(self) -> None:
        """The minutes as they stand: to the browser when served, else to the home folder."""
        from facilitate.export import render
        from facilitate.store import LoadedSession
        from facilitate.tui.deliver import deliver_file

        live = self.live
        loaded = LoadedSession(live.id, live.folder, live.agenda, live.state, [])
        text = render("md", loaded, live.tz, live.now())
        deliver_file(self.app, text, Path.home() / f"{live.id}-minutes.md", "Minutes so far")
