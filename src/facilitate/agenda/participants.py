"""The agenda's ``[[participant]]`` tables: who is expected, offered for ticking on the day."""

from __future__ import annotations

from facilitate.agenda.model import PARTICIPANT_KEYS, Participant
from facilitate.tomlcheck import TomlChecker


def read_participants(checker: TomlChecker, raw: object) -> tuple[Participant, ...]:
    """Every well-formed participant; each problem recorded at its file:line:col."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        checker.problem(
            "'participant' must be an array of tables: write [[participant]] with a name",
            checker.where.header("participant", 0)
            if ("participant", 0) in checker.where.headers
            else checker.where.key("", 0, "participant"),
        )
        return ()
    found: list[Participant] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(raw):
        label = f"participant {index + 1}"
        if not isinstance(entry, dict):
            checker.problem(f"{label} must be a table", checker.where.header("participant", index))
            continue
        name = checker.text(entry, "participant", index, "name", label, required=True)
        organisation = checker.text(entry, "participant", index, "organisation", label)
        role = checker.text(entry, "participant", index, "role", label)
        checker.unknown(entry, PARTICIPANT_KEYS, "participant", index, label)
        if not name:
            continue
        name = " ".join(name.split())
        key = name.casefold()
        if key in seen:
            checker.problem(
                f"{label}: '{name}' is already listed as participant {seen[key] + 1}",
                checker.where.value("participant", index, "name"),
            )
            continue
        seen[key] = index
        found.append(Participant(name, organisation or "", role or ""))
    return tuple(found)
