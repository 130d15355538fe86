"""Agenda validation: every problem found in one pass, each at its file:line:col, by line.

Problems do not hide each other: a segment with a bad value still takes part in
the id and timing checks with what could be read of it, and the syntax errors
``parse_tolerant`` read past come in the same list. What a line left out for a
syntax error would make look wrong (a "missing" title that is on the broken
line) is not reported.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import time
from typing import Any

from facilitate.agenda.model import (
    AGENDA_KEYS,
    DEFAULT_WARNING_S,
    KINDS,
    LIST_KEYS,
    MAX_AGENDA_S,
    MODES,
    PANELS,
    SEGMENT_KEYS,
    TOP_LEVEL_KEYS,
    Agenda,
    AgendaError,
    Segment,
    format_duration,
    parse_clock,
    parse_duration,
    slugify,
)
from facilitate.agenda.part_of import check_unique_ids, share_part_of
from facilitate.agenda.participants import read_participants
from facilitate.agenda.switches import check_switches
from facilitate.tomlcheck import Problem, TomlChecker, did_you_mean, kind_name


@dataclass(frozen=True)
class _Plan:
    """What the id and timing checks need of a segment, as far as it could be read."""

    index: int
    title: str
    id: str | None
    duration_s: int | None  # None: unknown (bad, missing or on a broken line)
    at: time | None
    at_known: bool


class Validator(TomlChecker):
    def __init__(
        self,
        text: str,
        file: str,
        name: str,
        *,
        syntax: list[Problem] | None = None,
        damaged: Mapping[int, bool] | None = None,
    ) -> None:
        super().__init__(text, file, name)
        self.problems.extend(syntax or [])
        headers = sorted((pos[0], table) for table, pos in self.where.headers.items())
        starts = [line for line, _ in headers]
        self._damaged_tables: set[tuple[str, int]] = set()
        self._lost: list[tuple[int, int]] = []  # lines under a table header left out
        for line, header_lost in (damaged or {}).items():
            at = bisect.bisect_right(starts, line) - 1
            self._damaged_tables.add(headers[at][1] if at >= 0 else ("", 0))
            if header_lost:
                after = bisect.bisect_right(starts, line)
                self._lost.append((line, starts[after] if after < len(starts) else 1 << 62))

    def validate(self, data: Mapping[str, Any]) -> Agenda:
        agenda = self._validate(data)
        kept = sorted(
            (p for p in self.problems if self._reported(p)), key=lambda p: (p.line or 0, p.col or 0)
        )
        if agenda is None or any(not p.warning for p in kept):
            raise AgendaError(kept or self.problems)
        return replace(agenda, warnings=tuple(kept))

    def _reported(self, problem: Problem) -> bool:
        """False for what only looks wrong because a broken line was left out."""
        line, message = problem.line, problem.message
        if line is not None and any(start <= line < end for start, end in self._lost):
            return False
        if self._lost and message.startswith(("missing [agenda]", "no segments")):
            return False
        if "missing required key" in message:
            return not any(
                self.where.header(*table) == (line, problem.col) for table in self._damaged_tables
            )
        return True

    def _validate(self, data: Mapping[str, Any]) -> Agenda | None:
        for key in data:
            if key not in TOP_LEVEL_KEYS:
                pos = self.where.key("", 0, key)
                if pos == (None, None):
                    pos = self.where.header(key, 0)
                self.problem(
                    f"unknown table or key '{key}'{did_you_mean(key, TOP_LEVEL_KEYS)}", pos
                )
        head = data.get("agenda")
        has_head = isinstance(head, dict)
        if not isinstance(head, dict):
            where = self.where.key("", 0, "agenda")
            self.problem(
                "missing [agenda] table with a title"
                if head is None
                else "'agenda' must be a table: [agenda]",
                (1, 1) if where == (None, None) else where,
            )
            head = {}
        title = self.text(head, "agenda", 0, "title", required=has_head)
        start = self.clock(head, "agenda", 0, "start")
        description = self.text(head, "agenda", 0, "description")
        bell = self.flag(head, "agenda", 0, "bell", default=True)
        warning_s = self.duration(head, "agenda", 0, "warning", default=DEFAULT_WARNING_S)
        # Defaults for every segment; a segment's own key overrides them.
        defaults = {
            "projector_prompts": self.flag(head, "agenda", 0, "projector_prompts", default=True),
            "notes_for_scribes": self.flag(head, "agenda", 0, "notes_for_scribes", default=False),
        }
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
        plans: list[_Plan] = []
        segments = [
            self.segment(i, raw, warning_s, plans, defaults) for i, raw in enumerate(raw_segments)
        ]
        participants = read_participants(self, data.get("participant"))
        check_unique_ids(self, [(plan.index, plan.id) for plan in plans])
        self.check_times(plans, start)
        built = share_part_of(self, segments, [plan.id for plan in plans])
        if any(not p.warning for p in self.problems):
            return None
        return Agenda(
            name=self.name,
            title=title or "",
            segments=tuple(built),
            start=start,
            description=description or "",
            bell=bool(bell),
            warning_s=warning_s or 0,
            source=self.file,
            participants=participants,
        )

    def segment(
        self,
        index: int,
        raw: object,
        default_warning: int | None,
        plans: list[_Plan],
        defaults: Mapping[str, bool | None],
    ) -> Segment | None:
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
        lists = {key: self.strings(raw, "segment", index, key, label) for key in LIST_KEYS}
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
        protect = self.flag(raw, "segment", index, "protect", default=False, label=label)
        switches = {
            key: self.flag(raw, "segment", index, key, default=bool(default), label=label)
            for key, default in defaults.items()
        }
        part_of = self.text(raw, "segment", index, "part_of", label=label)
        seg_id = self.text(raw, "segment", index, "id", label=label)
        if seg_id is not None and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", seg_id):
            self.problem(
                f"{label}: id {seg_id!r} may use only a-z, 0-9 and '-'",
                self.where.value("segment", index, "id"),
            )
        self.unknown(raw, SEGMENT_KEYS, "segment", index, label)
        known = ("segment", index) not in self._damaged_tables
        id_ok = seg_id is None or re.fullmatch(r"[a-z0-9][a-z0-9-]*", seg_id) is not None
        if id_ok and (seg_id or title):
            seg_id = seg_id or slugify(title or "")
        plans.append(
            _Plan(
                index,
                title or label,
                seg_id if id_ok else None,
                duration if known else None,
                at,
                known and ("at" not in raw or at is not None),
            )
        )
        failed = len(self.problems) > before and any(not p.warning for p in self.problems[before:])
        # Warnings are worth as much on a segment with an error: said now, not after a fix.
        if warning and duration and warning >= duration:
            self.problem(
                f"{label}: warning time {format_duration(warning)} is not shorter than the "
                f"segment ({format_duration(duration)}), so it warns from the start",
                self.where.value("segment", index, "warning"),
                warning=True,
            )
        if kind is not None:
            check_switches(self, index, raw, kind, bool(protect), lists["prompts"], notes, label)
        if failed:
            return None
        assert title is not None and duration is not None and kind is not None
        assert mode is not None and warning is not None
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
            protect=bool(protect),
            projector_prompts=bool(switches["projector_prompts"]),
            notes_for_scribes=bool(switches["notes_for_scribes"]),
            part_of=part_of or None,
            **{k: tuple(v) for k, v in lists.items()},
        )

    # -- field readers: each records its own problem and returns None on failure --

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
                f"{label}: '{key}' must be true or false, not {kind_name(raw[key])}",
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
            shown = repr(value) if isinstance(value, str) else kind_name(value)
            hint = did_you_mean(value, choices) if isinstance(value, str) else ""
            self.problem(
                f"{label}: '{key}' must be one of {', '.join(choices)}, not {shown}{hint}",
                self.where.value("segment", index, key),
            )
            return None
        return value

    # -- whole-agenda rules --

    def check_times(self, segments: list[_Plan], start: time | None) -> None:
        """Fixed times increase and the segments before each fit; where a duration or a
        time could not be read, the fit is checked again only from the next fixed time."""
        cursor = _minutes(start) * 60 if start else None
        last_fixed: _Plan | None = None
        total = 0
        for seg in segments:
            if not seg.at_known:
                cursor = None
            elif seg.at is not None:
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
            if seg.duration_s is None:
                cursor = None
                continue
            if cursor is not None:
                cursor += seg.duration_s
            if total <= MAX_AGENDA_S < total + seg.duration_s:
                self.problem(
                    f"segment {seg.index + 1}: the segments up to here plan "
                    f"{format_duration(total + seg.duration_s)}, more than an agenda "
                    "can run (7 days)",
                    self.where.value("segment", seg.index, "duration"),
                )
            total += seg.duration_s


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute
