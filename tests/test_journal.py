"""The journal never loses a saved note: crashes, full disks and odd bytes included."""

from __future__ import annotations

import contextlib
import errno
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import facilitate.journal.follower as journal_module
from facilitate.journal import (
    DurableQueue,
    JournalFollower,
    JournalIO,
    JournalWriteError,
    JournalWriter,
    encode_record,
    read_journal,
    read_session,
)

CHILD = Path(__file__).with_name("journal_writer_child.py")
ENOSPC_TEXT = os.strerror(errno.ENOSPC)

pytestmark = pytest.mark.usefixtures("no_leaked_fds")

OpenWriter = Callable[..., JournalWriter]


@pytest.fixture
def open_writer() -> Iterator[OpenWriter]:
    """``JournalWriter(folder, writer_id, ...)``, closed when the test ends."""
    with contextlib.ExitStack() as stack:

        def make(folder: Path, writer_id: str, **options: Any) -> JournalWriter:
            return stack.enter_context(JournalWriter(folder, writer_id, **options))

        yield make


def rec(
    seq: int, writer: str = "w1", text: str = "note", micro: int | None = None
) -> dict[str, Any]:
    micro = seq if micro is None else micro
    return {
        "at": f"2026-11-22T09:30:00.{micro:06d}+00:00",
        "writer": writer,
        "seq": seq,
        "text": text,
    }


def write_all(folder: Path, writer_id: str, records: list[dict[str, Any]]) -> Path:
    with JournalWriter(folder, writer_id) as writer:
        for record in records:
            writer.append(record)
        return writer.path


