"""What the process observer marks beside the clock, and reflections on how it felt.

Lifecycle marks, Mobius qualities and tallies are kept per segment and per group (None:
the whole room), at the time they were marked. A record written before they carried a
segment (``segment`` None) belongs to the segment that was current when it was recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from facilitate.events.base import Event


@dataclass(frozen=True, kw_only=True)
class LifecycleStageMarked(Event):
    """The observer's view of where the partnership is, in one lifecycle model."""

    TYPE: ClassVar[str] = "lifecycle_stage_marked"
    model: str
    stage: str | None
    segment: int | None = None
    group: str | None = None


@dataclass(frozen=True, kw_only=True)
class LifecycleTraitTicked(Event):
    TYPE: ClassVar[str] = "lifecycle_trait_ticked"
    model: str
    stage: str
    trait: str
    checked: bool
    segment: int | None = None
    group: str | None = None


@dataclass(frozen=True, kw_only=True)
class QualityMarked(Event):
    """A Mobius quality seen as present, developing or missing (None clears)."""

    TYPE: ClassVar[str] = "quality_marked"
    quality: str
    state: str | None
    segment: int | None = None
    group: str | None = None


@dataclass(frozen=True, kw_only=True)
class MonologueTallied(Event):
    TYPE: ClassVar[str] = "monologue_tallied"
    name: str
    delta: int = 1
    segment: int | None = None
    group: str | None = None


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
