"""The command line and the files it touches: one line and exit 2, never a traceback.

Unreadable folders, a full output device and a data dir that is a file; exports
written whole, owner-only and never through a symbolic link without ``--force``;
folders 0700 whatever the umask; and no escape sequence from an agenda, a file
name or a note ever reaching the terminal.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest

from facilitate.cli import main
from facilitate.files import FileRefused, write_private
from facilitate.paths import ENV_DATA_DIR, Paths, ensure_private_dir
from facilitate.store import create_session
from facilitate.tui.review.export import ExportChoice, write_export
from sessionfactory import start_session

ESC_TITLE = "\x1b]0;owned\x07\x1b[2J"  # sets the window title, then clears the screen


@pytest.fixture(autouse=True)
def _no_env_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "env-data"))


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data folder with one finished session whose notes hold escape codes."""
    day = start_session(tmp_path / "data")
    day.note("note", f"Title {ESC_TITLE} in a note")
    day.note("action", "Send the notes", owner="Asha")
    day.live.save_summary()
    day.close()
    return tmp_path / "data"


def sid_of(data: Path) -> str:
    [sid] = [name for name in os.listdir(data / "sessions") if not name.startswith(".")]
    return sid


# --- folders we may not read -------------------------------------------------------------

DROP = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
DROP += ["--inh-caps=-dac_override,-dac_read_search"]


