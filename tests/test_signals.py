"""The real app in a real terminal, told to go while notes wait for the disk: none is lost.

Each test runs ``facilitate run`` in a pseudo-terminal, types a note that is saved,
then takes the session folder away and puts a file in its place (nothing can be
saved there, whoever runs the test), types two more, and ends the process: SIGTERM,
or the terminal closing (its master side shut, which sends SIGHUP). The process
must end promptly, leave a recovery file with every note, and that file must bring
them all back.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import shutil
import signal
import struct
import sys
import termios
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitate import recovery
from facilitate.paths import Paths
from facilitate.store import load_session

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX terminals and signals")

SRC = Path(__file__).resolve().parents[1] / "src"
WAIT_S = 20.0  # generous for a loaded machine; each test takes a few seconds


class Terminal:
    """``facilitate`` in a pseudo-terminal of its own (it is the session leader there)."""

    def __init__(self, tmp_path: Path, *argv: str) -> None:
        self.data = tmp_path / "data"
        env = {
            **os.environ,
            "PYTHONPATH": str(SRC),
            "FACILITATE_DATA_DIR": str(self.data),
            "TMPDIR": str(tmp_path),
            "TERM": "xterm-256color",
        }
        env.pop("NO_COLOR", None)
        pid, fd = pty.fork()
        if pid == 0:  # the child: a 120x40 terminal, then the app
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
            os.execve(sys.executable, [sys.executable, "-m", "facilitate", *argv], env)
        self.pid, self.fd = pid, fd
        self.output = bytearray()
        self.status: int | None = None
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        with contextlib.suppress(OSError):
            while chunk := os.read(self.fd, 65536):
                self.output += chunk

    def type(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def wait_for(
        self, what: str | None = None, *, file_has: tuple[Path, str] | None = None
    ) -> None:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            if what is not None and what.encode() in self.output:
                return
            if file_has is not None:
                with contextlib.suppress(OSError):
                    if file_has[1] in file_has[0].read_text(encoding="utf-8"):
                        return
            time.sleep(0.02)
        raise AssertionError(
            f"gave up waiting for {what or file_has}: {bytes(self.output)[-400:]!r}"
        )

    def hang_up(self) -> None:
        """The terminal window closes."""
        os.close(self.fd)

    def exit_status(self) -> int:
        """Wait for the process to end (at most WAIT_S) and return its exit status."""
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self._reader.join(timeout=1)
                return os.waitstatus_to_exitcode(status)
            time.sleep(0.02)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        raise AssertionError("the app did not end")

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)
        with contextlib.suppress(ChildProcessError, ProcessLookupError):
            if os.waitpid(self.pid, os.WNOHANG)[0] == 0:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    term = Terminal(tmp_path, "run", "sample-programme", "--start", "now")
    yield term
    term.close()


def notes_waiting(term: Terminal) -> Path:
    """One note saved, the folder taken away, two notes typed that cannot be saved."""
    term.wait_for("all saved")
    (folder,) = (term.data / "sessions").iterdir()
    (journal,) = folder.glob("journal-*.jsonl")
    term.type("i")
    term.type("first, saved\r")
    term.wait_for(file_has=(journal, "first, saved"))
    file_for_folder(folder)
    term.type("second, waiting\r")
    term.type("third, waiting\r")
    term.wait_for("NOT SAVED: 5 waiting")  # started, the day's start, three notes
    return folder


def file_for_folder(folder: Path) -> None:
    """Take the folder away and put a file in its place, so that it cannot come back (the
    app may put the folder back between the two: then try again)."""
    for _ in range(100):
        shutil.rmtree(folder, ignore_errors=True)
        try:
            fd = os.open(folder, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        os.close(fd)
        return
    raise AssertionError(f"{folder} kept coming back")


def every_note_comes_back(term: Terminal, folder: Path) -> None:
    paths = Paths(term.data, term.data)
    (kept,) = recovery.find(paths, folder)
    assert kept.path.parent == paths.recovery_dir
    assert kept.path.stat().st_mode & 0o777 == 0o600
    folder.unlink()
    folder.mkdir()
    recovery.restore(folder, kept)
    loaded = load_session(folder.name, folder, paths)
    assert [n.text for n in loaded.state.notes.values()] == [
        "first, saved",
        "second, waiting",
        "third, waiting",
    ]


def test_sigterm_with_notes_waiting_keeps_them_and_says_where(terminal: Terminal) -> None:
    folder = notes_waiting(terminal)
    os.kill(terminal.pid, signal.SIGTERM)
    assert terminal.exit_status() == 128 + signal.SIGTERM
    said = bytes(terminal.output).decode(errors="replace").replace("\r\n", "")
    assert "facilitate: 5 unsaved changes of session" in said
    assert str(Paths(terminal.data, terminal.data).recovery_dir) in said
    every_note_comes_back(terminal, folder)


def test_closing_the_terminal_with_notes_waiting_keeps_them(terminal: Terminal) -> None:
    folder = notes_waiting(terminal)
    terminal.hang_up()
    assert terminal.exit_status() == 128 + signal.SIGHUP
    every_note_comes_back(terminal, folder)
