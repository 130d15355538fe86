"""Observation models (partnership lifecycles, the Mobius Model) as data, and their loader.

The models are TOML so that a facilitator can add one without touching code.
Files in the user's models folder are validated the way agendas are (every
problem at ``file:line:col``, unknown keys with a did-you-mean); a broken file
is reported and skipped, never fatal, and a file named like a bundled model
replaces it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from facilitate.paths import bundled_models_dir
from facilitate.tomlcheck import (
    Problem,
    TomlChecker,
    TomlFileError,
    did_you_mean,
    parse_toml,
    read_toml_text,
)

KINDS = ("lifecycle", "mobius")
MODEL_KEYS = ("id", "kind", "title", "summary")
STAGE_KEYS = ("name", "summary", "traits")
TERM_KEYS = ("name", "meaning")
DIALOGUE_KEYS = ("meaning",)
TOP_LEVEL_KEYS = {
    "lifecycle": ("model", "stage"),
    "mobius": ("model", "quality", "monologue", "dialogue"),
}
ALL_TOP_LEVEL_KEYS = ("model", "stage", "quality", "monologue", "dialogue")
# The tallies a Mobius panel keeps (events.TALLIES without "dialogue", which is not a monologue).
MONOLOGUES = ("blame", "praise", "worry", "claim")
# Bundled models appear in the workbook's order, not alphabetically; user models follow.
BUNDLED_ORDER = ("lifecycle-pdif", "lifecycle-forming", "lifecycle-initiating", "mobius")


@dataclass(frozen=True)
class Stage:
    """One stage of a partnership lifecycle, with the signs an observer looks for."""

    name: str
    summary: str = ""
    traits: tuple[str, ...] = ()


@dataclass(frozen=True)
class Quality:
    """One of the qualities a relationship can have or lack (Mobius Model)."""

    name: str
    meaning: str = ""


@dataclass(frozen=True)
class Monologue:
    """A kind of one-sided talk (blame, praise, worry, claim) the observer tallies."""

    name: str
    meaning: str = ""

    @property
    def tally(self) -> str:
        """The name recorded in ``MonologueTallied`` events."""
        return self.name.strip().lower()


@dataclass(frozen=True)
class ReferenceModel:
    """A model an observer watches the room through; ``id`` is the file's stem."""

    id: str
    kind: str
    title: str
    summary: str = ""
    stages: tuple[Stage, ...] = ()
    qualities: tuple[Quality, ...] = ()
    monologues: tuple[Monologue, ...] = ()
    dialogue: str = ""
    source: str = field(default="", compare=False)


class ModelError(Exception):
    """A model file that cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def load_models(user_models_dir: Path) -> tuple[list[ReferenceModel], list[Problem]]:
    """Bundled models, then the user's; problems are for the caller to show, not to stop on."""
    problems: list[Problem] = []
    found: dict[str, ReferenceModel] = {}
    for folder in (bundled_models_dir(), user_models_dir):
        for path in _model_files(folder, problems):
            try:
                model = load_model(path)
            except ModelError as exc:
                problems.extend(exc.problems)
                continue
            found[model.id] = model
    order = {name: i for i, name in enumerate(BUNDLED_ORDER)}
    models = sorted(found.values(), key=lambda m: (order.get(m.id, len(order)), m.id))
    return models, problems


def _model_files(folder: Path, problems: list[Problem]) -> list[Path]:
    if not folder.exists():
        return []
    if not folder.is_dir():
        problems.append(Problem(str(folder), "is a file; models go in a folder of .toml files"))
        return []
    try:
        return sorted(p for p in folder.glob("*.toml") if p.is_file())
    except OSError as exc:
        problems.append(Problem(str(folder), f"cannot list models: {exc.strerror or exc}"))
        return []


def load_model(path: Path) -> ReferenceModel:
    """Read and validate one model file; raises :class:`ModelError` with every problem."""
    try:
        text = read_toml_text(path, "model")
    except TomlFileError as exc:
        raise ModelError([exc.problem]) from None
    return parse_model(text, file=str(path), name=path.stem)


def parse_model(text: str, *, file: str, name: str) -> ReferenceModel:
    """Validate TOML text as a model called ``name`` (the file stem)."""
    if not text.strip():
        raise ModelError([Problem(file, "is empty: a model needs a [model] table")])
    try:
        data = parse_toml(text, file)
    except TomlFileError as exc:
        raise ModelError([exc.problem]) from None
    return _Validator(text, file, name).validate(data)


