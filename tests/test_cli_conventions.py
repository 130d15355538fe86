"""The command line behaves as terminal users expect, on every platform.

A closed pipe ends quietly, a missing home folder is one line, a bug leaves its
traceback in a log file (and a non-zero status) instead of on the screen, tables
line up with wide characters, and Tab completes commands, agendas and sessions.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from functools import partialmethod
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from textual.app import App
from textual.pilot import Pilot

from facilitate import osfs
from facilitate.cli import EXIT_PIPE_CLOSED, main
from facilitate.cli.completion import autocomplete
from facilitate.paths import ENV_DATA_DIR
from facilitate.tui.app import FacilitateApp
from facilitate.tui.run.screen import RunScreen
from sessionfactory import build_sample_session, start_session

ROOT = Path(__file__).resolve().parent.parent
AGENDA = '[agenda]\ntitle = "{title}"\n\n[[segment]]\ntitle = "Only"\nduration = 45\n'


@pytest.fixture(autouse=True)
def _no_env_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "env-data"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- a closed pipe ---------------------------------------------------------------------------


def test_a_pipe_closed_before_the_listing_ends_quietly(tmp_path: Path) -> None:
    """`facilitate agendas | head -1`: the reader is gone before facilitate writes."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # every write now meets a closed pipe, deterministically
    env = {**os.environ, ENV_DATA_DIR: str(tmp_path), "PYTHONPATH": str(ROOT / "src")}
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "facilitate", "agendas"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=env,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert proc.stderr.decode() == "", "no traceback, not even Python's at exit"
    assert proc.returncode == EXIT_PIPE_CLOSED


def test_help_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    env = {**os.environ, ENV_DATA_DIR: str(tmp_path), "PYTHONPATH": str(ROOT / "src")}
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "facilitate", "--help"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=env,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert b"Traceback" not in proc.stderr and b"BrokenPipe" not in proc.stderr


# --- no home folder --------------------------------------------------------------------------


def test_without_a_home_folder_one_line_suggests_data_dir(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import pwd

    def nobody(uid: int) -> Any:
        raise KeyError(f"getpwuid(): uid not found: {uid}")

    for name in ("HOME", ENV_DATA_DIR, "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(pwd, "getpwuid", nobody)
    code, out, err = run(capsys, "agendas")
    assert code == 2
    assert out == ""
    [line] = err.splitlines()
    assert "home folder" in line and "--data-dir" in line
    code, out, err = run(capsys, "sessions", "--data-dir", "/nonexistent-but-fine")
    assert code == 0, err
    # Commands that read no data folder work without a home at all.
    agenda = ROOT / "src" / "facilitate" / "agendas" / "partnership-meeting.toml"
    code, out, err = run(capsys, "check", str(agenda))
    assert code == 0 and "ok" in out, err
    env = {k: v for k, v in os.environ.items() if k not in ("HOME", ENV_DATA_DIR)}
    proc = subprocess.run(  # in a process of its own: argcomplete keeps the streams it saw
        [sys.executable, "-m", "facilitate", "completion", "bash", "--data-dir", str(agenda)],
        capture_output=True,
        env={**env, "PYTHONPATH": str(ROOT / "src")},
        timeout=60,
    )
    assert proc.returncode == 0 and b"facilitate" in proc.stdout, proc.stderr


# --- a bug in facilitate ---------------------------------------------------------------------


def test_a_bug_in_a_command_leaves_a_log_and_exits_non_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: Any) -> Any:
        raise ZeroDivisionError("a bug in facilitate")

    monkeypatch.setattr("facilitate.agenda.catalog.agenda_entries", broken)
    monkeypatch.setattr("facilitate.cli.agendas.agenda_entries", broken)
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "agendas")
    assert code == 1
    [line] = err.splitlines()
    assert "ZeroDivisionError: a bug in facilitate" in line
    [log] = (tmp_path / "logs").glob("crash-*.log")
    assert str(log) in line
    assert "Traceback" in log.read_text() and "a bug in facilitate" in log.read_text()
    assert log.stat().st_mode & 0o777 == 0o600


def test_a_crash_in_the_app_is_logged_not_shown_and_exits_non_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom(self: RunScreen) -> None:
        raise RuntimeError("the run screen fell over")

    monkeypatch.setattr(RunScreen, "on_mount", boom)
    monkeypatch.setattr("facilitate.cli.screens.require_terminal", lambda: None)
    monkeypatch.setattr(FacilitateApp, "run", partialmethod(App.run, headless=True))
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "run", "sample-programme")
    assert code == 1
    assert "Traceback" not in err and "fell over" not in err, "nothing dumped on the terminal"
    [line] = err.splitlines()
    [log] = (tmp_path / "logs").glob("crash-*.log")
    assert str(log) in line
    assert "the run screen fell over" in log.read_text()


def test_an_app_that_ends_normally_logs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async def quit_at_once(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.press("ctrl+q")

    monkeypatch.setattr("facilitate.cli.screens.require_terminal", lambda: None)
    monkeypatch.setattr(
        FacilitateApp, "run", partialmethod(App.run, headless=True, auto_pilot=quit_at_once)
    )
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "run", "sample-programme")
    assert code == 0 and err == ""
    assert not (tmp_path / "logs").exists()


