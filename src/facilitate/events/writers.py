"""Who the writers are: a name put to a writer id, so exports can say who wrote a note.

A note's ``writer`` is the id of the process that recorded it (host, pid and a
random part). A browser scribe of ``facilitate serve`` is asked for a name when the
view opens, and records it here; the minutes show the name beside that writer's
notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from facilitate.events.base import Event


@dataclass(frozen=True, kw_only=True)
class WriterNamed(Event):
    """The person behind this event's writer (``writer`` in the envelope); "" clears it."""

    TYPE: ClassVar[str] = "writer_named"
    name: str