class FaultyIO(JournalIO):
    """A disk that fills up after ``ok_writes`` writes and stays full until ``heal()``.

    With ``half`` each failing write first stores half its bytes (a torn record);
    ``truncate_fails`` makes the repair truncate fail too, even after healing.
    """

    def __init__(self, ok_writes: int, *, half: bool = False, truncate_fails: bool = False):
        self.ok_writes = ok_writes
        self.half = half
        self.truncate_fails = truncate_fails
        self.full = False
        self.torn_pending = False

    def heal(self) -> None:
        self.ok_writes = 10**9
        self.full = False

    def write(self, fd: int, data: bytes) -> int:
        if self.ok_writes > 0:
            self.ok_writes -= 1
            return super().write(fd, data)
        if self.half and not self.torn_pending and len(data) > 1:
            self.torn_pending = True  # the next call (for the rest of the line) fails
            return super().write(fd, data[: len(data) // 2])
        self.torn_pending = False
        raise OSError(errno.ENOSPC, ENOSPC_TEXT)

    def truncate(self, fd: int, size: int) -> None:
        if self.truncate_fails:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        super().truncate(fd, size)


class FsyncFailsOnceIO(JournalIO):
    """The bytes reach the file but fsync reports an I/O error once."""

    def __init__(self, *, fail_at: int, truncate_fails: bool = False) -> None:
        self.calls = 0
        self.fail_at = fail_at
        self.truncate_fails = truncate_fails

    def fsync(self, fd: int) -> None:
        self.calls += 1
        if self.calls == self.fail_at:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        super().fsync(fd)

    def truncate(self, fd: int, size: int) -> None:
        if self.truncate_fails:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        super().truncate(fd, size)


class NoSyncIO(JournalIO):
    """For properties about content, not durability: skip the (slow) fsyncs."""

    def fsync(self, fd: int) -> None:
        pass

    def fsync_dir(self, path: Path) -> None:
        pass


# --- round trip and file format -------------------------------------------------------------


def test_records_round_trip_one_line_each(tmp_path: Path) -> None:
    records = [
        rec(0, text="Décision : on garde le café ☕"),
        rec(1, text='two\nlines and a "quote" and a tab\t'),
        rec(2, text="emoji 👩‍👩‍👧 and CJK 協力"),
    ]
    path = write_all(tmp_path, "w1", records)
    assert path == tmp_path / "journal-w1.jsonl"
    result = read_journal(path)
    assert result.records == records
    assert result.warnings == []
    assert path.read_bytes().count(b"\n") == len(records)
    assert "協力" in path.read_text(encoding="utf-8")  # readable in an editor, not \u-escaped


def test_lone_surrogate_in_text_still_round_trips(tmp_path: Path) -> None:
    records = [rec(0, text="pasted \ud83d half an emoji"), rec(1)]
    path = write_all(tmp_path, "w1", records)
    assert read_journal(path).records == records


def test_journal_file_is_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        path = write_all(tmp_path, "w1", [rec(0)])
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_existing_world_readable_journal_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "journal-w1.jsonl"
    path.write_bytes(encode_record(rec(0)))
    path.chmod(0o644)
    write_all(tmp_path, "w1", [rec(1)])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_journal(path).records == [rec(0), rec(1)]


def test_unsafe_writer_id_is_refused(tmp_path: Path) -> None:
    for bad in ["", "../escape", "a/b", ".hidden", "x\x00y"]:
        with pytest.raises(ValueError, match="unsafe journal writer id"):
            JournalWriter(tmp_path, bad)


def test_unserialisable_record_is_refused_before_touching_the_file(
    tmp_path: Path, open_writer: OpenWriter
) -> None:
    queue = DurableQueue(open_writer(tmp_path, "w1"))
    with pytest.raises(TypeError):
        queue.submit({"at": "x", "writer": "w1", "seq": 0, "when": object()})
    assert queue.pending == ()
    assert queue.submit(rec(0)) is True  # a bad record never blocks the ones after it
    assert read_journal(tmp_path / "journal-w1.jsonl").records == [rec(0)]


# --- damaged files ------------------------------------------------------------------------


def test_torn_tail_loads_everything_before_it(tmp_path: Path) -> None:
    records = [rec(i) for i in range(5)]
    path = write_all(tmp_path, "w1", records)
    size = path.stat().st_size
    os.truncate(path, size - 10)  # the machine died half way through the last record
    result = read_journal(path)
    assert result.records == records[:4]
    assert result.warnings == [f"{path}:5: incomplete last record skipped"]


def test_complete_json_without_its_newline_is_still_a_torn_tail(tmp_path: Path) -> None:
    path = write_all(tmp_path, "w1", [rec(0), rec(1)])
    os.truncate(path, path.stat().st_size - 1)
    result = read_journal(path)
    assert result.records == [rec(0)]
    assert result.warnings == [f"{path}:2: incomplete last record skipped"]


def test_bad_record_in_the_middle_is_skipped_and_named(tmp_path: Path) -> None:
    path = tmp_path / "journal-w1.jsonl"
    path.write_bytes(
        encode_record(rec(0))
        + b'{"at": "2026-11-22T09:3\n'
        + encode_record(rec(1))
        + b"[1,2]\n"
        + encode_record(rec(2))
    )
    result = read_journal(path)
    assert result.records == [rec(0), rec(1), rec(2)]
    assert len(result.warnings) == 2
    assert result.warnings[0].startswith(f"{path}:2: unreadable record skipped (not valid JSON")
    assert result.warnings[1] == f"{path}:4: unreadable record skipped (not a JSON object)"


def test_non_utf8_junk_line_is_skipped_others_load(tmp_path: Path) -> None:
    path = tmp_path / "journal-w1.jsonl"
    path.write_bytes(
        encode_record(rec(0))
        + b"\xff\xfe\x00junk from a broken copy\n"
        + b'{"text":"caf\xe9"}\n'
        + encode_record(rec(1))
    )
    result = read_journal(path)
    assert result.records == [rec(0), rec(1)]
    assert [w.split(" (")[0] for w in result.warnings] == [
        f"{path}:2: unreadable record skipped",
        f"{path}:3: unreadable record skipped",
    ]
    assert "UTF-8" in result.warnings[0]


def test_empty_and_missing_journals_read_as_empty(tmp_path: Path) -> None:
    """A writer creates its file with its first record, so an empty file means what was
    saved in it is gone (or never reached the disk): said, where a missing one is not."""
    empty = tmp_path / "journal-w1.jsonl"
    empty.write_bytes(b"")
    assert read_journal(empty).records == []
    assert read_journal(empty).warnings == [
        f"{empty}: the journal is empty (0 bytes): nothing was saved in it"
    ]
    assert read_session(tmp_path).warnings == read_journal(empty).warnings
    missing = read_journal(tmp_path / "journal-nobody.jsonl")
    assert (missing.records, missing.warnings) == ([], [])
    assert read_session(tmp_path / "no-such-session").records == []


def test_restarted_writer_does_not_glue_onto_a_crashed_fragment(tmp_path: Path) -> None:
    path = tmp_path / "journal-w1.jsonl"
    path.write_bytes(encode_record(rec(0)) + encode_record(rec(1))[:15])  # killed mid-write
    write_all(tmp_path, "w1", [rec(2)])
    result = read_journal(path)
    assert result.records == [rec(0), rec(2)]
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith(f"{path}:2: unreadable record skipped")


# --- full disks and I/O errors ------------------------------------------------------------


@pytest.mark.parametrize("half", [False, True], ids=["fails-cleanly", "writes-half-then-fails"])
def test_full_disk_keeps_notes_pending_then_saves_them_in_order(
    tmp_path: Path, half: bool, open_writer: OpenWriter
) -> None:
    io = FaultyIO(ok_writes=3, half=half)
    queue = DurableQueue(open_writer(tmp_path, "w1", io=io))
    path = tmp_path / "journal-w1.jsonl"
    records = [rec(i, text=f"note {i} " + "x" * 40) for i in range(6)]

    assert [queue.submit(r) for r in records[:3]] == [True, True, True]
    assert read_journal(path).records == records[:3]  # True means it is on disk now

    assert queue.submit(records[3]) is False
    assert queue.pending == (records[3],)
    assert queue.last_error == f"could not save to {path}: {ENOSPC_TEXT}"
    assert queue.submit(records[4]) is False  # queued behind, never written out of order
    assert queue.retry() is False  # disk still full
    assert queue.submit(records[5]) is False
    assert queue.pending == tuple(records[3:])

    io.heal()
    later = rec(6, text="typed after the disk was freed")
    assert queue.submit(later) is False  # still behind the older notes, until retry()
    assert read_journal(path).records == records[:3]
    assert queue.retry() is True
    assert not queue.pending
    assert queue.last_error is None
    result = read_journal(path)
    assert result.records == [*records, later]  # nothing lost, doubled or glued
    assert result.warnings == []


def test_failed_repair_leaves_fragment_on_its_own_line(
    tmp_path: Path, open_writer: OpenWriter
) -> None:
    io = FaultyIO(ok_writes=2, half=True, truncate_fails=True)
    queue = DurableQueue(open_writer(tmp_path, "w1", io=io))
    records = [rec(i, text="y" * 60) for i in range(5)]
    for record in records:
        queue.submit(record)
    assert queue.retry() is False
    io.heal()  # writes work again; truncate still fails
    assert queue.retry() is True
    result = read_journal(tmp_path / "journal-w1.jsonl")
    assert result.records == records
    assert result.warnings  # the torn fragments, each reported as its own skipped line
    assert all("unreadable record skipped" in w for w in result.warnings)
    assert read_session(tmp_path).records == records


def test_repair_never_cuts_away_data_it_did_not_write(
    tmp_path: Path, open_writer: OpenWriter
) -> None:
    io = FaultyIO(ok_writes=1)
    queue = DurableQueue(open_writer(tmp_path, "w1", io=io))
    path = tmp_path / "journal-w1.jsonl"
    queue.submit(rec(0))
    assert queue.submit(rec(1)) is False
    stranger = rec(9, writer="someone-else", text="z" * 300)
    with open(path, "ab") as handle:  # a misconfigured second process using the same file
        handle.write(encode_record(stranger))
    io.heal()
    assert queue.retry() is True
    assert read_journal(path).records == [rec(0), stranger, rec(1)]


def test_write_error_reads_as_plain_english(tmp_path: Path, open_writer: OpenWriter) -> None:
    writer = open_writer(tmp_path, "w1", io=FaultyIO(ok_writes=0))
    with pytest.raises(JournalWriteError) as caught:
        writer.append(rec(0))
    path = tmp_path / "journal-w1.jsonl"
    assert str(caught.value) == f"could not save to {path}: No space left on device"
    assert isinstance(caught.value, OSError)
    assert caught.value.errno == errno.ENOSPC


def test_failed_fsync_is_retried_without_duplicating_the_record(
    tmp_path: Path, open_writer: OpenWriter
) -> None:
    queue = DurableQueue(open_writer(tmp_path, "w1", io=FsyncFailsOnceIO(fail_at=2)))
    assert queue.submit(rec(0)) is True
    assert queue.submit(rec(1)) is False  # written, but not confirmed on disk
    assert queue.last_error is not None and "Input/output error" in queue.last_error
    assert queue.retry() is True
    result = read_journal(tmp_path / "journal-w1.jsonl")
    assert (result.records, result.warnings) == ([rec(0), rec(1)], [])


def test_session_shows_a_record_once_even_if_an_unconfirmed_copy_stayed(
    tmp_path: Path, open_writer: OpenWriter
) -> None:
    io = FsyncFailsOnceIO(fail_at=2, truncate_fails=True)
    queue = DurableQueue(open_writer(tmp_path, "w1", io=io))
    queue.submit(rec(0))
    queue.submit(rec(1))
    assert queue.retry() is True
    assert read_session(tmp_path).records == [rec(0), rec(1)]
    assert read_session(tmp_path).warnings == []


def test_pending_record_is_saved_as_submitted_even_if_the_dict_changes(
    tmp_path: Path, open_writer: OpenWriter
) -> None:
    io = FaultyIO(ok_writes=0)
    queue = DurableQueue(open_writer(tmp_path, "w1", io=io))
    record = rec(0, text="as typed")
    queue.submit(record)
    record["text"] = "changed later"
    io.heal()
    assert queue.retry() is True
    assert read_journal(tmp_path / "journal-w1.jsonl").records == [rec(0, text="as typed")]


def test_deleted_folder_is_reported_and_retry_saves_after_it_is_recreated(
    tmp_path: Path, open_writer: OpenWriter
) -> None:
    folder = tmp_path / "session"
    folder.mkdir(mode=0o700)
    queue = DurableQueue(open_writer(folder, "w1"))
    assert queue.submit(rec(0)) is True
    shutil.rmtree(folder)
    assert queue.submit(rec(1)) is False
    assert queue.last_error == (
        f"could not save to {folder / 'journal-w1.jsonl'}: "
        f"the session folder {folder} no longer exists"
    )
    # What was saved went with the folder: it waits again, first, with the new one.
    assert queue.pending == (rec(0), rec(1))
    folder.mkdir(mode=0o700)
    assert queue.retry() is True
    assert read_journal(folder / "journal-w1.jsonl").records == [rec(0), rec(1)]


def test_closing_a_queue_keeps_what_is_unsaved_and_saves_no_more(
    tmp_path: Path, open_writer: OpenWriter
) -> None:
    io = FaultyIO(ok_writes=1)
    queue = DurableQueue(open_writer(tmp_path, "w1", io=io))
    assert queue.submit(rec(0)) is True
    assert queue.submit(rec(1)) is False
    assert queue.submit(rec(2)) is False
    assert queue.close() == (rec(1), rec(2))  # the last attempt failed: still unsaved
    assert queue.closed and queue.writer.closed
    assert queue.pending == (rec(1), rec(2))  # never dropped
    assert queue.close() == (rec(1), rec(2))  # twice is harmless
    io.heal()
    assert queue.retry() is False  # closed: nothing writes them any more
    with pytest.raises(ValueError, match="closed"):
        queue.submit(rec(3))
    assert queue.pending == (rec(1), rec(2))  # a refused record is not queued either
    assert read_journal(tmp_path / "journal-w1.jsonl").records == [rec(0)]


def test_closing_a_queue_makes_a_last_attempt_to_save(
    tmp_path: Path, open_writer: OpenWriter
) -> None:
    io = FaultyIO(ok_writes=0)
    queue = DurableQueue(open_writer(tmp_path, "w1", io=io))
    assert queue.submit(rec(0)) is False
    io.heal()  # freed before the retry timer came round again
    assert queue.close() == ()
    assert queue.retry() is True  # nothing left to save
    assert read_journal(tmp_path / "journal-w1.jsonl").records == [rec(0)]


def test_folder_missing_hook_recreates_it_in_the_same_append(
    tmp_path: Path, open_writer: OpenWriter
) -> None:
    folder = tmp_path / "session"
    created: list[Path] = []

    def recreate(path: Path) -> None:
        created.append(path)
        path.mkdir(mode=0o700, parents=True)

    writer = open_writer(folder, "w1", on_folder_missing=recreate)
    writer.append(rec(0))
    shutil.rmtree(folder)
    writer.append(rec(1))
    assert created == [folder, folder]
    assert read_journal(writer.path).records == [rec(1)]
    assert stat.S_IMODE(writer.path.stat().st_mode) == 0o600


def test_deleted_journal_file_is_recreated_not_written_into_the_void(
    tmp_path: Path, open_writer: OpenWriter
) -> None:
    writer = open_writer(tmp_path, "w1")
    writer.append(rec(0))
    writer.path.unlink()
    writer.append(rec(1))
    assert read_journal(writer.path).records == [rec(1)]


def test_session_merges_by_time_then_writer_and_skips_unkeyed_records(tmp_path: Path) -> None:
    write_all(tmp_path, "b", [rec(0, "b", micro=5), rec(1, "b", micro=7)])
    write_all(tmp_path, "a", [rec(0, "a", micro=5), {"text": "no envelope"}, rec(1, "a", micro=6)])
    (tmp_path / "notes.txt").write_text("not a journal")
    result = read_session(tmp_path)
    assert result.records == [
        rec(0, "a", micro=5),
        rec(0, "b", micro=5),  # same instant: writer breaks the tie
        rec(1, "a", micro=6),
        rec(1, "b", micro=7),
    ]
    assert result.warnings == [
        f"{tmp_path / 'journal-a.jsonl'}:2: record without at, writer or seq; skipped"
    ]
    assert read_session(tmp_path) == result  # deterministic


# --- several processes ----------------------------------------------------------------------


def run_child(folder: Path, writer_id: str, count: int, step_us: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(CHILD), str(folder), writer_id, str(count), str(step_us)],
        stdout=subprocess.PIPE,
        text=True,
    )


def test_two_writer_processes_merge_into_one_ordered_session(tmp_path: Path) -> None:
    children = [run_child(tmp_path, "alpha", 300, 3), run_child(tmp_path, "beta", 300, 2)]
    for child in children:
        out, _ = child.communicate(timeout=30)
        assert child.returncode == 0
        assert out.count("ack ") == 300
    result = read_session(tmp_path)
    assert result.warnings == []
    assert len(result.records) == 600
    keys = [(r["at"], r["writer"], r["seq"]) for r in result.records]
    assert keys == sorted(keys)
    for writer_id in ("alpha", "beta"):
        mine = [r for r in result.records if r["writer"] == writer_id]
        assert [r["seq"] for r in mine] == list(range(300))
        assert all(r["text"].startswith(f"note {r['seq']} from {writer_id}:") for r in mine)


def test_every_acknowledged_record_survives_sigkill(tmp_path: Path) -> None:
    rng = random.Random(20261122)
    for round_no in range(25):
        folder = tmp_path / f"round-{round_no}"
        folder.mkdir()
        wait_for = rng.randint(1, 60)
        child = run_child(folder, "scribe", -1, 1000)
        assert child.stdout is not None
        acked: list[int] = []
        try:
            while len(acked) < wait_for:
                line = child.stdout.readline()
                assert line, "writer exited early"
                acked.append(int(line.split()[1]))
        finally:
            child.send_signal(signal.SIGKILL)
            rest, _ = child.communicate(timeout=10)
        acked += [int(line.split()[1]) for line in rest.splitlines()]  # printed before the kill

        result = read_journal(folder / "journal-scribe.jsonl")
        seqs = [r["seq"] for r in result.records]
        assert set(acked) <= set(seqs), f"round {round_no}: acknowledged record lost"
        assert seqs == list(range(len(seqs))), f"round {round_no}: gap or duplicate"
        assert len(result.warnings) <= 1
        assert all(w.endswith("incomplete last record skipped") for w in result.warnings)


# --- following a live session -------------------------------------------------------------


def test_follower_waits_for_a_line_to_be_finished(tmp_path: Path, open_writer: OpenWriter) -> None:
    writer = open_writer(tmp_path, "w1")
    writer.append(rec(0))
    writer.append(rec(1))
    follower = JournalFollower(tmp_path)
    assert follower.poll() == [rec(0), rec(1)]
    assert follower.poll() == []

    line = encode_record(rec(2, text="half written"))
    with open(writer.path, "ab") as handle:
        handle.write(line[:20])
    assert follower.poll() == []  # not shown half-typed on the projector
    with open(writer.path, "ab") as handle:
        handle.write(line[20:])
    assert follower.poll() == [rec(2, text="half written")]
    assert follower.poll() == []
    assert follower.warnings == []


def test_follower_picks_up_a_writer_that_joins_later(
    tmp_path: Path, open_writer: OpenWriter
) -> None:
    first = open_writer(tmp_path, "w1")
    first.append(rec(0, "w1", micro=10))
    follower = JournalFollower(tmp_path)
    assert follower.poll() == [rec(0, "w1", micro=10)]

    second = open_writer(tmp_path, "w2")
    second.append(rec(0, "w2", micro=30))
    first.append(rec(1, "w1", micro=40))
    second.append(rec(1, "w2", micro=35))
    assert follower.poll() == [
        rec(0, "w2", micro=30),
        rec(1, "w2", micro=35),
        rec(1, "w1", micro=40),
    ]
    assert follower.poll() == []


def test_a_writer_whose_clock_went_back_keeps_its_own_order(tmp_path: Path) -> None:
    """After a wall-clock correction moved a writer's clock back, its later records carry
    earlier times; they still come after its earlier ones (the order it applied them in),
    and other writers fall in between by time."""
    write_all(tmp_path, "w1", [rec(0, "w1", micro=500), rec(1, "w1", micro=100)])
    write_all(tmp_path, "w2", [rec(0, "w2", micro=50), rec(1, "w2", micro=600)])
    got = read_session(tmp_path).records
    assert [(r["writer"], r["seq"]) for r in got] == [
        ("w2", 0),
        ("w1", 0),
        ("w1", 1),
        ("w2", 1),
    ]
    follower = JournalFollower(tmp_path)
    assert follower.poll() == got


def test_a_second_record_with_the_same_number_and_other_content_is_reported(
    tmp_path: Path,
) -> None:
    path = write_all(
        tmp_path, "w1", [rec(0), rec(1, text="the real one"), rec(1, text="an impostor"), rec(1)]
    )
    read = read_session(tmp_path)
    assert [r["text"] for r in read.records] == ["note", "the real one"]
    assert read.warnings == [
        f"{path}:3: a second record numbered w1-1 with different content "
        f"(the first is at {path}:2); skipped",
        f"{path}:4: a second record numbered w1-1 with different content "
        f"(the first is at {path}:2); skipped",
    ]
    follower = JournalFollower(tmp_path)
    assert [r["text"] for r in follower.poll()] == ["note", "the real one"]
    assert len(follower.warnings) == 2


def test_follower_does_not_reopen_files_when_nothing_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_all(tmp_path, "w1", [rec(0)])
    follower = JournalFollower(tmp_path)
    assert len(follower.poll()) == 1

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("poll opened a file although nothing changed")

    monkeypatch.setattr(journal_module, "open", no_open, raising=False)
    assert follower.poll() == []


def test_follower_does_not_repeat_a_record_rewritten_after_a_failed_fsync(tmp_path: Path) -> None:
    path = write_all(tmp_path, "w1", [rec(0), rec(1)])
    follower = JournalFollower(tmp_path)
    assert follower.poll() == [rec(0), rec(1)]
    os.truncate(path, len(encode_record(rec(0))))  # the writer cut back its unconfirmed record
    assert follower.poll() == []
    write_all(tmp_path, "w1", [rec(1), rec(2)])  # ...and wrote it again
    assert follower.poll() == [rec(2)]


def test_follower_reports_bad_lines_once(tmp_path: Path) -> None:
    path = tmp_path / "journal-w1.jsonl"
    path.write_bytes(encode_record(rec(0)) + b"garbage\n" + encode_record({"text": "no key"}))
    follower = JournalFollower(tmp_path)
    assert follower.poll() == [rec(0)]
    assert follower.poll() == []
    assert len(follower.warnings) == 2
    assert follower.warnings[0].startswith(f"{path}:2: unreadable record skipped")
    assert follower.warnings[1] == f"{path}:3: record without at, writer or seq; skipped"


# --- properties ---------------------------------------------------------------------------

ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=30)  # incl. "\n", surrogates
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | ANY_TEXT,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(ANY_TEXT, children, max_size=4)
    ),
    max_leaves=12,
)
RECORDS = st.lists(st.dictionaries(ANY_TEXT, JSON_VALUES, max_size=5), max_size=8)


@settings(max_examples=200, deadline=None)
@given(RECORDS)
def test_any_records_written_read_back_unchanged(records: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        writer = JournalWriter(Path(tmp), "prop", io=NoSyncIO())
        for record in records:
            writer.append(record)
        writer.close()
        result = read_journal(writer.path)
        assert result.warnings == []
        assert result.records == records
