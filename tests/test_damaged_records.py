"""A damaged record loses no more than its damage, and every command says so alike.

An outside tester, black-box: ``sessions`` listed a damaged or unreadable session with
fewer notes and no word, while ``export`` and ``actions`` warned; an empty journal was
reported nowhere; one bad field (an owner that is an object, a time in year 9999, text
that is a number) dropped the whole note; ``segment: -1`` was reported as "segment 0",
a ``seq`` of the wrong type as "record without at/writer/seq"; a record whose writer is
not its file's was taken without a word; due dates 0001-01-01, 9999-12-31 and
2026-13-45 were taken from a journal; and the reader held a whole journal, its lines
and their JSON objects at once (a 91 MB journal: 600 MB). Each case is here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facilitate.cli import main
from facilitate.clock import FakeTimeSource, SessionClock
from facilitate.events import TimerStarted
from facilitate.export import render
from facilitate.journal import encode_record, read_journal, read_session, reader
from facilitate.journal import lines as journal_lines
from facilitate.live import LiveSession
from facilitate.paths import ENV_DATA_DIR, Paths
from facilitate.store import list_sessions, load_session
from sessionfactory import Scripted, start_session

START = datetime(2025, 3, 4, 8, 58, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _no_env_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "env-data"))


@pytest.fixture
def day(tmp_path: Path) -> Scripted:
    """A meeting with a running clock and two notes, its summary written."""
    day = start_session(tmp_path)
    day.record(TimerStarted)
    day.wait(5)
    day.note("decision", "Meet monthly")
    day.note("action", "Send the notes", owner="Asha", due="2025-03-11")
    day.live.save_summary()
    return day


def journal(day: Scripted) -> Path:
    return day.live.folder / "journal-scribe.jsonl"


def append(path: Path, *records: dict[str, Any] | str) -> list[int]:
    """Write raw lines at the end of ``path``; their line numbers."""
    first = len(path.read_bytes().splitlines()) + 1 if path.exists() else 1
    with path.open("a", encoding="utf-8") as handle:
        for record in records:
            handle.write(record if isinstance(record, str) else json.dumps(record))
            handle.write("\n")
    return list(range(first, first + len(records)))


def note(seq: int, text: Any = "t", writer: Any = "scribe", **fields: Any) -> dict[str, Any]:
    return {
        "type": "note_added",
        "at": "2025-03-04T09:10:00+00:00",
        "writer": writer,
        "seq": seq,
        "kind": "action",
        "text": text,
        "segment": 0,
        **fields,
    }


def cli(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[str, str]:
    code = main(["--data-dir", str(data), *argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out, err


def warned(err: str) -> list[str]:
    return [line.removeprefix("warning: ") for line in err.splitlines()]


# --- sessions says what export and actions say ---------------------------------------------


def test_sessions_warns_about_a_damaged_journal_as_export_does_every_time(
    day: Scripted, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = append(journal(day), "garbage", note(90, owner={"name": "Asha"}))
    _, export_err = cli(capsys, tmp_path, "export", day.live.id)
    assert warned(export_err) == [
        f"{journal(day)}:{lines[0]}: unreadable record skipped (not valid JSON: Expecting "
        "value at column 1)",
        f'{journal(day)}:{lines[1]}: note "t": its owner is {{"name": "Asha"}}, not text; cleared',
    ]
    for _ in range(2):  # the second time from the listing's cache, which must not hide it
        out, err = cli(capsys, tmp_path, "sessions")
        assert err == export_err  # each problem once, in the same words
        assert "1 decision, 2 actions" in out  # the damaged note is counted, not lost
    out, err = cli(capsys, tmp_path, "sessions", "--json")
    assert err == export_err
    [listed] = json.loads(out)["sessions"]  # stdout stays JSON
    assert listed["counts"]["actions"] == 2
    _, err = cli(capsys, tmp_path, "actions")
    assert err == export_err


def test_a_session_left_with_an_empty_journal_says_so_everywhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    day = start_session(tmp_path)
    day.close()
    journal(day).write_bytes(b"")  # a sync tool or a full disk left nothing in it
    said = f"{journal(day)}: the journal is empty (0 bytes): nothing was saved in it"
    for command in (["export", day.live.id], ["actions"], ["sessions"], ["sessions", "--json"]):
        _, err = cli(capsys, tmp_path, *command)
        assert warned(err) == [said], command
    assert load_session(day.live.id, day.live.folder).warnings == [said]


DROP = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
DROP += ["--inh-caps=-dac_override,-dac_read_search"]


def as_a_user(*argv: str, data: Path) -> subprocess.CompletedProcess[str]:
    """Run the command as a user without the right to read everything (root drops it)."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("root without setpriv: permissions cannot be taken away")
        prefix = DROP
    return subprocess.run(
        [*prefix, sys.executable, "-m", "facilitate", *argv],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env={**os.environ, ENV_DATA_DIR: str(data)},
        timeout=60,
    )


