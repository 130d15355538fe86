"""Time as an injected dependency.

The app never counts ticks: it asks :class:`SessionClock` for "now" and
computes everything from stored instants. ``now`` comes from an awake-or-asleep
monotonic clock anchored to the wall clock, so it never jitters with the wall
clock and still counts the time a laptop spent asleep over lunch. Where the
platform has no monotonic clock that counts suspend, a large forward wall jump
with a stalled monotonic clock is taken to be a suspend and the anchor moves to
the wall clock.

A wall clock that is wrong when the app starts and is corrected a moment later
(NTP after boot, someone setting the time) must not leave the whole day an hour
off: when the gap between the wall clock and ours moves by more than
:data:`CORRECTION_S`, the clock re-anchors to the wall clock and remembers the
correction once (:meth:`SessionClock.take_correction`), so that the session can
journal it (``ClockCorrected``, which keeps the running segment's time right) and
the screen can say so. Instants already written stay as they are.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

# A wall clock that moves more than this beyond the monotonic clock between two
# readings is a correction (or, on platforms without a suspend-aware clock, a sleep).
JUMP_TOLERANCE_S = 1.0
CORRECTION_S = 5.0
"""A wall clock that moves more than this away from the session clock is followed: a
step of a few seconds is not worth a message, one of minutes or hours is."""


class TimeSource(Protocol):
    """What the machine offers: a wall clock and a monotonic clock."""

    counts_suspend: bool

    def wall(self) -> datetime:
        """Current wall time, timezone-aware UTC."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back."""
        ...


class SystemTimeSource:
    """The real clocks; uses a monotonic clock that includes suspend when one exists."""

    def __init__(self) -> None:
        clock_id: int | None = None
        if sys.platform.startswith("linux") and hasattr(time, "CLOCK_BOOTTIME"):
            clock_id = time.CLOCK_BOOTTIME
        elif sys.platform == "darwin" and hasattr(time, "CLOCK_MONOTONIC"):
            # On macOS, clock_gettime(CLOCK_MONOTONIC) keeps running while asleep,
            # unlike time.monotonic(), which is built on mach_absolute_time.
            clock_id = time.CLOCK_MONOTONIC
        self._clock_id = clock_id
        self.counts_suspend = clock_id is not None

    def wall(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        if self._clock_id is not None:
            return time.clock_gettime(self._clock_id)
        return time.monotonic()


class FakeTimeSource:
    """A controllable clock for tests: advance, suspend, or jump the wall clock."""

    def __init__(self, start: datetime, *, counts_suspend: bool = True) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeTimeSource needs a timezone-aware start")
        self._start = start.astimezone(UTC)
        self._elapsed = 0.0  # real seconds since start, summed as a float like _mono so
        # that many small steps do not each round to a microsecond and drift apart
        self._wall_error = timedelta(0)
        self._mono = 1000.0
        self.counts_suspend = counts_suspend

    @property
    def true_now(self) -> datetime:
        """The real time, which a correct app should show."""
        return self._start + timedelta(seconds=self._elapsed)

    def advance(self, seconds: float) -> None:
        self._elapsed += seconds
        self._mono += seconds

    def suspend(self, seconds: float) -> None:
        """The machine sleeps: real and wall time pass; a plain monotonic clock stops."""
        self._elapsed += seconds
        if self.counts_suspend:
            self._mono += seconds

    def jump_wall(self, seconds: float) -> None:
        """The wall clock is set wrong (or corrected) without real time passing."""
        self._wall_error += timedelta(seconds=seconds)

    def wall(self) -> datetime:
        return self.true_now + self._wall_error

    def monotonic(self) -> float:
        return self._mono


@dataclass
class _Anchor:
    wall: datetime
    mono: float


class SessionClock:
    """The one "now" of a process: wall time at the anchor plus monotonic time since."""

    def __init__(self, source: TimeSource) -> None:
        self._source = source
        self._anchor = _Anchor(source.wall(), source.monotonic())
        self._last_wall = self._anchor.wall
        self._last_mono = self._anchor.mono
        self._correction = 0.0  # noticed and not yet taken

    def now(self) -> datetime:
        wall = self._source.wall()
        mono = self._source.monotonic()
        if not self._source.counts_suspend:
            wall_step = (wall - self._last_wall).total_seconds()
            mono_step = mono - self._last_mono
            if wall_step - mono_step > JUMP_TOLERANCE_S and mono_step < JUMP_TOLERANCE_S:
                # The monotonic clock stalled while the wall clock moved on: a sleep.
                self._anchor = _Anchor(
                    self._anchor.wall
                    + timedelta(seconds=self._last_mono - self._anchor.mono)
                    + timedelta(seconds=wall_step),
                    mono,
                )
        self._last_wall, self._last_mono = wall, mono
        ours = self._anchor.wall + timedelta(seconds=mono - self._anchor.mono)
        drift = (wall - ours).total_seconds()
        if abs(drift) > CORRECTION_S:
            # The wall clock was corrected (or set wrong): follow it from here on.
            self._anchor = _Anchor(wall, mono)
            self._correction += drift
            return wall
        return ours

    def take_correction(self) -> float | None:
        """Seconds the clock was moved by corrections since the last call (positive: it
        went forward), or None; each correction is given once."""
        if not self._correction:
            return None
        taken, self._correction = self._correction, 0.0
        return taken

    def wall_now(self) -> datetime:
        """The machine's wall clock, for showing the time of day only."""
        return self._source.wall()


def system_clock() -> SessionClock:
    return SessionClock(SystemTimeSource())
