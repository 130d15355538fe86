"""Changes that could not be saved when the app had to end go to a recovery file, and
``resume`` brings them back: once each, owner-only, wherever a file could be written."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import stat
import tempfile
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest

from apptools import live, make_app, record_notifications, sync, type_note
from facilitate import recovery
from facilitate.agenda import parse_agenda
from facilitate.cli import main
from facilitate.clock import FakeTimeSource, SessionClock
from facilitate.events import NoteAdded, SessionStarted
from facilitate.journal import read_journal
from facilitate.live import LiveSession
from facilitate.paths import ENV_DATA_DIR, Paths
from facilitate.store import create_session, load_session
from facilitate.tui.app import FacilitateApp
from facilitate.tui.dialogs.confirm import ConfirmScreen
from facilitate.tui.lifeline import Lifeline
from facilitate.tui.review.session import SessionReviewScreen
from facilitate.tui.run.screen import RunScreen
from sessionfactory import AGENDAS, START, Scripted, start_session

SIZE = (120, 40)
AGENDA_TEXT = (AGENDAS / "sample-programme.toml").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def own_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temp folder, the recovery file's fallback, is the test's own."""
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return temp


def paths_of(tmp_path: Path) -> Paths:
    return Paths(tmp_path, tmp_path)


@pytest.fixture(autouse=True)
def _close_unsaved() -> Iterator[None]:
    yield
    for day in UNSAVED:
        day.live.close()  # with events left unsaved: that is the point of these tests
    UNSAVED.clear()


UNSAVED: list[Scripted] = []


def unsaved_day(tmp_path: Path, *texts: str) -> Scripted:
    """A session whose folder vanished and cannot come back: ``texts`` wait in memory."""
    text = AGENDA_TEXT
    agenda = parse_agenda(text, file="sample-programme.toml", name="sample-programme")
    sid, folder = create_session(paths_of(tmp_path), agenda, text, START, UTC)
    source = FakeTimeSource(START)
    live = LiveSession(sid, folder, agenda, SessionClock(source), UTC, "gone", agenda_text=text)
    day = Scripted(live, source)
    UNSAVED.append(day)
    day.record(SessionStarted, agenda_name=agenda.name, agenda_title=agenda.title)
    day.note("note", "saved before")
    folder = day.live.folder
    shutil.copytree(folder, tmp_path / "backup")
    shutil.rmtree(folder)
    folder.write_text("in the way")
    for text in texts:
        assert not day.live.record(NoteAdded(at=day.live.now(), kind="note", text=text, segment=0))
    return day


def put_folder_back(day: Scripted) -> Path:
    """The folder comes back as it was before it went (from a backup): the agenda copy and
    the first two events."""
    folder = day.live.folder
    folder.unlink()
    shutil.copytree(folder.parents[1] / "backup", folder)
    return folder


def keep(day: Scripted, paths: Paths) -> Path:
    assert day.live.queue is not None
    return recovery.keep(
        paths,
        day.live.id,
        day.live.folder,
        "gone",
        day.live.queue.pending,
        why="test",
        now=day.live.now(),
    )


def texts(folder: Path) -> list[str]:
    return sorted(n.text for n in load_session(folder.name, folder).state.notes.values())


# --- the file ---------------------------------------------------------------------------------


def test_kept_changes_go_to_the_state_folder_owner_only_and_are_found(tmp_path: Path) -> None:
    day = unsaved_day(tmp_path, "one", "two")
    paths = paths_of(tmp_path)
    path = keep(day, paths)
    assert path.parent == paths.recovery_dir
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    (found,) = recovery.find(paths, day.live.folder)
    assert found.path == path and found.writer == "gone"
    # everything this writer wrote: the lost folder's events wait again, then the new ones
    assert [r["seq"] for r in found.records] == [0, 1, 2, 3]
    assert recovery.find(paths, tmp_path / "sessions" / "another") == []


def test_a_session_of_the_same_name_elsewhere_does_not_take_them(tmp_path: Path) -> None:
    day = unsaved_day(tmp_path, "one")
    keep(day, paths_of(tmp_path))
    other = tmp_path / "elsewhere" / "sessions" / day.live.id
    assert recovery.find(paths_of(tmp_path), other) == []


