"""Real terminals for tests: facilitate in tmux panes, keys sent as a terminal sends them.

Each :class:`Terminals` runs its own tmux server (its own socket, no config file), so a
test never touches anyone's tmux sessions, and ``close`` ends every pane it started.
Keys go through ``tmux send-keys``: the bytes reach the app through a real pseudo
terminal, in one write per call, exactly as a fast typist's keys (or a busy moment)
deliver them, and Textual's real driver and reader take them in.
Import it as ``from terminals import ...`` (pytest puts ``tests/`` on sys.path).
"""

from __future__ import annotations

import itertools
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TMUX = shutil.which("tmux")
_servers = itertools.count()


class Terminals:
    def __init__(self, data_dir: Path, size: tuple[int, int] = (120, 40)) -> None:
        self.data_dir = data_dir
        self.size = size
        self.socket = f"facilitate-test-{os.getpid()}-{next(_servers)}"

    def tmux(self, *args: str) -> str:
        assert TMUX is not None
        command = [TMUX, "-L", self.socket, "-f", "/dev/null", *args]
        return subprocess.run(command, capture_output=True, text=True, check=False).stdout

    def start(self, name: str, *args: str) -> None:
        """``facilitate ARGS`` in a pane of its own, on this test's data folder."""
        env = ["env", "TERM=xterm-256color", f"FACILITATE_DATA_DIR={self.data_dir}"]
        if "PYTHONPATH" in os.environ:
            env.append(f"PYTHONPATH={os.environ['PYTHONPATH']}")
        command = shlex.join([*env, sys.executable, "-m", "facilitate", *args])
        width, height = self.size
        self.tmux("new-session", "-d", "-s", name, "-x", str(width), "-y", str(height), command)

    def screen(self, name: str) -> str:
        return self.tmux("capture-pane", "-p", "-t", name)

    def wait_for(self, name: str, text: str, timeout: float = 30.0) -> bool:
        """Poll the screen (every few ms: the moment it shows counts) until ``text`` is on it."""
        return until(lambda: text in self.screen(name), timeout, every=0.003)

    def send(self, name: str, *keys: str) -> None:
        """Key names (``Enter``, ``Escape``, ``C-q``) and text, all in one write."""
        self.tmux("send-keys", "-t", name, *keys)

    def close(self) -> None:
        self.tmux("kill-server")


def until(done: Callable[[], bool], timeout: float, every: float = 0.05) -> bool:
    """Poll ``done`` until it holds (True) or ``timeout`` seconds have passed (False)."""
    end = time.monotonic() + timeout
    while not done():
        if time.monotonic() > end:
            return False
        time.sleep(every)
    return True


def journal_records(data_dir: Path) -> list[dict[str, Any]]:
    """Every record of every journal of every session in ``data_dir``, file by file."""
    records = []
    for path in sorted(data_dir.glob("sessions/*/journal-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                records.append(json.loads(line))
    return records
