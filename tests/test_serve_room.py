"""``facilitate serve`` as a room tried it: more than one thing going on at once.

Two serves on one laptop, a second serve of the same session, a killed serve and
its leftovers, ``--new-tokens`` from another terminal, pages that connect at the
same moment, and an address that reaches beyond this computer. Each test runs the
real command and reads what a person would: its terminal, its exit status, what a
browser is sent, and which processes the operating system says are running.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from apptools import sync
from facilitate.events import TimerStarted
from facilitate.serve.lease import LEASE_FILE, ServeLease, this_machine, write_lease
from facilitate.serve.views import lan_address
from servetools import (
    VIEW_TIMEOUT_S,
    Page,
    alive,
    children,
    listening_addresses,
    serve_command,
    serving,
    start_serve,
    wait_until,
)
from sessionfactory import START, start_session

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

CHILD_END_S = 20.0


@pytest.fixture
def two_sessions(tmp_path: Path) -> tuple[Path, str, str]:
    """A data folder with two running sessions (ids oldest first)."""
    ids = []
    for hours in (0, 1):
        day = start_session(tmp_path, "sample-programme", start=START + timedelta(hours=hours))
        day.record(TimerStarted)
        ids.append(day.live.id)
    return tmp_path, ids[0], ids[1]


def port_of(base: str) -> int:
    return int(base.rsplit(":", 1)[1])


def test_a_session_is_served_once_and_a_killed_serve_does_not_block(
    two_sessions: tuple[Path, str, str],
) -> None:
    data, sid, _ = two_sessions
    first = start_serve(data, sid, "--projector-only")
    try:
        port = port_of(first.base)
        second = serve_command(data, sid, "--port", "0")
        assert second.returncode == 2
        (line,) = second.stderr.splitlines()
        assert line.startswith(f"facilitate: session {sid} is already being served at ")
        assert f"127.0.0.1:{port} (since " in line and f"PID {first.pid}" in line
        assert "stop it with q and Enter or Ctrl-C in its terminal" in line
        assert second.stdout == "", "no links, nothing listening"

        os.kill(first.pid, signal.SIGKILL)  # no chance to remove its lease
        first.process.wait(10)
        assert (data / "sessions" / sid / LEASE_FILE).exists()
        with serving(data, sid, "--projector-only") as again:  # the lapsed lease is no bar
            assert again.token("projector") != first.token("projector")
            renewed = serve_command(data, sid, "--new-tokens")
            assert renewed.returncode == 0, renewed.stderr
            again.read_links(renewed=True)
        assert not (data / "sessions" / sid / LEASE_FILE).exists(), "stopped: lease removed"
    finally:
        if first.process.poll() is None:
            first.stop(signal.SIGKILL)


def test_new_tokens_never_signals_a_process_a_stale_file_names(tmp_path: Path) -> None:
    """A serve killed outright left its lease; its PID now belongs to someone else."""
    day = start_session(tmp_path, "sample-programme")
    folder = day.live.folder
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        now = datetime.now(UTC)
        lease = ServeLease("0123456789abcdef", bystander.pid, this_machine(), "127.0.0.1", 8000,
                           now, now)  # fmt: skip
        write_lease(folder, lease)  # as fresh as can be, but nothing holds the serve lock
        (folder / "serve.pid").write_text(f"{bystander.pid}\n")  # the old mechanism's file
        result = serve_command(tmp_path, "--new-tokens")
        assert result.returncode == 2
        assert result.stderr.startswith(f"facilitate: no serve is running for {day.live.id}")
        assert bystander.poll() is None, "the bystander was not touched"
        assert not (folder / "serve.renew").exists(), "no request was left for nobody"
    finally:
        bystander.kill()
        bystander.wait(5)


def test_new_tokens_takes_no_options_that_start_a_serve(tmp_path: Path) -> None:
    start_session(tmp_path, "sample-programme")
    result = serve_command(tmp_path, "--new-tokens", "--port", "9000", "--host", "0.0.0.0")
    assert result.returncode == 2
    assert result.stderr == (
        "facilitate: --new-tokens renews the links of the serve already running, which keeps "
        "its address and settings: leave out --host and --port (to change them, stop that "
        "serve and start a new one)\n"
    )


@sync
async def test_two_serves_on_one_laptop_each_keep_their_own_download_cookie(
    two_sessions: tuple[Path, str, str],
) -> None:
    data, older, newer = two_sessions
    with serving(data, older) as a:
        taken = serve_command(data, newer, "--port", str(port_of(a.base)))
        assert taken.returncode == 2
        assert taken.stderr.splitlines() == [
            f"facilitate: port {port_of(a.base)} is already in use on 127.0.0.1 (another "
            f"program, or another serve): try --port {port_of(a.base) + 1}, or --port 0 for "
            "any free port"
        ]
        with serving(data, newer) as b:
            jar = aiohttp.CookieJar(unsafe=True)  # one browser, as a scribe's laptop has
            async with aiohttp.ClientSession(cookie_jar=jar) as browser:
                for served in (a, b):
                    async with browser.get(served.urls["scribe"]) as page:
                        assert page.status == 200
            names = sorted(cookie.key for cookie in jar)
            assert names == sorted(f"facilitate_scribe_{port_of(s.base)}" for s in (a, b))


@sync
async def test_pages_connecting_at_once_get_the_places_there_are(tmp_path: Path) -> None:
    start_session(tmp_path, "sample-programme").record(TimerStarted)
    with serving(tmp_path, "--projector-only", "--max-projectors", "2") as served:
        url = f"{served.base}/projector/{served.token('projector')}/ws"
        async with aiohttp.ClientSession() as http:
            sockets = await asyncio.gather(*(http.ws_connect(url) for _ in range(4)))
            firsts = await asyncio.gather(
                *(asyncio.wait_for(ws.receive(), VIEW_TIMEOUT_S) for ws in sockets)
            )
            refused = [m.data for m in firsts if m.type == aiohttp.WSMsgType.CLOSE]
            assert refused == [4002, 4002]
            pages = []
            for ws, first in zip(sockets, firsts, strict=True):
                if first.type == aiohttp.WSMsgType.BINARY:
                    pages.append(Page(ws))
                    pages[-1].screen = first.data
            assert len(pages) == 2
            pids = children(served.pid)
            assert len(pids) == 2
            for page in pages:
                await page.shows("Registration")
                await page.websocket.close()
            wait_until(lambda: children(served.pid) == [], CHILD_END_S, "the views end")
            # The processes have ended; the server says so once it has counted them out:
            # stopping it before then would find them still open (a race, not a defect).
            deadline = time.monotonic() + CHILD_END_S
            while not all(
                any(f"closed: process {pid};" in line for line in served.seen) for pid in pids
            ):
                served.next_line(deadline)
    said = served.rest()
    assert sum("projector view opened: process" in line for line in said) == 2
    assert any(line.endswith("; 1 of 2 open") and "opened" in line for line in said)
    assert any(line.endswith("; 2 of 2 open") and "opened" in line for line in said)
    for pid in pids:
        assert sum(f"closed: process {pid};" in line for line in said) == 1, said
    assert sum("projector page refused: the view is full" in line for line in said) == 2
    assert not any("stopping" in line for line in said), "nothing was open when it stopped"
    assert [pid for pid in pids if alive(pid)] == []


def test_an_address_beyond_this_computer_is_warned_about(tmp_path: Path) -> None:
    address = lan_address()
    if address is None:
        pytest.skip("this machine has no address on a network")
    start_session(tmp_path, "sample-programme")
    with serving(tmp_path, "--host", address) as served:
        assert listening_addresses(served.pid) == {address}
        assert served.urls["projector"].startswith(f"http://{address}:")
        said = "\n".join(served.seen)
    assert (
        f"warning: anyone on the network of {address} who has a link can open its view "
        "(plain HTTP: see the README for a TLS proxy)"
    ) in said
    assert "Only this computer" not in said
