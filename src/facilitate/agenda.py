"""Agendas: frozen dataclasses, TOML loading, and validation with file:line:col.

``tomllib`` gives no positions for values, so :class:`_Locator` scans the text
once to find where each table and key was written; every problem is then
reported at the place a user would edit.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

KINDS = ("session", "activity", "break")
MODES = ("plenary", "separate-groups", "mixed-groups", "pairs", "individual")
PANELS = ("lifecycle", "mobius", "checklist")
DEFAULT_WARNING_S = 120

AGENDA_KEYS = ("title", "start", "description", "bell", "warning")
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
)
LIST_KEYS = ("groups", "topics", "prompts", "checklist", "roles", "feedback")
TOP_LEVEL_KEYS = ("agenda", "segment")
MODE_LABELS = {
    "plenary": "Plenary",
    "separate-groups": "Separate groups",
    "mixed-groups": "Mixed groups",
    "pairs": "Pairs",
    "individual": "Individual",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in an agenda file."""

    file: str
    message: str
    line: int | None = None
    col: int | None = None
    warning: bool = False

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}:{self.col or 1}"
        prefix = "warning: " if self.warning else ""
        return f"{where}: {prefix}{self.message}"


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

    @property
    def mode_label(self) -> str:
        return MODE_LABELS.get(self.mode, self.mode)


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

    @property
    def total_planned_s(self) -> int:
        return sum(s.duration_s for s in self.segments)


# --- small parsers, shared by the CLI and the note entry ---------------------------------

_DURATION_RE = re.compile(r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s)?\s*$")
_CLOCK_RE = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


def parse_duration(value: object) -> int:
    """Seconds from whole minutes (``30``) or a string such as ``"45m"``, ``"1h30m"``, ``"90s"``."""
    if isinstance(value, bool):
        raise ValueError("a duration is a number of minutes or a string like '45m', not true/false")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"a duration cannot be negative ({value})")
        return value * 60
    if isinstance(value, float):
        raise ValueError(
            f"a duration is whole minutes, not {value}; write '{value}m' as e.g. '1h30m'"
        )
    if isinstance(value, str):
        text = value.strip().lower()
        if text.isdigit():
            return int(text) * 60
        match = _DURATION_RE.match(text)
        if text and match and any(match.groups()):
            hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
            return hours * 3600 + minutes * 60 + seconds
        raise ValueError(
            f"cannot read duration {value!r}: write minutes (30) or e.g. '45m', '1h30m'"
        )
    raise ValueError(
        f"a duration is a number of minutes or a string like '45m', not {_kind(value)}"
    )


def parse_clock(value: object) -> time:
    """A clock time from ``"09:30"`` or ``"09.30"`` as printed programmes write it."""
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    if not isinstance(value, str):
        raise ValueError(f'a clock time is a string like "09:30", not {_kind(value)}')
    match = _CLOCK_RE.match(value)
    if not match:
        raise ValueError(f'cannot read clock time {value!r}: write it as "HH:MM", e.g. "09:30"')
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 23 or minutes > 59:
        raise ValueError(f"{value!r} is not a time of day (hours 0-23, minutes 0-59)")
    return time(hours, minutes)


def format_duration(seconds: float) -> str:
    """``1h30m``, ``45m``, ``0m`` or ``1m30s`` for people to read."""
    seconds = round(seconds)
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    sign = "-" if seconds < 0 else ""
    text = (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes or not hours else "")
    if secs:
        text += f"{secs}s"
    return sign + text


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "segment"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _kind(value: object) -> str:
    names = {
        str: "a string",
        int: "a number",
        float: "a number",
        bool: "true/false",
        list: "a list",
        dict: "a table",
    }
    return names.get(type(value), type(value).__name__)


# --- locating keys in the text ---------------------------------------------------------

_HEADER_RE = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\"' -]+?)\s*\]\]?")
_KEY_RE = re.compile(r"^(\s*)([A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')\s*=\s*")


