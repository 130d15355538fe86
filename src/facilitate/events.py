"""The facts a session is made of, and their JSON form in the journal.

Every change a user makes (timer controls, notes, edits, ticks) is one of
these. Each carries its instant, its writer and a per-writer sequence number,
which together order a merged journal and give notes a stable id.

Every record also says which version of this format wrote it (``version``,
:data:`RECORD_VERSION`). Records are never rewritten: an older one is upgraded
each time it is read (:func:`_upgrade`), and a newer one is refused with a
sentence saying so rather than misread.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from typing import Any, ClassVar, get_args, get_origin, get_type_hints

NOTE_KINDS = ("note", "decision", "action", "question", "feedback")
QUALITY_STATES = ("present", "developing", "missing")
TALLIES = ("blame", "praise", "worry", "claim", "dialogue")

RECORD_VERSION = 1
"""The journal record format this program writes, and the newest it can read.

Raise it when a change to an event's fields would make an old record mean something
else (a field renamed, its meaning or unit changed), and add the step that turns the
previous version into the new one to :data:`_UPGRADES`. Adding an optional field with
a default needs no new version: older records simply lack it.
"""


class EventError(ValueError):
    """A journal record that is not a valid event."""


def format_instant(moment: datetime) -> str:
    """UTC with a fixed shape so that string order equals time order across writers."""
    if moment.tzinfo is None:
        raise ValueError("instants must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def parse_instant(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"instant without a time zone: {text!r}")
    return moment.astimezone(UTC)


@dataclass(frozen=True, kw_only=True)
class Event:
    """Envelope shared by all events."""

    TYPE: ClassVar[str] = ""
    at: datetime
    writer: str = ""
    seq: int = 0

    @property
    def event_id(self) -> str:
        return event_id(self.writer, self.seq)

    def to_record(self) -> dict[str, Any]:
        """The journal's JSON object for this event, stamped with :data:`RECORD_VERSION`."""
        record = {f.name: getattr(self, f.name) for f in fields(self)}
        record["at"] = format_instant(self.at)
        record["type"] = self.TYPE
        record["version"] = RECORD_VERSION
        return record


def event_id(writer: str, seq: int) -> str:
    """An event's id, which is a note's id for a ``note_added``: unique across writers."""
    return f"{writer}-{seq}"


@dataclass(frozen=True, kw_only=True)
class SessionStarted(Event):
    TYPE: ClassVar[str] = "session_started"
    agenda_name: str
    agenda_title: str


@dataclass(frozen=True, kw_only=True)
class TimerStarted(Event):
    """Space: start, or resume after a pause."""

    TYPE: ClassVar[str] = "timer_started"


@dataclass(frozen=True, kw_only=True)
class TimerPaused(Event):
    TYPE: ClassVar[str] = "timer_paused"


@dataclass(frozen=True, kw_only=True)
class SegmentChanged(Event):
    """Next, previous or jump: one event so replay treats them alike."""

    TYPE: ClassVar[str] = "segment_changed"
    segment: int
    reason: str = "jump"


@dataclass(frozen=True, kw_only=True)
class TimeAdjusted(Event):
    TYPE: ClassVar[str] = "time_adjusted"
    segment: int
    seconds: int


@dataclass(frozen=True, kw_only=True)
class SegmentRestarted(Event):
    TYPE: ClassVar[str] = "segment_restarted"
    segment: int


@dataclass(frozen=True, kw_only=True)
class SessionEnded(Event):
    TYPE: ClassVar[str] = "session_ended"


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
    """Replaces what the scribe typed; the original stays in the journal."""

    TYPE: ClassVar[str] = "note_edited"
    note_id: str
    kind: str
    text: str
    owner: str | None = None
    due: str | None = None
    category: str | None = None


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
class RoleAssigned(Event):
    """Puts a participant's name to a role; an empty person clears it."""

    TYPE: ClassVar[str] = "role_assigned"
    role: str
    person: str


@dataclass(frozen=True, kw_only=True)
class LifecycleStageMarked(Event):
    """The observer's view of where the partnership is, in one lifecycle model."""

    TYPE: ClassVar[str] = "lifecycle_stage_marked"
    model: str
    stage: str | None
    segment: int = 0


@dataclass(frozen=True, kw_only=True)
class LifecycleTraitTicked(Event):
    TYPE: ClassVar[str] = "lifecycle_trait_ticked"
    model: str
    stage: str
    trait: str
    checked: bool


@dataclass(frozen=True, kw_only=True)
class QualityMarked(Event):
    """A Mobius quality seen as present, developing or missing (None clears)."""

    TYPE: ClassVar[str] = "quality_marked"
    quality: str
    state: str | None


