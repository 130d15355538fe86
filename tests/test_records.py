"""Journal records say which version of the format wrote them.

Journals outlive the program that wrote them: a session from last year must
still open, and a session written by a newer facilitate must be refused line by
line with a sentence naming the line, never misread and never a crash.
"""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from facilitate.agenda import parse_agenda
from facilitate.clock import FakeTimeSource, SessionClock
from facilitate.events import (
    RECORD_VERSION,
    EventError,
    NoteAdded,
    SessionStarted,
    TimerStarted,
    base,
    event_from_record,
    records,
)
from facilitate.journal import JournalWriter, encode_record, read_session
from facilitate.live import LiveSession
from facilitate.paths import Paths
from facilitate.store import create_session, load_session

pytestmark = pytest.mark.usefixtures("no_leaked_fds")

T0 = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)
AGENDA = '[agenda]\ntitle = "Day"\n\n[[segment]]\ntitle = "Welcome"\nduration = 30\n'

# Exactly as facilitate wrote a note before records had a version.
OLD_NOTE_LINE = (
    '{"at":"2025-03-04T09:12:00.000000+00:00","category":null,"due":"2025-03-18",'
    '"group":"Group 1","kind":"action","owner":"Asha","role":null,"segment":0,'
    '"seq":3,"text":"Circulate the terms of reference","type":"note_added","writer":"fac"}'
)


def session(tmp_path: Path) -> tuple[str, Path]:
    agenda = parse_agenda(AGENDA, file="day.toml", name="day")
    return create_session(Paths(tmp_path, tmp_path), agenda, AGENDA, T0, UTC)


def note_record(seq: int, text: str, **changes: Any) -> dict[str, Any]:
    event = NoteAdded(at=T0, writer="fac", seq=seq, kind="note", text=text, segment=0)
    return {**event.to_record(), **changes}


def test_every_record_carries_the_version_that_wrote_it() -> None:
    assert RECORD_VERSION == 1
    for event in (
        SessionStarted(at=T0, agenda_name="day", agenda_title="Day"),
        TimerStarted(at=T0, writer="fac", seq=1),
        NoteAdded(at=T0, writer="fac", seq=2, kind="note", text="x", segment=0),
    ):
        record = event.to_record()
        assert record["version"] == RECORD_VERSION
        assert event_from_record(record) == event
        assert "version" not in {f.name for f in fields(event)}  # not the event's business


def test_a_record_without_a_version_is_read_as_version_1() -> None:
    old = json.loads(OLD_NOTE_LINE)
    event = event_from_record(old)
    assert event == NoteAdded(
        at=datetime(2025, 3, 4, 9, 12, tzinfo=UTC),
        writer="fac",
        seq=3,
        kind="action",
        text="Circulate the terms of reference",
        segment=0,
        group="Group 1",
        owner="Asha",
        due="2025-03-18",
    )
    assert old == json.loads(OLD_NOTE_LINE)  # reading never changes the record
    assert event.to_record() == {**old, "version": 1}


def test_an_old_journal_still_opens(tmp_path: Path) -> None:
    sid, folder = session(tmp_path)
    (folder / "journal-fac.jsonl").write_bytes(OLD_NOTE_LINE.encode() + b"\n")
    loaded = load_session(sid, folder)
    assert loaded.warnings == []
    assert loaded.state.notes["fac-3"].text == "Circulate the terms of reference"


def test_a_record_from_a_newer_facilitate_is_refused_with_a_sentence() -> None:
    with pytest.raises(EventError, match="written by a newer version of facilitate") as caught:
        event_from_record(note_record(0, "from the future", version=RECORD_VERSION + 1))
    assert str(caught.value) == (
        "note_added record written by a newer version of facilitate (record version "
        f"{RECORD_VERSION + 1}; this one reads up to {RECORD_VERSION}): "
        "update facilitate to read it"
    )
    # A type this version has never heard of says the same: the version is the real reason.
    future = {"type": "poll_opened", "at": "2025-03-04T09:00:00+00:00", "version": 7}
    with pytest.raises(EventError, match="newer version of facilitate"):
        event_from_record(future)


@pytest.mark.parametrize("version", ["1", 1.0, True, 0, -1, None, [1]], ids=repr)
def test_a_version_that_is_no_version_is_refused(version: object) -> None:
    with pytest.raises(EventError, match="version must be a whole number"):
        event_from_record(note_record(0, "x", version=version))


