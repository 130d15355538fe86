"""The whole day's notes: every note of a session, by segment and then by group, each one
open to be fixed (text, kind, owner, due date, segment, group, role, category).

A shared room: the run screen (facilitator and scribe) opens it without touching the
clock or the projector, and review opens it after the session. It reads and changes a
session only through a :class:`NotesSource`, so it imports neither of them.
"""

from __future__ import annotations

from facilitate.tui.notes.form import NoteFormScreen
from facilitate.tui.notes.source import NotesSource
from facilitate.tui.notes.view import DayNotesScreen

__all__ = ["DayNotesScreen", "NoteFormScreen", "NotesSource"]
