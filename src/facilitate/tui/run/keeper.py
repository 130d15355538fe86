"""Whether the facilitator's terminal still keeps the time, for the views that follow it.

A scribe's terminal (``join``) and a projector of its own (``projector``) show the clock
the facilitator's journal sets. If the facilitator's program is gone (quit, crashed, the
laptop asleep), the clock on these views still counts as last set, and nobody can move
it: they say so instead of looking as if all were well.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from facilitate.store import controller_alive

LOOK_EVERY_S = 5.0


class KeeperWatch:
    """Looks at the session's lock and lease at most every ``every_s`` seconds."""

    def __init__(
        self,
        folder: Path,
        *,
        every_s: float = LOOK_EVERY_S,
        alive: Callable[[Path], bool] = controller_alive,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.folder = folder
        self.every_s = every_s
        self._alive = alive
        self._clock = clock
        self._looked: float | None = None
        self._away = False

    def away(self) -> bool:
        """True when no process keeps the session's time (as of the last look)."""
        now = self._clock()
        if self._looked is None or now - self._looked >= self.every_s:
            self._looked = now
            self._away = not self._alive(self.folder)
        return self._away
