"""Scribe capture: notes (add, edit, revise, delete), their group, role and feedback
category, names put to roles (for the day or per group), and actions marked done.

The rules a scribe relies on live here, not in a widget: a note typed while a
feedback category is picked is feedback in that category; a category named after
one of the segment's groups files the note under that group too; a group or role
must be one the segment has; an edit keeps a note's place unless it is moved on
purpose; moving to a segment without the picked group, role or category clears
it, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from facilitate.agenda import Segment
from facilitate.commands.base import Outcome, Refusal, World
from facilitate.events import (
    NOTE_KINDS,
    ActionDone,
    NoteAdded,
    NoteDeleted,
    NoteEdited,
    RoleAssigned,
)
from facilitate.notes import NoteSyntaxError, check_text, parse_note, resolve_due
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

    def with_category(self, segment: Segment, category: str | None) -> CaptureContext:
        """Capture into ``category``; a category named after one of the segment's groups
        (each group reporting back) files the notes under that group as well."""
        if category is not None and category in segment.groups:
            return replace(self, category=category, group=category)
        return replace(self, category=category)

    def with_group(self, segment: Segment, group: str | None) -> CaptureContext:
        """Capture for ``group``; where the feedback categories are the groups (each group
        reporting back), a category that was a group follows the group picked, so the
        note is never filed under one group and reported as another."""
        if self.category is not None and self.category in segment.groups:
            category = group if group in segment.feedback else None
            return replace(self, group=group, category=category)
        return replace(self, group=group)


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
    if world.own_notes_only and note.writer != world.writer:
        return Refusal(
            "From a browser you can change only the notes you wrote; "
            "the facilitator's terminal can change any note."
        )
    return note


@dataclass(frozen=True)
class AddNote:
    """A line typed in the note box, filed under ``context`` in ``segment`` (None: the
    current one; a refused line fixed later keeps the segment it was typed in)."""

    raw: str
    context: CaptureContext = CaptureContext()
    segment: int | None = None

    def decide(self, world: World) -> Outcome:
        if not self.raw.strip():
            return None
        index = world.state.current if self.segment is None else self.segment
        if not world.valid_segment(index):
            return Refusal("That segment is not in this agenda.")
        segment = world.agenda.segments[index]
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
            segment=index,
            group=ctx.group,
            role=ctx.role,
            owner=parsed.owner,
            due=parsed.due.isoformat() if parsed.due else None,
            category=ctx.category if parsed.kind == "feedback" else None,
        )


@dataclass(frozen=True)
class EditNote:
    """The note's line typed again; the journal keeps the original. Its segment, group
    and role stay; a feedback note keeps its category."""

    note_id: str
    raw: str

    def decide(self, world: World) -> Outcome:
        note = _live_note(world, self.note_id)
        if isinstance(note, Refusal):
            return note
        if not self.raw.strip():
            return Refusal("An edit cannot empty a note: x deletes it instead.")
        try:
            parsed = parse_note(self.raw, world.today, keep_due=_due_date(note.due))
        except NoteSyntaxError as exc:
            return Refusal(str(exc))
        due = parsed.due.isoformat() if parsed.due else None
        # A typo fixed in a feedback note keeps its place among the feedback.
        category = note.category if parsed.kind == "feedback" else None
        return _edited(world, note, parsed.kind, parsed.text, parsed.owner, due, category)


@dataclass(frozen=True)
class ReviseNote:
    """Every field of a note at once, as the notes view's form holds them: kind, text,
    owner and due date (actions only; ``due`` as typed, "" for none), and its place:
    segment, group, role and feedback category (feedback only)."""

    note_id: str
    kind: str
    text: str
    owner: str = ""
    due: str = ""
    segment: int = 0
    group: str | None = None
    role: str | None = None
    category: str | None = None

    def decide(self, world: World) -> Outcome:
        note = _live_note(world, self.note_id)
        if isinstance(note, Refusal):
            return note
        if self.kind not in NOTE_KINDS:
            return Refusal(f"'{self.kind}' is not a kind of note: {', '.join(NOTE_KINDS)}.")
        text = self.text.strip()
        if not text:
            return Refusal("An edit cannot empty a note: x deletes it instead.")
        owner = " ".join(self.owner.strip().lstrip("@").strip("\"'“”").split()) or None
        if self.kind != "action" and (owner or self.due.strip()):
            return Refusal("Only actions have an owner and a due date: clear them first.")
        if self.kind != "feedback" and self.category is not None:
            return Refusal("Only feedback has a category: make it feedback or clear it.")
        try:
            check_text(text)
            due = _revised_due(self.due, world.today, note.due)
        except NoteSyntaxError as exc:
            return Refusal(str(exc))
        place = self._place(world, note)
        if isinstance(place, Refusal):
            return place
        return _edited(world, note, self.kind, text, owner, due, self.category, place)

    def _place(self, world: World, note: Note) -> tuple[int, str | None, str | None] | Refusal:
        """Segment, group and role, checked against the segment; a value the note already
        had is kept even if the agenda no longer names it."""
        if not world.valid_segment(self.segment):
            return Refusal("That segment is not in this agenda.")
        segment = world.agenda.segments[self.segment]
        same = self.segment == note.segment
        for value, allowed, old, what in (
            (self.group, segment.groups, note.group, "group"),
            (self.role, segment.roles, note.role, "role"),
            (self.category, segment.feedback, note.category, "feedback category"),
        ):
            if value is not None and value not in allowed and not (same and value == old):
                return Refusal(f"'{value}' is not a {what} of '{segment.title}'.")
        return self.segment, self.group, self.role


def _due_date(due: str | None) -> date | None:
    try:
        return date.fromisoformat(due) if due else None
    except ValueError:
        return None


def _revised_due(typed: str, today: date, old: str | None) -> str | None:
    typed = typed.strip().removeprefix("due:")
    if not typed:
        return None
    if typed == old:
        return old
    return resolve_due(typed, today, keep=_due_date(old)).isoformat()


def _edited(
    world: World,
    note: Note,
    kind: str,
    text: str,
    owner: str | None,
    due: str | None,
    category: str | None,
    place: tuple[int, str | None, str | None] | None = None,
) -> NoteEdited | None:
    """The edit as an event carrying the whole note, or None when nothing changes."""
    segment, group, role = place or (note.segment, note.group, note.role)
    after = (kind, text, owner, due, category, segment, group, role)
    before = (
        note.kind,
        note.text,
        note.owner,
        note.due,
        note.category,
        note.segment,
        note.group,
        note.role,
    )
    if after == before:
        return None
    return NoteEdited(
        at=world.now,
        note_id=note.id,
        kind=kind,
        text=text,
        owner=owner,
        due=due,
        category=category,
        segment=segment,
        group=group,
        role=role,
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
    """Put a participant's name to a role, in ``group`` or (None) for the whole day; an
    empty name clears it."""

    role: str
    person: str
    group: str | None = None

    def decide(self, world: World) -> Outcome:
        segments = world.agenda.segments
        if self.role not in {r for s in segments for r in s.roles}:
            return Refusal(f"This agenda has no role called '{self.role}'.")
        if self.group is not None and not any(
            self.group in s.groups and self.role in s.roles for s in segments
        ):
            return Refusal(f"No segment has the role '{self.role}' in '{self.group}'.")
        person = " ".join(self.person.split())
        state = world.state
        held = state.roles if self.group is None else state.group_roles.get(self.group, {})
        if held.get(self.role, "") == person:
            return None
        return RoleAssigned(at=world.now, role=self.role, person=person, group=self.group)
