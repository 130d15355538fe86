"""Scribe capture: notes (add, edit, delete), their group, role and feedback category,
names put to roles, and actions marked done.

The rules a scribe relies on live here, not in a widget: a note typed while a
feedback category is picked is feedback in that category; a group or role must
be one the segment has; an edit keeps a feedback note's category; moving to a
segment without the picked group, role or category clears it, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from facilitate.agenda import Segment
from facilitate.commands.base import Outcome, Refusal, World
from facilitate.events import ActionDone, NoteAdded, NoteDeleted, NoteEdited, RoleAssigned
from facilitate.notes import NoteSyntaxError, parse_note
from facilitate.state import Note


@dataclass(frozen=True)
class CaptureContext:
    """What the next note will be filed under, besides its segment."""

    group: str | None = None
    role: str | None = None
    category: str | None = None

    def for_segment(self, segment: Segment) -> tuple[CaptureContext, list[str]]:
        """The context that still makes sense in ``segment``, and a line for each choice
        that had to be cleared (so the scribe is told, not surprised)."""
        cleared: list[str] = []
        kept = self
        if self.group is not None and self.group not in segment.groups:
            cleared.append(f"group {self.group}")
            kept = replace(kept, group=None)
        if self.role is not None and self.role not in segment.roles:
            cleared.append(f"role {self.role}")
            kept = replace(kept, role=None)
        if self.category is not None and self.category not in segment.feedback:
            cleared.append(f"feedback category {self.category}")
            kept = replace(kept, category=None)
        return kept, cleared


def pick_group(segment: Segment, number: int) -> str | Refusal | None:
    """The group a digit picks in ``segment`` (0 clears it)."""
    if number == 0:
        return None
    if not segment.groups:
        return Refusal("This segment is not run in groups.")
    if not 1 <= number <= len(segment.groups):
        return Refusal(f"This segment has {len(segment.groups)} groups: 1-{len(segment.groups)}.")
    return segment.groups[number - 1]


def _live_note(world: World, note_id: str) -> Note | Refusal:
    note = world.state.notes.get(note_id)
    if note is None or note.deleted:
        return Refusal("That note is no longer there (deleted, or never saved).")
    return note


@dataclass(frozen=True)
class AddNote:
    """A line typed in the note box, filed under the current segment and ``context``."""

    raw: str
    context: CaptureContext = CaptureContext()

    def decide(self, world: World) -> Outcome:
        if not self.raw.strip():
            return None
        segment = world.segment
        ctx = self.context
        if ctx.group is not None and ctx.group not in segment.groups:
            return Refusal(f"'{ctx.group}' is not a group of this segment.")
        if ctx.role is not None and ctx.role not in segment.roles:
            return Refusal(f"'{ctx.role}' is not a role in this segment.")
        if ctx.category is not None and ctx.category not in segment.feedback:
            return Refusal(f"'{ctx.category}' is not a feedback category of this segment.")
        default = "feedback" if ctx.category else "note"
        try:
            parsed = parse_note(self.raw, world.today, default_kind=default)
        except NoteSyntaxError as exc:
            return Refusal(str(exc))
        return NoteAdded(
            at=world.now,
            kind=parsed.kind,
            text=parsed.text,
            segment=world.state.current,
            group=ctx.group,
            role=ctx.role,
            owner=parsed.owner,
            due=parsed.due.isoformat() if parsed.due else None,
            category=ctx.category if parsed.kind == "feedback" else None,
        )


@dataclass(frozen=True)
class EditNote:
    """The note's line typed again; the journal keeps the original."""

    note_id: str
    raw: str

    def decide(self, world: World) -> Outcome:
        note = _live_note(world, self.note_id)
        if isinstance(note, Refusal):
            return note
        if not self.raw.strip():
            return Refusal("An edit cannot empty a note: x deletes it instead.")
        try:
            parsed = parse_note(self.raw, world.today)
        except NoteSyntaxError as exc:
            return Refusal(str(exc))
        due = parsed.due.isoformat() if parsed.due else None
        # A typo fixed in a feedback note keeps its place among the feedback.
        category = note.category if parsed.kind == "feedback" else None
        if (parsed.kind, parsed.text, parsed.owner, due, category) == (
            note.kind,
            note.text,
            note.owner,
            note.due,
            note.category,
        ):
            return None
        return NoteEdited(
            at=world.now,
            note_id=note.id,
            kind=parsed.kind,
            text=parsed.text,
            owner=parsed.owner,
            due=due,
            category=category,
        )


@dataclass(frozen=True)
class DeleteNote:
    """Hide a note (the screen confirms first); the journal keeps it."""

    note_id: str

    def decide(self, world: World) -> Outcome:
        note = _live_note(world, self.note_id)
        if isinstance(note, Refusal):
            return note
        return NoteDeleted(at=world.now, note_id=note.id)


@dataclass(frozen=True)
class SetActionDone:
    """Mark an action done or not done (review, or later in the day)."""

    note_id: str
    done: bool

    def decide(self, world: World) -> Outcome:
        note = _live_note(world, self.note_id)
        if isinstance(note, Refusal):
            return note
        if note.kind != "action":
            return Refusal("Only actions can be marked done.")
        if note.done == self.done:
            return None
        return ActionDone(at=world.now, note_id=note.id, done=self.done)


@dataclass(frozen=True)
class AssignRole:
    """Put a participant's name to a role; an empty name clears it."""

    role: str
    person: str

    def decide(self, world: World) -> Outcome:
        roles = {r for s in world.agenda.segments for r in s.roles}
        if self.role not in roles:
            return Refusal(f"This agenda has no role called '{self.role}'.")
        person = " ".join(self.person.split())
        if world.state.roles.get(self.role, "") == person:
            return None
        return RoleAssigned(at=world.now, role=self.role, person=person)