class _Validator(TomlChecker):
    def validate(self, data: Mapping[str, Any]) -> ReferenceModel:
        head = data.get("model")
        if not isinstance(head, dict):
            self.problem(
                "missing [model] table with an id, kind and title"
                if head is None
                else "'model' must be a table: [model]",
                self.where.key("", 0, "model"),
            )
            head = {}
        kind = self.kind(head)
        allowed = TOP_LEVEL_KEYS.get(kind or "", ALL_TOP_LEVEL_KEYS)
        for key in data:
            if key not in allowed:
                pos = self.where.key("", 0, key)
                if pos == (None, None):
                    pos = self.where.header(key, 0)
                where = f" in a {kind} model" if kind and key in ALL_TOP_LEVEL_KEYS else ""
                hint = did_you_mean(key, allowed)
                self.problem(f"unknown table or key '{key}'{where}{hint}", pos)
        model_id = self.text(head, "model", 0, "id", "[model]")
        if model_id is not None and model_id != self.name:
            self.problem(
                f"[model]: id '{model_id}' must match the file name '{self.name}' "
                f'(write id = "{self.name}" or rename the file)',
                self.where.value("model", 0, "id"),
            )
        title = self.text(head, "model", 0, "title", "[model]", required=True)
        summary = self.text(head, "model", 0, "summary", "[model]")
        self.unknown(head, MODEL_KEYS, "model", 0, "[model]")
        stages: tuple[Stage, ...] = ()
        qualities: tuple[Quality, ...] = ()
        monologues: tuple[Monologue, ...] = ()
        dialogue = ""
        if kind == "lifecycle":
            stages = self.stages(data.get("stage"))
        elif kind == "mobius":
            qualities = tuple(Quality(n, m) for n, m in self.terms(data, "quality", required=True))
            monologues = tuple(Monologue(n, m) for n, m in self.terms(data, "monologue"))
            self.check_monologues(monologues)
            dialogue = self.dialogue(data.get("dialogue"))
        if self.problems:
            raise ModelError(self.problems)
        assert kind is not None and title is not None
        return ReferenceModel(
            id=self.name,
            kind=kind,
            title=title,
            summary=summary or "",
            stages=stages,
            qualities=qualities,
            monologues=monologues,
            dialogue=dialogue,
            source=self.file,
        )

    def kind(self, head: Mapping[str, Any]) -> str | None:
        if "kind" not in head:
            self.problem(
                f"[model]: missing required key 'kind' ({' or '.join(KINDS)})",
                self.where.header("model", 0),
            )
            return None
        value = head["kind"]
        if not isinstance(value, str) or value not in KINDS:
            shown = repr(value) if isinstance(value, str) else type(value).__name__
            hint = did_you_mean(value, KINDS) if isinstance(value, str) else ""
            self.problem(
                f"[model]: 'kind' must be one of {', '.join(KINDS)}, not {shown}{hint}",
                self.where.value("model", 0, "kind"),
            )
            return None
        return value

    def tables(self, raw: object, table: str, required: bool) -> list[tuple[int, dict[str, Any]]]:
        """The ``[[table]]`` entries that are tables, each with its index for locating it."""
        if raw is None:
            if required:
                self.problem(f"no [[{table}]] entries: add at least one", (1, 1))
            return []
        if not isinstance(raw, list):
            self.problem(
                f"'{table}' must be an array of tables: write [[{table}]]",
                self.where.header(table, 0),
            )
            return []
        found = []
        for index, entry in enumerate(raw):
            if isinstance(entry, dict):
                found.append((index, entry))
            else:
                self.problem(
                    f"{table} {index + 1} must be a table", self.where.header(table, index)
                )
        return found

    def stages(self, raw: object) -> tuple[Stage, ...]:
        stages: list[Stage] = []
        seen: set[str] = set()
        for index, entry in self.tables(raw, "stage", required=True):
            label = f"stage {index + 1}"
            name = self.text(entry, "stage", index, "name", label, required=True)
            summary = self.text(entry, "stage", index, "summary", label)
            traits = self.strings(entry, "stage", index, "traits", label)
            self.unknown(entry, STAGE_KEYS, "stage", index, label)
            if name is None:
                continue
            if name in seen:
                self.problem(
                    f"{label}: another stage is already called '{name}'",
                    self.where.value("stage", index, "name"),
                )
            if len(set(traits)) != len(traits):
                self.problem(
                    f"{label}: the same trait is listed twice",
                    self.where.value("stage", index, "traits"),
                )
            seen.add(name)
            stages.append(Stage(name, summary or "", tuple(traits)))
        return tuple(stages)

    def terms(
        self, data: Mapping[str, Any], table: str, required: bool = False
    ) -> list[tuple[str, str]]:
        """``[[quality]]`` / ``[[monologue]]`` entries as (name, meaning)."""
        terms: list[tuple[str, str]] = []
        seen: set[str] = set()
        for index, entry in self.tables(data.get(table), table, required):
            label = f"{table} {index + 1}"
            name = self.text(entry, table, index, "name", label, required=True)
            meaning = self.text(entry, table, index, "meaning", label)
            self.unknown(entry, TERM_KEYS, table, index, label)
            if name is None:
                continue
            if name.lower() in seen:
                self.problem(
                    f"{label}: another {table} is already called '{name}'",
                    self.where.value(table, index, "name"),
                )
            seen.add(name.lower())
            terms.append((name, meaning or ""))
        return terms

    def check_monologues(self, monologues: tuple[Monologue, ...]) -> None:
        for index, monologue in enumerate(monologues):
            if monologue.tally not in MONOLOGUES:
                names = ", ".join(m.title() for m in MONOLOGUES)
                hint = did_you_mean(monologue.tally, MONOLOGUES)
                self.problem(
                    f"monologue {index + 1}: '{monologue.name}' is not one of {names}{hint}",
                    self.where.value("monologue", index, "name"),
                )

    def dialogue(self, raw: object) -> str:
        if raw is None:
            return ""
        if not isinstance(raw, dict):
            where = self.where.key("", 0, "dialogue")
            self.problem("'dialogue' must be a table: [dialogue]", where)
            return ""
        meaning = self.text(raw, "dialogue", 0, "meaning", "[dialogue]")
        self.unknown(raw, DIALOGUE_KEYS, "dialogue", 0, "[dialogue]")
        return meaning or ""


def lifecycle_models(models: list[ReferenceModel]) -> list[ReferenceModel]:
    return [m for m in models if m.kind == "lifecycle"]


def mobius_model(models: list[ReferenceModel]) -> ReferenceModel | None:
    """The Mobius model the panel shows: the first one (a user's file replaces the bundled one)."""
    return next((m for m in models if m.kind == "mobius"), None)