def test_without_a_writable_state_folder_the_temp_folder_takes_them(
    tmp_path: Path, own_temp: Path
) -> None:
    day = unsaved_day(tmp_path, "one")
    paths = Paths(tmp_path, tmp_path, state_dir=tmp_path / "a-file")
    (tmp_path / "a-file").write_text("not a folder")
    path = keep(day, paths)
    assert path.is_relative_to(own_temp)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [r.path for r in recovery.find(paths, day.live.folder)] == [path]


def test_a_temp_folder_planted_by_someone_else_is_not_used(tmp_path: Path, own_temp: Path) -> None:
    day = unsaved_day(tmp_path, "one")
    elsewhere = tmp_path / "someone-elses"
    elsewhere.mkdir()
    uid = os.getuid() if hasattr(os, "getuid") else "user"
    (own_temp / f"facilitate-{uid}").symlink_to(elsewhere)
    paths = Paths(tmp_path, tmp_path, state_dir=tmp_path / "a-file")
    (tmp_path / "a-file").write_text("not a folder")
    path = keep(day, paths)
    assert not list(elsewhere.iterdir())
    assert path.parent.name.startswith("facilitate-recovery-")
    assert [r.path for r in recovery.find(paths, day.live.folder)] == [path]


def test_nowhere_to_write_is_said_not_hidden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    day = unsaved_day(tmp_path, "one")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(recovery, "_writable_dirs", lambda paths: iter([blocker / "x"]))
    with pytest.raises(recovery.RecoveryError, match="a-file"):
        keep(day, paths_of(tmp_path))


def test_restoring_writes_each_record_once_and_removes_the_file(tmp_path: Path) -> None:
    day = unsaved_day(tmp_path, "one", "two")
    path = keep(day, paths_of(tmp_path))
    folder = put_folder_back(day)
    (found,) = recovery.find(paths_of(tmp_path), folder)
    journal = folder / "journal-gone.jsonl"
    done = recovery.restore(folder, found)
    assert (done.written, done.already) == (2, 2)
    assert not path.exists()
    assert [r["seq"] for r in read_journal(journal).records] == [0, 1, 2, 3]
    loaded = load_session(folder.name, folder)
    assert loaded.warnings == []
    assert texts(folder) == ["one", "saved before", "two"]


