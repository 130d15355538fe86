"""What the scribes capture: notes and their edits, roles, actions done, notes parked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from facilitate.events.base import Event


@dataclass(frozen=True, kw_only=True)
class NoteAdded(Event):
    TYPE: ClassVar[str] = "note_added"
    kind: str
    text: str
    segment: int
    group: str | None = None
    role: str | None = None
    owner: str | None = None
    due: str | None = None
    category: str | None = None


@dataclass(frozen=True, kw_only=True)
class NoteEdited(Event):
    """Replaces what the scribe typed; the original stays in the journal.

    An edit carries the whole note. ``segment`` None marks a record written before a note
    could be moved: its segment, group and role stay as they were.
    """

    TYPE: ClassVar[str] = "note_edited"
    note_id: str
    kind: str
    text: str
    owner: str | None = None
    due: str | None = None
    category: str | None = None
    segment: int | None = None
    group: str | None = None
    role: str | None = None


@dataclass(frozen=True, kw_only=True)
class NoteDeleted(Event):
    TYPE: ClassVar[str] = "note_deleted"
    note_id: str


@dataclass(frozen=True, kw_only=True)
class ActionDone(Event):
    TYPE: ClassVar[str] = "action_done"
    note_id: str
    done: bool = True


@dataclass(frozen=True, kw_only=True)
class NoteParked(Event):
    """Put in the parking lot: raised, not settled today, to come back to (False takes it out)."""

    TYPE: ClassVar[str] = "note_parked"
    note_id: str
    parked: bool = True


@dataclass(frozen=True, kw_only=True)
class RoleAssigned(Event):
    """Puts a participant's name to a role, in one group or (None) for the whole session;
    an empty person clears it."""

    TYPE: ClassVar[str] = "role_assigned"
    role: str
    person: str
    group: str | None = None
