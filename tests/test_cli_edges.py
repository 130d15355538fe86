"""The command line at its edges: folders it cannot use, output it cannot write, text that
must not reach a terminal raw.

Each refusal is one line naming the path and what is wrong with it, and exit 2.
Permissions are tested twice: for real, as a user who may not read everything (root
drops the capability with ``setpriv``), and by fault injection (``os.stat`` raising
``PermissionError``), which holds as root too.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest

from facilitate.agenda import parse_agenda
from facilitate.cli import main
from facilitate.clock import FakeTimeSource, SessionClock
from facilitate.events import SessionStarted
from facilitate.live import LiveSession
from facilitate.paths import ENV_DATA_DIR, Paths
from facilitate.store import create_session
from sessionfactory import AGENDAS, START, Scripted
from test_cli_files import as_a_user


@pytest.fixture(autouse=True)
def _no_env_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "env-data"))


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_proc(*argv: str, data: Path, **streams: object) -> subprocess.CompletedProcess[str]:
    options: dict[str, object] = {"stdin": subprocess.DEVNULL, "capture_output": True}
    if streams:
        options = {"stdin": subprocess.DEVNULL, **streams}
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "facilitate", *argv],
        text=True,
        env={**os.environ, ENV_DATA_DIR: str(data)},
        timeout=60,
        **options,
    )


# --- folders that cannot be used ---------------------------------------------------------------

COMMANDS = ["sessions", "export latest", "actions", "agendas", "resume"]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_data_folder_nobody_may_open_is_named_as_the_data_folder(
    command: str, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0)
    try:
        proc = as_a_user(*command.split(), data=data)
    finally:
        data.chmod(0o700)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == f"facilitate: cannot open the data folder {data}: Permission denied\n"


def refuse_inside(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Everything below ``folder`` cannot be looked at, as when it is mode 000 (for root too)."""
    real = os.stat
    inside = str(folder) + os.sep

    def stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if isinstance(path, str | os.PathLike) and os.fspath(path).startswith(inside):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", stat)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_data_folder_that_cannot_be_opened_is_one_line_by_fault_injection(
    command: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    refuse_inside(monkeypatch, data)
    code, out, err = cli(capsys, "--data-dir", str(data), *command.split())
    assert (code, out) == (2, "")
    assert err == f"facilitate: cannot open the data folder {data}: Permission denied\n"


def test_a_folder_above_the_data_folder_that_cannot_be_opened_is_the_one_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    refuse_inside(monkeypatch, shared)
    data = shared / "workshops"
    code, _, err = cli(capsys, "--data-dir", str(data), "sessions")
    assert code == 2
    assert err == (
        f"facilitate: cannot open {shared}, on the way to the data folder {data}: "
        "Permission denied\n"
    )


@pytest.mark.parametrize("command", [*COMMANDS, "run sample-programme"])
def test_a_sessions_path_that_is_a_file_is_named_for_what_it_is(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "sessions").write_text("my notes")
    code, out, err = cli(capsys, "--data-dir", str(data), *command.split())
    assert (code, out) == (2, "")
    assert err == (
        f"facilitate: {data / 'sessions'} is a file, not a folder: facilitate keeps its "
        "sessions there (rename or move it)\n"
    )
    assert "--data-dir" not in err  # the data folder is fine: that is not the advice


