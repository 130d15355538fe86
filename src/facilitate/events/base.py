"""The envelope every event shares, how instants are written, and the registry of types.

Every event class registers itself by its ``TYPE`` when it is defined, so a new
kind of event is one class in one module (imported by ``events/__init__``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from typing import Any, ClassVar

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


EVENT_TYPES: dict[str, type[Event]] = {}
"""Every event class by its ``TYPE``; filled as the classes are defined."""


@dataclass(frozen=True, kw_only=True)
class Event:
    """Envelope shared by all events."""

    TYPE: ClassVar[str] = ""
    at: datetime
    writer: str = ""
    seq: int = 0

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.TYPE:
            if cls.TYPE in EVENT_TYPES:
                raise TypeError(f"two event classes are called {cls.TYPE!r}")
            EVENT_TYPES[cls.TYPE] = cls

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


def with_envelope(event: Event, *, writer: str, seq: int) -> Event:
    """The same event stamped by a writer (events are built before they are numbered)."""
    values = asdict(event)
    values.update(writer=writer, seq=seq)
    return type(event)(**values)