class _Locator:
    """Maps (table, key) to (line, col) by scanning the TOML text once."""

    def __init__(self, text: str) -> None:
        self.headers: dict[tuple[str, int], tuple[int, int]] = {}
        self.keys: dict[tuple[str, int, str], tuple[int, int, int]] = {}
        counts: dict[str, int] = {}
        table, index = "", 0
        depth = 0  # inside a multi-line array, lines are not keys
        for lineno, line in enumerate(text.splitlines(), start=1):
            if depth == 0:
                header = _HEADER_RE.match(line)
                if header:
                    table = header.group(2).strip().strip("\"'")
                    index = counts.get(table, 0)
                    counts[table] = index + 1
                    self.headers[(table, index)] = (lineno, line.index("[") + 1)
                    continue
                key = _KEY_RE.match(line)
                if key:
                    name = key.group(2).strip("\"'")
                    self.keys.setdefault(
                        (table, index, name), (lineno, len(key.group(1)) + 1, key.end() + 1)
                    )
                    depth += _bracket_balance(line[key.end() :])
                    continue
            else:
                depth += _bracket_balance(line)
            depth = max(depth, 0)

    def key(self, table: str, index: int, name: str) -> tuple[int | None, int | None]:
        found = self.keys.get((table, index, name))
        return (found[0], found[1]) if found else self.header(table, index)

    def value(self, table: str, index: int, name: str) -> tuple[int | None, int | None]:
        found = self.keys.get((table, index, name))
        return (found[0], found[2]) if found else self.header(table, index)

    def header(self, table: str, index: int) -> tuple[int | None, int | None]:
        return self.headers.get((table, index), (None, None))


def _bracket_balance(text: str) -> int:
    text = re.sub(r"\"(?:\\.|[^\"\\])*\"|'[^']*'", "", text.split("#", 1)[0])
    return text.count("[") - text.count("]")


# --- loading ------------------------------------------------------------------------------


