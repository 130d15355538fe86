"""Windows and macOS differences, simulated on Linux: nothing lost, nothing crashes.

Each test takes away what a platform lacks (``tests/platforms.py``) and runs the
real code: the platform layer (``facilitate.osfs``), the store and the journal
on top of it, and the app's start in a fresh interpreter that never had
``fcntl``.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from facilitate import osfs
from facilitate.agenda.catalog import load_named
from facilitate.clock import FakeTimeSource, SessionClock
from facilitate.control import Holder, take_control
from facilitate.events import NoteAdded, SessionStarted
from facilitate.journal import JournalFollower, JournalWriter, read_journal
from facilitate.live import LiveSession
from facilitate.paths import Paths
from facilitate.store import create_session, load_session
from platforms import WINDOWS_PRELUDE, windows, zero_ids

ROOT = Path(__file__).resolve().parent.parent
START = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


def rec(seq: int, text: str = "note") -> dict[str, Any]:
    return {"type": "note_added", "at": f"2026-11-22T09:30:{seq:02d}+00:00", "writer": "w",
            "seq": seq, "text": text}  # fmt: skip


# --- macOS: F_FULLFSYNC ---------------------------------------------------------------------


class FakeFcntl(SimpleNamespace):
    """macOS's fcntl as far as flushing goes."""


def test_on_macos_a_file_is_flushed_through_the_drives_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[int, int]] = []
    mac = FakeFcntl(F_FULLFSYNC=51, fcntl=lambda fd, op: asked.append((fd, op)))
    monkeypatch.setitem(sys.modules, "fcntl", mac)
    fsynced: list[int] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            fsynced.append(fd)
        real_fsync(fd)  # the folder's is a plain fsync, as SQLite does too

    monkeypatch.setattr(os, "fsync", fsync)
    writer = JournalWriter(tmp_path, "w")
    writer.append(rec(0))
    writer.close()
    assert [op for _, op in asked] == [51], "one F_FULLFSYNC for the note"
    assert fsynced == [], "a plain fsync of the file would stop at the drive's cache on a Mac"
    assert read_journal(writer.path).records == [rec(0)]


def test_on_macos_a_share_without_full_fsync_falls_back_to_fsync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(fd: int, op: int) -> None:
        raise OSError(errno.ENOTSUP, "Operation not supported")

    monkeypatch.setitem(sys.modules, "fcntl", FakeFcntl(F_FULLFSYNC=51, fcntl=refuse))
    fsynced: list[int] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        fsynced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    osfs.atomic_write(tmp_path / "summary.toml", b"x = 1\n")
    assert fsynced, "the data is still flushed as well as the filesystem allows"
    assert (tmp_path / "summary.toml").read_bytes() == b"x = 1\n"


