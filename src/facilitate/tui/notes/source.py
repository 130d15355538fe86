"""What the notes view needs of a session: to read it, and to ask for changes."""

from __future__ import annotations

from datetime import tzinfo
from typing import Protocol

from facilitate.agenda import Agenda
from facilitate.commands import Intent, Outcome
from facilitate.state import SessionState


class NotesSource(Protocol):
    """A session seen by the notes view: the running one, or one under review."""

    @property
    def agenda(self) -> Agenda: ...

    @property
    def state(self) -> SessionState: ...

    @property
    def tz(self) -> tzinfo: ...

    def unsaved(self) -> frozenset[str]:
        """Notes whose latest change is not on disk yet."""
        ...

    def execute(self, intent: Intent) -> Outcome:
        """Decide ``intent`` and record what it gives; a refusal is also shown by the source."""
        ...
