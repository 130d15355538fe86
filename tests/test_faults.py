"""Under every file fault we could inject, no note shown as saved is lost and every note
not saved is visibly waiting.

The journal's OS calls go through :class:`JournalIO`, the atomic rewrites (agenda
copy, summary) through ``osfs.replace_file``; :class:`FaultyDisk` makes any of
them fail with the errors a real disk gives (full, read-only, permission, gone,
I/O error), while the session folder or journal may also be deleted, replaced or
put back empty. After every step, as the run screen's tick would, the session
checks its journal (``verify``), and then:

- every note the screen shows as saved (not marked UNSAVED) is in the journals
  on disk, as a fresh reader sees them;
- every other note is marked UNSAVED and counted in the top bar's "waiting";
- once the disk is healed, everything is saved once, in order, without a warning.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterator
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitate import osfs
from facilitate.agenda import parse_agenda
from facilitate.clock import FakeTimeSource, SessionClock
from facilitate.events import NoteAdded, SessionStarted
from facilitate.journal import JournalIO, read_journal
from facilitate.live import LiveSession
from facilitate.paths import Paths
from facilitate.store import AGENDA_FILE, create_session, load_session
from sessionfactory import AGENDAS, START

pytestmark = pytest.mark.usefixtures("no_leaked_fds")

ERRORS = [errno.ENOSPC, errno.EROFS, errno.EACCES, errno.ENOENT, errno.EIO]
OPERATIONS = ["open", "write", "fsync", "folder fsync", "rename"]
TEXT = (AGENDAS / "partnership-meeting.toml").read_text(encoding="utf-8")
AGENDA = parse_agenda(TEXT, file="partnership-meeting.toml", name="partnership-meeting")


class FaultyDisk(JournalIO):
    """The journal's disk, failing ``operation`` with ``error`` while ``failing``. Data
    is not flushed to the drive for real (these tests are about what the code does
    with the answers, and must stay fast)."""

    def __init__(self) -> None:
        self.operation = ""
        self.error = 0

    def fail(self, operation: str, error: int) -> None:
        self.operation, self.error = operation, error

    def heal(self) -> None:
        self.operation = ""

    def _maybe(self, operation: str) -> None:
        if self.operation == operation:
            raise OSError(self.error, os.strerror(self.error))

    def open(self, path: Path) -> int:
        self._maybe("open")
        return super().open(path)

    def write(self, fd: int, data: bytes) -> int:
        self._maybe("write")
        return super().write(fd, data)

    def fsync(self, fd: int) -> None:
        self._maybe("fsync")

    def fsync_dir(self, path: Path) -> None:
        self._maybe("folder fsync")


@pytest.fixture
def disk(monkeypatch: pytest.MonkeyPatch) -> FaultyDisk:
    faulty = FaultyDisk()
    real_replace = osfs.replace_file

    def replace(src: str | Path, dst: Path) -> None:
        faulty._maybe("rename")
        real_replace(src, dst)

    monkeypatch.setattr(osfs, "replace_file", replace)
    return faulty


class Day:
    """A session on faulty disks, one per writer (the facilitator's, a scribe's), and what
    each one's screen would show."""

    def __init__(self, root: Path, *disks: FaultyDisk) -> None:
        self.source = FakeTimeSource(START)
        sid, self.folder = create_session(Paths(root, root), AGENDA, TEXT, START, UTC)
        self.writers = [
            LiveSession(
                sid,
                self.folder,
                AGENDA,
                SessionClock(self.source),
                UTC,
                WRITERS[n],
                agenda_text=TEXT,
                io=disk,
            )
            for n, disk in enumerate(disks)
        ]
        self.live = self.writers[0]
        self.live.record(SessionStarted(at=START, agenda_name=AGENDA.name, agenda_title="x"))
        self.typed: list[str] = []

    def note(self, who: int = 0) -> None:
        self.source.advance(1)
        text = f"note {len(self.typed)} by {WRITERS[who]}"
        self.typed.append(text)
        live = self.writers[who]
        live.record(NoteAdded(at=live.now(), kind="note", text=text, segment=0))

    def tick(self) -> None:
        """What the run screen does every second (and the scribe's too)."""
        for live in self.writers:
            live.verify()
            live.retry()

    def check(self) -> None:
        """Shown saved means on disk; the rest is marked and counted as waiting."""
        on_disk = (
            {
                note.id: note.text
                for note in load_session(self.folder.name, self.folder).state.notes.values()
            }
            if self.folder.is_dir()
            else {}
        )
        for live in self.writers:
            unsaved = live.unsaved_note_ids()
            for note_id, note in live.state.notes.items():
                if note_id not in unsaved and note.writer == live.writer_id:
                    assert on_disk.get(note_id) == note.text, f"{note.text!r} shown saved, lost"
            assert live.pending >= len(unsaved)
            assert (live.pending == 0) == (live.last_error is None)

    def close(self) -> None:
        for live in self.writers:
            live.close()

    def healed(self, *disks: FaultyDisk) -> None:
        for disk in disks:
            disk.heal()
        if self.folder.exists() and not self.folder.is_dir():
            self.folder.unlink()
        self.tick()
        assert all(live.pending == 0 for live in self.writers)
        loaded = load_session(self.folder.name, self.folder)
        assert loaded.warnings == []
        assert [n.text for n in loaded.state.notes.values()] == self.typed
        assert (self.folder / AGENDA_FILE).exists()
        for writer in WRITERS[: len(self.writers)]:
            # In file order too (an unconfirmed write may leave a copy, which readers skip).
            numbers = [r["seq"] for r in read_journal(journal_of(self.folder, writer)).records]
            assert list(dict.fromkeys(numbers)) == sorted(set(numbers)), "out of order"


