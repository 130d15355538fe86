"""The JSON export is the lossless contract other tools read: every fact, raw, stable."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from facilitate.events import (
    ChecklistTicked,
    MonologueTallied,
    NoteAdded,
    QualityMarked,
    RoleAssigned,
    SegmentChanged,
    TimerStarted,
)
from facilitate.export import FORMATS
from facilitate.export import render_text as render
from facilitate.store import LoadedSession
from sessionfactory import HOSTILE_TEXT, assert_golden, build_sample_session, start_session


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> LoadedSession:
    return build_sample_session(tmp_path_factory.mktemp("sample"))


def data_of(session: LoadedSession, tz: Any = UTC, now: datetime | None = None) -> Any:
    return json.loads(render("json", session, tz, now))


def test_matches_golden_file(sample: LoadedSession) -> None:
    assert_golden("partnership-meeting.json", render("json", sample, UTC))


def test_same_session_exports_identical_bytes(sample: LoadedSession, tmp_path: Path) -> None:
    again = build_sample_session(tmp_path)
    assert render("json", again, UTC) == render("json", sample, UTC)


def test_header_and_key_order_are_the_contract(sample: LoadedSession) -> None:
    data = data_of(sample)
    assert list(data) == ["format", "version", "session", "agenda", "segments", "notes", "roles",
                          "roles_by_group", "writers", "attendance", "panels", "observations",
                          "reflections", "plan"]  # fmt: skip
    assert (data["format"], data["version"]) == ("facilitate-session", 1)
    assert data["session"] == {
        "id": "2025-03-04-0858-partnership-meeting", "created": "2025-03-04T08:58:00+00:00",
        "ended": "2025-03-04T10:20:00+00:00", "status": "ended",
    }  # fmt: skip
    assert data["agenda"] == {"title": "Activity 5: Partnership meeting role-play",
                              "name": "partnership-meeting"}  # fmt: skip


def test_segments_carry_plan_and_actual_times(sample: LoadedSession) -> None:
    meeting = data_of(sample)["segments"][1]
    assert meeting == {
        "id": "meeting", "index": 1, "title": "Partnership meeting", "kind": "activity",
        "mode": "separate-groups", "planned_start": "2025-03-04T09:10:00+00:00",
        "planned_duration_s": 1800, "actual_start": "2025-03-04T09:12:00+00:00",
        "actual_end": "2025-03-04T09:51:00+00:00", "actual_duration_s": 37 * 60,
        "adjust_s": 300, "replanned_start": None, "replanned_duration_s": None,
        "agreed_duration_s": 35 * 60, "dropped": False,
    }  # fmt: skip
    assert data_of(sample)["plan"] == {
        "start": None, "shifted": False, "fixed_times_shifted": False, "replans": []
    }  # fmt: skip


def test_deleted_notes_are_kept_and_marked_with_edits_applied(sample: LoadedSession) -> None:
    notes = {n["text"]: n for n in data_of(sample)["notes"]}
    assert notes["Mistyped note, deleted"]["deleted"] is True
    assert "Who funds the evaluation?" not in notes
    edited = notes["Who funds the evaluation, and for how long?"]
    assert edited["edited"] == "2025-03-04T09:27:00+00:00" and edited["kind"] == "question"
    assert len(notes) == len(sample.state.notes)


def test_user_text_stays_raw_and_unicode_unescaped(sample: LoadedSession) -> None:
    text = render("json", sample, UTC)
    assert "Siân Jones" in text  # ensure_ascii=False
    notes = json.loads(text)["notes"]
    assert HOSTILE_TEXT in [n["text"] for n in notes]  # no Markdown or CSV escaping here


def test_action_fields_and_done(sample: LoadedSession) -> None:
    actions = [n for n in data_of(sample)["notes"] if n["kind"] == "action"]
    assert [(a["owner"], a["due"], a["done"]) for a in actions] == [
        ("Asha Patel", "2025-03-18", False),
        ("Dr Bo Chen", "2025-03-11", True),
        ("Siân Jones", "next meeting", False),
    ]


def test_panels_roles_and_reflections(sample: LoadedSession) -> None:
    data = data_of(sample)
    assert data["roles"] == {"Academic": "Dr Bo Chen", "Community representative": "Siân Jones",
                             "Partnership facilitator": "Asha Patel"}  # fmt: skip
    panels = data["panels"]
    assert panels["lifecycle"] == {"lifecycle-forming": {"stage": "Frustration", "traits": [
        ["Forming", "Enthusiasm for the new challenge and new relationships"],
        ["Frustration", "Partners compete for credit and control"],
    ]}}  # fmt: skip
    assert panels["mobius"]["qualities"] == {"Acknowledgement": "missing",
                                             "Commitment": "developing",
                                             "Mutual understanding": "present"}  # fmt: skip
    assert panels["mobius"]["tallies"] == {"blame": 2, "dialogue": 3, "praise": 0, "worry": 1}
    first = panels["checklists"]["allocate-roles"]
    assert [(row["item"][:20], row["checked"]) for row in first] == [
        ("Everyone picks a rol", True), ("Each group has all f", True),
        ("Everyone knows who i", False), ("One person agrees to", False),
    ]  # fmt: skip
    assert [r["rating"] for r in data["reflections"]] == [3, 4]
    assert data["reflections"][1]["segment"] is None


def test_observations_per_segment_and_group_with_their_times(tmp_path: Path) -> None:
    day = start_session(tmp_path)
    day.record(SegmentChanged, segment=1, reason="next")  # the meeting: three groups
    day.wait(1)
    day.record(MonologueTallied, name="blame", segment=1, group="Group 1")
    day.wait(2)
    day.record(MonologueTallied, name="blame", segment=1, group="Group 1")
    day.record(MonologueTallied, name="dialogue", segment=1, group="Group 2")
    day.record(QualityMarked, quality="Commitment", state="present", segment=1, group="Group 2")
    day.record(RoleAssigned, role="Academic", person="Bo", group="Group 2")
    data = data_of(day.load())
    assert [(o["segment"], o["group"]) for o in data["observations"]] == [
        ("meeting", "Group 1"),
        ("meeting", "Group 2"),
    ]
    one, two = data["observations"]
    assert one["mobius"]["tallies"] == {"blame": 2}
    assert one["mobius"]["tally_times"] == {
        "blame": ["2025-03-04T08:59:00+00:00", "2025-03-04T09:01:00+00:00"]
    }
    assert (one["first"], one["last"]) == ("2025-03-04T08:59:00+00:00", "2025-03-04T09:01:00+00:00")
    assert two["mobius"]["qualities"] == {"Commitment": "present"}
    assert data["panels"]["mobius"]["tallies"] == {"blame": 2, "dialogue": 1}  # the day's total
    assert data["roles_by_group"] == {"Group 2": {"Academic": "Bo"}}


def test_times_are_shown_in_the_given_zone(sample: LoadedSession) -> None:
    plus_one = timezone(timedelta(hours=1))
    data = data_of(sample, plus_one)
    assert data["session"]["created"] == "2025-03-04T09:58:00+01:00"
    assert data["notes"][0]["created"] == "2025-03-04T10:02:00+01:00"
    assert data["segments"][0]["planned_start"] == "2025-03-04T10:00:00+01:00"


def test_running_session_counts_up_to_its_last_instant(tmp_path: Path) -> None:
    day = start_session(tmp_path)
    day.record(TimerStarted)
    day.wait(4)
    day.record(NoteAdded, kind="note", text="still going", segment=0)
    day.wait(30)  # nothing recorded after the note
    session = day.load()
    data = data_of(session)
    assert data["session"]["status"] == "running"
    assert data["segments"][0]["actual_duration_s"] == 240
    later = datetime(2025, 3, 4, 9, 8, tzinfo=UTC)  # ten minutes after the 08:58 start
    assert data_of(session, now=later)["segments"][0]["actual_duration_s"] == 600
    assert render("json", session, UTC) == render("json", session, UTC)


def test_checklist_tick_beyond_the_agenda_is_kept(tmp_path: Path) -> None:
    day = start_session(tmp_path)
    day.record(ChecklistTicked, segment=0, item=9, checked=True)
    rows = data_of(day.load())["panels"]["checklists"]["allocate-roles"]
    assert rows[-1] == {"index": 9, "item": None, "checked": True}
    assert len(rows) == 5


def test_unknown_format_is_refused(sample: LoadedSession) -> None:
    assert FORMATS == ("md", "html", "docx", "txt", "csv", "json")
    with pytest.raises(ValueError, match="unknown export format 'pdf'"):
        render("pdf", sample, UTC)


def test_data_formats_refuse_an_audience(sample: LoadedSession) -> None:
    """csv and json are complete: asking for the partnership's cut of them is a mistake."""
    for fmt in ("csv", "json"):
        with pytest.raises(ValueError, match="complete data"):
            render(fmt, sample, UTC, audience="partnership")


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "docx"])
def test_a_stray_byte_in_a_note_cannot_break_saving(tmp_path: Path, fmt: str) -> None:
    day = start_session(tmp_path)
    day.record(NoteAdded, kind="note", text="caf\udce9 ok", segment=0)  # journaled as \udce9
    text = render(fmt, day.load(), UTC)
    assert "caf\ufffd" in text.encode("utf-8").decode("utf-8")
