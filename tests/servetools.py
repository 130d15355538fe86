"""Driving a real ``facilitate serve`` for tests: start it, read its links, see its processes.

:func:`start_serve` runs the command in a subprocess on a free loopback port and
waits (bounded) until it has printed its links. The helpers read what the
operating system says (children by parent PID, listening sockets) rather than
trusting the server's own account. Linux only: they read ``/proc``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

SRC = Path(__file__).resolve().parent.parent / "src"
READY_LINE = "q and Enter or Ctrl-C stops."
START_TIMEOUT_S = 30.0
VIEW_TIMEOUT_S = 30.0


@dataclass
class Served:
    process: subprocess.Popen[str]
    lines: queue.Queue[str]
    urls: dict[str, str] = field(default_factory=dict)
    seen: list[str] = field(default_factory=list)
    pump: threading.Thread | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def base(self) -> str:
        url = next(iter(self.urls.values()))
        return url.split("/", 3)[0] + "//" + url.split("/", 3)[2]

    def token(self, view: str) -> str:
        return self.urls[view].rstrip("/").rsplit("/", 1)[1]

    def read_links(self, renewed: bool = False, timeout: float = START_TIMEOUT_S) -> dict[str, str]:
        """Read output until a whole set of links is printed (at start, or renewed with n)."""
        expect = len(self.urls) if renewed else None
        found: dict[str, str] = {}
        view = None
        deadline = time.monotonic() + timeout
        while True:
            line = self.next_line(deadline)
            if line.startswith(("projector (", "scribe (")):
                view = line.split()[0]
            elif view is not None and line.startswith("  http"):
                found[view] = line.strip()
                view = None
            if READY_LINE in line or (expect is not None and len(found) == expect):
                break
        self.urls = found
        return found

    def next_line(self, deadline: float) -> str:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"serve printed nothing more; so far: {self.seen[-20:]}")
        try:
            line = self.lines.get(timeout=left)
        except queue.Empty:
            raise TimeoutError(f"serve printed nothing more; so far: {self.seen[-20:]}") from None
        self.seen.append(line)
        return line

    def wait_for_line(self, want: str, timeout: float = START_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout
        while want not in self.next_line(deadline):
            pass

    def rest(self, timeout: float = 10.0) -> list[str]:
        """Everything it printed, once it has ended (call after :meth:`stop`)."""
        if self.pump is not None:
            self.pump.join(timeout)
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return self.seen

    def type_command(self, text: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()

    def stop(self, sig: int = signal.SIGINT, timeout: float = 20.0) -> int:
        """Signal the server and wait for it to end (killed, and the test failed, if not)."""
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
            raise AssertionError(f"serve did not stop within {timeout}s") from None


def _pump(stream: Any, into: queue.Queue[str]) -> None:
    for line in stream:
        into.put(line.rstrip("\n"))


def _env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    env.pop("FACILITATE_DATA_DIR", None)
    home = data_dir / "home"  # where a view would write a file: checked to stay empty
    home.mkdir(exist_ok=True)
    env["HOME"] = str(home)
    return env


def serve_command(
    data_dir: Path, *args: str, timeout: float = 30
) -> subprocess.CompletedProcess[str]:
    """``facilitate serve ARGS`` run to its end (for commands that do not stay: refusals,
    ``--new-tokens``), its output captured."""
    command = [sys.executable, "-m", "facilitate", "--data-dir", str(data_dir), "serve"]
    return subprocess.run(
        [*command, *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=_env(data_dir),
        timeout=timeout,
    )


def start_serve(data_dir: Path, *args: str) -> Served:
    env = _env(data_dir)
    command = [sys.executable, "-m", "facilitate", "--data-dir", str(data_dir), "serve"]
    process = subprocess.Popen(
        [*command, "--port", "0", "--no-qr", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    lines: queue.Queue[str] = queue.Queue()
    pump = threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True)
    pump.start()
    served = Served(process, lines, pump=pump)
    served.read_links()
    return served


@contextlib.contextmanager
def serving(data_dir: Path, *args: str) -> Iterator[Served]:
    served = start_serve(data_dir, *args)
    try:
        yield served
    finally:
        if served.process.poll() is None:
            served.stop()


# -- what the operating system says --


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped counts as ended)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return text.rsplit(")", 1)[1].split()[0] != "Z"


def children(pid: int) -> list[int]:
    """The live processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return sorted(found)


def listening_addresses(pid: int) -> set[str]:
    """The local addresses ``pid`` listens on for TCP, e.g. ``{"127.0.0.1"}``."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    found = set()
    for table, width in (("tcp", 8), ("tcp6", 32)):
        path = Path(f"/proc/net/{table}")
        if not path.exists():
            continue
        for row in path.read_text().splitlines()[1:]:
            cols = row.split()
            local, state, inode = cols[1], cols[3], cols[9]
            if state != "0A" or inode not in inodes:  # 0A: LISTEN
                continue
            found.add(_address(local.split(":")[0], width))
    return found


def _address(hexed: str, width: int) -> str:
    raw = bytes.fromhex(hexed)
    if width == 8:
        return ".".join(str(b) for b in raw[::-1])
    words = [raw[i : i + 4][::-1] for i in range(0, 16, 4)]
    import ipaddress

    return str(ipaddress.IPv6Address(b"".join(words)))


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout}s: {what}")
        time.sleep(0.05)


# -- a browser, as textual's page talks to the server --


class Page:
    """One view's websocket: what the page sends (keys, size) and the screen it is sent."""

    def __init__(self, websocket: aiohttp.ClientWebSocketResponse) -> None:
        self.websocket = websocket
        self.screen = b""
        self.texts: list[list[Any]] = []
        self.closed: tuple[int, str] | None = None  # the server's close code and reason

    async def read_until(
        self, check: Callable[[Page], bool], timeout: float = VIEW_TIMEOUT_S
    ) -> None:
        """Read frames until ``check`` holds; fails if the socket closes or time runs out."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not check(self):
            left = deadline - loop.time()
            if left <= 0:
                raise AssertionError(f"not seen within {timeout}s; last: {self.screen[-300:]!r}")
            try:
                message = await asyncio.wait_for(self.websocket.receive(), left)
            except TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                self.screen += message.data
            elif message.type == aiohttp.WSMsgType.TEXT:
                self.texts.append(json.loads(message.data))
            else:
                raise AssertionError(f"the view closed: {message.type} {message.extra}")

    async def closes(self, timeout: float = VIEW_TIMEOUT_S) -> None:
        """Read (and keep) what is still sent until the server closes the socket."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            left = deadline - loop.time()
            if left <= 0:
                raise AssertionError(f"the view stayed open for {timeout}s")
            with contextlib.suppress(TimeoutError):
                message = await asyncio.wait_for(self.websocket.receive(), left)
                if message.type == aiohttp.WSMsgType.BINARY:
                    self.screen += message.data
                elif message.type == aiohttp.WSMsgType.CLOSE:
                    self.closed = (int(message.data), str(message.extra))
                    return
                elif message.type != aiohttp.WSMsgType.TEXT:
                    return

    async def shows(self, text: str, timeout: float = VIEW_TIMEOUT_S) -> None:
        await self.read_until(lambda page: text.encode() in page.screen, timeout)

    async def type(self, text: str) -> None:
        """Keys as xterm.js sends them. Textual applies a burst holding Enter or an arrow
        out of order, so text and each special key go in frames of their own, a moment
        apart (as a person types)."""
        await self.websocket.send_json(["stdin", text])
        await asyncio.sleep(0.2)
