"""SessionState: everything a session is, as derived from its events by ``reducer``.

Plain dataclasses, no I/O and no clock: the live app, ``resume``, the projector,
review and every export read the same state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class SegmentRun:
    """What actually happened to one segment, and the length agreed for it."""

    elapsed_s: float = 0.0
    adjust_s: int = 0  # every minute added (or taken) with + and -
    started_at: datetime | None = None
    ended_at: datetime | None = None
    replanned_s: int | None = None  # the length the last accepted re-plan gave it
    replanned_start: datetime | None = None  # and when that re-plan expected it to start
    adjust_at_replan_s: int = 0  # adjust_s when that re-plan was accepted
    dropped: bool = False  # a re-plan left it out of the day

    def agreed_s(self, planned_s: int) -> int:
        """The length agreed in the room: the plan (or the last re-plan) plus the minutes
        added or taken since; never below zero."""
        if self.replanned_s is None:
            return max(0, planned_s + self.adjust_s)
        return max(0, self.replanned_s + self.adjust_s - self.adjust_at_replan_s)


@dataclass
class Replan:
    """One accepted re-plan, as the journal has it."""

    at: datetime
    reason: str
    lengths: dict[int, int]
    dropped: frozenset[int]


@dataclass
class DayPlan:
    """How the day is timed, beyond what the agenda says."""

    start: datetime | None = None  # the day's real start, once the facilitator chose one
    shift: bool = False  # the plan runs from ``start`` instead of the agenda's start
    shift_fixed: bool = False  # fixed times moved with it
    chosen: bool = False  # the start question has been answered (asked once)
    replans: list[Replan] = field(default_factory=list)


@dataclass
class Note:
    id: str
    kind: str
    text: str
    segment: int
    created: datetime
    writer: str
    group: str | None = None
    role: str | None = None
    owner: str | None = None
    due: str | None = None
    category: str | None = None
    edited: datetime | None = None
    deleted: bool = False
    done: bool = False
    parked: bool = False


@dataclass
class Reflection:
    at: datetime
    segment: int | None
    rating: int | None
    felt: str
    change: str


@dataclass
class Observation:
    """What the process observer marked in one segment for one group (None: the room)."""

    lifecycle_stage: dict[str, str] = field(default_factory=dict)
    lifecycle_traits: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    qualities: dict[str, str] = field(default_factory=dict)
    tallies: dict[str, int] = field(default_factory=dict)
    tally_times: dict[str, list[datetime]] = field(default_factory=dict)
    first_at: datetime | None = None
    last_at: datetime | None = None

    @property
    def empty(self) -> bool:
        return not (
            any(self.lifecycle_stage.values())
            or any(self.lifecycle_traits.values())
            or self.qualities
            or any(self.tallies.values())
        )


ObservationKey = tuple[int, str | None]
"""(segment, group); group None is the whole room."""

_NOTHING_SEEN = Observation()


@dataclass
class Panels:
    """What the process observer recorded beside the clock: marks per segment and group,
    and each segment's checklist."""

    observations: dict[ObservationKey, Observation] = field(default_factory=dict)
    checklists: dict[int, set[int]] = field(default_factory=dict)

    def seen(self, segment: int, group: str | None) -> Observation:
        """What was marked in ``segment`` for ``group`` (an empty observation: nothing yet).
        Read only: the empty one is shared."""
        return self.observations.get((segment, group), _NOTHING_SEEN)

    def observe(self, segment: int, group: str | None, at: datetime) -> Observation:
        """The observation to change, made on first use; its times follow ``at``."""
        found = self.observations.get((segment, group))
        if found is None:
            found = self.observations[(segment, group)] = Observation(first_at=at)
        if found.first_at is None or at < found.first_at:
            found.first_at = at
        if found.last_at is None or at > found.last_at:
            found.last_at = at
        return found

    def in_order(self) -> list[tuple[ObservationKey, Observation]]:
        """Non-empty observations by segment, the room before its groups, then by group."""
        marked = [(key, obs) for key, obs in self.observations.items() if not obs.empty]
        return sorted(
            marked, key=lambda item: (item[0][0], item[0][1] is not None, item[0][1] or "")
        )


@dataclass
class Person:
    """One person on the day's list (``attendance``: present, apologies or facilitator)."""

    id: str
    name: str
    organisation: str = ""
    role: str = ""
    attendance: str = "present"


@dataclass
class Attendance:
    """Who was there, where, and when the partnership meets next."""

    people: dict[str, Person] = field(default_factory=dict)  # in the order first recorded
    venue: str = ""
    next_meeting: str = ""  # ISO date
    next_meeting_time: str = ""  # HH:MM

    def with_attendance(self, attendance: str) -> list[Person]:
        return [p for p in self.people.values() if p.attendance == attendance]


@dataclass
class SessionState:
    """Everything a session is, derived from its events."""

    segment_count: int
    agenda_name: str = ""
    agenda_title: str = ""
    created: datetime | None = None
    current: int = 0
    running_since: datetime | None = None
    ended_at: datetime | None = None
    runs: list[SegmentRun] = field(default_factory=list)
    notes: dict[str, Note] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    writers: dict[str, str] = field(default_factory=dict)  # writer id -> the person's name
    group_roles: dict[str, dict[str, str]] = field(default_factory=dict)
    panels: Panels = field(default_factory=Panels)
    reflections: list[Reflection] = field(default_factory=list)
    attendance: Attendance = field(default_factory=Attendance)
    day: DayPlan = field(default_factory=DayPlan)
    event_count: int = 0
    last_at: datetime | None = None

    def __post_init__(self) -> None:
        if not self.runs:
            self.runs = [SegmentRun() for _ in range(self.segment_count)]

    @property
    def running(self) -> bool:
        return self.running_since is not None

    @property
    def started(self) -> bool:
        return any(run.started_at is not None for run in self.runs)

    def elapsed(self, segment: int, now: datetime) -> float:
        """Seconds the segment has run, counting the current run up to ``now``."""
        run = self.runs[segment]
        if segment == self.current and self.running_since is not None:
            return run.elapsed_s + max(0.0, (now - self.running_since).total_seconds())
        return run.elapsed_s

    def person(self, role: str, group: str | None = None) -> str | None:
        """Who plays ``role``: in ``group`` if a name was put to it there, else for the day."""
        if group is not None and role in self.group_roles.get(group, {}):
            return self.group_roles[group][role]
        return self.roles.get(role)

    def live_notes(self) -> list[Note]:
        return [note for note in self.notes.values() if not note.deleted]


def new_state(segment_count: int) -> SessionState:
    return SessionState(segment_count=segment_count)
