"""``part_of``: a segment that continues an earlier one shares its groups and roles.

An activity often runs over several segments: roles are handed out, the meeting is
held in role, then everyone reflects in the role they played and the groups report
back. The groups and roles are named once; the later segments say ``part_of`` and
take whichever of the two they leave out.
"""

from __future__ import annotations

from dataclasses import replace

from facilitate.agenda.model import Segment
from facilitate.tomlcheck import TomlChecker, did_you_mean


def check_unique_ids(checker: TomlChecker, ids: list[tuple[int, str | None]]) -> None:
    """Each id names one segment: a second use is reported at its id (or its title,
    where the id was made from the title)."""
    seen: dict[str, int] = {}
    for index, seg_id in ids:
        if seg_id is None:
            continue
        if seg_id in seen:
            key = "id" if ("segment", index, "id") in checker.where.keys else "title"
            checker.problem(
                f"segment {index + 1}: id '{seg_id}' is already used by segment "
                f"{seen[seg_id] + 1}; give one of them an explicit id",
                checker.where.value("segment", index, key),
            )
        seen.setdefault(seg_id, index)


def share_part_of(
    checker: TomlChecker, segments: list[Segment | None], ids: list[str | None]
) -> list[Segment]:
    """The segments that could be read, each ``part_of`` an earlier one given that one's
    groups and roles where it names none; a ``part_of`` that names no earlier segment is
    reported. ``ids`` are every segment's id, as far as it could be read."""

    def problem(message: str, index: int, warning: bool) -> None:
        checker.problem(message, checker.where.value("segment", index, "part_of"), warning=warning)

    result: list[Segment] = []
    earlier: dict[str, Segment | None] = {}
    for index, seg in enumerate(segments):
        if seg is not None and seg.part_of is not None:
            label = f"segment {index + 1}: part_of '{seg.part_of}'"
            if seg.part_of not in earlier:
                if seg.part_of in ids:
                    problem(f"{label} must name an earlier segment", index, False)
                else:
                    hint = did_you_mean(seg.part_of, [i for i in ids[:index] if i])
                    problem(f"{label} is not the id of an earlier segment{hint}", index, False)
            elif (whole := earlier[seg.part_of]) is not None:
                if not (whole.groups or whole.roles):
                    problem(f"{label}: that segment has no groups or roles to share", index, True)
                seg = replace(
                    seg, groups=seg.groups or whole.groups, roles=seg.roles or whole.roles
                )
        own = ids[index] if index < len(ids) else None
        if own:
            earlier.setdefault(own, seg)
        if seg is not None:
            result.append(seg)
    return result
