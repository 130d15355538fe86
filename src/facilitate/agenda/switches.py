"""Switches on a segment that change nothing: usually a key put on the wrong segment."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from facilitate.tomlcheck import TomlChecker


def check_switches(
    checker: TomlChecker,
    index: int,
    raw: Mapping[str, Any],
    kind: str,
    protect: bool,
    prompts: list[str],
    notes: str | None,
    label: str,
) -> None:
    """A warning (the agenda still runs) for ``protect`` on a break, ``projector_prompts =
    false`` without prompts and ``notes_for_scribes = true`` without notes."""
    if protect and kind == "break":
        checker.problem(
            f"{label}: 'protect' changes nothing on a break: a re-plan never shortens breaks",
            checker.where.value("segment", index, "protect"),
            warning=True,
        )
    if raw.get("projector_prompts") is False and not prompts:
        checker.problem(
            f"{label}: 'projector_prompts' is false but the segment has no prompts to hide",
            checker.where.value("segment", index, "projector_prompts"),
            warning=True,
        )
    if raw.get("notes_for_scribes") is True and not notes:
        checker.problem(
            f"{label}: 'notes_for_scribes' is true but the segment has no notes to show",
            checker.where.value("segment", index, "notes_for_scribes"),
            warning=True,
        )
