"""Agenda and Segment: the validated programme, and the small parsers people type."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import time

from facilitate.tomlcheck import Problem, kind_name

KINDS = ("session", "activity", "break")
MODES = ("plenary", "separate-groups", "mixed-groups", "pairs", "individual")
PANELS = ("lifecycle", "mobius", "checklist")
DEFAULT_WARNING_S = 120
MAX_SEGMENT_S = 24 * 3600
"""The longest duration (and warning) one segment may have: a day."""
MAX_AGENDA_S = 7 * 24 * 3600
"""The longest a whole agenda may plan: a week. Beyond it nothing could be run or shown."""

AGENDA_KEYS = (
    "title",
    "start",
    "description",
    "bell",
    "warning",
    "projector_prompts",
    "notes_for_scribes",
)
SEGMENT_KEYS = (
    "id",
    "title",
    "duration",
    "at",
    "kind",
    "mode",
    "groups",
    "topics",
    "prompts",
    "checklist",
    "roles",
    "feedback",
    "panel",
    "warning",
    "reflection",
    "notes",
    "protect",
    "projector_prompts",
    "notes_for_scribes",
    "part_of",
)
LIST_KEYS = ("groups", "topics", "prompts", "checklist", "roles", "feedback")
PARTICIPANT_KEYS = ("name", "organisation", "role")
TOP_LEVEL_KEYS = ("agenda", "segment", "participant")
MODE_LABELS = {
    "plenary": "Plenary",
    "separate-groups": "Separate groups",
    "mixed-groups": "Mixed groups",
    "pairs": "Pairs",
    "individual": "Individual",
}


class AgendaError(Exception):
    """An agenda that cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Segment:
    """One timed block of the day."""

    index: int
    id: str
    title: str
    duration_s: int
    at: time | None = None
    kind: str = "session"
    mode: str = "plenary"
    groups: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    prompts: tuple[str, ...] = ()
    checklist: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    feedback: tuple[str, ...] = ()
    panel: str | None = None
    warning_s: int = DEFAULT_WARNING_S
    reflection: bool = False
    notes: str = ""
    protect: bool = False  # a re-plan never shortens or drops it
    projector_prompts: bool = True  # the projector shows the prompts to the room
    notes_for_scribes: bool = False  # a scribe's `join` view shows the facilitator's notes
    part_of: str | None = None  # the id of the earlier segment whose groups and roles it shares

    @property
    def mode_label(self) -> str:
        return MODE_LABELS.get(self.mode, self.mode)

    @property
    def room_mode(self) -> str:
        """How the room works in it ("Plenary", "Pairs"), or "" for a break: coffee, lunch
        and registration have no group work, and "Plenary" there would be wrong. Every
        screen that names the mode asks here."""
        return "" if self.kind == "break" else self.mode_label

    @property
    def flexible(self) -> bool:
        """A re-plan may shorten it: not a break (lunch is one) and not protected."""
        return self.kind != "break" and not self.protect


@dataclass(frozen=True)
class Participant:
    """Someone expected on the day, offered for ticking when attendance is recorded."""

    name: str
    organisation: str = ""
    role: str = ""


@dataclass(frozen=True)
class Agenda:
    """A validated programme for the day."""

    name: str
    title: str
    segments: tuple[Segment, ...]
    start: time | None = None
    description: str = ""
    bell: bool = True
    warning_s: int = DEFAULT_WARNING_S
    source: str = ""
    warnings: tuple[Problem, ...] = field(default=(), compare=False)
    participants: tuple[Participant, ...] = ()

    @property
    def total_planned_s(self) -> int:
        return sum(s.duration_s for s in self.segments)


# --- small parsers, shared by the CLI and the note entry ---------------------------------

_DURATION_RE = re.compile(r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s)?\s*$")
_CLOCK_RE = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


def parse_duration(value: object) -> int:
    """Seconds from whole minutes (``30``) or a string such as ``"45m"``, ``"1h30m"``, ``"90s"``.

    At most :data:`MAX_SEGMENT_S` (24 hours): longer could never be run.
    """
    if isinstance(value, bool):
        raise ValueError("a duration is a number of minutes or a string like '45m', not true/false")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"a duration cannot be negative ({_short(value)})")
        return _capped(value * 60, f"{_short(value)} minutes")
    if isinstance(value, float):
        raise ValueError(
            f"a duration is whole minutes, not {_short(value)}; write e.g. '90s' or '1h30m'"
        )
    if isinstance(value, str):
        text = value.strip().lower()
        if len(text) <= 40:
            if text.isdigit():
                return _capped(int(text) * 60, f"{text} minutes")
            match = _DURATION_RE.match(text)
            if text and match and any(match.groups()):
                hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
                return _capped(hours * 3600 + minutes * 60 + seconds, repr(value.strip()))
        raise ValueError(
            f"cannot read duration {_short(value)!r}: write minutes (30) or e.g. '45m', '1h30m'"
        )
    raise ValueError(
        f"a duration is a number of minutes or a string like '45m', not {kind_name(value)}"
    )


def _capped(seconds: int, shown: str) -> int:
    if seconds > MAX_SEGMENT_S:
        raise ValueError(f"{shown} is longer than a segment can last (24 hours, 1440 minutes)")
    return seconds


def _short(value: str | int | float, most: int = 30) -> str:
    """A value as typed, cut short: a 4,000-digit number or a long string in a message
    would drown the line it is on."""
    if isinstance(value, str):
        return value if len(value) <= most else value[:most] + "…"
    text = repr(value) if isinstance(value, float) else str(value)
    return text if len(text) <= most else f"a number of {len(text.lstrip('-'))} digits"


def parse_clock(value: object) -> time:
    """A clock time from ``"09:30"`` or ``"09.30"`` as printed programmes write it."""
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    if not isinstance(value, str):
        raise ValueError(f'a clock time is a string like "09:30", not {kind_name(value)}')
    match = _CLOCK_RE.match(value)
    if not match:
        raise ValueError(f'cannot read clock time {value!r}: write it as "HH:MM", e.g. "09:30"')
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 23 or minutes > 59:
        raise ValueError(f"{value!r} is not a time of day (hours 0-23, minutes 0-59)")
    return time(hours, minutes)


def format_duration(seconds: float) -> str:
    """``1h30m``, ``45m``, ``0m``, ``1m30s`` or ``7h0m5s`` for people to read (with seconds,
    the minutes are there too, so a column of lengths reads alike)."""
    if not math.isfinite(seconds):
        return "?"
    seconds = round(seconds)
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    sign = "-" if seconds < 0 else ""
    text = (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes or secs or not hours else "")
    if secs:
        text += f"{secs}s"
    return sign + text


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "segment"