# --- Windows: owner-only comes from the profile folder ---------------------------------------


def test_on_windows_a_data_folder_outside_the_profile_is_warned_about(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(osfs, "WINDOWS", True)
    monkeypatch.setenv("USERPROFILE", str(tmp_path / "Users" / "anna"))
    shared = tmp_path / "Workshops"
    code, _, err = run(capsys, "--data-dir", str(shared), "sessions")
    assert code == 0
    assert "outside your user profile folder" in err and str(shared) in err
    inside = tmp_path / "Users" / "anna" / "facilitate"
    code, _, err = run(capsys, "--data-dir", str(inside), "sessions")
    assert code == 0 and err == ""


# --- tables ----------------------------------------------------------------------------------


def test_agendas_line_up_with_wide_titles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "agendas").mkdir()
    (tmp_path / "agendas" / "kyoryoku.toml").write_text(AGENDA.format(title="協力して働く日"))
    (tmp_path / "agendas" / "plain.toml").write_text(AGENDA.format(title="Plain day"))
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "agendas")
    assert code == 0
    lines = [line for line in out.splitlines() if line.startswith(("NAME", "kyoryoku", "plain"))]
    columns = {
        cell_len(line[: line.index(" 1 " if "NAME" not in line else " SEG")]) for line in lines
    }
    assert len(columns) == 1, f"SEGMENTS starts at one screen column: {lines}"


def test_sessions_are_a_table_with_a_header(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = build_sample_session(tmp_path)
    code, out, _ = run(capsys, "--data-dir", str(tmp_path), "sessions")
    assert code == 0
    header, row = out.splitlines()
    assert header.split() == ["SESSION", "STATUS", "LENGTH", "CAPTURED"]
    assert row.split()[0] == session.id


# --- completion ------------------------------------------------------------------------------


def complete(line: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What Tab offers after ``line``, as the shell would ask for it."""
    from argcomplete.finders import CompletionFinder

    from facilitate.cli import _parser

    # The shell hands argcomplete descriptor 9 for debugging; under pytest that descriptor
    # is pytest's own, which argcomplete would close.
    monkeypatch.setattr(CompletionFinder, "_init_debug_stream", lambda self: None)
    out = io.StringIO()
    monkeypatch.setenv("_ARGCOMPLETE", "1")
    monkeypatch.setenv("_ARGCOMPLETE_IFS", "\n")
    monkeypatch.setenv("COMP_LINE", line)
    monkeypatch.setenv("COMP_POINT", str(len(line)))
    monkeypatch.setenv("_ARGCOMPLETE_SHELL", "bash")

    class Done(Exception):
        pass

    def finish(code: int = 0) -> None:
        raise Done

    with pytest.raises(Done):
        autocomplete(_parser(), output_stream=out, exit_method=finish)
    return out.getvalue().split("\n")


def test_tab_completes_sub_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    offered = complete("facilitate re", monkeypatch)
    assert {"resume", "review"} <= {word.strip() for word in offered}


def test_tab_completes_agenda_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "agendas").mkdir()
    (tmp_path / "agendas" / "our-away-day.toml").write_text(AGENDA.format(title="Away"))
    offered = complete(f"facilitate run --data-dir {tmp_path} s", monkeypatch)
    names = {word.strip() for word in offered}
    assert {"sample-programme", "session-evaluation", "shared-solutions"} <= names
    offered = complete(f"facilitate run --data-dir {tmp_path} our", monkeypatch)
    assert [word.strip() for word in offered] == ["our-away-day"]


def test_tab_completes_session_ids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    session = build_sample_session(tmp_path)
    offered = complete(f"facilitate resume --data-dir {tmp_path} 20", monkeypatch)
    assert [word.strip() for word in offered] == [session.id]
    offered = complete(f"facilitate export --data-dir {tmp_path} la", monkeypatch)
    assert [word.strip() for word in offered] == ["latest"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "powershell"])
def test_the_completion_snippet_is_printed_for_each_shell(
    shell: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "completion", shell)
    assert code == 0
    assert "facilitate" in out and "_ARGCOMPLETE" in out


# --- output encoding ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "txt", "html", "json"])
def test_an_export_to_a_pipe_is_utf8_whatever_the_system_encoding(tmp_path: Path, fmt: str) -> None:
    """Windows encodes a redirected stdout as cp1252, which has no room for a chart's blocks
    or a name such as Łucja: `facilitate export ... > minutes.md` must still work whole."""
    day = start_session(tmp_path)
    day.note("decision", "Łucja and Zoë agree ✓ the café 会場")
    env = {
        **os.environ,
        ENV_DATA_DIR: str(tmp_path),
        "PYTHONPATH": str(ROOT / "src"),
        "PYTHONIOENCODING": "cp1252",
    }
    proc = subprocess.run(
        [sys.executable, "-m", "facilitate", "export", "latest", "-f", fmt, "-a", "facilitator"]
        if fmt != "json"
        else [sys.executable, "-m", "facilitate", "export", "latest", "-f", fmt],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    text = proc.stdout.decode("utf-8")
    assert "Łucja and Zoë agree ✓ the café 会場" in text
