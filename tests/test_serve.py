"""``facilitate serve`` as the room meets it: a real server, real view processes, a client.

Each test starts the command on a free loopback port and talks to it with aiohttp
the way textual's page does. What is checked is what matters to the people in the
room: nobody without the right link gets anything (403, and no process started), a
scribe's link is not the projector's, the cap holds, nothing listens beyond this
machine, a note typed in a browser is in the journal, an export reaches that browser
only, and when the server stops (or is killed) no process is left behind.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from apptools import sync
from facilitate.events import Event, NoteAdded, TimerStarted, WriterNamed, event_from_record
from facilitate.journal import read_session
from servetools import (
    VIEW_TIMEOUT_S,
    Page,
    alive,
    children,
    listening_addresses,
    serving,
    start_serve,
    wait_until,
)
from sessionfactory import start_session

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

CHILD_END_S = 20.0


@pytest.fixture
def session_dir(tmp_path: Path) -> Path:
    """A data folder holding one running session of the sample programme."""
    day = start_session(tmp_path, "sample-programme")
    day.record(TimerStarted)
    return tmp_path


def journal(folder: Path) -> list[Event]:
    sessions = sorted((folder / "sessions").iterdir())
    return [event_from_record(r) for r in read_session(sessions[-1]).records]


async def status(http: aiohttp.ClientSession, url: str) -> int:
    async with http.get(url, allow_redirects=False) as response:
        await response.read()
        return response.status


async def ws_status(http: aiohttp.ClientSession, url: str, origin: str | None = None) -> int:
    """The handshake's answer: 101 when a view opened (it is closed again at once)."""
    try:
        websocket = await http.ws_connect(url, headers={"Origin": origin} if origin else None)
    except aiohttp.WSServerHandshakeError as exc:
        return exc.status
    await websocket.close()
    return 101


async def refusal(http: aiohttp.ClientSession, url: str) -> tuple[int, str]:
    """A websocket the server opens only to close at once: the code, and the reason the
    page shows to the person."""
    websocket = await http.ws_connect(url)
    message = await asyncio.wait_for(websocket.receive(), VIEW_TIMEOUT_S)
    assert message.type == aiohttp.WSMsgType.CLOSE, message
    await websocket.close()
    return int(message.data), str(message.extra)


@sync
async def test_without_the_right_token_everything_is_403_and_nothing_starts(
    session_dir: Path,
) -> None:
    with serving(session_dir) as served:
        base, p, s = served.base, served.token("projector"), served.token("scribe")
        forbidden = [
            "/",
            "/ws",
            "/projector/",
            "/projector/ws",
            f"/projector/{p[:-1]}/",  # one character short
            f"/projector/{p}x/",  # one too many
            f"/projector/{p * 4}/",  # over-long
            f"/projector/{p.swapcase()}/",
            f"/projector/{s}/",  # the scribe's token on the projector
            f"/scribe/{p}/",  # and the other way round
            f"/nope/{p}/",
            "/static/js/textual.js",
            f"/projector/{p}/static/",  # no directory listing
            f"/projector/{p}/static/js/",
            f"/projector/{p}/static/%2e%2e/server.py",
            f"/projector/{p}/static/..%2f..%2fserver.py",
            "/download/anything",
            "/favicon.ico",
        ]
        async with aiohttp.ClientSession() as http:
            for path in forbidden:
                assert await status(http, base + path) == 403, path
            for path in ["/ws", f"/projector/{s}/ws", f"/scribe/{p}/ws", f"/projector/{p}x/ws"]:
                assert await ws_status(http, base + path) == 403, path
            async with http.post(f"{base}/projector/{p}/") as response:
                assert response.status == 403
            # A browser asking for a view's page with a wrong link is told what to do, in
            # the same words whichever part is wrong.
            said = set()
            for path in [f"/projector/{p}x/", f"/projector/{s}/", f"/nope/{p}/", f"/scribe/{p}"]:
                async with http.get(base + path, headers={"Accept": "text/html"}) as response:
                    assert response.status == 403, path
                    said.add(await response.text())
            (notice,) = said
            assert "This link no longer opens anything: ask the facilitator for the " in notice
            assert "projector" not in notice and "scribe" not in notice
            async with http.get(base + "/", headers={"Accept": "text/html"}) as response:
                assert (response.status, await response.text()) == (403, "403: Forbidden")
            assert children(served.pid) == [], "a refused request starts no process"

            for view, token in (("projector", p), ("scribe", s)):
                async with http.get(f"{base}/{view}/{token}/") as page:
                    assert page.status == 200
                    html = await page.text()
                    assert page.headers["Cache-Control"] == "no-store"
                    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
                    assert page.headers["Referrer-Policy"] == "no-referrer"
                    assert "googleapis" not in html and "http" not in html.split("<body>")[0]
                assert await status(http, f"{base}/{view}/{token}/static/js/textual.js") == 200
                assert await status(http, f"{base}/{view}/{token}") == 302  # adds the slash
            assert children(served.pid) == [], "a page alone starts nothing"


