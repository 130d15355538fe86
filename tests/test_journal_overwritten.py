"""A journal changed in place under a running session, and a record torn by a full disk.

Deleting the journal or putting another file in its place (``mv``) changes the file at
its path; emptying it (``: > journal``) or copying an older version over it (``cp``)
keeps the same file and changes what it holds. The writer knows how many bytes it
made the file, so one ``stat`` shows both, and what this terminal wrote is written
again. A record half written when the disk filled up is cut off at once, so that it
never stays torn in the middle of the journal, whatever happens next.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from facilitate.journal import DurableQueue, JournalIO, JournalWriter, read_journal
from facilitate.journal.format import encode_record
from facilitate.journal.lines import BadLine, decode_line
from test_lost_journal import journal_lines, note_texts, numbers, session_with_notes

pytestmark = pytest.mark.usefixtures("no_leaked_fds")


def test_an_emptied_journal_is_noticed_on_the_next_look_and_written_again(
    tmp_path: Path,
) -> None:
    day = session_with_notes(tmp_path)
    assert day.live.queue is not None
    path, before = day.live.queue.writer.path, journal_lines(day.live)
    inode = path.stat().st_ino
    with open(path, "r+b") as handle:  # `: > journal`: the same file, now empty
        handle.truncate(0)
    assert day.live.verify() is True
    assert path.stat().st_ino == inode
    assert journal_lines(day.live) == before
    assert day.live.repair_notice() == (
        f"This terminal's journal in {day.live.folder} was emptied or overwritten. "
        "The 4 events this terminal wrote are saved again."
    )
    day.note("note", "after")
    assert note_texts(day.live.folder) == ["note 0", "note 1", "note 2", "after"]


def test_a_note_typed_into_an_emptied_journal_comes_after_what_it_held(tmp_path: Path) -> None:
    day = session_with_notes(tmp_path)
    assert day.live.queue is not None
    os.truncate(day.live.queue.writer.path, 0)
    day.note("note", "typed before the next look")  # no verify in between
    assert numbers(journal_lines(day.live)) == list(range(5))
    assert day.live.pending == 0
    assert "emptied or overwritten" in (day.live.repair_notice() or "")


def test_an_older_copy_written_over_the_journal_gets_back_what_it_lacks(tmp_path: Path) -> None:
    day = session_with_notes(tmp_path, count=1)
    assert day.live.queue is not None
    path = day.live.queue.writer.path
    older = tmp_path / "older-copy.jsonl"
    shutil.copyfile(path, older)
    day.note("note", "later 1")
    day.note("note", "later 2")
    before = journal_lines(day.live)
    with open(older, "rb") as source, open(path, "r+b") as target:  # `cp`: in place
        target.truncate(0)
        target.write(source.read())
    assert day.live.verify() is True
    assert journal_lines(day.live) == before  # in order, nothing twice
    assert "The 2 events this terminal wrote are saved again." in (day.live.repair_notice() or "")


def test_a_journal_that_holds_what_it_should_is_left_alone(tmp_path: Path) -> None:
    day = session_with_notes(tmp_path)
    assert day.live.queue is not None
    path = day.live.queue.writer.path
    data = path.read_bytes()
    path.write_bytes(data)  # rewritten in place with the same bytes
    assert day.live.verify() is True
    assert day.live.repair_notice() is None
    assert path.read_bytes() == data


def test_a_journal_grown_by_someone_else_keeps_their_lines_and_ours(tmp_path: Path) -> None:
    day = session_with_notes(tmp_path, count=1)
    assert day.live.queue is not None
    path = day.live.queue.writer.path
    with open(path, "ab") as handle:
        handle.write(b'{"stray": true}\n')
    assert day.live.verify() is True
    assert day.live.repair_notice() is None  # nothing of ours was missing
    day.note("note", "after")
    assert [r.get("seq") for r in journal_lines(day.live)] == [0, 1, None, 2]


# --- a full disk takes half a record --------------------------------------------------------


class FullDisk(JournalIO):
    """Writes half of what it is given, then refuses with ENOSPC, until ``heal``."""

    def __init__(self) -> None:
        self.full = False

    def write(self, fd: int, data: bytes) -> int:
        if not self.full:
            return super().write(fd, data)
        if len(data) > 1 and not getattr(self, "_torn", False):
            self._torn = True
            return super().write(fd, data[: len(data) // 2])
        self._torn = False
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def rec(seq: int) -> dict[str, object]:
    return {"type": "note_added", "writer": "w1", "seq": seq, "text": f"note {seq} " + "x" * 80}


def test_a_half_written_record_is_cut_off_at_once(tmp_path: Path) -> None:
    disk = FullDisk()
    queue = DurableQueue(JournalWriter(tmp_path, "w1", io=disk))
    path = tmp_path / "journal-w1.jsonl"
    assert queue.submit(rec(0)) is True
    whole = path.stat().st_size
    disk.full = True
    assert queue.submit(rec(1)) is False
    assert path.stat().st_size == whole  # no torn line waits for the next open
    assert queue.writer.file_lost() is False
    assert queue.close() == (rec(1),)  # quit while the disk is full: kept, not saved
    assert path.read_bytes() == encode_record(rec(0))


def test_quitting_on_a_full_disk_then_saving_later_leaves_no_torn_line(tmp_path: Path) -> None:
    disk = FullDisk()
    queue = DurableQueue(JournalWriter(tmp_path, "w1", io=disk))
    for seq in range(3):
        queue.submit(rec(seq))
    disk.full = True
    for seq in range(3, 6):
        queue.submit(rec(seq))
    assert queue.retry() is False
    waiting = queue.close()
    # Brought back later (a recovery file, a resumed run) into the same journal:
    with JournalWriter(tmp_path, "w1") as writer:
        for record in waiting:
            writer.append(record)
    result = read_journal(tmp_path / "journal-w1.jsonl")
    assert result.warnings == []
    assert [r["seq"] for r in result.records] == list(range(6))


def test_an_unreadable_line_says_at_once() -> None:
    with pytest.raises(BadLine) as caught:
        decode_line(b'{"type": "note_added", "text": "cut off her')
    assert str(caught.value) == "not valid JSON: Unterminated string starting at column 32"
