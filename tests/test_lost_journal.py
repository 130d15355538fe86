"""A session folder or journal deleted under a running session: put back, written again.

A sync tool, a clean-up script or a mistaken ``rm`` can take the folder away while
every event is still in memory. The writing process re-creates the folder (0700)
and its agenda copy, and writes everything it wrote again, in order and with the
same numbers, before anything newer; until that has succeeded the events count as
waiting, so the top bar never says "all saved" while nothing reachable is on disk.
Each process (the facilitator's, a scribe's) puts back its own journal.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
from pathlib import Path
from typing import Any

import pytest

from apptools import live, make_app, record_notifications, run_screen, sync, topbar, type_note
from facilitate.cli import main
from facilitate.events import NoteAdded
from facilitate.journal import read_journal
from facilitate.live import LiveSession
from facilitate.paths import ENV_DATA_DIR, Paths
from facilitate.store import AGENDA_FILE, list_sessions, load_session
from sessionfactory import START, Scripted, start_session

pytestmark = pytest.mark.usefixtures("no_leaked_fds")
SIZE = (120, 40)


def session_with_notes(tmp_path: Path, count: int = 3, writer: str = "fac") -> Scripted:
    day = start_session(tmp_path, "sample-programme", writer=writer)
    day.live.agenda_text = (day.live.folder / AGENDA_FILE).read_text(encoding="utf-8")
    for n in range(count):
        day.note("note", f"note {n}")
    return day


def journal_lines(live: LiveSession) -> list[dict[str, Any]]:
    assert live.queue is not None
    return read_journal(live.queue.writer.path).records


def numbers(records: list[dict[str, Any]]) -> list[int]:
    return [r["seq"] for r in records]


def note_texts(folder: Path) -> list[str]:
    return [n.text for n in load_session(folder.name, folder).state.notes.values()]


def test_a_deleted_folder_is_re_created_with_its_agenda_copy_and_every_event(
    tmp_path: Path,
) -> None:
    day = session_with_notes(tmp_path)
    folder, before = day.live.folder, journal_lines(day.live)
    agenda = (folder / AGENDA_FILE).read_bytes()
    shutil.rmtree(folder)
    assert day.live.verify() is True
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert (folder / AGENDA_FILE).read_bytes() == agenda
    assert stat.S_IMODE((folder / AGENDA_FILE).stat().st_mode) == 0o600
    assert journal_lines(day.live) == before  # same records, same numbers, same order
    notice = day.live.repair_notice()
    assert notice == (
        f"The session folder {folder} was deleted. It is re-created, with its agenda copy, "
        "and the 4 events this terminal wrote are saved again."
    )
    assert day.live.repair_notice() is None  # said once
    day.note("note", "after")
    assert note_texts(folder) == ["note 0", "note 1", "note 2", "after"]


def test_a_folder_recreated_by_hand_gets_its_journal_and_agenda_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    day = session_with_notes(tmp_path)
    folder = day.live.folder
    shutil.rmtree(folder)
    folder.mkdir(mode=0o755)  # someone puts an empty folder back
    assert day.live.pending == 0  # the process cannot know yet...
    assert day.live.verify() is True  # ...until it looks (every tick of the run screen)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert "agenda copy is put back" in (day.live.repair_notice() or "")
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path))
    assert main(["sessions"]) == 0
    assert folder.name in capsys.readouterr().out
    assert main(["export", folder.name, "-f", "md"]) == 0
    exported = capsys.readouterr().out
    assert all(f"note {n}" in exported for n in range(3))


def test_a_deleted_journal_is_written_again_before_the_next_note(tmp_path: Path) -> None:
    day = session_with_notes(tmp_path)
    before = journal_lines(day.live)
    assert day.live.queue is not None
    day.live.queue.writer.path.unlink()
    day.note("note", "typed after the journal was deleted")
    after = journal_lines(day.live)
    assert after[: len(before)] == before
    assert numbers(after) == list(range(len(before) + 1))
    assert (day.live.repair_notice() or "").startswith("This terminal's journal in")


def test_a_journal_replaced_by_a_full_copy_is_not_written_twice(tmp_path: Path) -> None:
    day = session_with_notes(tmp_path)
    assert day.live.queue is not None
    path = day.live.queue.writer.path
    copy = path.with_suffix(".sync-tmp")
    shutil.copy2(path, copy)
    os.replace(copy, path)  # what a sync client does: same bytes, another file
    assert day.live.verify() is True
    assert day.live.repair_notice() is None  # nothing was missing: nothing to say
    day.note("note", "after")
    assert numbers(journal_lines(day.live)) == list(range(5))


def test_until_the_folder_can_be_re_created_everything_waits_and_shows(tmp_path: Path) -> None:
    day = session_with_notes(tmp_path)
    folder = day.live.folder
    shutil.rmtree(folder)
    folder.write_text("a file where the folder was")  # nothing can be re-created there
    assert day.live.verify() is False
    assert day.live.pending == 4  # everything the folder held waits again, shown so
    assert day.live.unsaved_note_ids() == {"fac-1", "fac-2", "fac-3"}
    notice = day.live.repair_notice() or ""
    assert "are NOT saved yet" in notice and "kept in memory, retrying" in notice
    assert not day.live.record(NoteAdded(at=day.live.now(), kind="note", text="x", segment=0))
    folder.unlink()
    assert day.live.retry() is True
    assert note_texts(folder) == ["note 0", "note 1", "note 2", "x"]


def test_facilitator_and_scribe_each_put_back_their_own_journal(tmp_path: Path) -> None:
    day = session_with_notes(tmp_path, count=2)
    facilitator = day.live
    scribe = LiveSession.open(
        facilitator.id,
        facilitator.folder,
        facilitator.clock,
        facilitator.tz,
        "scribe",
        paths=Paths(tmp_path, tmp_path),
    )
    try:
        assert scribe.record(NoteAdded(at=scribe.now(), kind="note", text="from s", segment=0))
        shutil.rmtree(facilitator.folder)
        assert scribe.verify() and facilitator.verify()
        loaded = load_session(facilitator.id, facilitator.folder)
        assert loaded.warnings == []
        assert sorted(n.text for n in loaded.state.notes.values()) == [
            "from s",
            "note 0",
            "note 1",
        ]
        assert loaded.state.agenda_name == "sample-programme"
    finally:
        scribe.close()


def test_after_a_resume_a_deleted_folder_gets_the_first_runs_journal_back_too(
    tmp_path: Path,
) -> None:
    """QA 16: a session quit and resumed is two journals. When its folder was deleted,
    the resumed terminal put back only its own: the first run's notes, its start and its
    timer vanished from disk while the screen showed them saved. What this process read
    from other journals is written back with the folder (where missing)."""
    day = session_with_notes(tmp_path, count=2, writer="first")
    day.close()  # quit
    resumed = LiveSession.open(
        day.live.id, day.live.folder, day.live.clock, day.live.tz, "second",
        paths=Paths(tmp_path, tmp_path),
    )  # fmt: skip
    resumed.agenda_text = (day.live.folder / AGENDA_FILE).read_text(encoding="utf-8")
    try:
        assert resumed.record(NoteAdded(at=resumed.now(), kind="note", text="later", segment=0))
        shutil.rmtree(day.live.folder)
        assert resumed.verify()
        loaded = load_session(day.live.id, day.live.folder)
        assert loaded.warnings == []
        assert sorted(n.text for n in loaded.state.notes.values()) == ["later", "note 0", "note 1"]
        assert loaded.state.agenda_name == "sample-programme"  # its start is back
        assert "and 3 of other terminals" in (resumed.repair_notice() or "")
        first = day.live.folder / "journal-first.jsonl"
        assert stat.S_IMODE(first.stat().st_mode) == 0o600
    finally:
        resumed.close()


def test_another_writers_deleted_journal_is_written_back_from_what_was_read(
    tmp_path: Path,
) -> None:
    """QA 16: the first run's journal deleted while the resumed session runs: its notes
    left the disk while the screen showed them saved. Its records, as read, go back."""
    day = session_with_notes(tmp_path, count=2, writer="first")
    day.close()
    resumed = LiveSession.open(
        day.live.id, day.live.folder, day.live.clock, day.live.tz, "second",
        paths=Paths(tmp_path, tmp_path),
    )  # fmt: skip
    try:
        first = day.live.folder / "journal-first.jsonl"
        before = first.read_bytes()
        first.unlink()
        assert resumed.verify()
        assert first.read_bytes() == before
        assert stat.S_IMODE(first.stat().st_mode) == 0o600
        assert resumed.repair_notice() == (
            f"Another terminal's journal in {day.live.folder} was deleted: the 3 events "
            "this screen had read from it are written back."
        )
        assert resumed.verify() and resumed.repair_notice() is None  # once, and no more
        assert note_texts(day.live.folder) == ["note 0", "note 1"]
    finally:
        resumed.close()


def test_a_whole_sessions_folder_deleted_is_re_created_private(tmp_path: Path) -> None:
    day = session_with_notes(tmp_path)
    sessions = day.live.folder.parent
    shutil.rmtree(sessions)
    assert day.live.verify() is True
    assert stat.S_IMODE(sessions.stat().st_mode) == 0o700
    assert [s.id for s in list_sessions(Paths(tmp_path, tmp_path))] == [day.live.id]


# --- on the run screen ------------------------------------------------------------------------


@sync
async def test_the_run_screen_puts_a_deleted_folder_back_and_says_so(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, start=START)
    seen = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for text in ("first", "second"):
            await type_note(pilot, app, text)
        folder = live(app).folder
        shutil.rmtree(folder)
        folder.mkdir()  # put back empty, as someone tidying up would
        assert "all saved" in topbar(app)  # nothing has looked yet
        run_screen(app).tick()
        await pilot.pause()
        assert "all saved" in topbar(app)  # true again: it is all back on disk
        assert any(s.startswith("This terminal's journal in") for s in seen)
        assert note_texts(folder) == ["first", "second"]
        assert (folder / AGENDA_FILE).exists()


@sync
async def test_while_the_folder_cannot_come_back_the_bar_says_not_saved(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, start=START)
    seen = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_note(pilot, app, "first")
        folder = live(app).folder
        shutil.rmtree(folder)
        folder.write_text("in the way")
        run_screen(app).tick()
        await pilot.pause()
        assert "NOT SAVED: 2 waiting" in topbar(app)  # the session start and the note
        assert any("are NOT saved yet" in s for s in seen)
        folder.unlink()
        run_screen(app).tick()
        run_screen(app).tick()  # the retry comes every other tick
        await pilot.pause()
        assert "all saved" in topbar(app)
        assert note_texts(folder) == ["first"]


@sync
async def test_quitting_just_after_the_folder_went_puts_it_back_first(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, start=START)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_note(pilot, app, "typed just before")
        folder = live(app).folder
        shutil.rmtree(folder)
        await pilot.press("escape", "ctrl+q")  # before any tick has looked
        await pilot.pause()
    assert note_texts(folder) == ["typed just before"]


@sync
async def test_a_signal_just_after_the_folder_went_puts_it_back_first(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, start=START)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_note(pilot, app, "typed just before")
        folder = live(app).folder
        shutil.rmtree(folder)
        app.lifeline.ending(signal.SIGHUP)
        await pilot.pause()
    assert app.farewell == ""  # nothing had to go to a recovery file
    assert note_texts(folder) == ["typed just before"]


def test_a_journal_put_back_on_a_full_disk_is_not_left_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Putting another terminal's journal back fails on a full disk: no half journal is
    left to stand for the whole, and the next look puts it back whole."""
    import errno

    from facilitate.journal.others import OtherJournals

    day = session_with_notes(tmp_path, count=2, writer="first")
    day.close()
    first = day.live.folder / "journal-first.jsonl"
    before = first.read_bytes()
    others = OtherJournals("second")
    for record in read_journal(first).records:
        others.keep(record)
    first.unlink()
    real_write = os.write

    def full(fd: int, data: Any) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    assert others.put_back(day.live.folder) == 0
    assert not first.exists()
    monkeypatch.setattr(os, "write", real_write)
    assert others.put_back(day.live.folder) == 3
    assert first.read_bytes() == before