def test_linux_and_windows_use_fsync(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fcntl", None)
    fsynced: list[int] = []
    monkeypatch.setattr(os, "fsync", fsynced.append)
    fd = os.open(tmp_path / "f", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        osfs.sync_file(fd)
    finally:
        os.close(fd)
    assert fsynced == [fd]


# --- Windows: no fchmod, folders that cannot be opened, no inode numbers in listings ---------


def test_on_windows_notes_save_without_fchmod_or_folder_fsync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tried = windows(monkeypatch)
    writer = JournalWriter(tmp_path, "w")
    writer.append(rec(0, "first note"))
    writer.append(rec(1, "second note"))
    writer.close()
    osfs.atomic_write(tmp_path / "summary.toml", b"x = 1\n")
    assert tried, "the folder fsync was attempted and its refusal taken in stride"
    assert [r["text"] for r in read_journal(writer.path).records] == ["first note", "second note"]
    assert (tmp_path / "summary.toml").read_bytes() == b"x = 1\n"


def test_sync_dir_still_reports_a_folder_that_is_gone(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        osfs.sync_dir(tmp_path / "gone")


def test_a_filesystem_that_cannot_fsync_a_folder_is_not_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "Invalid argument")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    osfs.sync_dir(tmp_path)


def test_without_fchmod_a_file_keeps_the_mode_it_was_made_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(os, "fchmod")
    path = tmp_path / "loose"
    path.write_text("x")
    path.chmod(0o644)
    fd = os.open(path, os.O_RDONLY)
    try:
        osfs.make_private(fd)  # no error: Windows protects the profile folder instead
    finally:
        os.close(fd)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_with_fchmod_a_loose_file_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "loose"
    path.write_text("x")
    path.chmod(0o644)
    fd = os.open(path, os.O_RDONLY)
    try:
        osfs.make_private(fd)
    finally:
        os.close(fd)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def replace_journal(path: Path, records: list[dict[str, Any]]) -> None:
    """Swap the file for a new one (a sync client restoring a copy, an editor saving)."""
    other = path.with_suffix(".new")
    other.write_bytes(b"".join(json.dumps(r).encode() + b"\n" for r in records))
    os.replace(other, path)


def test_on_windows_a_replaced_journal_is_still_noticed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    windows(monkeypatch)
    path = tmp_path / "journal-w.jsonl"
    path.write_bytes(json.dumps(rec(0, "old one")).encode() + b"\n")
    follower = JournalFollower(tmp_path)
    assert [r["text"] for r in follower.poll()] == ["old one"]
    # Same size, new file: only its identity tells it apart.
    replace_journal(path, [rec(1, "new one")])
    assert [r["text"] for r in follower.poll()] == ["new one"]


def test_listing_identity_asks_stat_when_the_listing_has_no_inode(tmp_path: Path) -> None:
    path = tmp_path / "journal-w.jsonl"
    path.write_text("x\n")
    entry = next(e for e in os.scandir(tmp_path) if e.name == path.name)
    windows_st = zero_ids(entry.stat())
    full = os.stat(path)
    assert osfs.entry_identity(entry, windows_st) == (full.st_dev, full.st_ino)


def test_without_any_file_ids_the_creation_time_tells_files_apart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(osfs, "WINDOWS", True)
    st = os.stat(ROOT / "README.md")
    first = osfs.stat_identity(zero_ids(st))
    later = os.stat_result(list(zero_ids(st)[:10]), {"st_ctime_ns": st.st_ctime_ns + 1})
    assert first != osfs.stat_identity(later)
    assert first == osfs.stat_identity(zero_ids(st))


def test_on_windows_replacing_a_file_someone_has_open_is_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(osfs, "WINDOWS", True)
    monkeypatch.setattr("facilitate.osfs.time.sleep", lambda s: None)
    refusals = [PermissionError(errno.EACCES, "in use"), PermissionError(errno.EACCES, "in use")]
    real_replace = os.replace

    def replace(src: Any, dst: Any) -> None:
        if refusals:
            raise refusals.pop()
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    osfs.atomic_write(tmp_path / "summary.toml", b"new")
    assert (tmp_path / "summary.toml").read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.toml"]


def test_elsewhere_a_refused_replace_is_an_error_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[object] = []

    def replace(src: Any, dst: Any) -> None:
        calls.append(src)
        raise PermissionError(errno.EACCES, "denied")

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(PermissionError):
        osfs.atomic_write(tmp_path / "summary.toml", b"new")
    assert len(calls) == 1
    assert list(tmp_path.iterdir()) == []


def test_on_windows_a_data_folder_outside_the_profile_is_flagged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("USERPROFILE", "/home/anna")
    assert osfs.outside_profile(Path("/srv/shared/facilitate"), windows=True)
    assert not osfs.outside_profile(Path("/home/anna/AppData/Local/facilitate"), windows=True)
    assert not osfs.outside_profile(Path("/HOME/Anna/Documents"), windows=True), "any case"
    assert not osfs.outside_profile(Path("/srv/shared"), windows=False), "Unix modes protect it"


def test_on_windows_a_whole_session_starts_saves_and_replays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    windows(monkeypatch)
    paths = Paths(tmp_path, tmp_path)
    agenda, text = load_named("sample-programme", paths)
    clock = SessionClock(FakeTimeSource(START))
    sid, folder = create_session(paths, agenda, text, clock.now(), UTC)
    control = take_control(folder, sid, Holder("w", "laptop"), clock.now(), UTC)
    with LiveSession(sid, folder, agenda, clock, UTC, "w") as live:
        started = SessionStarted(at=clock.now(), agenda_name=agenda.name, agenda_title=agenda.title)
        assert live.record(started)
        assert live.record(
            NoteAdded(at=clock.now(), kind="decision", text="Share one form", segment=0)
        )
        live.save_summary()
    control.release()
    loaded = load_session(sid, folder)
    assert loaded.warnings == []
    assert [n.text for n in loaded.state.live_notes()] == ["Share one form"]


# --- the app's start, in an interpreter that never had fcntl --------------------------------

APP_ON_WINDOWS = """
import asyncio, json, sys
from pathlib import Path
from facilitate import osfs
sys.path.insert(0, {tests!r})
from apptools import make_app, settle, type_note, event_types, live

async def main():
    tmp = Path({tmp!r})
    app, _ = make_app(tmp)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("space")
        await type_note(pilot, app, "d: one referral form")
        session = live(app)
        types = event_types(app)
        await pilot.press("ctrl+q")
    had_fcntl = sys.modules.get("fcntl") is not None
    print(json.dumps({{"types": types, "fcntl": had_fcntl, "folder": str(session.folder),
                      "code": app.return_code}}))

asyncio.run(main())
"""


def test_the_app_starts_and_saves_on_a_simulated_windows(tmp_path: Path) -> None:
    code = WINDOWS_PRELUDE + APP_ON_WINDOWS.format(tests=str(ROOT / "tests"), tmp=str(tmp_path))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT / "tests")])}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["fcntl"] is False, "the simulation really had no fcntl"
    assert result["types"] == ["SessionStarted", "TimerStarted", "NoteAdded"]
    assert result["code"] in (0, None)
    folder = Path(result["folder"])
    assert (folder / "summary.toml").is_file()
    assert not (folder / "control.lease").exists(), "quitting gave control back"
    shutil.rmtree(folder)


def test_on_windows_files_written_as_bytes_are_opened_binary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows' os.open is text mode unless O_BINARY is given: every "\\n" of a journal or
    an export would become "\\r\\n". 0x8000 is Windows' value (on Linux, O_LARGEFILE:
    harmless), so the files really open with it here."""
    monkeypatch.setattr(os, "O_BINARY", 0x8000, raising=False)
    flags_seen: list[int] = []
    real_open = os.open

    def open_(path: Any, flags: int, mode: int = 0o777, *, dir_fd: int | None = None) -> int:
        if not os.path.isdir(path):
            flags_seen.append(flags)
        return real_open(path, flags, mode, dir_fd=dir_fd)

    monkeypatch.setattr(os, "open", open_)
    writer = JournalWriter(tmp_path, "w")
    writer.append(rec(0))
    writer.close()
    from facilitate.cli.common import write_output

    write_output("minutes\n", str(tmp_path / "minutes.md"))
    assert len(flags_seen) == 2
    assert all(flags & 0x8000 for flags in flags_seen)