def test_a_session_whose_folder_is_gone_is_made_again_for_resume_from_its_recovery_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA 16: the folder deleted and not re-creatable, the terminal closed: the recovery
    file held every change (the start too), yet `resume` said "no saved sessions". It now
    makes the folder again (its agenda copy from the agenda of the same name), and the
    changes are offered back as for any session."""
    from facilitate.errors import SessionError
    from facilitate.revive import orphaned, resume_target
    from facilitate.store import AGENDA_FILE, resolve_session

    day = unsaved_day(tmp_path, "one", "two")
    paths = paths_of(tmp_path)
    keep(day, paths)
    folder = day.live.folder
    folder.unlink()  # gone for good, not even a file in its place
    with pytest.raises(SessionError):
        resolve_session(paths, "latest")
    assert orphaned(paths) == {day.live.id: folder}
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path))
    assert main(["sessions"]) == 0  # it says so, though it has no row to show
    said = capsys.readouterr().err
    assert f"`facilitate resume {day.live.id}` makes it again and brings them back" in said
    assert resume_target(paths, None) == (day.live.id, folder)
    assert folder.is_dir() and stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert (folder / AGENDA_FILE).read_text(encoding="utf-8") == AGENDA_TEXT
    (found,) = recovery.find(paths, folder)
    recovery.restore(folder, found)
    loaded = load_session(folder.name, folder)
    assert loaded.state.agenda_name == "sample-programme"
    assert texts(folder) == ["one", "saved before", "two"]
    assert orphaned(paths) == {}


def test_only_a_gone_folder_of_this_data_folder_is_made_again(tmp_path: Path) -> None:
    """A recovery file naming a folder elsewhere (another data folder) is not this one's
    to make again: resume says there is nothing to resume, as before."""
    from facilitate.errors import SessionError
    from facilitate.revive import resume_target

    day = unsaved_day(tmp_path / "a", "one")
    keep(day, paths_of(tmp_path / "a"))
    day.live.folder.unlink()
    elsewhere = Paths(tmp_path / "b", tmp_path / "b", state_dir=tmp_path / "a")  # (shared)
    assert recovery.waiting(elsewhere), "the other data folder sees the recovery file"
    with pytest.raises(SessionError):
        resume_target(elsewhere, None)
    assert not (tmp_path / "b" / "sessions" / day.live.id).exists()


def test_a_file_that_is_not_a_recovery_file_is_left_alone(tmp_path: Path) -> None:
    paths = paths_of(tmp_path)
    paths.recovery_dir.mkdir(parents=True)
    (paths.recovery_dir / "notes.jsonl").write_text('{"some": "thing"}\nnot json\n')
    (paths.recovery_dir / "empty.jsonl").write_text("")
    assert recovery.find(paths, tmp_path / "sessions" / "x") == []


# --- the app: a signal, quitting anyway ---------------------------------------------------------


def folder_in_the_way(app: FacilitateApp) -> Path:
    folder = live(app).folder
    shutil.rmtree(folder)
    folder.write_text("in the way")
    return folder


@sync
async def test_sigterm_with_changes_waiting_keeps_them_and_exits(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, start=START)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_note(pilot, app, "saved")
        folder = folder_in_the_way(app)
        await type_note(pilot, app, "waiting")
        assert live(app).pending
        app.lifeline.ending(signal.SIGTERM)
        await pilot.pause()
    assert app.return_code == 128 + signal.SIGTERM
    (found,) = recovery.find(paths_of(tmp_path), folder)
    assert f"kept in {found.path}" in app.farewell
    assert "`facilitate resume" in app.farewell
    assert [r.get("text") for r in found.records if r["type"] == "note_added"] == [
        "saved",
        "waiting",
    ]
    assert "ended by SIGTERM" in found.why


@sync
async def test_sigterm_with_everything_saved_just_ends(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, start=START)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_note(pilot, app, "saved")
        app.lifeline.ending(signal.SIGHUP)
        await pilot.pause()
    assert app.return_code == 128 + signal.SIGHUP
    assert app.farewell == ""
    assert not paths_of(tmp_path).recovery_dir.exists()


@sync
async def test_quitting_anyway_keeps_the_unsaved_aside(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, start=START)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        folder = folder_in_the_way(app)
        await type_note(pilot, app, "waiting")
        await pilot.press("escape", "ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "recovery file" in app.screen.question
        await pilot.press("y")
        await pilot.pause()
    (found,) = recovery.find(paths_of(tmp_path), folder)
    assert "waiting" in [r.get("text") for r in found.records]
    assert str(found.path) in app.farewell


@sync
async def test_a_review_screens_unsaved_change_is_kept_too(tmp_path: Path) -> None:
    """Marking an action done in review, on a disk that refuses it, then SIGTERM."""
    day = start_session(tmp_path, "sample-programme", writer="fac")
    day.note("action", "Send the survey", owner="Bo")
    folder = day.live.folder
    app, _ = make_app(tmp_path, mode="review", session=day.live.id, start=START)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(20):  # the list and the session load on worker threads
            await pilot.pause(0.05)
            if isinstance(app.screen, SessionReviewScreen) and app.screen.selected_note():
                break
        await pilot.press("x")  # saved: the review opened the session for writing
        await pilot.pause()
        backup = folder.with_name("backup")
        folder.rename(backup)
        folder.write_text("in the way")
        await pilot.press("x")  # not saved: it waits
        await pilot.pause()
        app.lifeline.ending(signal.SIGTERM)
        await pilot.pause()
    folder.unlink()
    backup.rename(folder)
    (found,) = recovery.find(paths_of(tmp_path), folder)
    assert [r["type"] for r in found.records] == ["action_done", "action_done"]
    assert str(found.path) in app.farewell
    recovery.restore(folder, found)
    (note,) = load_session(folder.name, folder).state.notes.values()
    assert not note.done  # done, then not done: both kept, in order


# --- resume offers them back ------------------------------------------------------------------


def kept_session(tmp_path: Path) -> tuple[str, Path]:
    day = unsaved_day(tmp_path, "one", "two")
    keep(day, paths_of(tmp_path))
    day.live.close()
    return day.live.id, put_folder_back(day)


@sync
async def test_resume_offers_the_kept_changes_and_brings_them_back(tmp_path: Path) -> None:
    sid, folder = kept_session(tmp_path)
    app, _ = make_app(tmp_path, mode="resume", session=sid, writer_id="back", start=START)
    seen = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "2 change(s)" in app.screen.question and "recovery" in app.screen.question
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, RunScreen)
        assert sorted(n.text for n in live(app).state.notes.values()) == [
            "one",
            "saved before",
            "two",
        ]
        assert any(s.startswith("Brought back 2 change(s)") for s in seen)
    assert recovery.find(paths_of(tmp_path), folder) == []
    assert texts(folder) == ["one", "saved before", "two"]


@sync
async def test_a_file_whose_changes_are_all_saved_already_goes_unasked(tmp_path: Path) -> None:
    sid, folder = kept_session(tmp_path)
    (found,) = recovery.find(paths_of(tmp_path), folder)
    recovery.restore(folder, found)  # as if brought back once, and the file came back
    keep_again = recovery.keep(
        paths_of(tmp_path), sid, folder, "gone", found.records, why="test", now=START
    )
    app, _ = make_app(tmp_path, mode="resume", session=sid, writer_id="back", start=START)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RunScreen)
    assert not keep_again.exists()


@sync
async def test_not_now_leaves_the_file_and_resume_asks_again(tmp_path: Path) -> None:
    sid, folder = kept_session(tmp_path)
    app, _ = make_app(tmp_path, mode="resume", session=sid, writer_id="back", start=START)
    seen = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, RunScreen)
        assert any(s.startswith("Left in ") for s in seen)
        await pilot.press("ctrl+q")
    assert len(recovery.find(paths_of(tmp_path), folder)) == 1


@sync
async def test_the_launchers_resume_offers_them_too(tmp_path: Path) -> None:
    sid, _ = kept_session(tmp_path)
    app, _ = make_app(tmp_path, mode="launcher", writer_id="back", start=START)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_session(sid, "resume")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, RunScreen)
        assert len(live(app).state.notes) == 3


# --- the handlers -----------------------------------------------------------------------------


class Recorder(Lifeline):
    def __init__(self) -> None:
        super().__init__(None)  # type: ignore[arg-type]
        self.got: list[int] = []

    def ending(self, signum: int) -> None:
        self.got.append(signum)


@pytest.fixture
def saved_handlers() -> Iterator[None]:
    names = [n for n in ("SIGHUP", "SIGTERM", "SIGBREAK") if hasattr(signal, n)]
    before = {n: signal.getsignal(getattr(signal, n)) for n in names}
    yield
    for name, handler in before.items():
        signal.signal(getattr(signal, name), handler)


@pytest.mark.usefixtures("saved_handlers")
def test_the_handlers_run_on_the_loop() -> None:
    async def main() -> list[int]:
        lifeline = Recorder()
        lifeline.install()
        assert set(lifeline.installed) >= {signal.SIGTERM}
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(100):
            if lifeline.got:
                break
            await asyncio.sleep(0.01)
        return lifeline.got

    assert asyncio.run(main()) == [signal.SIGTERM]


@pytest.mark.usefixtures("saved_handlers")
def test_without_loop_signal_handlers_a_plain_handler_hands_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As on Windows, where the loop cannot take signals (and SIGBREAK is the one there)."""

    def refuse(*args: Any) -> None:
        raise NotImplementedError

    async def main() -> list[int]:
        loop = asyncio.get_running_loop()
        monkeypatch.setattr(loop, "add_signal_handler", refuse)
        lifeline = Recorder()
        lifeline.install()
        assert signal.SIGTERM in lifeline.installed
        handler = signal.getsignal(signal.SIGTERM)
        assert callable(handler)
        handler(signal.SIGTERM, None)
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        return lifeline.got

    assert asyncio.run(main()) == [signal.SIGTERM]
