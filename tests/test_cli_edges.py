"""The command line at its edges: folders it cannot use, output it cannot write, text that
must not reach a terminal raw.

Each refusal is one line naming the path and what is wrong with it, and exit 2.
Permissions are tested twice: for real, as a user who may not read everything (root
drops the capability with ``setpriv``), and by fault injection (``os.stat`` raising
``PermissionError``), which holds as root too.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from facilitate.cli import main
from facilitate.paths import ENV_DATA_DIR
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
