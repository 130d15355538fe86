"""Scribe capture on the run screen: the note box, edits and deletions, groups, roles,
feedback categories, tallies from the notes log, and the whole day's notes. The rules are
the core's (``commands.capture``); this turns keys and pickers into intents and keeps the
capture bar's context.

Where the keyboard goes is kept here too. The note box has it while a note is typed
(TYPING); the notes log otherwise (KEYS), or a side panel (PANEL). Every picker and
every dialog hands it to the note box, *before* it opens, so that the moment it closes
the keys typed next are text: prose typed straight after choosing a role cannot pause
the clock or open a note for editing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta, tzinfo
from functools import cached_property
from pathlib import Path
from typing import Any

from textual import on
from textual.screen import Screen
from textual.widget import Widget

from facilitate import commands
from facilitate.agenda import Agenda, Segment
from facilitate.commands import CaptureContext, Intent, Outcome, Refusal
from facilitate.notes import unparse_note
from facilitate.state import Note, SessionState
from facilitate.text import screen_text
from facilitate.tui.run.capture import CaptureBar, HeldNote
from facilitate.tui.run.note_entry import NoteEntry
from facilitate.tui.run.notes_log import NotesLog
from facilitate.tui.run.owner import SessionOwner

TALLY_LABELS = {"blame": "Blame", "praise": "Praise", "worry": "Worry", "claim": "Claim"}


class CaptureScreen(SessionOwner):
    control: bool  # whether this terminal drives the timer (the run screen says)

    # Looked up once: the screen asks for them on every tick, and they stay for its life.
    @cached_property
    def log_widget(self) -> NotesLog:
        return self.query_one("#log", NotesLog)

    @cached_property
    def capture(self) -> CaptureBar:
        return self.query_one("#capture", CaptureBar)

    @property
    def segment(self) -> Segment:
        return self.live.agenda.segments[self.live.state.current]

    @property
    def typing(self) -> bool:
        return isinstance(self.focused, NoteEntry)

    def in_side(self, widget: Widget | None) -> bool:
        """Whether ``widget`` is in the side column (a panel)."""
        return widget is not None and any(node.id == "side" for node in widget.ancestors_with_self)

    @property
    def keyboard_mode(self) -> str:
        """What keys do now, named at the left of the footer: DIALOG (a dialog over this
        screen has the keyboard), TYPING, KEYS, PANEL, BRIEF."""
        if self.is_attached and self.app.screen is not self:
            return "DIALOG"
        if self.typing:
            return "TYPING"
        if self.in_side(self.focused):
            return "PANEL"
        if self.focused is not None and self.focused.id == "brief":
            return "BRIEF"
        return "KEYS"

    def set_context(self, context: CaptureContext) -> None:
        self.capture.context = context
        self.context_changed()

    def context_changed(self) -> None:
        """The group or role changed: the side panels show that group's marks."""

    # -- where the keyboard goes --

    def dialog_opening(self) -> None:
        """A dialog or picker opens: the keyboard will come back to the note box."""
        self.set_focus(self.capture.entry)

    def open_dialog(self, screen: Screen[Any], callback: Any = None) -> None:
        self.push_dialog(screen, callback)

    def unsaved_typing(self) -> list[str]:
        """What quitting now would lose that is typed but not in the journal, in words."""
        capture, lost = self.capture, []
        if capture.held:
            n = len(capture.held)
            lost.append(f"{n} refused note{'s' if n > 1 else ''} waiting to be fixed.")
        if capture.entry.value.strip():
            what = "An edit" if capture.editing else "A line"
            lost.append(f"{what} typed in the note box and not saved yet.")
        return lost

    def action_focus_entry(self) -> None:
        # Screen.set_focus is immediate: keys after "i" in the same burst reach the box.
        self.set_focus(self.capture.entry)

    def action_leave_entry(self) -> None:
        self.capture.end_edit()
        self.set_focus(self.log_widget)

    # -- the note box --

    @on(CaptureBar.Submitted)
    def _note_submitted(self, message: CaptureBar.Submitted) -> None:
        message.stop()
        # A refusal is shown beside the line it refuses, not as a toast over the box.
        if message.editing is not None:
            outcome = self.execute(commands.EditNote(message.editing, message.raw), quiet=True)
        else:
            segment = message.segment if message.held else self.segment_pressed(message)
            intent = commands.AddNote(message.raw, message.context, segment=segment)
            outcome = self.execute(intent, quiet=True)
        capture = self.capture
        if isinstance(outcome, Refusal):
            if message.held:
                capture.refused_again(message.raw, outcome.reason)
            else:
                segment = self.live.state.current if message.segment is None else message.segment
                capture.hold(
                    HeldNote(message.raw, message.context, segment, message.editing, outcome.reason)
                )
        elif message.held:
            capture.saved_held()

    def segment_pressed(self, message: CaptureBar.Submitted) -> int | None:
        """The segment of a new note: the one shown when Enter was pressed, except on a
        terminal that does not drive the timer, where it is the one the facilitator's
        journal says was current then. Its other terminals are read first, so a scribe
        whose screen was busy does not file the note under a segment already left."""
        if self.control or message.segment is None:
            return message.segment
        self.live.poll()
        ago = max(0.0, message.time - message.pressed) if message.pressed is not None else 0.0
        return self.live.segment_at(self.live.now() - timedelta(seconds=ago))

    def action_filter(self) -> None:
        kind = self.log_widget.cycle_filter()
        self.notify(f"Showing {kind} notes", timeout=2)

    # -- edit and delete: the highlighted note of the log (or one a click asked for) --

    @on(NotesLog.EditRequested)
    def _edit_requested(self, message: NotesLog.EditRequested) -> None:
        self.edit_note(message.note_id)

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
        line = screen_text(unparse_note(note.kind, note.text, note.owner, note.due))
        self.capture.begin_edit(note.id, line, self.place_of(note))
        self.set_focus(self.capture.entry)

    def place_of(self, note: Note) -> str:
        """Which note, and where it is filed: "the 10:02 note (Group 2, as Academic)"."""
        when = f"the {note.created.astimezone(self.live.tz):%H:%M} note"
        parts = [note.group or "", f"as {note.role}" if note.role else "", note.category or ""]
        where = ", ".join(p for p in parts if p)
        return f"{when} ({where})" if where else when

    def delete_note(self, note_id: str) -> None:
        note = self.live.state.notes.get(note_id)
        if note is None or note.deleted:
            return
        shown = screen_text(note.text)
        preview = shown if len(shown) < 60 else shown[:57] + "..."
        self.confirm(
            f"Delete this note?\n{preview}", "Delete", "Keep", commands.DeleteNote(note.id)
        )

    # -- groups, roles, feedback categories: each hands the keyboard to the note box --

    def action_group(self, number: int) -> None:
        self.set_focus(self.capture.entry)
        picked = commands.pick_group(self.segment, number)
        if isinstance(picked, Refusal):
            self.notify(picked.reason, severity="warning")
            return
        self.set_context(self.capture.context.with_group(self.segment, picked))

    def action_pick_role(self) -> None:
        from facilitate.tui.dialogs.choice import ChoiceScreen

        roles = list(self.segment.roles)
        if not roles:
            self.set_focus(self.capture.entry)
            self.notify("This segment names no roles (add roles = [...] to the agenda)")
            return
        group = self.capture.context.group
        names = [self.role_label(role, group) for role in roles]

        def chosen(index: int | None) -> None:
            if index is not None:
                role = roles[index] if index >= 0 else None
                self.set_context(replace(self.capture.context, role=role))

        where = f" in {group}" if group else ""
        self.open_dialog(
            ChoiceScreen(f"Following notes{where} are by", names, none_label="nobody"), chosen
        )

    def role_label(self, role: str, group: str | None) -> str:
        person = self.live.state.person(role, group)
        return f"{role} ({person})" if person else role

    def action_assign_roles(self) -> None:
        from facilitate.tui.dialogs.roles import RolesScreen

        segment = self.segment
        roles = list(segment.roles) or sorted(
            {r for s in self.live.agenda.segments for r in s.roles}
        )
        if not roles:
            self.set_focus(self.capture.entry)
            self.notify("This agenda names no roles")
            return
        groups = list(segment.groups) if segment.roles else []
        state = self.live.state
        assigned: dict[tuple[str | None, str], str] = {(None, r): p for r, p in state.roles.items()}
        for g, named in state.group_roles.items():
            assigned |= {(g, r): p for r, p in named.items()}

        def saved(names: dict[tuple[str | None, str], str] | None) -> None:
            for (group, role), person in (names or {}).items():
                self.execute(commands.AssignRole(role, person, group))
            self.capture.person = self.person_now()

        self.open_dialog(RolesScreen(roles, groups, assigned, self.capture.context.group), saved)

    def person_now(self) -> str | None:
        ctx = self.capture.context
        return self.live.state.person(ctx.role, ctx.group) if ctx.role else None

    def action_attendance(self) -> None:
        """Who was there, the venue and the next meeting: recorded as the dialog is saved."""
        from facilitate.tui.dialogs.attendance import AttendanceScreen

        agenda = self.live.agenda
        form = commands.attendance_form(self.live.state.attendance, agenda.participants)

        def saved(result: commands.AttendanceForm | None) -> None:
            if result is not None:
                for intent in commands.attendance_changes(self.live.state.attendance, result):
                    self.execute(intent)

        self.open_dialog(AttendanceScreen(form, agenda.title), saved)

    def action_pick_category(self) -> None:
        from facilitate.tui.dialogs.choice import ChoiceScreen

        segment = self.segment
        categories = list(segment.feedback)
        if not categories:
            self.set_focus(self.capture.entry)
            self.notify("This segment has no feedback categories; f: still marks feedback")
            return

        def chosen(index: int | None) -> None:
            if index is not None:
                category = categories[index] if index >= 0 else None
                self.set_context(self.capture.context.with_category(segment, category))

        self.open_dialog(
            ChoiceScreen("Capture feedback into", categories, none_label="no category"), chosen
        )

    # -- Mobius tallies from the notes log --

    def action_tally(self, name: str) -> None:
        group = self.capture.context.group
        outcome = self.execute(commands.Tally(name, 1, group))
        if outcome is None or isinstance(outcome, Refusal):
            return
        seen = self.live.state.panels.seen(self.live.state.current, group)
        label = TALLY_LABELS.get(name, name.capitalize())
        self.notify(f"{label} +1 ({group or 'whole room'}): {seen.tallies.get(name, 0)}", timeout=2)

    # -- the whole day's notes --

    def action_all_notes(self) -> None:
        from facilitate.tui.notes import DayNotesScreen

        self.open_dialog(DayNotesScreen(LiveNotes(self), title=self.live.agenda.title))

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

        self.open_dialog(WriterNameScreen(), answered)

    def action_export_minutes(self) -> None:
        """The minutes as they stand: to the browser when served, else to a new file in the
        home folder (never over one written before, which may have been edited)."""
        from facilitate.export import render
        from facilitate.files import unused_path
        from facilitate.store import LoadedSession
        from facilitate.tui.deliver import deliver_file

        live = self.live
        loaded = LoadedSession(live.id, live.folder, live.agenda, live.state, [])
        text = render("md", loaded, live.tz, live.now())
        home = Path.home() / f"{live.id}-minutes.md"
        served = getattr(self.app, "served", False)  # a browser download replaces nothing here
        deliver_file(self.app, text, home if served else unused_path(home), "Minutes so far")


class LiveNotes:
    """The running session as the whole-day notes view reads and changes it."""

    def __init__(self, owner: SessionOwner) -> None:
        self.owner = owner

    @property
    def agenda(self) -> Agenda:
        return self.owner.live.agenda

    @property
    def state(self) -> SessionState:
        return self.owner.live.state

    @property
    def tz(self) -> tzinfo:
        return self.owner.live.tz

    def unsaved(self) -> frozenset[str]:
        return frozenset(self.owner.live.unsaved_note_ids())

    def execute(self, intent: Intent) -> Outcome:
        return self.owner.execute(intent)
