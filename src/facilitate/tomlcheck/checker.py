"""Field readers shared by every TOML file facilitate validates (agendas, reference models).

Each reader records its own problem at the key's file:line:col and returns
None (or an empty list) so validation carries on and reports everything at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from facilitate.tomlcheck.locate import Locator
from facilitate.tomlcheck.problems import Problem, did_you_mean, kind_name

# Control characters (escape codes: a title could set the terminal's window title or
# clear the screen on every screen it is shown) and the bidi overrides that make text
# read other than it is. Line breaks and tabs are text.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def control_character(text: str) -> str | None:
    """What is wrong with ``text`` if it holds a control character, else None."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    return f"contains a control character (U+{ord(found.group()):04X}), which cannot be shown"


class TomlChecker:
    def __init__(self, text: str, file: str, name: str) -> None:
        self.file = file
        self.name = name
        self.where = Locator(text)
        self.problems: list[Problem] = []

    def problem(
        self, message: str, pos: tuple[int | None, int | None], *, warning: bool = False
    ) -> None:
        self.problems.append(Problem(self.file, message, pos[0], pos[1], warning))

    def text(
        self,
        raw: Mapping[str, Any],
        table: str,
        index: int,
        key: str,
        label: str = "",
        *,
        required: bool = False,
    ) -> str | None:
        label = label or f"[{table}]"
        if key not in raw:
            if required:
                self.problem(
                    f"{label}: missing required key '{key}'", self.where.header(table, index)
                )
            return None
        value = raw[key]
        if not isinstance(value, str):
            self.problem(
                f"{label}: '{key}' must be a string, not {kind_name(value)}",
                self.where.value(table, index, key),
            )
            return None
        if required and not value.strip():
            self.problem(f"{label}: '{key}' is empty", self.where.value(table, index, key))
            return None
        if (bad := control_character(value)) is not None:
            self.problem(f"{label}: '{key}' {bad}", self.where.value(table, index, key))
            return None
        return value.strip()

    def strings(
        self, raw: Mapping[str, Any], table: str, index: int, key: str, label: str
    ) -> list[str]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(
                f"{label}: '{key}' must be a list of non-empty strings, e.g. "
                f'{key} = ["...", "..."]',
                self.where.value(table, index, key),
            )
            return []
        for item in value:
            if (bad := control_character(item)) is not None:
                self.problem(f"{label}: '{key}' {bad}", self.where.value(table, index, key))
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