def as_a_user(*argv: str, data: Path) -> subprocess.CompletedProcess[str]:
    """Run the command as a user without the right to read everything (root drops it)."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("root without setpriv: permissions cannot be taken away")
        prefix = DROP
    return subprocess.run(
        [*prefix, sys.executable, "-m", "facilitate", *argv],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env={**os.environ, ENV_DATA_DIR: str(data)},
        timeout=60,
    )


@pytest.fixture
def locked(data: Path) -> Iterator[Path]:
    (data / "sessions").chmod(0)
    (data / "agendas").mkdir()
    (data / "agendas").chmod(0)
    yield data
    (data / "sessions").chmod(0o700)
    (data / "agendas").chmod(0o700)


@pytest.mark.parametrize(
    "command",
    ["sessions", "export latest", "actions", "resume", "join", "projector", "review latest"],
)
def test_an_unreadable_sessions_folder_is_one_line(command: str, locked: Path) -> None:
    proc = as_a_user(*command.split(), data=locked)
    assert proc.returncode == 2
    assert proc.stderr == f"facilitate: cannot read {locked / 'sessions'}: Permission denied\n"


def test_an_unreadable_agendas_folder_is_one_line(locked: Path) -> None:
    proc = as_a_user("agendas", data=locked)
    assert proc.returncode == 2
    assert "sample-programme" in proc.stdout  # the bundled ones are still listed
    assert proc.stderr == f"facilitate: cannot read {locked / 'agendas'}: Permission denied\n"


def test_an_unreadable_session_is_listed_as_unknown_and_export_says_why(data: Path) -> None:
    folder = data / "sessions" / sid_of(data)
    folder.chmod(0)
    try:
        listing = as_a_user("sessions", data=data)
        export = as_a_user("export", sid_of(data), data=data)
    finally:
        folder.chmod(0o700)
    assert listing.returncode == 0, listing.stderr
    assert "unknown" in listing.stdout
    assert export.returncode == 2
    assert export.stderr == f"facilitate: cannot read {folder}: Permission denied\n"


# --- a full device, a data dir that is a file ---------------------------------------------


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("command", ["export latest", "export latest -f csv", "sessions"])
def test_a_full_output_device_is_one_line(command: str, data: Path) -> None:
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "facilitate", *command.split()],
            stdin=subprocess.DEVNULL,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, ENV_DATA_DIR: str(data)},
            timeout=60,
        )
    assert proc.returncode == 2
    assert proc.stderr == "facilitate: cannot write to standard output: No space left on device\n"


@pytest.mark.parametrize("command", ["sessions", "export latest", "actions", "agendas", "resume"])
def test_a_data_dir_that_is_a_file_is_one_line(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a folder")
    code, out, err = cli(capsys, "--data-dir", str(notes), *command.split())
    assert code == 2
    assert out == ""
    assert err == (
        f"facilitate: {notes} is a file, not a folder; --data-dir (or FACILITATE_DATA_DIR) "
        "must name a folder\n"
    )


# --- exports: whole, owner-only, not through a link ---------------------------------------


def test_export_over_a_world_readable_file_leaves_it_owner_only(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "minutes.md"
    out.write_text("old minutes")
    out.chmod(0o644)
    code, _, err = cli(capsys, "--data-dir", str(data), "export", "latest", "-o", str(out))
    assert code == 0, err
    assert err == f"wrote {out}\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "Send the notes" in out.read_text()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file


def test_export_does_not_write_through_a_symlink_unless_forced(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "someone-elses.txt"
    target.write_text("precious")
    target.chmod(0o644)
    link = tmp_path / "minutes.md"
    link.symlink_to(target)
    code, _, err = cli(capsys, "--data-dir", str(data), "export", "latest", "-o", str(link))
    assert code == 2
    assert err == (
        f"facilitate: cannot write {link}: is a symbolic link; not writing through it "
        "(--force writes to where it points)\n"
    )
    assert target.read_text() == "precious"

    code, _, err = cli(
        capsys, "--data-dir", str(data), "export", "latest", "-o", str(link), "--force"
    )
    assert code == 0, err
    assert err == f"wrote {target}\n"
    assert link.is_symlink()
    assert "Send the notes" in target.read_text()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_export_onto_a_folder_or_a_device_is_refused(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(capsys, "--data-dir", str(data), "export", "latest", "-o", str(tmp_path))
    assert code == 2
    assert err == f"facilitate: cannot write {tmp_path}: is a folder, not a file to write over\n"
    code, _, err = cli(capsys, "--data-dir", str(data), "export", "latest", "-o", "/dev/null")
    assert code == 2
    assert err == "facilitate: cannot write /dev/null: is a device, not a file to write over\n"


def test_the_review_export_uses_the_same_rules(data: Path, tmp_path: Path) -> None:
    from facilitate.store import load_session

    loaded = load_session(sid_of(data), data / "sessions" / sid_of(data))
    link = tmp_path / "minutes.md"
    link.symlink_to(tmp_path / "elsewhere.md")
    assert write_export(loaded, ExportChoice("md", None, link), UTC) == (
        "is a symbolic link; not writing through it"
    )
    assert not (tmp_path / "elsewhere.md").exists()
    plain = tmp_path / "plain.md"
    plain.write_text("old")
    plain.chmod(0o644)
    assert write_export(loaded, ExportChoice("md", None, plain), UTC) is None
    assert stat.S_IMODE(plain.stat().st_mode) == 0o600


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "minutes.md"
    path.write_text("old")

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="No space"):
        write_private(path, b"new")
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["minutes.md"]
    assert isinstance(FileRefused(22, "x", path), OSError)


# --- folders 0700 whatever the umask ------------------------------------------------------


def test_every_folder_the_app_creates_is_0700_under_umask_000(tmp_path: Path) -> None:
    from facilitate.agenda import load_agenda
    from sessionfactory import AGENDAS

    old = os.umask(0)
    try:
        nested = ensure_private_dir(tmp_path / "a" / "b" / "c")
        data = tmp_path / "home" / ".local" / "share" / "facilitate"
        agenda = load_agenda(AGENDAS / "partnership-meeting.toml")
        from datetime import UTC, datetime

        _, folder = create_session(
            Paths(data, data), agenda, "", datetime(2025, 3, 4, tzinfo=UTC), UTC
        )
    finally:
        os.umask(old)
    for made in (
        tmp_path / "a",
        tmp_path / "a" / "b",
        nested,
        tmp_path / "home",
        tmp_path / "home" / ".local",
        data,
        data / "sessions",
        folder,
    ):
        assert stat.S_IMODE(made.stat().st_mode) == 0o700, made


# --- nothing reaches the terminal raw -----------------------------------------------------


def test_agendas_and_check_show_escape_codes_harmlessly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    (data / "agendas").mkdir(parents=True)
    title = ESC_TITLE.replace("\x1b", "\\u001b").replace("\x07", "\\u0007")
    (data / "agendas" / "day.toml").write_text(
        f'[agenda]\ntitle = "Day {title}"\n[[segment]]\ntitle = "A"\nduration = 5\n'
        f'"key {title}" = 1\n'
    )
    (data / "agendas" / f"odd{ESC_TITLE}.toml").write_text("[agenda\n")
    code, out, err = cli(capsys, "--data-dir", str(data), "agendas")
    assert code == 2
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "odd\ufffd]0;owned\ufffd\ufffd[2J" in out
    code, out, err = cli(capsys, "check", str(data / "agendas" / "day.toml"))
    assert code == 2
    assert "\x1b" not in out + err
    assert "unknown key 'key \ufffd]0;owned\ufffd\ufffd[2J'" in err


def test_sessions_actions_and_markdown_on_a_terminal_show_escape_codes_harmlessly(
    data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sid = sid_of(data)
    odd = data / "sessions" / f"2025-03-04-0858-odd{ESC_TITLE}"
    shutil.copytree(data / "sessions" / sid, odd)
    for argv in (["sessions"], ["actions"], ["export", sid]):
        monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
        code, out, err = cli(capsys, "--data-dir", str(data), *argv)
        assert code == 0, err
        assert "\x1b" not in out + err and "\x07" not in out + err, argv
    assert "Title \ufffd" in out and "owned\ufffd\ufffd" in out and "[2J in a note" in out
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    code, out, _ = cli(capsys, "--data-dir", str(data), "export", sid)
    assert code == 0
    assert "\x1b" not in out  # a pipe reaches a terminal too (test_cli_edges.py)