@dataclass(frozen=True, kw_only=True)
class MonologueTallied(Event):
    TYPE: ClassVar[str] = "monologue_tallied"
    name: str
    delta: int = 1


@dataclass(frozen=True, kw_only=True)
class ChecklistTicked(Event):
    TYPE: ClassVar[str] = "checklist_ticked"
    segment: int
    item: int
    checked: bool


@dataclass(frozen=True, kw_only=True)
class ReflectionRecorded(Event):
    """How collaborative it felt (1-5) and what to change; segment None is the whole session."""

    TYPE: ClassVar[str] = "reflection_recorded"
    segment: int | None
    rating: int | None
    felt: str = ""
    change: str = ""


EVENT_TYPES: dict[str, type[Event]] = {
    cls.TYPE: cls
    for cls in (
        SessionStarted,
        TimerStarted,
        TimerPaused,
        SegmentChanged,
        TimeAdjusted,
        SegmentRestarted,
        SessionEnded,
        NoteAdded,
        NoteEdited,
        NoteDeleted,
        ActionDone,
        RoleAssigned,
        LifecycleStageMarked,
        LifecycleTraitTicked,
        QualityMarked,
        MonologueTallied,
        ChecklistTicked,
        ReflectionRecorded,
    )
}


def event_from_record(record: dict[str, Any]) -> Event:
    """Rebuild an event, or raise :class:`EventError` saying what is wrong with the record.

    A record without ``version`` was written before records had one: it is version 1.
    One written by a newer facilitate is refused (its fields may mean something this
    version does not know). ``record`` itself is never changed.
    """
    record = _upgrade(record, _record_version(record))
    kind = record.get("type")
    cls = EVENT_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise EventError(f"unknown event type {kind!r}")
    names = {f.name for f in fields(cls)}
    values = {k: v for k, v in record.items() if k in names}
    for name, value in values.items():
        hint = _field_types(cls.TYPE)[name]
        if name != "at" and not _fits(value, hint):
            raise EventError(f"bad {kind} record: {name} must be {_type_name(hint)}, not {value!r}")
    try:
        values["at"] = parse_instant(str(record["at"]))
        event = cls(**values)
    except (KeyError, TypeError, ValueError) as exc:
        raise EventError(f"bad {kind} record: {exc}") from None
    return event


def _record_version(record: dict[str, Any]) -> int:
    version = record.get("version", 1)
    kind = record.get("type")
    what = f"{kind} record" if isinstance(kind, str) else "record"
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise EventError(f"bad {what}: version must be a whole number from 1, not {version!r}")
    if version > RECORD_VERSION:
        raise EventError(
            f"{what} written by a newer version of facilitate (record version {version}; "
            f"this one reads up to {RECORD_VERSION}): update facilitate to read it"
        )
    return version


# Step n turns a version-n record into a version n+1 one. Each step gets a copy it may
# change and returns it; records on disk are never rewritten. Empty while there is only
# version 1. Example, had version 2 renamed note_added's "group" to "table":
#     def _v1_to_v2(record): record["table"] = record.pop("group", None); return record
#     _UPGRADES = {1: _v1_to_v2}
_UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def _upgrade(record: dict[str, Any], version: int) -> dict[str, Any]:
    """``record`` (of ``version``) as :data:`RECORD_VERSION` writes it, one step at a time."""
    for step in range(version, RECORD_VERSION):
        record = _UPGRADES[step](dict(record))
        record["version"] = step + 1
    return record


@functools.cache
def _field_types(kind: str) -> dict[str, Any]:
    """What JSON must hold for each field, so that a damaged or hand-edited journal line is
    refused here (a warning) instead of breaking the reducer or an exporter later.

    Worked out on first use: resolving the annotations of every event type costs a
    few milliseconds that start-up does not need to spend.
    """
    return get_type_hints(EVENT_TYPES[kind])


def _fits(value: object, hint: Any) -> bool:
    if get_origin(hint) is types.UnionType:
        return any(_fits(value, option) for option in get_args(hint))
    if hint is type(None):
        return value is None
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(hint, type) and isinstance(value, hint)


def _type_name(hint: Any) -> str:
    if get_origin(hint) is types.UnionType:
        return " or ".join(_type_name(option) for option in get_args(hint))
    return "null" if hint is type(None) else getattr(hint, "__name__", str(hint))


def with_envelope(event: Event, *, writer: str, seq: int) -> Event:
    """The same event stamped by a writer (events are built before they are numbered)."""
    values = asdict(event)
    values.update(writer=writer, seq=seq)
    return type(event)(**values)
