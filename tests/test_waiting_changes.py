"""Changes kept aside in a recovery file are said by every reader of their session.

After a terminal ended with changes it could not save (a full disk, then "Quit, keep
them aside"), the session's journal lacks them until ``resume`` brings them back:
``sessions``, ``export``, ``actions`` and the review screen each warn that N changes wait
in that file, so nobody sends minutes without them. Looking costs one listing of the
recovery folders for a whole list, never one per session.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest

from facilitate import recovery, store
from facilitate.cli import main
from facilitate.paths import ENV_DATA_DIR, Paths
from facilitate.store import list_sessions, load_session
from sessionfactory import START, start_session
from test_recovery import keep, paths_of, put_folder_back, unsaved_day


@pytest.fixture(autouse=True)
def own_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temp folder, the recovery file's fallback, is the test's own."""
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "env-data"))
    return temp


@pytest.fixture
def kept(tmp_path: Path) -> tuple[str, Path, Path]:
    """A session whose last two notes (an action among them) wait in a recovery file."""
    day = unsaved_day(tmp_path, "Send the minutes", "Book the room")
    path = keep(day, paths_of(tmp_path))
    day.live.close()
    return day.live.id, put_folder_back(day), path


def said(sid: str, path: Path, count: int = 2) -> str:
    return (
        f"warning: {count} changes of session {sid} are waiting in {path}, not yet in its "
        f"journal (lists and minutes leave them out): `facilitate resume {sid}` brings them "
        "back\n"
    )


def run(capsys: pytest.CaptureFixture[str], root: Path, *argv: str) -> tuple[str, str]:
    code = main(["--data-dir", str(root), *argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out, err


def test_sessions_says_the_changes_waiting_every_time_cache_or_not(
    kept: tuple[str, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sid, _, path = kept
    for _ in range(2):  # the second listing comes from the listing's cache
        out, err = run(capsys, tmp_path, "sessions")
        assert sid in out and "1 note" in out
        assert err == said(sid, path)
    _, err = run(capsys, tmp_path, "sessions", "--json")
    assert err == said(sid, path)


@pytest.mark.parametrize(
    "argv", [["export", "latest"], ["actions"], ["export", "latest", "-f", "json"]]
)
def test_export_and_actions_say_the_minutes_miss_them(
    argv: list[str],
    kept: tuple[str, Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sid, _, path = kept
    out, err = run(capsys, tmp_path, *argv)
    assert "Send the minutes" not in out  # not in the journal yet: that is the point
    assert said(sid, path) in err


def test_the_review_screen_is_told_too(kept: tuple[str, Path, Path], tmp_path: Path) -> None:
    sid, folder, path = kept
    loaded = load_session(sid, folder, paths_of(tmp_path))  # as the review screen loads it
    assert said(sid, path).removeprefix("warning: ").rstrip("\n") in loaded.warnings


def test_once_brought_back_nothing_is_said(
    kept: tuple[str, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, folder, path = kept
    run(capsys, tmp_path, "sessions")
    [found] = recovery.find(paths_of(tmp_path), folder)
    recovery.restore(folder, found)
    assert not path.exists()
    out, err = run(capsys, tmp_path, "sessions")
    assert err == "" and "3 notes" in out
    out, err = run(capsys, tmp_path, "export", "latest")
    assert err == "" and "Send the minutes" in out


def test_other_sessions_are_not_said_and_the_look_is_one_for_the_whole_list(
    kept: tuple[str, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sid, _, _ = kept
    for n in range(1, 4):
        start_session(tmp_path, start=START.replace(day=10 + n)).close()
    looks: list[Any] = []
    real = recovery._readable_dirs

    def counted(paths: Paths) -> list[Path]:
        looks.append(paths)
        return real(paths)

    monkeypatch.setattr(recovery, "_readable_dirs", counted)
    infos = list_sessions(paths_of(tmp_path))
    assert len(infos) == 4
    assert [info.id for info in infos if info.warnings] == [sid]
    assert len(looks) == 1
    looks.clear()
    list_sessions(paths_of(tmp_path))  # warm: every line from the cache, still one look
    assert len(looks) == 1


def test_two_files_for_one_session_are_counted_together(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    day = unsaved_day(tmp_path, "one", "two", "three")
    first = keep(day, paths_of(tmp_path))
    day.source.advance(1)
    keep(day, paths_of(tmp_path))
    day.live.close()
    put_folder_back(day)
    _, err = run(capsys, tmp_path, "sessions")
    assert f"3 changes of session {day.live.id} are waiting in {first} and 1 more file" in err
    assert store.session_ids(paths_of(tmp_path)) == [day.live.id]
