"""The app holds control of the session it drives, and gives it up cleanly.

Another laptop is played by a lease written with another machine's name in the
same folder (a synced or shared folder looks just like that).
"""

from __future__ import annotations

import errno
import fcntl
import shutil
import socket
from datetime import UTC, timedelta
from pathlib import Path

import pytest

from apptools import (
    START,
    advance,
    live,
    make_app,
    record_notifications,
    run_screen,
    settle,
    sync,
    type_note,
)
from facilitate.control import (
    LAPSE_AFTER_S,
    LEASE_FILE,
    ControlRefused,
    Holder,
    Lease,
    read_lease,
    take_control,
    write_lease,
)
from facilitate.tui.dialogs.confirm import ConfirmScreen
from facilitate.tui.run.screen import RunScreen
from sessionfactory import build_sample_session

SIZE = (100, 30)
BEN = Holder("ben-laptop-202-bbbbbb", "ben-laptop")


def here(writer: str = "w") -> Holder:
    return Holder(writer, socket.gethostname())


@sync
async def test_a_run_holds_a_lease_renewed_on_the_facilitators_clock(tmp_path: Path) -> None:
    app, source = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        folder = live(app).folder
        assert read_lease(folder) == Lease(here(), START)
        await advance(pilot, app, source, 5)
        assert app.control.renew_now()
        assert read_lease(folder) == Lease(here(), START + timedelta(seconds=5))
        await pilot.press("ctrl+q")
    assert not (folder / LEASE_FILE).exists(), "quitting gives control back at once"


@sync
async def test_resume_is_refused_while_another_laptop_drives_the_session(tmp_path: Path) -> None:
    session = build_sample_session(tmp_path)
    write_lease(session.folder, Lease(BEN, START - timedelta(seconds=3)))
    app, _ = make_app(tmp_path, mode="resume", session=session.id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
    assert app.return_code == 2
    assert "ben-laptop" in app.farewell and f"facilitate join {session.id}" in app.farewell
    assert read_lease(session.folder) == Lease(BEN, START - timedelta(seconds=3))


async def unfinished_session(tmp_path: Path) -> Path:
    """A session paused and quit on this laptop: its folder."""
    app, _ = make_app(tmp_path, writer_id="w1")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        folder = live(app).folder
        await pilot.press("ctrl+q")
    return folder


@sync
async def test_a_lapsed_lease_is_taken_over_after_a_yes(tmp_path: Path) -> None:
    folder = await unfinished_session(tmp_path)
    gone = START - timedelta(seconds=LAPSE_AFTER_S + 30)
    write_lease(folder, Lease(BEN, gone))
    app, _ = make_app(tmp_path, mode="resume", session=folder.name)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "ben-laptop" in str(app.screen.question)
        assert read_lease(folder) == Lease(BEN, gone), "nothing taken before the yes"
        await pilot.press("y")
        await settle(pilot, app)
        assert run_screen(app).control
        assert read_lease(folder) == Lease(here(), START)
        await pilot.press("space")
        assert live(app).state.running, "the timer is ours now"
        await pilot.press("ctrl+q")


@sync
async def test_saying_no_leaves_the_session_as_it_was(tmp_path: Path) -> None:
    session = build_sample_session(tmp_path)
    gone = START - timedelta(seconds=LAPSE_AFTER_S + 30)
    write_lease(session.folder, Lease(BEN, gone))
    app, _ = make_app(tmp_path, mode="resume", session=session.id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
    assert app.return_code in (0, None)
    assert "left" in app.farewell and "facilitate join" in app.farewell
    assert read_lease(session.folder) == Lease(BEN, gone)


@sync
async def test_the_launcher_asks_before_taking_over_too(tmp_path: Path) -> None:
    session = build_sample_session(tmp_path)
    write_lease(session.folder, Lease(BEN, START - timedelta(seconds=LAPSE_AFTER_S + 1)))
    app, _ = make_app(tmp_path, mode="launcher")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_session(session.id, "resume")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot, app)
        assert isinstance(app.screen, RunScreen) and app.screen.control


@sync
async def test_a_laptop_that_lost_control_steps_down_to_a_scribes_view(tmp_path: Path) -> None:
    app, source = make_app(tmp_path)
    told = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        folder = live(app).folder
        # Asleep over lunch; Ben's laptop took the session over meanwhile.
        await advance(pilot, app, source, 3600)
        write_lease(folder, Lease(BEN, START + timedelta(seconds=3590)))
        assert not app.control.renew_now()
        await settle(pilot, app)
        assert not run_screen(app).control
        assert any("ben-laptop took over" in message for message in told)
        await pilot.press("space")
        assert not live(app).state.running, "the timer is Ben's now"
        await type_note(pilot, app, "d: notes still save here")
        assert any(n.text == "notes still save here" for n in live(app).state.live_notes())
        await pilot.press("ctrl+q")
    assert read_lease(folder) == Lease(BEN, START + timedelta(seconds=3590)), "Ben's, untouched"


@sync
async def test_only_the_controlling_process_writes_the_summary(tmp_path: Path) -> None:
    session = build_sample_session(tmp_path)
    summary = session.folder / "summary.toml"
    summary.unlink(missing_ok=True)
    app, _ = make_app(tmp_path, mode="join", session=session.id, writer_id="scribe")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await type_note(pilot, app, "a scribe's note")
        await pilot.press("ctrl+q")
    assert not summary.exists(), "a scribe's join leaves the summary to the facilitator"
    assert not (session.folder / LEASE_FILE).exists()


@sync
async def test_a_share_without_locks_starts_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_locks(fd: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    app, _ = make_app(tmp_path)
    told = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, RunScreen) and app.screen.control
        assert any("cannot lock files" in message for message in told)
        await pilot.press("space")
        assert live(app).state.running
        await pilot.press("ctrl+q")


@sync
async def test_a_run_that_cannot_take_control_leaves_no_empty_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(path: Path) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr("facilitate.osfs.try_lock", refused)
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
    assert app.return_code == 2
    assert "Permission denied" in app.farewell
    assert list((tmp_path / "sessions").iterdir()) == [], "no 'not started' session left"


@sync
async def test_a_deleted_session_folder_gets_its_lock_back_with_it(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        folder = live(app).folder
        shutil.rmtree(folder)
        run_screen(app).tick()  # the next tick puts the folder back, and says so
        await app.workers.wait_for_complete()
        await settle(pilot, app)
        assert (folder / "control.lock").exists()
        assert read_lease(folder) == Lease(here(), START)
        with pytest.raises(ControlRefused, match="already open in another terminal"):
            take_control(folder, live(app).id, here("w2"), START, UTC)
        await pilot.press("ctrl+q")