WRITERS = ("fac", "scribe")


def journal_of(folder: Path, writer: str) -> Path:
    return folder / f"journal-{writer}.jsonl"


@pytest.fixture
def day(tmp_path: Path, disk: FaultyDisk) -> Iterator[Day]:
    made = Day(tmp_path, disk)
    yield made
    disk.heal()
    made.close()


@pytest.mark.parametrize("error", ERRORS, ids=errno.errorcode.get)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_failing_disk_loses_nothing_shown_saved(
    day: Day, disk: FaultyDisk, operation: str, error: int
) -> None:
    day.note()
    day.note()
    day.check()
    disk.fail(operation, error)
    (day.folder / "journal-fac.jsonl").unlink()  # the next write opens a new file
    day.tick()
    day.check()
    day.note()
    day.note()
    day.check()
    shutil.rmtree(day.folder)  # and then the whole folder goes
    day.tick()
    day.check()
    day.note()
    day.check()
    day.healed(disk)


# --- random days ------------------------------------------------------------------------------

WHO = st.integers(0, 1)
STEPS = st.one_of(
    st.tuples(st.just("note"), WHO),
    st.just(("tick",)),
    st.just(("heal",)),
    st.tuples(st.just("fail"), WHO, st.sampled_from(OPERATIONS), st.sampled_from(ERRORS)),
    st.tuples(st.just("delete journal"), WHO),
    st.tuples(st.just("journal copied over"), WHO),
    st.just(("delete folder",)),
    st.just(("delete agenda copy",)),
    st.just(("empty folder back",)),
    st.just(("file for folder",)),
)


def step(day: Day, disks: list[FaultyDisk], what: tuple[object, ...]) -> None:
    folder = day.folder
    match what:
        case ("note", int(who)):
            day.note(who)
        case ("tick",):
            day.tick()
        case ("heal",):
            for disk in disks:
                disk.heal()
        case ("fail", int(who), str(operation), int(error)):
            disks[who].fail(operation, error)
        case ("delete journal", int(who)):
            journal_of(folder, WRITERS[who]).unlink(missing_ok=True)
        case ("journal copied over", int(who)):
            journal = journal_of(folder, WRITERS[who])
            if journal.exists():
                shutil.copy2(journal, folder / "copy.tmp")
                os.replace(folder / "copy.tmp", journal)
        case ("delete folder",):
            if folder.is_dir():
                shutil.rmtree(folder)
        case ("delete agenda copy",):
            if folder.is_dir():
                (folder / AGENDA_FILE).unlink(missing_ok=True)
        case ("empty folder back",):
            if not folder.exists():
                folder.mkdir()
        case ("file for folder",):
            if not folder.exists():
                folder.write_text("in the way")


@settings(
    max_examples=60,
    deadline=timedelta(seconds=2),
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(STEPS, max_size=25))
def test_any_day_of_faults_with_two_writers_loses_nothing(
    tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[object, ...]]
) -> None:
    disks = [FaultyDisk(), FaultyDisk()]
    day = Day(tmp_path_factory.mktemp("day"), *disks)
    try:
        for what in steps:
            step(day, disks, what)
            day.tick()
            day.check()
        day.note()
        day.healed(*disks)
    finally:
        for disk in disks:
            disk.heal()
        day.close()
