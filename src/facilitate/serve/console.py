"""The serve's own terminal: what it prints for people, and the one-letter commands it reads.

The links (with QR codes where the window is wide enough), who can open them, and
how to stop; ``n`` and Enter renews the links, ``q`` and Enter stops, anything else
is answered with what is understood. Signals stop the server where the platform
lets asyncio handle them; on Windows Ctrl-C arrives as KeyboardInterrupt, and the
commands are read by a thread because its event loop cannot watch a console.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from facilitate.serve.views import View

ABOUT = {
    "projector": "read-only: the countdown for the room",
    "scribe": "notes of your own; the facilitator keeps the timer",
}
COMMANDS = (
    "Type n and Enter for new links (the old ones stop working); q and Enter or Ctrl-C stops."
)
WIDEN = "(widen this window to show QR codes)"
PLAIN_HTTP = "(plain HTTP: see the README for a TLS proxy)"


def loopback(address: str) -> bool:
    """True for an address only this computer can reach (127.x, ::1, ``localhost``)."""
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Listening:
    """Where the server listens, as bound: its port and the addresses of its sockets."""

    host: str
    port: int
    addresses: tuple[str, ...]

    @property
    def local_only(self) -> bool:
        return bool(self.addresses) and all(loopback(a) for a in self.addresses)

    @property
    def wildcard(self) -> bool:
        return self.host in ("0.0.0.0", "::", "")


def reach(listening: Listening, public: bool) -> str:
    """One line on who can open the links."""
    if not listening.local_only:
        who = "this network" if listening.wildcard else f"the network of {listening.host}"
        return f"warning: anyone on {who} who has a link can open its view {PLAIN_HTTP}"
    if public:
        return "Only this computer can reach these; the proxy in front decides who else can."
    return "Only this computer can open these (--host 0.0.0.0 for the room)."


def links_text(
    views: Sequence[View],
    base: str,
    *,
    heading: str,
    qr: bool,
    columns: int,
    footer: Sequence[str] = (),
) -> str:
    """The links of ``views`` under ``heading``, each with a QR code when ``qr`` is asked
    for and the codes fit in ``columns``; otherwise one line says how to see them."""
    urls = [f"{base}{view.path()}" for view in views]
    codes = qr
    if qr:
        from facilitate.serve.qr import qr_text, qr_width

        codes = all(qr_width(url) <= columns for url in urls)
    out = [heading]
    for view, url in zip(views, urls, strict=True):
        out += ["", f"{view.name} ({ABOUT[view.name]}; up to {view.max_connections} open)"]
        out.append(f"  {url}")
        if codes:
            out.append(qr_text(url))
    if qr and not codes:
        out += ["", WIDEN]
    if footer:
        out += ["", *footer]
    return "\n".join(out) + "\n"


# -- commands typed in the serve's terminal --


def command_reply(line: str) -> str:
    """What the serve answers to a line it does not understand."""
    shown = line if len(line) <= 20 else line[:19] + "…"
    return f"{shown!r} is not a command here. {COMMANDS}"


@contextlib.contextmanager
def commands(
    loop: asyncio.AbstractEventLoop,
    actions: dict[str, Callable[[], Any]],
    out: TextIO | None = None,
    stdin: TextIO | None = None,
) -> Iterator[None]:
    """Lines typed in the server's terminal (or piped to it) as one-letter commands;
    an empty line is passed over, anything else is answered on ``out``.

    Not read from a terminal this process does not own (started with ``&``): reading
    it would stop the process.
    """
    stdin = sys.stdin if stdin is None else stdin

    def line(raw: str) -> None:
        typed = raw.strip()
        action = actions.get(typed.lower())
        if action is not None:
            action()
        elif typed:
            target = out or sys.stdout
            target.write(command_reply(typed) + "\n")
            target.flush()

    try:
        fd = stdin.fileno()
    except (AttributeError, ValueError, OSError):
        yield
        return
    with contextlib.suppress(OSError, AttributeError):  # no process groups on Windows
        if os.isatty(fd) and os.tcgetpgrp(fd) != os.getpgrp():
            yield
            return
    pending = b""

    def read() -> None:
        nonlocal pending
        try:
            data = os.read(fd, 1024)
        except OSError:
            data = b""
        if not data:
            loop.remove_reader(fd)
            return
        pending += data
        *lines, pending = pending.split(b"\n")
        for raw in lines:
            line(raw.decode("utf-8", "replace"))

    try:
        loop.add_reader(fd, read)
    except NotImplementedError:  # Windows' proactor loop: a thread reads instead
        _reading_thread(loop, stdin, line)
        yield
        return
    except (OSError, ValueError):
        yield
        return
    try:
        yield
    finally:
        loop.remove_reader(fd)


def _reading_thread(
    loop: asyncio.AbstractEventLoop, stdin: TextIO, line: Callable[[str], None]
) -> None:
    """Read lines on a daemon thread, each handled on the loop; ends with the process."""

    def run() -> None:
        with contextlib.suppress(OSError, ValueError, RuntimeError):
            for raw in stdin:
                loop.call_soon_threadsafe(line, raw)

    threading.Thread(target=run, name="serve-commands", daemon=True).start()


def on_signal(loop: asyncio.AbstractEventLoop, name: str, action: Callable[[], Any]) -> None:
    """Run ``action`` on the signal where the platform has it and lets asyncio handle it
    (Windows has no SIGHUP, nor loop signal handlers: Ctrl-C there arrives as
    KeyboardInterrupt)."""
    number = getattr(signal, name, None)
    if number is None:
        return
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        loop.add_signal_handler(number, action)