def test_sessions_says_a_journal_cannot_be_read_though_its_summary_looks_fresh(
    day: Scripted, tmp_path: Path
) -> None:
    day.close()
    assert as_a_user("sessions", data=tmp_path).stderr == ""  # listed from the summary
    journal(day).chmod(0)  # a chmod leaves the summary newer than the journal
    try:
        listing = as_a_user("sessions", data=tmp_path)
        export = as_a_user("export", day.live.id, data=tmp_path)
    finally:
        journal(day).chmod(0o600)
    said = f"warning: {journal(day)}: could not read (Permission denied)\n"
    assert export.returncode == listing.returncode == 0, listing.stderr
    assert export.stderr == said
    assert listing.stderr == said
    assert day.live.id in listing.stdout


# --- one bad field loses only that field -----------------------------------------------------


def test_a_note_with_bad_fields_is_kept_with_them_cleared_and_quoted(
    day: Scripted, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = journal(day)
    long_text = "Ask the housing team for the waiting list figures before the next meeting"
    lines = append(
        path,
        note(90, long_text, owner={"name": "Asha"}, due=["soon"]),
        note(91, 42),
        note(92, "far ahead", at="9999-12-31T23:59:59+00:00", segment="2"),
        note(93, None),  # no text at all: nothing to keep
        "[1, 2]",  # not an object
        note(94, "no time", at=12),
    )
    loaded = load_session(day.live.id, day.live.folder)
    quoted = '"Ask the housing team for the waiting li…"'
    assert loaded.warnings == [
        f'{path}:{lines[0]}: note {quoted}: its owner is {{"name": "Asha"}}, not text; cleared',
        f'{path}:{lines[0]}: note {quoted}: its due is ["soon"], not text; cleared',
        f'{path}:{lines[1]}: note "42": its text is a number, not text; kept as written',
        f'{path}:{lines[2]}: note "far ahead": its segment is "2", not a number; put in the '
        "segment current at its time (1)",
        f'{path}:{lines[2]}: note "far ahead": its time "9999-12-31T23:59:59+00:00" is '
        "impossible; given the time of the event before it (2025-03-04 09:10)",
        f"{path}:{lines[3]}: bad note_added record: text must be str, not None; skipped",
        f"{path}:{lines[4]}: unreadable record skipped (not a JSON object)",
        f'{path}:{lines[5]}: note "no time": its time 12 is impossible; given the time of '
        "the event before it (2025-03-04 09:10)",
    ]
    kept = {n.text: n for n in loaded.state.live_notes()}
    assert set(kept) == {"Meet monthly", "Send the notes", long_text, "42", "far ahead", "no time"}
    assert kept[long_text].owner is None and kept[long_text].kind == "action"
    assert kept["far ahead"].created == kept["42"].created  # the note before it
    assert kept["no time"].created == datetime(2025, 3, 4, 9, 10, tzinfo=UTC)
    assert long_text in render("md", loaded, UTC).decode()
    out, _ = cli(capsys, tmp_path, "actions")
    assert "Ask the housing team" in out


def test_a_live_view_keeps_the_damaged_note_too(day: Scripted) -> None:
    [line] = append(journal(day), note(90, "kept", owner=7))
    clock = SessionClock(FakeTimeSource(START))
    with LiveSession.open(day.live.id, day.live.folder, clock, UTC, None) as live:
        assert "kept" in [n.text for n in live.state.live_notes()]
        assert live.warnings == [
            f'{journal(day)}:{line}: note "kept": its owner is 7, not text; cleared'
        ]


@pytest.mark.parametrize(
    ("due", "said"),
    [
        ("0001-01-01", "due date 0001-01-01 is out of range (2000 to 2100)"),
        ("9999-12-31", "due date 9999-12-31 is out of range (2000 to 2100)"),
        ("2026-13-45", "due date 2026-13-45 is no date"),
        ("2026-02-30", "due date 2026-02-30 is no date"),
    ],
)
def test_an_impossible_due_date_is_cleared_and_the_action_kept(
    day: Scripted, tmp_path: Path, capsys: pytest.CaptureFixture[str], due: str, said: str
) -> None:
    [line] = append(journal(day), note(90, "Book the room", due=due))
    loaded = load_session(day.live.id, day.live.folder)
    assert loaded.warnings == [
        f'{journal(day)}:{line}: note "Book the room": {said}; cleared, the note kept'
    ]
    [action] = [n for n in loaded.state.live_notes() if n.text == "Book the room"]
    assert action.due is None and action.kind == "action"
    out, err = cli(capsys, tmp_path, "actions")
    assert "Book the room" in out and due not in out
    assert said in err


def test_a_due_date_older_versions_let_people_write_in_words_stays(day: Scripted) -> None:
    append(journal(day), note(90, "Book the room", due="next meeting"))
    loaded = load_session(day.live.id, day.live.folder)
    assert loaded.warnings == []
    assert [n.due for n in loaded.state.live_notes()][-1] == "next meeting"


# --- the envelope: each message says what it is ----------------------------------------------


def test_envelope_problems_name_the_field(day: Scripted) -> None:
    path = journal(day)
    lines = append(
        path,
        {**note(90, "number is text"), "seq": "90"},
        {**note(91, "number is true"), "seq": True},
        {k: v for k, v in note(92, "no writer").items() if k != "writer"},
        note(93, "writer is a number", writer=5),
        {"type": "timer_paused", "at": "2025-03-04T09:10:00+00:00", "seq": 94, "segment": -1},
        note(95, "in segment -1", segment=-1),
        {
            "type": "segment_changed",
            "at": "2025-03-04T09:10:00+00:00",
            "writer": "scribe",
            "seq": 96,
            "segment": -1,
            "reason": "next",
        },
    )
    loaded = load_session(day.live.id, day.live.folder)
    assert loaded.warnings == [
        f'{path}:{lines[0]}: record whose seq is "90", not a whole number; skipped',
        f"{path}:{lines[1]}: record whose seq is true, not a whole number; skipped",
        f"{path}:{lines[2]}: record without a writer; taken from its file's name: scribe",
        f"{path}:{lines[3]}: record whose writer is 5; taken from its file's name: scribe",
        f"{path}:{lines[4]}: record without a writer; taken from its file's name: scribe",
        f"{path}:{lines[5]}: note in segment number -1 in the journal, out of range (the "
        "agenda has 4); kept apart from the segments",
        f"{path}:{lines[6]}: segment number -1 in the journal, out of range (the agenda has "
        "4); skipped",
    ]
    texts = [n.text for n in loaded.state.live_notes()]
    assert texts[-3:] == ["no writer", "writer is a number", "in segment -1"]
    assert loaded.state.notes["scribe-92"].writer == "scribe"


def test_a_record_in_another_writers_journal_is_kept_and_nothing_is_lost_or_doubled(
    day: Scripted,
) -> None:
    """Each writer appends to ``journal-<writer>.jsonl`` only, so a record there naming
    another writer was copied or edited in. It keeps the writer and number it names (what
    edits and copies of it refer to): a sync tool's conflict copy folds back in rather
    than doubling every note. Where that number is taken by a different record (a hand
    edit of ``writer``), it is kept as its file's writer's. Either way nothing is lost."""
    folder = day.live.folder
    own = journal(day).read_text().splitlines()
    copy = folder / "journal-scribe.sync-conflict-20250304-101500-ABC.jsonl"
    copy.write_text("\n".join(own) + "\n")  # the same records, in a file of another name
    edited = folder / "journal-projector.jsonl"
    lines = append(edited, note(0, "typed on the projector"), note(90, "and this"))
    loaded = load_session(day.live.id, folder)
    stranger = 'kept as "scribe"\'s, the writer its number belongs to'
    assert loaded.warnings == [
        f'{edited}:{lines[0]}: record written by "scribe" in the journal of "projector" '
        f"(and 1 more in this file); {stranger}",
        f"{edited}:{lines[0]}: scribe-0 is the number of a different record (at "
        f'{journal(day)}:1); kept as "projector"\'s, whose file it is in',
        f'{copy}:1: record written by "scribe" in the journal of '
        f'"scribe.sync-conflict-20250304-101500-ABC" (and {len(own) - 1} more in this file); '
        f"{stranger}",
    ]  # in line order, file by file
    notes = {n.text: n for n in loaded.state.live_notes()}
    assert [n.text for n in loaded.state.live_notes()].count("Meet monthly") == 1
    assert notes["typed on the projector"].id == "projector-0"
    assert notes["and this"].id == "scribe-90"
    assert loaded.state.agenda_name == "partnership-meeting"  # scribe-0, its own, is intact


def test_a_note_with_an_impossible_time_does_not_hold_back_its_writers_next_records(
    tmp_path: Path,
) -> None:
    """Before, its year-9999 time sorted it (and so every later record of its writer) after
    everything the other writers wrote."""
    a = tmp_path / "journal-a.jsonl"
    b = tmp_path / "journal-b.jsonl"
    append(
        a,
        note(0, "a first", writer="a", at="2025-03-04T09:00:00+00:00"),
        note(1, "a far", writer="a", at="9999-12-31T00:00:00+00:00"),
        note(2, "a third", writer="a", at="2025-03-04T09:02:00+00:00"),
    )
    append(
        b,
        note(0, "b first", writer="b", at="2025-03-04T09:01:00+00:00"),
        note(1, "b second", writer="b", at="2025-03-04T09:03:00+00:00"),
    )
    read = read_session(tmp_path)
    order = ["a first", "a far", "b first", "a third", "b second"]
    assert [r["text"] for r in read.records] == order
    assert read.warnings == []  # what becomes of its time is the events' to say


# --- reading a piece at a time ----------------------------------------------------------------

LINES = st.one_of(
    st.builds(
        lambda seq, text: encode_record(note(seq, text)),
        st.integers(0, 50),
        st.text(max_size=30),
    ),
    st.sampled_from([b"\n", b"garbage\n", b"[1]\n", b"\xff\xfe\n", b'{"a": \n', b"  \n"]),
)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    lines=st.lists(LINES, max_size=12),
    tail=st.sampled_from([b"", b'{"at": "2025', b"   "]),
    piece=st.integers(1, 64),
)
def test_reading_a_piece_at_a_time_finds_what_reading_at_once_does(
    tmp_path_factory: pytest.TempPathFactory, lines: list[bytes], tail: bytes, piece: int
) -> None:
    path = tmp_path_factory.mktemp("pieces") / "journal-scribe.jsonl"
    data = b"".join(lines) + tail
    path.write_bytes(data)
    whole = reader.parse_lines(data, path, 1, at_eof=True)
    at_once = read_journal(path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reader, "_PIECE", piece)
        in_pieces = read_journal(path)
    assert in_pieces == at_once
    assert in_pieces.records == [record for _, record in whole[0]]
    if data:
        assert in_pieces.warnings == whole[1]


def test_a_line_too_long_to_be_a_record_is_skipped_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "journal-scribe.jsonl"
    huge = json.dumps(note(1, "x" * journal_lines.MAX_RECORD_BYTES)).encode()
    with path.open("wb") as handle:
        handle.write(encode_record(note(0, "before")))
        handle.write(huge + b"\n")
        handle.write(encode_record(note(2, "after")))
        handle.write(b"y" * (3 * journal_lines.MAX_RECORD_BYTES))  # and a tail that never ends
    read = read_journal(path)
    assert [r["text"] for r in read.records] == ["before", "after"]
    assert read.warnings == [
        f"{path}:2: a line of more than 1 MB is no record; skipped",
        f"{path}:4: a line of more than 1 MB is no record; skipped",
    ]


def test_the_listing_of_a_journal_over_the_read_limit_says_so(
    day: Scripted, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "MAX_JOURNAL_BYTES", 100)
    os.utime(day.live.folder / "summary.toml", ns=(1, 1))  # stale: the listing reads it
    [info] = list_sessions(Paths(tmp_path, tmp_path))
    assert info.warnings[-1] == f"{journal(day)}: larger than 0 MB; only its first 0 MB were read"