@pytest.mark.parametrize("kind", ["file", "fifo"])
def test_an_agendas_folder_that_is_a_file_or_a_fifo_is_one_line(kind: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    agendas = data / "agendas"
    if kind == "file":
        agendas.write_text("x")
        what = "a file"
    else:
        os.mkfifo(agendas)
        what = "a named pipe (FIFO)"
    proc = run_proc("agendas", data=data)  # a FIFO opened would block: the timeout says so
    assert proc.returncode == 2
    assert "sample-programme" in proc.stdout  # the bundled ones are still listed
    assert proc.stderr == (
        f"facilitate: {agendas} is {what}, not a folder: your own agendas go in a folder "
        "of that name\n"
    )


# --- minutes and data: no control character reaches a terminal, whatever stdout is ----------

CONTROLS = "\x1b]0;owned\x07\x1b[2J \x9b31m\x00"  # window title, clear screen, C1 CSI, NUL


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[Path]:
    """A session whose agenda title (as its journal has it) and notes hold control
    characters: the agenda file itself would be refused, an older journal need not be."""
    text = (AGENDAS / "partnership-meeting.toml").read_text(encoding="utf-8")
    agenda = parse_agenda(text, file="partnership-meeting.toml", name="partnership-meeting")
    paths = Paths(tmp_path / "data", tmp_path / "data")
    sid, folder = create_session(paths, agenda, text, START, UTC)
    with LiveSession(sid, folder, agenda, SessionClock(FakeTimeSource(START)), UTC, "w") as live:
        day = Scripted(live, FakeTimeSource(START))
        day.record(SessionStarted, agenda_name=agenda.name, agenda_title=f"{CONTROLS} Day")
        day.note("note", f"Before {CONTROLS} after\rover\twith a tab")
        day.note("action", f"Send {CONTROLS} notes", owner=f"As{CONTROLS}ha")
        live.save_summary()
    yield tmp_path / "data"


def no_controls(text: str) -> None:
    odd = [c for c in text if (ord(c) < 32 and c not in "\n\t\r") or 0x7F <= ord(c) <= 0x9F]
    assert odd == []
    assert "\r" not in text.replace("\r\n", "")


@pytest.mark.parametrize("fmt", ["md", "txt", "csv", "html"])
def test_minutes_and_csv_to_a_pipe_or_a_file_carry_no_control_characters(
    fmt: str, hostile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, "--data-dir", str(hostile), "export", "latest", "-f", fmt)
    assert code == 0, err
    no_controls(out)
    assert "Before \ufffd]0;owned\ufffd\ufffd[2J \ufffd31m\ufffd after" in out
    assert "\ufffd]0;owned\ufffd\ufffd[2J \ufffd31m\ufffd Day" in out or fmt == "csv"
    assert "with a tab" in out
    written = tmp_path / f"minutes.{fmt}"
    code, _, err = cli(
        capsys, "--data-dir", str(hostile), "export", "latest", "-f", fmt, "-o", str(written)
    )
    assert code == 0, err
    no_controls(written.read_text(encoding="utf-8-sig"))
    if fmt == "csv":
        assert written.read_bytes().count(b"\r\n") >= 3  # its own line ends stay


def test_minutes_in_a_real_pipe_carry_no_escape_codes(hostile: Path) -> None:
    proc = run_proc("export", "latest", data=hostile)  # stdout is a pipe, as for `| less -R`
    assert proc.returncode == 0, proc.stderr
    no_controls(proc.stdout)
    assert "Send \ufffd]0;owned" in proc.stdout


def test_json_keeps_every_character_and_writes_none_raw(
    hostile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, "--data-dir", str(hostile), "export", "latest", "-f", "json")
    assert code == 0, err
    no_controls(out)
    data = json.loads(out)
    assert data["notes"][0]["text"] == f"Before {CONTROLS} after\rover\twith a tab"
    assert data["agenda"]["title"] == f"{CONTROLS} Day"


def test_the_json_listing_keeps_odd_folder_names_and_writes_no_control_character_raw(
    hostile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    [sid] = [n for n in os.listdir(hostile / "sessions") if not n.startswith(".")]
    odd = f"{sid[:15]}-odd\x9b31m\x1b[2J"
    shutil.copytree(hostile / "sessions" / sid, hostile / "sessions" / odd)
    code, out, err = cli(capsys, "--data-dir", str(hostile), "sessions", "--json")
    assert code == 0, err
    no_controls(out)
    assert odd in [line["id"] for line in json.loads(out)["sessions"]]


def test_the_review_screens_export_writes_the_same_clean_minutes(
    hostile: Path, tmp_path: Path
) -> None:
    from facilitate.store import load_session
    from facilitate.tui.review.export import ExportChoice, write_export

    [sid] = [n for n in os.listdir(hostile / "sessions") if not n.startswith(".")]
    loaded = load_session(sid, hostile / "sessions" / sid)
    for fmt in ("md", "txt", "csv", "html"):
        path = tmp_path / f"review.{fmt}"
        assert write_export(loaded, ExportChoice(fmt, None, path), UTC) is None
        no_controls(path.read_text(encoding="utf-8-sig"))


def test_actions_to_a_pipe_carry_no_control_characters(
    hostile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for fmt in ("md", "csv"):
        code, out, err = cli(capsys, "--data-dir", str(hostile), "actions", "-f", fmt)
        assert code == 0, err
        no_controls(out)
        assert "Send \ufffd]0;owned" in out


# --- output that cannot be written: exit 2, as `export > /dev/full` -------------------------

FULL = "facilitate: cannot write to standard output: No space left on device\n"
needs_full = pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
GOOD_AGENDA = AGENDAS / "partnership-meeting.toml"


def into_full(*argv: str, data: Path, stream: str) -> subprocess.CompletedProcess[str]:
    """The command with ``stream`` (stdout, stderr or both) on a full device."""
    with open("/dev/full", "w") as full:
        streams: dict[str, object] = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
        for name in ("stdout", "stderr") if stream == "both" else (stream,):
            streams[name] = full
        return run_proc(*argv, data=data, **streams)


@needs_full
@pytest.mark.parametrize(
    "command",
    ["--help", "sessions --help", "--version", "sessions --json", "completion bash", "check"],
)
def test_help_version_and_every_listing_into_a_full_device_is_an_error(
    command: str, tmp_path: Path
) -> None:
    argv = [*command.split(), str(GOOD_AGENDA)] if command == "check" else command.split()
    proc = into_full(*argv, data=tmp_path, stream="stdout")
    assert proc.returncode == 2
    assert proc.stderr == FULL


@needs_full
def test_a_check_whose_problems_cannot_be_told_still_fails_with_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[agenda]\ntitle = "No segments"\n')
    proc = into_full("check", str(bad), data=tmp_path, stream="stderr")
    assert proc.returncode == 2  # was 1: the error about the error was a crash
    assert proc.stdout == ""
    proc = into_full("check", str(GOOD_AGENDA), data=tmp_path, stream="stderr")
    assert proc.returncode == 0  # nothing to say on stderr: nothing failed


@needs_full
@pytest.mark.parametrize("command", ["sessions", "export latest", "check", "nosuch"])
def test_both_streams_full_is_2_never_a_crash(command: str, hostile: Path) -> None:
    argv = [*command.split(), str(GOOD_AGENDA)] if command == "check" else command.split()
    proc = into_full(*argv, data=hostile, stream="both")
    assert proc.returncode == 2


# --- a standard stream the process was started without (`>&-`) -------------------------------

CLOSED = "facilitate: cannot write to standard output: it is closed\n"


def with_closed(*argv: str, data: Path, closing: str = ">&-") -> subprocess.CompletedProcess[str]:
    """The command run by a shell with ``closing`` (``>&-``: no stdout at all)."""
    return subprocess.run(
        ["sh", "-c", f'"$@" {closing}', "sh", sys.executable, "-m", "facilitate", *argv],
        text=True,
        capture_output=">&-" in closing and "2>&-" not in closing,
        stdin=subprocess.DEVNULL,
        env={**os.environ, ENV_DATA_DIR: str(data)},
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    "command",
    ["export latest", "sessions", "sessions --json", "actions", "agendas", "--help", "check"],
)
def test_a_closed_stdout_is_one_line_and_2_never_a_crash(command: str, hostile: Path) -> None:
    argv = [*command.split(), str(GOOD_AGENDA)] if command == "check" else command.split()
    proc = with_closed(*argv, data=hostile)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == CLOSED
    assert not (hostile / "logs").exists()  # no crash report


def test_with_stdout_closed_a_file_export_still_works(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "minutes.md"
    proc = with_closed("export", "latest", "-o", str(out), data=hostile)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == f"wrote {out}\n"
    assert "Send" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("closing", [">&- 2>&-", "<&- >&- 2>&-", "2>&-"])
def test_closed_streams_never_make_a_crash_log_nor_reach_a_journal(
    closing: str, hostile: Path
) -> None:
    before = {p: p.read_bytes() for p in (hostile / "sessions").rglob("journal-*")}
    proc = with_closed("export", "latest", data=hostile, closing=closing)
    assert proc.returncode == (0 if closing == "2>&-" else 2)
    assert not (hostile / "logs").exists()
    assert {p: p.read_bytes() for p in (hostile / "sessions").rglob("journal-*")} == before
