"""What one session's review says in words: its heading, and the line under the notes table."""

from __future__ import annotations

from datetime import tzinfo

from rich.text import Text

from facilitate.agenda import format_duration
from facilitate.notes import uk_date_text
from facilitate.schedule import Snapshot
from facilitate.state import Note, SessionState
from facilitate.store import LoadedSession, controller_alive, status_of
from facilitate.text import terminal_text
from facilitate.tui.review.common import local_time


def session_head(loaded: LoadedSession, snap: Snapshot, tz: tzinfo) -> Text:
    """Title; date, times, length run, status and id; who played which role."""
    state, agenda = loaded.state, loaded.agenda
    start = state.created or state.runs[0].started_at
    length = sum(t.elapsed_s for t in snap.segments)
    status = status_of(state, timekeeper=controller_alive(loaded.folder))
    head = Text(agenda.title, style="bold")
    head.append(
        f"\n{local_time(start, tz, '%a %d %b %Y, %H:%M')}"
        f"{local_time(state.ended_at, tz, '–%H:%M')} · "
        f"{format_duration(length)} run · {status} · {loaded.id}"
    )
    if state.roles:
        head.append("\nRoles: " + "; ".join(f"{r}: {p}" for r, p in state.roles.items()))
    head.append(f"\n{attendance_line(state)}", style="" if state.attendance.people else "dim")
    return head


def attendance_line(state: SessionState) -> str:
    """Who was there in a line, or how to record it (the minutes need it)."""
    people = state.attendance
    if not people.people and not people.venue:
        return "Who was there: not recorded yet (A records it)"
    counts = [
        f"{len(people.with_attendance(a))} {word}"
        for a, word in (
            ("present", "present"),
            ("apologies", "sent apologies"),
            ("facilitator", "facilitating"),
        )
        if people.with_attendance(a)
    ]
    where = f" at {people.venue}" if people.venue else ""
    at = f" at {people.next_meeting_time}" if people.next_meeting_time else ""
    nxt = f" · next meeting {uk_date_text(people.next_meeting)}{at}" if people.next_meeting else ""
    return terminal_text(f"Who was there{where}: {', '.join(counts) or 'nobody listed'}{nxt}")


def note_detail(note: Note) -> Text:
    """The whole note, with its owner, due date, group, role and category."""
    detail = Text("\n".join(terminal_text(line) for line in note.text.splitlines()))
    extra = [
        f"{k}: {v}"
        for k, v in (
            ("owner", note.owner),
            ("due", uk_date_text(note.due) if note.due else None),
            ("group", note.group),
            ("role", note.role),
            ("category", note.category),
        )
        if v
    ]
    if extra:
        detail.append(f"  ({terminal_text(', '.join(extra))})")
    return detail
