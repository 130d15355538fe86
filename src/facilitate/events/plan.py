"""The day's plan as the facilitator changes it: when the day really started, and re-plans.

The agenda is the plan as written. These events record what was agreed in the
room on top of it, each with its reason, so the state (and every report) can
tell the planned day, the re-planned day and what actually happened apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from facilitate.events.base import Event


@dataclass(frozen=True, kw_only=True)
class DayStartChosen(Event):
    """How the day is timed when it does not start at the agenda's ``start``.

    ``start`` is the instant the day starts (``format_instant``). With ``shift`` the
    plan runs from it instead of the agenda's start, fixed times (lunch, the close)
    keeping their clock time; ``shift_fixed`` moves those by the same amount too.
    Neither: the planned times stand, and the day is simply late (or early).
    """

    TYPE: ClassVar[str] = "day_start_chosen"
    start: str
    shift: bool = True
    shift_fixed: bool = False


@dataclass(frozen=True, kw_only=True)
class PlanChanged(Event):
    """An accepted re-plan: new agreed lengths for the rest of the day, and why.

    ``segments[i]`` is given ``lengths[i]`` seconds (its whole length, time already
    run included) and is expected to start at ``starts[i]`` (``format_instant``);
    segments in ``dropped`` are left out of the day. Written down whole, so the
    re-planned day reads back as it was agreed whatever happens after.
    """

    TYPE: ClassVar[str] = "plan_changed"
    reason: str
    segments: list[int]
    lengths: list[int]
    starts: list[str]
    dropped: list[int]
