"""The process observer's marks beside the clock: lifecycle stages and signs, Mobius
qualities and tallies, checklist ticks, and reflections on how collaborative it felt."""

from __future__ import annotations

from dataclasses import dataclass

from facilitate.commands.base import Outcome, Refusal, World
from facilitate.events import (
    QUALITY_STATES,
    TALLIES,
    ChecklistTicked,
    LifecycleStageMarked,
    LifecycleTraitTicked,
    MonologueTallied,
    QualityMarked,
    ReflectionRecorded,
)
from facilitate.state import Observation

# Enter on a quality steps through these, back to unmarked.
QUALITY_CYCLE: tuple[str | None, ...] = (None, *QUALITY_STATES)


def _seen(world: World, group: str | None) -> Observation | Refusal:
    """What has been marked so far in the current segment for ``group`` (None: the room)."""
    if group is not None and group not in world.segment.groups:
        return Refusal(f"'{group}' is not a group of this segment.")
    return world.state.panels.seen(world.state.current, group)


@dataclass(frozen=True)
class MarkStage:
    """The partnership is at ``stage`` of lifecycle ``model``; marking it again clears it."""

    model: str
    stage: str
    group: str | None = None

    def decide(self, world: World) -> Outcome:
        seen = _seen(world, self.group)
        if isinstance(seen, Refusal):
            return seen
        already = seen.lifecycle_stage.get(self.model) == self.stage
        return LifecycleStageMarked(
            at=world.now,
            model=self.model,
            stage=None if already else self.stage,
            segment=world.state.current,
            group=self.group,
        )


@dataclass(frozen=True)
class TickTrait:
    """A sign of ``stage`` seen (or, ticked again, no longer)."""

    model: str
    stage: str
    trait: str
    group: str | None = None

    def decide(self, world: World) -> Outcome:
        seen = _seen(world, self.group)
        if isinstance(seen, Refusal):
            return seen
        ticked = (self.stage, self.trait) in seen.lifecycle_traits.get(self.model, ())
        return LifecycleTraitTicked(
            at=world.now,
            model=self.model,
            stage=self.stage,
            trait=self.trait,
            checked=not ticked,
            segment=world.state.current,
            group=self.group,
        )


@dataclass(frozen=True)
class CycleQuality:
    """Unmarked, present, developing, missing, unmarked: one step on."""

    quality: str
    group: str | None = None

    def decide(self, world: World) -> Outcome:
        seen = _seen(world, self.group)
        if isinstance(seen, Refusal):
            return seen
        now = seen.qualities.get(self.quality)
        at = QUALITY_CYCLE.index(now) if now in QUALITY_CYCLE else 0
        following = QUALITY_CYCLE[(at + 1) % len(QUALITY_CYCLE)]
        return QualityMarked(
            at=world.now,
            quality=self.quality,
            state=following,
            segment=world.state.current,
            group=self.group,
        )


@dataclass(frozen=True)
class ClearQuality:
    quality: str
    group: str | None = None

    def decide(self, world: World) -> Outcome:
        seen = _seen(world, self.group)
        if isinstance(seen, Refusal):
            return seen
        if self.quality not in seen.qualities:
            return None
        return QualityMarked(
            at=world.now,
            quality=self.quality,
            state=None,
            segment=world.state.current,
            group=self.group,
        )


@dataclass(frozen=True)
class Tally:
    """One more (or, with -1, one fewer) blame, praise, worry, claim or dialogue, in the
    current segment for ``group`` (None: the whole room)."""

    name: str
    delta: int = 1
    group: str | None = None

    def decide(self, world: World) -> Outcome:
        if self.name not in TALLIES:
            return Refusal(f"There is no tally called '{self.name}'.")
        seen = _seen(world, self.group)
        if isinstance(seen, Refusal):
            return seen
        if self.delta == 0:
            return None
        if self.delta < 0 and seen.tallies.get(self.name, 0) <= 0:
            return None
        return MonologueTallied(
            at=world.now,
            name=self.name,
            delta=self.delta,
            segment=world.state.current,
            group=self.group,
        )


@dataclass(frozen=True)
class TickChecklist:
    """A checklist point of a segment done (or, ticked again, not done)."""

    segment: int
    item: int

    def decide(self, world: World) -> Outcome:
        if not world.valid_segment(self.segment):
            return Refusal("That segment is not in this agenda.")
        if not 0 <= self.item < len(world.agenda.segments[self.segment].checklist):
            return Refusal("That segment's checklist has no such point.")
        done = self.item in world.state.panels.checklists.get(self.segment, ())
        return ChecklistTicked(at=world.now, segment=self.segment, item=self.item, checked=not done)


@dataclass(frozen=True)
class Reflect:
    """How collaborative a segment (or, with None, the day) felt, and what to change."""

    segment: int | None
    rating: int | None
    felt: str = ""
    change: str = ""

    def decide(self, world: World) -> Outcome:
        if self.segment is not None and not world.valid_segment(self.segment):
            return Refusal("That segment is not in this agenda.")
        if self.rating is not None and not 1 <= self.rating <= 5:
            return Refusal("Rate from 1 (not at all) to 5 (fully).")
        felt, change = self.felt.strip(), self.change.strip()
        if self.rating is None and not felt and not change:
            return Refusal("Nothing to save yet: pick 1-5 or write a line.")
        return ReflectionRecorded(
            at=world.now, segment=self.segment, rating=self.rating, felt=felt, change=change
        )