@sync
async def test_it_listens_on_loopback_only_and_caps_each_view(session_dir: Path) -> None:
    with serving(session_dir, "--max-projectors", "1") as served:
        assert listening_addresses(served.pid) == {"127.0.0.1"}
        assert served.urls["projector"].startswith("http://127.0.0.1:")
        base, p = served.base, served.token("projector")
        async with aiohttp.ClientSession() as http:
            # Another site's page cannot open a view, even with the link.
            evil = "http://evil.example"
            assert await ws_status(http, f"{base}/projector/{p}/ws", origin=evil) == 403
            assert children(served.pid) == []

            page = Page(await http.ws_connect(f"{base}/projector/{p}/ws?width=100&height=30"))
            await page.shows("Registration")
            assert len(children(served.pid)) == 1
            code, why = await refusal(http, f"{base}/projector/{p}/ws")
            assert code == 4002
            assert why == (
                "The projector view is full: 1 of 1 pages are open. "
                "Close one, or ask the facilitator for --max-projectors."
            )
            assert len(children(served.pid)) == 1, "the refused one started nothing"
            served.wait_for_line("projector page refused: the view is full (1 of 1 open")

            # The projector is read-only: ctrl+q (or q) typed into it does nothing.
            await page.type("\x11")
            await page.type("q")
            await page.websocket.send_json(["ping", "42"])
            await page.read_until(lambda pg: ["pong", "42"] in pg.texts)
            assert len(children(served.pid)) == 1
            # Reloaded: the page closes and opens again at once, while its old process may
            # still be ending. The place is free as soon as the page has gone.
            await page.websocket.close()
            again = Page(await http.ws_connect(f"{base}/projector/{p}/ws"))
            await again.shows("Registration")
            await again.websocket.close()
            wait_until(lambda: children(served.pid) == [], CHILD_END_S, "the views' processes end")


@sync
async def test_a_scribe_types_a_note_in_the_browser_and_it_is_in_the_journal(
    session_dir: Path,
) -> None:
    with serving(session_dir) as served:
        base, s = served.base, served.token("scribe")
        jar = aiohttp.CookieJar(unsafe=True)  # keep cookies for 127.0.0.1, as a browser does
        async with aiohttp.ClientSession(cookie_jar=jar) as browser:
            assert await status(browser, f"{base}/scribe/{s}/") == 200  # sets the view's cookie
            page = Page(await browser.ws_connect(f"{base}/scribe/{s}/ws?width=120&height=40"))
            await page.shows("Your name")
            await page.type("Sam Patel")
            await page.type("\r")
            await page.shows("Sam Patel in the minutes")
            # A scribe's terminal types from the start: no i needed.
            await page.type("d: one referral form for all partners")
            await page.type("\r")

            def notes() -> list[NoteAdded]:
                return [e for e in journal(session_dir) if isinstance(e, NoteAdded)]

            wait_until(lambda: bool(notes()), CHILD_END_S, "the note is in the journal")
            (note,) = notes()
            assert (note.kind, note.text) == ("decision", "one referral form for all partners")
            named = [e for e in journal(session_dir) if isinstance(e, WriterNamed)]
            assert [(e.writer, e.name) for e in named] == [(note.writer, "Sam Patel")]

            # The minutes so far go to this browser, not to a file on the server.
            await page.type("\x1b")
            await page.type("M")
            await page.read_until(lambda pg: any(t[0] == "deliver_file_start" for t in pg.texts))
            key = next(t[1] for t in page.texts if t[0] == "deliver_file_start")
            async with aiohttp.ClientSession() as stranger:
                assert await status(stranger, f"{base}/download/{key}") == 403, "no cookie"
            async with browser.get(f"{base}/download/{key}") as download:
                assert download.status == 200
                minutes = await download.text()
                disposition = download.headers["Content-Disposition"]
            assert disposition.startswith('attachment; filename="') and "-minutes.md" in disposition
            assert "one referral form for all partners *(Registration" in minutes
            assert "by Sam Patel" in minutes
            assert await status(browser, f"{base}/download/{key}") == 403, "a key works once"
            assert list((session_dir / "home").iterdir()) == [], "nothing written on the server"


