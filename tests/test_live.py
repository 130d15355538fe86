"""A running session: which notes are not saved yet, and closing without losing any."""

from __future__ import annotations

import errno
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from facilitate.agenda import parse_agenda
from facilitate.clock import FakeTimeSource, SessionClock
from facilitate.events import NoteAdded, SessionStarted, TimerStarted
from facilitate.journal import JournalIO, JournalWriter, read_journal
from facilitate.live import LiveSession
from facilitate.paths import Paths
from facilitate.store import create_session
from openfiles import open_fds

pytestmark = pytest.mark.usefixtures("no_leaked_fds")

T0 = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)
TEXT = '[agenda]\ntitle = "Day"\n\n[[segment]]\ntitle = "Welcome"\nduration = 30\n'
AGENDA = parse_agenda(TEXT, file="day.toml", name="day")


class DiskIO(JournalIO):
    """A disk that can be filled up and freed again."""

    full = False

    def write(self, fd: int, data: bytes) -> int:
        if self.full:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return super().write(fd, data)


def open_live(
    tmp_path: Path, writer_id: str | None = "w1", io: JournalIO | None = None
) -> LiveSession:
    sid, folder = create_session(Paths(tmp_path, tmp_path), AGENDA, TEXT, T0, UTC)
    writer = JournalWriter(folder, writer_id, io=io) if writer_id and io else None
    clock = SessionClock(FakeTimeSource(T0))
    return LiveSession(sid, folder, AGENDA, clock, UTC, writer_id, writer=writer)


def note(live: LiveSession, text: str) -> bool:
    return live.record(NoteAdded(at=live.now(), kind="note", text=text, segment=0))


def journal_fds(live: LiveSession) -> int:
    assert live.queue is not None
    return sum(target == str(live.queue.writer.path) for target in open_fds().values())


@pytest.fixture
def disk() -> DiskIO:
    return DiskIO()


def test_unsaved_note_ids_are_the_notes_still_waiting_for_the_disk(
    tmp_path: Path, disk: DiskIO
) -> None:
    with open_live(tmp_path, io=disk) as live:
        assert live.record(SessionStarted(at=live.now(), agenda_name="day", agenda_title="Day"))
        assert note(live, "saved")  # w1-1
        assert live.unsaved_note_ids() == set()
        disk.full = True
        assert not note(live, "first unsaved")  # w1-2
        assert not live.record(TimerStarted(at=live.now()))  # w1-3: pending, but not a note
        assert not note(live, "second unsaved")  # w1-4
        assert live.unsaved_note_ids() == {"w1-2", "w1-4"}
        assert set(live.state.notes) == {"w1-1", "w1-2", "w1-4"}  # shown all the same
        disk.full = False
        assert live.retry()
        assert live.unsaved_note_ids() == set()


def test_a_read_only_view_has_no_unsaved_notes(tmp_path: Path) -> None:
    with open_live(tmp_path, writer_id=None) as projector:
        assert projector.unsaved_note_ids() == set()
        assert projector.close() == ()


def test_close_releases_the_journal_file_and_is_safe_twice(tmp_path: Path) -> None:
    live = open_live(tmp_path)
    assert note(live, "saved")
    assert journal_fds(live) == 1
    assert live.close() == ()
    assert journal_fds(live) == 0
    assert live.closed
    assert live.close() == ()
    assert journal_fds(live) == 0


def test_closing_with_unsaved_events_keeps_them_and_says_so(tmp_path: Path, disk: DiskIO) -> None:
    live = open_live(tmp_path, io=disk)
    assert note(live, "saved")
    disk.full = True
    assert not note(live, "typed while the disk was full")
    unsaved = live.close()  # its last attempt fails too
    assert [(r["type"], r["text"]) for r in unsaved] == [
        ("note_added", "typed while the disk was full")
    ]
    assert live.pending == 1  # still in memory: closing never drops an event
    assert live.unsaved_note_ids() == {"w1-1"}
    assert journal_fds(live) == 0
    assert live.close() == unsaved
    disk.full = False
    assert live.retry() is False  # closed: no more writing, and no crash
    with pytest.raises(RuntimeError, match="closed"):
        note(live, "after closing")
    assert len(live.state.notes) == 2  # the refused note was not shown as taken either
    assert live.queue is not None
    assert [r["text"] for r in read_journal(live.queue.writer.path).records] == ["saved"]


def test_close_makes_a_last_attempt_to_save(tmp_path: Path, disk: DiskIO) -> None:
    live = open_live(tmp_path, io=disk)
    disk.full = True
    assert not note(live, "typed while the disk was full")
    disk.full = False  # freed, and the app quits before its retry timer comes round
    assert live.close() == ()
    assert live.pending == 0
    assert live.queue is not None
    assert [r["text"] for r in read_journal(live.queue.writer.path).records] == [
        "typed while the disk was full"
    ]


def test_a_closed_session_still_follows_other_writers(tmp_path: Path) -> None:
    with open_live(tmp_path, writer_id="fac") as facilitator:
        pass
    with LiveSession(
        facilitator.id, facilitator.folder, AGENDA, facilitator.clock, UTC, "scribe"
    ) as scribe:
        assert note(scribe, "from the scribe")
    assert facilitator.poll() is True
    assert [n.text for n in facilitator.state.notes.values()] == ["from the scribe"]


def test_a_session_folder_that_cannot_be_read_is_not_opened_as_an_empty_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA 16: `join` on a mode-000 session folder opened an empty view saying "all saved".
    Opening it is refused with the reason, as `resume` already was (fault-injected, so it
    holds when the tests run as root)."""
    from facilitate.errors import SessionError
    from sessionfactory import start_session

    day = start_session(tmp_path, "partnership-meeting")
    day.close()
    folder = day.live.folder
    real = os.listdir

    def listdir(path: str | Path = ".") -> list[str]:
        if Path(path) == folder:
            raise PermissionError(errno.EACCES, "Permission denied", str(folder))
        return real(path)

    monkeypatch.setattr(os, "listdir", listdir)
    with pytest.raises(SessionError, match=r"cannot read .*Permission denied"):
        LiveSession.open(day.live.id, folder, day.live.clock, UTC, "scribe")
