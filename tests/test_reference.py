"""The observation models load as the workbook describes them, and a user's broken model
is reported at file:line:col without taking the bundled ones down with it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from facilitate.reference import (
    ModelError,
    ReferenceModel,
    load_models,
    mobius_model,
    parse_model,
)

LIFECYCLE_STAGES = {
    "lifecycle-pdif": [
        "Preparation",
        "Development",
        "Implementation",
        "Fulfilment & measurement",
    ],
    "lifecycle-forming": ["Forming", "Frustration", "Functioning", "Flying", "Failing"],
    "lifecycle-initiating": ["Initiating", "Starting", "Doing", "Following through"],
}
QUALITIES = [
    "Mutual understanding",
    "Possibility",
    "Commitment",
    "Capability",
    "Responsibility",
    "Acknowledgement",
]

USER_MODEL = """\
[model]
id = "my-cycle"
kind = "lifecycle"
title = "Our own cycle"

[[stage]]
name = "Courting"
summary = "Getting to know each other."
traits = ["Coffee meetings"]

[[stage]]
name = "Married"
"""


def by_id(models: list[ReferenceModel]) -> dict[str, ReferenceModel]:
    return {m.id: m for m in models}


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_models_load_without_problems(tmp_path: Path) -> None:
    models, problems = load_models(tmp_path / "no-such-folder")
    assert problems == []
    assert [m.id for m in models] == [*LIFECYCLE_STAGES, "mobius"]
    assert all(m.title and m.summary for m in models)


@pytest.mark.parametrize("model_id", list(LIFECYCLE_STAGES))
def test_each_lifecycle_has_the_documented_stages_in_order(tmp_path: Path, model_id: str) -> None:
    model = by_id(load_models(tmp_path)[0])[model_id]
    assert model.kind == "lifecycle"
    assert [s.name for s in model.stages] == LIFECYCLE_STAGES[model_id]
    assert all(stage.summary and stage.traits for stage in model.stages)


def test_mobius_has_six_qualities_four_monologues_and_dialogue(tmp_path: Path) -> None:
    model = mobius_model(load_models(tmp_path)[0])
    assert model is not None and model.kind == "mobius"
    assert [q.name for q in model.qualities] == QUALITIES
    assert [m.tally for m in model.monologues] == ["blame", "praise", "worry", "claim"]
    assert all(q.meaning for q in model.qualities)
    assert model.dialogue.startswith("Listening")


def test_user_model_with_unknown_key_is_reported_and_skipped(tmp_path: Path) -> None:
    text = USER_MODEL.replace('title = "Our own cycle"', 'title = "Our own cycle"\nsumary = "x"')
    path = write(tmp_path, "my-cycle", text)
    models, problems = load_models(tmp_path)
    assert [str(p) for p in problems] == [
        f"{path}:5:1: [model]: unknown key 'sumary' (did you mean 'summary'?)"
    ]
    assert "my-cycle" not in by_id(models)
    assert list(by_id(models)) == [*LIFECYCLE_STAGES, "mobius"]


def test_user_model_that_overrides_nothing_loads_after_the_bundled_ones(tmp_path: Path) -> None:
    write(tmp_path, "my-cycle", USER_MODEL)
    models, problems = load_models(tmp_path)
    assert problems == []
    assert [m.id for m in models] == [*LIFECYCLE_STAGES, "mobius", "my-cycle"]
    mine = models[-1]
    assert [s.name for s in mine.stages] == ["Courting", "Married"]
    assert mine.stages[0].traits == ("Coffee meetings",)
    assert mine.stages[1].traits == ()


def test_user_model_named_like_a_bundled_one_replaces_it(tmp_path: Path) -> None:
    write(tmp_path, "lifecycle-forming", USER_MODEL.replace("my-cycle", "lifecycle-forming"))
    models, problems = load_models(tmp_path)
    assert problems == []
    forming = by_id(models)["lifecycle-forming"]
    assert forming.title == "Our own cycle"
    assert [m.id for m in models] == [*LIFECYCLE_STAGES, "mobius"]


def test_broken_override_keeps_the_bundled_model(tmp_path: Path) -> None:
    write(tmp_path, "mobius", "[model]\nid = 'mobius'\nkind = 'mobius'\n")
    models, problems = load_models(tmp_path)
    assert [p.message for p in problems] == [
        "[model]: missing required key 'title'",
        "no [[quality]] entries: add at least one",
    ]
    assert len(mobius_model(models).qualities) == 6  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (USER_MODEL.replace('"lifecycle"', '"lifecycel"'),
         r"x\.toml:3:8: \[model\]: 'kind' must be one of lifecycle, mobius, not 'lifecycel' "
         r"\(did you mean 'lifecycle'\?\)"),
        (USER_MODEL.replace('id = "my-cycle"', 'id = "other"'),
         r"x\.toml:2:6: \[model\]: id 'other' must match the file name 'my-cycle'"),
        (USER_MODEL.replace('name = "Married"', 'name = "Courting"'),
         r"x\.toml:12:8: stage 2: another stage is already called 'Courting'"),
        (USER_MODEL + "\n[[stages]]\nname = 'Divorced'\n",
         r"x\.toml:14:1: unknown table or key 'stages' \(did you mean 'stage'\?\)"),
        (USER_MODEL.replace('traits = ["Coffee meetings"]', "traits = 'Coffee meetings'"),
         r"x\.toml:9:10: stage 1: 'traits' must be a list of non-empty strings"),
        ("[model\nid = 1", r"x\.toml:1:7: TOML syntax: "),
        ("[model]\nkind = 'mobius'\ntitle = 'M'\n[[quality]]\nname = 'Trust'\n"
         "[[monologue]]\nname = 'Moan'\n",
         r"x\.toml:7:8: monologue 1: 'Moan' is not one of Blame, Praise, Worry, Claim"),
        ("[model]\nkind = 'mobius'\ntitle = 'M'\n[[quality]]\nname = 'Trust'\n[[stage]]\n",
         r"x\.toml:6:1: unknown table or key 'stage' in a mobius model"),
    ],
    ids=["kind", "id", "duplicate-stage", "unknown-table", "traits", "syntax", "monologue",
         "wrong-kind-table"],
)  # fmt: skip
def test_model_problems_point_at_the_place_to_edit(text: str, expected: str) -> None:
    with pytest.raises(ModelError) as caught:
        parse_model(text, file="x.toml", name="my-cycle")
    assert any(re.match(expected, str(p)) for p in caught.value.problems), [
        str(p) for p in caught.value.problems
    ]


def test_unreadable_user_model_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    # Models are read as agendas are (one shared reader): binary, then encoding.
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00 not text")
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes(b"[model]\ntitle = 'caf\xe9'\n")
    models, problems = load_models(tmp_path)
    assert [str(p) for p in problems] == [
        f"{binary}: is a binary file, not a TOML model",
        f"{latin1}:2:13: is not UTF-8 text (save it as UTF-8)",
    ]
    assert len(models) == 4