@sync
async def test_a_browser_scribe_typing_fast_through_escape_loses_no_note(
    session_dir: Path,
) -> None:
    """Escape then i (back to the note box) typed at once with two notes around them, in
    one frame from the page: both notes land whole. Textual's reader took ESC i for Alt+i,
    and the second note then ran as single-key commands."""
    with serving(session_dir) as served:
        base, s = served.base, served.token("scribe")
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(cookie_jar=jar) as browser:
            assert await status(browser, f"{base}/scribe/{s}/") == 200
            page = Page(await browser.ws_connect(f"{base}/scribe/{s}/ws?width=120&height=40"))
            await page.shows("Your name")
            await page.type("Sam Patel")
            await page.type("\r")
            await page.shows("Sam Patel in the minutes")
            await page.type("q: who holds the budget?\r\x1bid: pool the budget\r")

            def notes() -> list[NoteAdded]:
                return [e for e in journal(session_dir) if isinstance(e, NoteAdded)]

            wait_until(lambda: len(notes()) >= 2, CHILD_END_S, "both notes are in the journal")
            assert [(n.kind, n.text) for n in notes()] == [
                ("question", "who holds the budget?"),
                ("decision", "pool the budget"),
            ]


@sync
async def test_new_links_shut_out_the_old_ones(session_dir: Path) -> None:
    with serving(session_dir, "--projector-only") as served:
        assert list(served.urls) == ["projector"], "--projector-only serves no scribe"
        base, old = served.base, served.token("projector")
        async with aiohttp.ClientSession() as http:
            assert await status(http, f"{base}/scribe/{old}/") == 403
            page = Page(await http.ws_connect(f"{base}/projector/{old}/ws"))
            await page.shows("Registration")
            served.type_command("hello")  # not a command: the serve says what is
            served.wait_for_line(
                "'hello' is not a command here. Type n and Enter for new links "
                "(the old ones stop working); q and Enter or Ctrl-C stops."
            )
            served.type_command("n")
            served.read_links(renewed=True)
            new = served.token("projector")
            assert new != old
            await page.closes()  # whoever had the old link is shown out, and told why
            assert page.closed == (
                4001,
                "The links were renewed: ask the facilitator for the new one.",
            )
            assert await status(http, f"{base}/projector/{old}/") == 403
            # A browser opening the old link is told what to do, and still nothing starts.
            async with http.get(
                f"{base}/projector/{old}/", headers={"Accept": "text/html,*/*;q=0.8"}
            ) as response:
                assert response.status == 403
                assert response.content_type == "text/html"
                text = await response.text()
            assert "This link no longer opens anything: ask the facilitator for the " in text
            assert "current link." in text and "<script" not in text
            assert await ws_status(http, f"{base}/projector/{old}/ws") == 403
            assert await status(http, f"{base}/projector/{new}/") == 200
            wait_until(lambda: children(served.pid) == [], CHILD_END_S, "the old view ended")


def test_new_tokens_from_another_terminal_renews_the_running_serves_links(
    session_dir: Path,
) -> None:
    with serving(session_dir, "--projector-only") as served:
        old = served.token("projector")
        renew = subprocess.run(
            [sys.executable, "-m", "facilitate", "--data-dir", str(session_dir), "serve",
             "--new-tokens"],
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        assert renew.returncode == 0, renew.stderr
        port = served.base.rsplit(":", 1)[1]
        assert f"at 127.0.0.1:{port} has new links" in renew.stdout
        served.wait_for_line("New links (asked for from another terminal)")
        served.read_links(renewed=True)
        assert served.token("projector") != old
    after = subprocess.run(
        [sys.executable, "-m", "facilitate", "--data-dir", str(session_dir), "serve",
         "--new-tokens"],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert after.returncode == 2
    assert "no serve is running" in after.stderr
    assert list(session_dir.glob("sessions/*/serve.lease")) == [], "a stopped serve leaves none"


@sync
async def test_ctrl_c_ends_every_view_process(session_dir: Path) -> None:
    served = start_serve(session_dir)
    try:
        base = served.base
        async with aiohttp.ClientSession() as http:
            pages = [
                Page(await http.ws_connect(f"{base}/projector/{served.token('projector')}/ws")),
                Page(await http.ws_connect(f"{base}/scribe/{served.token('scribe')}/ws")),
            ]
            await pages[0].shows("Registration")
            await pages[1].shows("Your name")
            pids = children(served.pid)
            assert len(pids) == 2
            assert served.stop(signal.SIGINT) == 0
        assert [pid for pid in pids if alive(pid)] == [], "no view process outlives the server"
        served.wait_for_line("every view has closed", timeout=5)
    finally:
        if served.process.poll() is None:
            served.stop(signal.SIGKILL)


@sync
async def test_a_killed_server_takes_its_view_processes_with_it(session_dir: Path) -> None:
    served = start_serve(session_dir, "--projector-only")
    try:
        async with aiohttp.ClientSession() as http:
            page = Page(
                await http.ws_connect(f"{served.base}/projector/{served.token('projector')}/ws")
            )
            await page.shows("Registration")
            pids = children(served.pid)
            assert len(pids) == 1
            os.kill(served.pid, signal.SIGKILL)  # no chance to clean up
            served.process.wait(10)
            wait_until(lambda: not alive(pids[0]), CHILD_END_S, "the orphan ends by itself")
    finally:
        if served.process.poll() is None:
            served.stop(signal.SIGKILL)