def test_a_newer_record_is_a_warning_naming_file_and_line_and_the_rest_loads(
    tmp_path: Path,
) -> None:
    sid, folder = session(tmp_path)
    path = folder / "journal-fac.jsonl"
    path.write_bytes(
        encode_record(note_record(0, "before"))
        + encode_record(note_record(1, "from the future", version=RECORD_VERSION + 1))
        + encode_record(note_record(2, "after"))
    )
    loaded = load_session(sid, folder)
    assert [n.text for n in loaded.state.notes.values()] == ["before", "after"]
    [warning] = loaded.warnings
    assert warning.startswith(f"{path}:2: note_added record written by a newer version")
    assert warning.endswith("; skipped")


def test_a_live_view_warns_about_a_newer_record_and_goes_on(tmp_path: Path) -> None:
    sid, folder = session(tmp_path)
    path = folder / "journal-fac.jsonl"
    path.write_bytes(encode_record(note_record(0, "from the future", version=RECORD_VERSION + 1)))
    agenda = parse_agenda(AGENDA, file="day.toml", name="day")
    projector = LiveSession(sid, folder, agenda, SessionClock(FakeTimeSource(T0)), UTC, None)
    assert projector.poll() is False
    [warning] = projector.warnings
    assert warning.startswith(f"{path}:1: note_added record written by a newer version")
    with path.open("ab") as handle:
        handle.write(encode_record(note_record(1, "now")))
    assert projector.poll() is True
    assert [n.text for n in projector.state.notes.values()] == ["now"]


def test_a_record_reads_back_exactly_as_it_was_written(tmp_path: Path) -> None:
    sid, folder = session(tmp_path)
    agenda = parse_agenda(AGENDA, file="day.toml", name="day")
    with LiveSession(sid, folder, agenda, SessionClock(FakeTimeSource(T0)), UTC, "fac") as live:
        live.record(SessionStarted(at=live.now(), agenda_name="day", agenda_title="Day"))
        live.record(NoteAdded(at=live.now(), kind="note", text="Décision ☕", segment=0))
        live.record(NoteAdded(at=live.now(), kind="note", text="Décision ☕", segment=0))
    records = read_session(folder).records
    assert [r["version"] for r in records] == [RECORD_VERSION] * 3
    # the journal's merge compares records as dicts: what comes back is what went in
    assert [event_from_record(r).to_record() for r in records] == records
    with JournalWriter(folder, "fac") as writer:  # a copy left by an unconfirmed write
        writer.append(records[-1])
    assert read_session(folder).records == records


def test_upgrades_cover_every_older_version() -> None:
    assert sorted(records._UPGRADES) == list(range(1, RECORD_VERSION))


def test_an_older_record_is_upgraded_step_by_step_on_a_copy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """How a version 2 would land: a step turns each version-1 record into a version-2 one."""

    def v1_to_v2(record: dict[str, Any]) -> dict[str, Any]:
        if record.get("type") == "note_added":
            record["text"] = record.pop("body")  # say version 2 renamed "body" to "text"
        return record

    monkeypatch.setattr(base, "RECORD_VERSION", 2)
    monkeypatch.setattr(records, "_UPGRADES", {1: v1_to_v2})
    v2 = note_record(0, "typed")
    assert v2["version"] == 2
    v1 = {**v2, "version": 1}
    v1["body"] = v1.pop("text")
    unversioned = {k: v for k, v in v1.items() if k != "version"}
    for record in (v1, unversioned):
        as_read = dict(record)
        assert event_from_record(record) == event_from_record(v2)
        assert record == as_read  # the caller's record is left as it was read
    assert event_from_record(v1).to_record() == v2


def test_a_record_is_the_events_fields_its_type_and_its_version() -> None:
    assert TimerStarted(at=T0, writer="fac", seq=9).to_record() == {
        "at": "2025-03-04T09:00:00.000000+00:00",
        "writer": "fac",
        "seq": 9,
        "type": "timer_started",
        "version": RECORD_VERSION,
    }


def test_a_re_plan_reads_back_and_a_damaged_one_is_refused() -> None:
    from facilitate.events import PlanChanged

    event = PlanChanged(
        at=T0,
        writer="fac",
        seq=3,
        reason="late start",
        segments=[1, 2],
        lengths=[600, 0],
        starts=["2025-06-12T09:30:00.000000+00:00"] * 2,
        dropped=[2],
    )
    record = event.to_record()
    assert event_from_record(record) == event
    with pytest.raises(EventError, match="lengths must be a list of int"):
        event_from_record({**record, "lengths": [600, "ten"]})
    with pytest.raises(EventError, match="segments must be a list of int"):
        event_from_record({**record, "segments": 1})