def read_agenda_text(path: Path) -> str:
    """The file's text, or an :class:`AgendaError` that says plainly why it cannot be read."""
    label = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise AgendaError([Problem(label, "no such file")]) from None
    except IsADirectoryError:
        raise AgendaError([Problem(label, "is a folder, not an agenda file")]) from None
    except PermissionError:
        raise AgendaError([Problem(label, "permission denied")]) from None
    except OSError as exc:
        raise AgendaError([Problem(label, f"cannot read: {exc.strerror or exc}")]) from None
    if b"\x00" in data:
        raise AgendaError([Problem(label, "is a binary file, not a TOML agenda")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise AgendaError(
            [Problem(label, "is not UTF-8 text (save it as UTF-8)", line, col)]
        ) from None
    return text.removeprefix("\ufeff")


def load_agenda(path: Path, *, name: str | None = None) -> Agenda:
    """Read and validate an agenda file; raises :class:`AgendaError` with every problem."""
    text = read_agenda_text(path)
    return parse_agenda(text, file=str(path), name=name or path.stem)


_TOML_POS_RE = re.compile(r"^(.*?)\s*\(at line (\d+), column (\d+)\)$")
_TOML_EOF_RE = re.compile(r"^(.*?)\s*\(at end of document\)$")


def parse_agenda(text: str, *, file: str, name: str) -> Agenda:
    """Validate TOML text as an agenda; warnings ride along on ``Agenda.warnings``."""
    if not text.strip():
        raise AgendaError(
            [Problem(file, "is empty: an agenda needs an [agenda] title and segments")]
        )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AgendaError([_toml_problem(file, text, exc)]) from None
    return _Validator(text, file, name).validate(data)


def _toml_problem(file: str, text: str, exc: tomllib.TOMLDecodeError) -> Problem:
    message = str(exc)
    pos = _TOML_POS_RE.match(message)
    if pos:
        return Problem(file, f"TOML syntax: {pos.group(1)}", int(pos.group(2)), int(pos.group(3)))
    eof = _TOML_EOF_RE.match(message)
    if eof:
        lines = text.splitlines() or [""]
        return Problem(
            file, f"TOML syntax: {eof.group(1)} at end of file", len(lines), len(lines[-1]) + 1
        )
    return Problem(file, f"TOML syntax: {message}")


class _Validator:
    def __init__(self, text: str, file: str, name: str) -> None:
        self.file = file
        self.name = name
        self.where = _Locator(text)
        self.problems: list[Problem] = []

    def problem(
        self, message: str, pos: tuple[int | None, int | None], *, warning: bool = False
    ) -> None:
        self.problems.append(Problem(self.file, message, pos[0], pos[1], warning))

    def validate(self, data: Mapping[str, Any]) -> Agenda:
        for key in data:
            if key not in TOP_LEVEL_KEYS:
                pos = self.where.key("", 0, key)
                if pos == (None, None):
                    pos = self.where.header(key, 0)
                self.problem(
                    f"unknown table or key '{key}'{did_you_mean(key, TOP_LEVEL_KEYS)}", pos
                )
        head = data.get("agenda")
        if not isinstance(head, dict):
            where = self.where.key("", 0, "agenda")
            self.problem(
                "missing [agenda] table with a title"
                if head is None
                else "'agenda' must be a table: [agenda]",
                where,
            )
            head = {}
        title = self.text(head, "agenda", 0, "title", required=True)
        start = self.clock(head, "agenda", 0, "start")
        description = self.text(head, "agenda", 0, "description")
        bell = self.flag(head, "agenda", 0, "bell", default=True)
        warning_s = self.duration(head, "agenda", 0, "warning", default=DEFAULT_WARNING_S)
        self.unknown(head, AGENDA_KEYS, "agenda", 0, "[agenda]")

        raw_segments = data.get("segment")
        if raw_segments is None:
            self.problem(
                "no segments: add at least one [[segment]] with a title and duration", (1, 1)
            )
            raw_segments = []
        elif not isinstance(raw_segments, list):
            self.problem(
                "'segment' must be an array of tables: write [[segment]]",
                self.where.header("segment", 0),
            )
            raw_segments = []
        segments = [self.segment(i, raw, warning_s) for i, raw in enumerate(raw_segments)]
        built = [s for s in segments if s is not None]
        if len(built) == len(segments):
            self.check_ids(built)
            self.check_times(built, start)
        errors = [p for p in self.problems if not p.warning]
        if errors:
            raise AgendaError(self.problems)
        return Agenda(
            name=self.name,
            title=title or "",
            segments=tuple(built),
            start=start,
            description=description or "",
            bell=bool(bell),
            warning_s=warning_s or 0,
            source=self.file,
            warnings=tuple(self.problems),
        )

    def segment(self, index: int, raw: object, default_warning: int | None) -> Segment | None:
        label = f"segment {index + 1}"
        if not isinstance(raw, dict):
            self.problem(f"{label} must be a table", self.where.header("segment", index))
            return None
        before = len(self.problems)
        title = self.text(raw, "segment", index, "title", required=True, label=label)
        duration = self.duration(raw, "segment", index, "duration", required=True, label=label)
        at = self.clock(raw, "segment", index, "at", label=label)
        kind = self.choice(raw, index, "kind", KINDS, "session", label)
        mode = self.choice(raw, index, "mode", MODES, "plenary", label)
        panel = self.choice(raw, index, "panel", PANELS, None, label)
        lists = {key: self.strings(raw, index, key, label) for key in LIST_KEYS}
        warning = self.duration(
            raw,
            "segment",
            index,
            "warning",
            label=label,
            default=DEFAULT_WARNING_S if default_warning is None else default_warning,
        )
        reflection = self.flag(raw, "segment", index, "reflection", default=False, label=label)
        notes = self.text(raw, "segment", index, "notes", label=label)
        seg_id = self.text(raw, "segment", index, "id", label=label)
        if seg_id is not None and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", seg_id):
            self.problem(
                f"{label}: id {seg_id!r} may use only a-z, 0-9 and '-'",
                self.where.value("segment", index, "id"),
            )
        self.unknown(raw, SEGMENT_KEYS, "segment", index, label)
        if len(self.problems) > before and any(not p.warning for p in self.problems[before:]):
            return None
        assert title is not None and duration is not None and kind is not None
        assert mode is not None and warning is not None
        if warning and duration and warning >= duration:
            self.problem(
                f"{label}: warning time {format_duration(warning)} is not shorter than the "
                f"segment ({format_duration(duration)}), so it warns from the start",
                self.where.value("segment", index, "warning"),
                warning=True,
            )
        return Segment(
            index=index,
            id=seg_id or slugify(title),
            title=title,
            duration_s=duration,
            at=at,
            kind=kind,
            mode=mode,
            panel=panel,
            warning_s=warning,
            reflection=bool(reflection),
            notes=notes or "",
            **{k: tuple(v) for k, v in lists.items()},
        )

    # -- field readers: each records its own problem and returns None on failure --

    def text(
        self,
        raw: Mapping[str, Any],
        table: str,
        index: int,
        key: str,
        *,
        required: bool = False,
        label: str = "[agenda]",
    ) -> str | None:
        if key not in raw:
            if required:
                self.problem(
                    f"{label}: missing required key '{key}'", self.where.header(table, index)
                )
            return None
        value = raw[key]
        if not isinstance(value, str):
            self.problem(
                f"{label}: '{key}' must be a string, not {_kind(value)}",
                self.where.value(table, index, key),
            )
            return None
        if required and not value.strip():
            self.problem(f"{label}: '{key}' is empty", self.where.value(table, index, key))
            return None
        return value.strip()

    def duration(
        self,
        raw: Mapping[str, Any],
        table: str,
        index: int,
        key: str,
        *,
        required: bool = False,
        default: int | None = None,
        label: str = "[agenda]",
    ) -> int | None:
        if key not in raw:
            if required:
                self.problem(
                    f"{label}: missing required key '{key}' (minutes, e.g. {key} = 30)",
                    self.where.header(table, index),
                )
            return default
        try:
            return parse_duration(raw[key])
        except ValueError as exc:
            self.problem(f"{label}: '{key}': {exc}", self.where.value(table, index, key))
            return None

    def clock(
        self, raw: Mapping[str, Any], table: str, index: int, key: str, *, label: str = "[agenda]"
    ) -> time | None:
        if key not in raw:
            return None
        try:
            return parse_clock(raw[key])
        except ValueError as exc:
            self.problem(f"{label}: '{key}': {exc}", self.where.value(table, index, key))
            return None

    def flag(
        self,
        raw: Mapping[str, Any],
        table: str,
        index: int,
        key: str,
        *,
        default: bool,
        label: str = "[agenda]",
    ) -> bool | None:
        if key not in raw:
            return default
        if not isinstance(raw[key], bool):
            self.problem(
                f"{label}: '{key}' must be true or false, not {_kind(raw[key])}",
                self.where.value(table, index, key),
            )
            return None
        return bool(raw[key])

    def choice(
        self,
        raw: Mapping[str, Any],
        index: int,
        key: str,
        choices: tuple[str, ...],
        default: str | None,
        label: str,
    ) -> str | None:
        if key not in raw:
            return default
        value = raw[key]
        if not isinstance(value, str) or value not in choices:
            shown = repr(value) if isinstance(value, str) else _kind(value)
            hint = did_you_mean(value, choices) if isinstance(value, str) else ""
            self.problem(
                f"{label}: '{key}' must be one of {', '.join(choices)}, not {shown}{hint}",
                self.where.value("segment", index, key),
            )
            return None
        return value

    def strings(self, raw: Mapping[str, Any], index: int, key: str, label: str) -> list[str]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(
                f"{label}: '{key}' must be a list of non-empty strings, e.g. "
                f'{key} = ["...", "..."]',
                self.where.value("segment", index, key),
            )
            return []
        return [v.strip() for v in value]

    def unknown(
        self, raw: Mapping[str, Any], allowed: tuple[str, ...], table: str, index: int, label: str
    ) -> None:
        for key in raw:
            if key not in allowed:
                self.problem(
                    f"{label}: unknown key '{key}'{did_you_mean(key, allowed)}",
                    self.where.key(table, index, key),
                )

    # -- whole-agenda rules --

    def check_ids(self, segments: list[Segment]) -> None:
        seen: dict[str, int] = {}
        for seg in segments:
            if seg.id in seen:
                self.problem(
                    f"segment {seg.index + 1}: id '{seg.id}' is already used by segment "
                    f"{seen[seg.id] + 1}; give one of them an explicit id",
                    self.where.value("segment", seg.index, "id")
                    if ("segment", seg.index, "id") in self.where.keys
                    else self.where.value("segment", seg.index, "title"),
                )
            seen.setdefault(seg.id, seg.index)

    def check_times(self, segments: list[Segment], start: time | None) -> None:
        cursor = _minutes(start) * 60 if start else None
        last_fixed: Segment | None = None
        for seg in segments:
            if seg.at is not None:
                fixed = _minutes(seg.at) * 60
                if (
                    last_fixed is not None
                    and last_fixed.at is not None
                    and fixed <= _minutes(last_fixed.at) * 60
                ):
                    self.problem(
                        f"segment {seg.index + 1}: fixed time {seg.at:%H:%M} must come after "
                        f"{last_fixed.at:%H:%M} ('{last_fixed.title}'): "
                        "fixed times increase through the day",
                        self.where.value("segment", seg.index, "at"),
                    )
                elif start is not None and last_fixed is None and fixed < _minutes(start) * 60:
                    self.problem(
                        f"segment {seg.index + 1}: fixed time {seg.at:%H:%M} is before the "
                        f"day starts ({start:%H:%M})",
                        self.where.value("segment", seg.index, "at"),
                    )
                elif cursor is not None and cursor > fixed:
                    over = cursor - fixed
                    self.problem(
                        f"segment {seg.index + 1}: the segments before '{seg.title}' need "
                        f"{format_duration(over)} more than there is until {seg.at:%H:%M}",
                        self.where.value("segment", seg.index, "at"),
                        warning=True,
                    )
                cursor = fixed
                last_fixed = seg
            if cursor is not None:
                cursor += seg.duration_s


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute
