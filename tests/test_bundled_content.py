"""The bundled agendas and reference models say what the source documents say.

These tests read the TOML files directly (tomllib + stdlib only), so they do
not depend on the agenda loader. Every assertion is something a facilitator
would notice on the day: a break at the wrong time, a missing stage, a role
with the wrong name, a schedule that cannot fit.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

import facilitate.agenda as facilitate_agenda

ROOT = Path(__file__).parent.parent
AGENDAS = ROOT / "src" / "facilitate" / "agendas"
MODELS = ROOT / "src" / "facilitate" / "reference"

AGENDA_FILES = [
    "sample-programme",
    "shared-solutions",
    "partnership-meeting",
    "case-study-perspectives",
    "session-evaluation",
]
MODEL_FILES = ["lifecycle-pdif", "lifecycle-forming", "lifecycle-initiating", "mobius"]

AGENDA_KEYS = {"title", "start", "description", "bell", "warning"}
SEGMENT_KEYS = {
    "part_of",
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
}
KINDS = {"session", "activity", "break"}
MODES = {"plenary", "separate-groups", "mixed-groups", "pairs", "individual"}
PANELS = {"lifecycle", "mobius", "checklist"}

FIVE_ROLES = [
    "Partnership facilitator",
    "Individual member",
    "Organisational representative",
    "Community representative",
    "Academic",
]


def load_agenda(name: str) -> dict[str, Any]:
    with (AGENDAS / f"{name}.toml").open("rb") as fh:
        return tomllib.load(fh)


def load_model(name: str) -> dict[str, Any]:
    with (MODELS / f"{name}.toml").open("rb") as fh:
        return tomllib.load(fh)


def minutes(value: int | str) -> int:
    """Duration as whole minutes: 30, "45m", "1h", "1h30m"."""
    if isinstance(value, int):
        return value
    m = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?", value)
    assert m and value, f"bad duration {value!r}"
    return int(m.group(1) or 0) * 60 + int(m.group(2) or 0)


def clock(value: str) -> int:
    """'09:30' or '09.30' as minutes after midnight."""
    m = re.fullmatch(r"(\d{1,2})[:.](\d{2})", value)
    assert m, f"bad time {value!r}"
    return int(m.group(1)) * 60 + int(m.group(2))


def schedule(agenda: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """Planned start of every segment: the running clock, snapped forward to fixed times."""
    now = clock(agenda["agenda"]["start"])
    planned = []
    for seg in agenda["segment"]:
        if "at" in seg:
            now = max(now, clock(seg["at"]))
        planned.append((now, seg))
        now += minutes(seg["duration"])
    return planned


def by_title(agenda: dict[str, Any], title: str) -> dict[str, Any]:
    matches: list[dict[str, Any]] = [s for s in agenda["segment"] if s["title"] == title]
    assert len(matches) == 1, f"expected one segment titled {title!r}, found {len(matches)}"
    return matches[0]


# --- every bundled file is well-formed ------------------------------------


@pytest.mark.parametrize("name", AGENDA_FILES)
def test_agenda_uses_only_documented_keys_and_values(name: str) -> None:
    agenda = load_agenda(name)
    assert set(agenda) == {"agenda", "segment"}
    assert set(agenda["agenda"]) <= AGENDA_KEYS
    assert agenda["agenda"]["title"].strip()
    assert agenda["segment"], "an agenda needs at least one segment"
    ids = []
    for seg in agenda["segment"]:
        assert set(seg) <= SEGMENT_KEYS, f"{seg['title']}: unknown keys {set(seg) - SEGMENT_KEYS}"
        assert seg["title"].strip()
        assert minutes(seg["duration"]) >= 0
        assert seg.get("kind", "session") in KINDS
        assert seg.get("mode", "plenary") in MODES
        assert seg.get("panel", "checklist") in PANELS
        for key in ("groups", "topics", "prompts", "checklist", "roles", "feedback"):
            items = seg.get(key, [])
            assert all(isinstance(i, str) and i.strip() for i in items), f"{seg['title']}.{key}"
        if "id" in seg:
            assert re.fullmatch(r"[a-z0-9-]+", seg["id"]), seg["id"]
            ids.append(seg["id"])
    assert len(ids) == len(set(ids)), f"duplicate segment ids in {name}"


@pytest.mark.parametrize("name", AGENDA_FILES)
def test_fixed_times_increase_and_the_work_before_them_fits(name: str) -> None:
    agenda = load_agenda(name)
    start = agenda["agenda"].get("start")
    fixed = [s for s in agenda["segment"] if "at" in s]
    if not fixed:
        return
    assert start, "fixed times need a planned start to be checked against"
    ats = [clock(s["at"]) for s in fixed]
    assert ats == sorted(ats) and len(set(ats)) == len(ats), "fixed times must increase"
    now = clock(start)
    for seg in agenda["segment"]:
        if "at" in seg:
            assert now <= clock(seg["at"]), (
                f"{name}: segments before {seg['title']!r} run to "
                f"{now // 60:02d}:{now % 60:02d}, past its fixed time {seg['at']}"
            )
            now = clock(seg["at"])
        now += minutes(seg["duration"])


@pytest.mark.parametrize("name", MODEL_FILES)
def test_model_header_matches_file(name: str) -> None:
    model = load_model(name)["model"]
    assert model["id"] == name
    assert model["kind"] == ("mobius" if name == "mobius" else "lifecycle")
    assert model["title"].strip() and model["summary"].strip()


# --- sample programme (workbook) -------------------------------------------


def test_sample_programme_title_and_day() -> None:
    agenda = load_agenda("sample-programme")
    assert agenda["agenda"]["title"] == (
        "Collaborative Working to Improve Population Health & Wellbeing"
    )
    assert clock(agenda["agenda"]["start"]) == clock("09:30")
    close = agenda["segment"][-1]
    assert close["title"] == "Close"
    assert close["at"] == "16:00" and minutes(close["duration"]) == 0


def test_sample_programme_durations_fill_the_day_exactly() -> None:
    agenda = load_agenda("sample-programme")
    now = clock(agenda["agenda"]["start"])
    for seg in agenda["segment"]:
        if "at" in seg:
            assert now == clock(seg["at"]), f"gap or overrun before {seg['title']!r}"
        now += minutes(seg["duration"])


def test_sample_programme_breaks_at_documented_times() -> None:
    planned = schedule(load_agenda("sample-programme"))
    breaks = {seg["title"]: at for at, seg in planned if seg.get("kind") == "break"}
    fixed_breaks = sorted(
        (clock(seg["at"]), seg["title"]) for _, seg in planned if seg.get("kind") == "break"
    )
    assert [t for t, _ in fixed_breaks] == [
        clock("09:30"),
        clock("11:20"),
        clock("12:30"),
        clock("15:00"),
    ]
    assert breaks["Lunch"] == clock("12:30")
    assert fixed_breaks[0][1].lower().startswith("registration")


@pytest.mark.parametrize(
    ("title", "starts", "topics"),
    [
        (
            "Concepts and Contexts of Collaboration",
            "10:10",
            [
                "Collaborative Experience",
                "Understanding Collaboration",
                "Partnership Development and Lifecycles",
                "Partnership Programmes and Challenges",
            ],
        ),
        (
            "Creating a Climate for Change",
            "11:30",
            [
                "Reviewing Stakeholder Involvement",
                "Understanding Culture",
                "Conflict, Change and Motivation",
            ],
        ),
        (
            "Influencing and Negotiation",
            "13:30",
            [
                "Developing and Managing Relationships",
                "Partnership Perspectives",
                "Key Skills to Partnership Development",
            ],
        ),
    ],
)
def test_sample_programme_themed_sessions(title: str, starts: str, topics: list[str]) -> None:
    planned = schedule(load_agenda("sample-programme"))
    [(at, seg)] = [(at, s) for at, s in planned if s["title"] == title]
    assert at == clock(starts)
    assert seg["topics"] == topics


def test_sample_programme_panels_and_activities() -> None:
    agenda = load_agenda("sample-programme")
    lifecycles = [
        s
        for s in agenda["segment"]
        if "Partnership Development and Lifecycles" in s.get("topics", [])
    ]
    assert [s.get("panel") for s in lifecycles] == ["lifecycle"]
    relationships = by_title(agenda, "Influencing and Negotiation")
    assert relationships["panel"] == "mobius"
    activities = [s for s in agenda["segment"] if s.get("kind") == "activity"]
    for n in range(1, 6):
        assert any(s["title"].startswith(f"Activity {n}") for s in activities), n
    for seg in activities:
        if seg["title"].startswith(("Activity 1", "Activity 2", "Activity 3", "Activity 4")):
            assert seg.get("prompts"), f"{seg['title']} has no prompts"
    meeting = [s for s in activities if s.get("roles")]
    assert meeting and meeting[0]["roles"] == FIVE_ROLES


def test_sample_programme_ends_with_feedback_and_reflection() -> None:
    planned = schedule(load_agenda("sample-programme"))
    [(at, seg)] = [(a, s) for a, s in planned if s["title"] == "Session feedback and reflection"]
    assert clock("15:00") < at < clock("16:00")
    assert [f.split(":")[0] for f in seg["feedback"]] == ["Pink", "Yellow", "Green", "Blue"]


# --- Shared Solutions toolkit ----------------------------------------------

STAGES = [
    ("A", "Introduction", "plenary"),
    ("B", "Ice breaker", "plenary"),
    ("C", "Mapping out the issues", "separate-groups"),
    ("D", "Sharing the learning", "plenary"),
    ("E", "Exploring aspirations", "mixed-groups"),
    ("F", "Thinking about tangible priorities, indicators and issues", "plenary"),
    ("G", "Identifying your own tangible priorities", "separate-groups"),
    ("H", "Identifying shared tangible priorities", "mixed-groups"),
    ("I", "Final things and wrapping up", "plenary"),
]


def shared_solutions_stages() -> list[dict[str, Any]]:
    agenda = load_agenda("shared-solutions")
    return [s for s in agenda["segment"] if re.match(r"[A-I]\. ", s["title"])]


def test_shared_solutions_stages_in_order_with_modes() -> None:
    stages = shared_solutions_stages()
    assert [s["title"] for s in stages] == [f"{letter}. {name}" for letter, name, _ in STAGES]
    assert [s.get("mode", "plenary") for s in stages] == [mode for _, _, mode in STAGES]


def test_shared_solutions_group_work_names_its_groups() -> None:
    for stage in shared_solutions_stages():
        mode = stage.get("mode", "plenary")
        if mode == "separate-groups":
            assert any(g.startswith("Users") for g in stage["groups"]), stage["title"]
            assert any(g.startswith("Staff") for g in stage["groups"]), stage["title"]
        elif mode == "mixed-groups":
            assert len(stage["groups"]) >= 2, stage["title"]


def test_shared_solutions_every_stage_has_a_checklist() -> None:
    for stage in shared_solutions_stages():
        assert stage.get("checklist"), f"{stage['title']} has no checklist"
        assert stage.get("panel") == "checklist", stage["title"]


def test_shared_solutions_spokesperson_feedback_and_postcards() -> None:
    stages = {s["title"][0]: s for s in shared_solutions_stages()}
    assert stages["D"]["feedback"], "D: groups report back through spokespeople"
    assert stages["H"]["feedback"], "H: mixed groups report back through spokespeople"
    wrap_up = " ".join(stages["I"]["checklist"]).lower()
    assert "postcard" in wrap_up and "one thing" in wrap_up


def test_shared_solutions_fits_the_day() -> None:
    agenda = load_agenda("shared-solutions")
    planned = schedule(agenda)
    assert clock(agenda["agenda"]["start"]) == clock("09:30")
    end_at, end = planned[-1]
    assert end_at + minutes(end["duration"]) <= clock("16:00")
    kinds = [s.get("kind") for _, s in planned]
    assert kinds.count("break") >= 2
    assert any(s["title"] == "Lunch" for _, s in planned)


# --- Activity 5: partnership meeting ---------------------------------------


def test_partnership_meeting_roles_and_meeting() -> None:
    agenda = load_agenda("partnership-meeting")
    # The meeting, the reflection in role and the feedback share the first segment's three
    # groups of five roles (part_of), so answers can be put to the role each person played.
    validated = facilitate_agenda.load_agenda(AGENDAS / "partnership-meeting.toml")
    for segment in validated.segments:
        assert list(segment.roles) == FIVE_ROLES, segment.title
        assert segment.groups == ("Group 1", "Group 2", "Group 3"), segment.title
    [meeting] = [s for s in agenda["segment"] if s.get("kind") == "activity"]
    assert 3 <= len(meeting["topics"]) <= 6
    assert meeting["panel"] == "mobius"
    assert "scribe" in " ".join(meeting["checklist"]).lower()


def test_the_sample_programmes_activity_5_reflection_shares_the_meetings_roles() -> None:
    validated = facilitate_agenda.load_agenda(AGENDAS / "sample-programme.toml")
    meeting, reflection = (s for s in validated.segments if s.id.startswith("activity-5"))
    assert reflection.part_of == meeting.id
    assert (reflection.roles, reflection.groups) == (meeting.roles, meeting.groups)


def test_partnership_meeting_reflection_and_feedback() -> None:
    agenda = load_agenda("partnership-meeting")
    reflective = [s for s in agenda["segment"] if s.get("reflection")]
    assert reflective and len(reflective[0]["prompts"]) == 7
    assert agenda["segment"][-1].get("feedback")


# --- case study perspectives -----------------------------------------------


def test_case_study_follows_the_brief_in_order() -> None:
    agenda = load_agenda("case-study-perspectives")
    titles = [s["title"].lower() for s in agenda["segment"]]
    order = ["context", "perspective", "similarities", "themes", "feedback", "own experience"]
    positions = [next(i for i, t in enumerate(titles) if word in t) for word in order]
    assert positions == sorted(positions), titles
    group_work = [
        s for s in agenda["segment"] if s.get("mode") in ("separate-groups", "mixed-groups")
    ]
    assert group_work and all(len(s["groups"]) >= 2 for s in group_work)
    feedback = next(s for s in agenda["segment"] if "feedback" in s["title"].lower())
    assert feedback["feedback"]


# --- session evaluation and learning log -----------------------------------


def test_session_evaluation_colours_and_learning_log() -> None:
    agenda = load_agenda("session-evaluation")
    colours = [s for s in agenda["segment"] if any(":" in f for f in s.get("feedback", []))]
    assert [f.split(":")[0] for f in colours[0]["feedback"]] == ["Pink", "Yellow", "Green", "Blue"]
    gist = " ".join(colours[0]["feedback"]).lower()
    for words in ("worked well", "practice", "learn", "improved"):
        assert words in gist, words
    log = agenda["segment"][-1]
    assert log["feedback"] == ["Experience", "Reflect", "Conclude", "Plan"]
    assert len(log["prompts"]) == 4
    assert log.get("reflection") is True


# --- reference models ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "stages"),
    [
        (
            "lifecycle-pdif",
            ["Preparation", "Development", "Implementation", "Fulfilment & measurement"],
        ),
        ("lifecycle-forming", ["Forming", "Frustration", "Functioning", "Flying", "Failing"]),
        ("lifecycle-initiating", ["Initiating", "Starting", "Doing", "Following through"]),
    ],
)
def test_lifecycle_stages(name: str, stages: list[str]) -> None:
    model = load_model(name)
    assert set(model) == {"model", "stage"}
    assert [s["name"] for s in model["stage"]] == stages
    for stage in model["stage"]:
        assert stage["summary"].strip(), stage["name"]
        assert len(stage["traits"]) >= 2, stage["name"]


def test_mobius_qualities_monologues_dialogue() -> None:
    model = load_model("mobius")
    assert set(model) == {"model", "quality", "monologue", "dialogue"}
    assert [q["name"] for q in model["quality"]] == [
        "Mutual understanding",
        "Possibility",
        "Commitment",
        "Capability",
        "Responsibility",
        "Acknowledgement",
    ]
    assert [m["name"] for m in model["monologue"]] == ["Blame", "Praise", "Worry", "Claim"]
    for item in model["quality"] + model["monologue"]:
        assert item["meaning"].strip(), item["name"]
    assert model["dialogue"]["meaning"].strip()
