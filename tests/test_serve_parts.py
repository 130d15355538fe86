"""The pieces of ``facilitate serve`` that need no server: tokens, links, the page, the QR
code, and the terminal check that lets a served view (and only one) run without a tty."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from facilitate.cli.common import require_terminal
from facilitate.errors import UserError
from facilitate.serve import SERVE_VIEW_ENV, WEB_DRIVER, console, served_view
from facilitate.serve.page import font_size, render_page, safe_filename, static_files
from facilitate.serve.qr import HALVES, qr_rows, qr_text, qr_width
from facilitate.serve.views import View, new_token, shown_base, tokens_equal

SRC = Path(__file__).resolve().parent.parent / "src"


def test_tokens_are_128_random_bits_in_22_url_safe_characters() -> None:
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{22}", t) for t in tokens)


def test_a_view_admits_its_own_token_only() -> None:
    view = View("scribe", ["x"], read_only=False, max_connections=4)
    assert view.admits(view.token)
    assert not view.admits(view.token[:-1])
    assert not view.admits(view.token + "A")
    assert not view.admits("")
    assert not view.admits("é" * 22), "non-ASCII is compared, not an error"
    assert not view.admits(view.token * 100), "over-long: refused before comparing"
    old = view.token
    view.rotate()
    assert not view.admits(old) and view.admits(view.token)
    assert tokens_equal("é", "é")


@pytest.mark.parametrize(
    ("host", "lan", "shown"),
    [
        ("127.0.0.1", None, "http://127.0.0.1:8000"),
        ("0.0.0.0", "192.0.2.7", "http://192.0.2.7:8000"),
        ("0.0.0.0", None, "http://127.0.0.1:8000"),
        ("::", None, "http://[::1]:8000"),
        ("::1", None, "http://[::1]:8000"),
        ("room-laptop.local", None, "http://room-laptop.local:8000"),
    ],
)
def test_links_show_an_address_people_can_open(host: str, lan: str | None, shown: str) -> None:
    assert shown_base(host, 8000, lan) == shown


@pytest.mark.parametrize(
    ("raw", "size"),
    [(None, 16), ("40", 40), ("2", 6), ("5000", 96), ("big", 16), ("-3", 6), ("", 16)],
)
def test_fontsize_is_clamped(raw: str | None, size: int) -> None:
    assert font_size(raw) == size


def test_the_page_escapes_its_title_and_runs_only_its_own_script() -> None:
    body, nonce = render_page('projector <script>"', 40)
    assert "projector &lt;script&gt;&quot;" in body
    assert 'data-font-size="40"' in body
    assert body.count("<script") == 2  # textual.js from static/, and ours with the nonce
    assert f'<script nonce="{nonce}">' in body
    assert not re.search(r"(src|href)=\"(https?:)?//", body), "nothing from the internet"
    assert 'url("static/' in body and "googleapis" not in body
    assert "replace(/\\/?$/" in body, "the template's $$ became $"


def test_only_the_pages_own_files_are_served() -> None:
    files = static_files()
    assert "js/textual.js" in files and "css/xterm.css" in files
    assert all(path.is_file() for path in files.values())
    assert not any(name.endswith("/") or ".." in name for name in files)


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("2026-11-22-0930-sample-minutes.md", "2026-11-22-0930-sample-minutes.md"),
        ('a b;c"d.md', "a-b-c-d.md"),
        ("../../etc/passwd", "etc-passwd"),
        ("", "export"),
    ],
)
def test_download_names_are_safe_in_a_header(name: str, safe: str) -> None:
    assert safe_filename(name) == safe


def test_the_qr_code_draws_every_module_white_on_black() -> None:
    url = "http://192.0.2.7:8000/projector/AAAAAAAAAAAAAAAAAAAAAA/"
    rows = qr_rows(url)
    lines = qr_text(url).splitlines()
    assert all(line.startswith("\x1b[97;40m") and line.endswith("\x1b[0m") for line in lines)
    drawn = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in lines]
    back = {char: pair for pair, char in HALVES.items()}
    top = [[back[c][0] for c in line] for line in drawn]
    bottom = [[back[c][1] for c in line] for line in drawn]
    rebuilt = [row for pair in zip(top, bottom, strict=True) for row in pair][: len(rows)]
    assert rebuilt == rows
    assert len(drawn[0]) <= 45, "fits beside the links in an 80-column terminal"


# -- the terminal check --


def test_a_served_view_needs_our_variable_and_the_web_driver() -> None:
    assert served_view({SERVE_VIEW_ENV: "scribe", "TEXTUAL_DRIVER": WEB_DRIVER}) == "scribe"
    assert served_view({SERVE_VIEW_ENV: "scribe"}) is None
    assert served_view({"TEXTUAL_DRIVER": WEB_DRIVER}) is None
    assert served_view({SERVE_VIEW_ENV: "run", "TEXTUAL_DRIVER": WEB_DRIVER}) is None


def test_require_terminal_accepts_the_served_view_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SERVE_VIEW_ENV, "scribe")
    monkeypatch.setenv("TEXTUAL_DRIVER", WEB_DRIVER)
    assert require_terminal("scribe") is True
    with pytest.raises(UserError, match="needs a terminal"):
        require_terminal("projector")  # the scribe's process cannot become the projector
    with pytest.raises(UserError, match="needs a terminal"):
        require_terminal()  # nor the facilitator's run screen


@pytest.mark.parametrize(
    "env",
    [{SERVE_VIEW_ENV: "scribe"}, {"TEXTUAL_DRIVER": WEB_DRIVER}],
    ids=["variable-only", "driver-only"],
)
def test_join_without_a_terminal_still_refuses_half_a_serve_environment(
    tmp_path: Path, env: dict[str, str]
) -> None:
    from sessionfactory import start_session

    start_session(tmp_path)
    full = {**os.environ, "PYTHONPATH": str(SRC), **env}
    full.pop(SERVE_VIEW_ENV if SERVE_VIEW_ENV not in env else "TEXTUAL_DRIVER", None)
    result = subprocess.run(
        [sys.executable, "-m", "facilitate", "--data-dir", str(tmp_path), "join"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=full,
        timeout=60,
    )
    assert result.returncode == 2
    assert "needs a terminal" in result.stderr


def test_signals_a_platform_lacks_are_passed_over(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows has no SIGHUP and no loop signal handlers: serve still starts."""
    import asyncio
    import signal

    class NoSignals(asyncio.SelectorEventLoop):
        def add_signal_handler(self, *args: object) -> None:
            raise NotImplementedError

    monkeypatch.delattr(signal, "SIGHUP", raising=False)
    loop = NoSignals()
    try:
        console.on_signal(loop, "SIGHUP", lambda: None)  # not on this platform: nothing
        console.on_signal(loop, "SIGTERM", lambda: None)  # no loop handlers: nothing
    finally:
        loop.close()


def test_commands_are_read_where_the_loop_cannot_watch_a_console() -> None:
    """Windows' proactor loop has no add_reader: a thread reads the lines instead, and a
    line that is not a command is answered with the ones there are."""
    import asyncio
    import io

    class NoReaders(asyncio.SelectorEventLoop):
        def add_reader(self, *args: object) -> None:
            raise NotImplementedError

    read_fd, write_fd = os.pipe()
    os.write(write_fd, b"hello\n\nN\n")
    os.close(write_fd)
    said = io.StringIO()
    renewed = []
    loop = NoReaders()
    try:
        with os.fdopen(read_fd) as stdin:

            async def main() -> None:
                done = asyncio.Event()

                def renew() -> None:
                    renewed.append(1)
                    done.set()

                actions = {"n": renew}
                with console.commands(loop, actions, out=said, stdin=stdin):
                    await asyncio.wait_for(done.wait(), 10)

            loop.run_until_complete(main())
    finally:
        loop.close()
    assert renewed == [1], "N and Enter renews, whatever its case"
    assert said.getvalue() == (
        "'hello' is not a command here. Type n and Enter for new links (the old ones stop "
        "working); q and Enter or Ctrl-C stops.\n"
    ), "an empty line is passed over"


# -- what the serve's terminal shows --

LINK_VIEWS = [
    View("projector", ["x"], read_only=True, max_connections=4, token="P" * 22),
    View("scribe", ["x"], read_only=False, max_connections=2, token="S" * 22),
]


def test_qr_codes_show_only_where_they_fit() -> None:
    base = "http://192.0.2.7:8000"
    width = qr_width(f"{base}/projector/{'P' * 22}/")
    wide = console.links_text(LINK_VIEWS, base, heading="Serving", qr=True, columns=width)
    assert wide.count("\x1b[97;40m") > 2 * 10, "both codes drawn"
    assert console.WIDEN not in wide
    narrow = console.links_text(LINK_VIEWS, base, heading="Serving", qr=True, columns=width - 1)
    assert "\x1b[" not in narrow
    assert narrow == (
        "Serving\n\n"
        "projector (read-only: the countdown for the room; up to 4 open)\n"
        f"  {base}/projector/{'P' * 22}/\n\n"
        "scribe (notes of your own; the facilitator keeps the timer; up to 2 open)\n"
        f"  {base}/scribe/{'S' * 22}/\n\n"
        "(widen this window to show QR codes)\n"
    )
    plain = console.links_text(LINK_VIEWS, base, heading="Serving", qr=False, columns=20)
    assert console.WIDEN not in plain, "--no-qr asks for none: nothing to widen for"


@pytest.mark.parametrize(
    ("host", "addresses", "public", "line"),
    [
        ("127.0.0.1", ("127.0.0.1",), False, "Only this computer can open these"),
        ("localhost", ("127.0.0.1", "::1"), False, "Only this computer can open these"),
        ("127.0.0.2", ("127.0.0.2",), False, "Only this computer can open these"),
        ("127.0.0.1", ("127.0.0.1",), True, "Only this computer can reach these; the proxy"),
        ("192.0.2.2", ("192.0.2.2",), False, "warning: anyone on the network of 192.0.2.2 "),
        ("192.0.2.2", ("192.0.2.2",), True, "warning: anyone on the network of 192.0.2.2 "),
        ("fd00::2", ("fd00::2",), False, "warning: anyone on the network of fd00::2 "),
        ("0.0.0.0", ("0.0.0.0",), False, "warning: anyone on this network who has a link"),
        ("::", ("::",), False, "warning: anyone on this network who has a link"),
    ],
)
def test_any_address_beyond_loopback_is_warned_about(
    host: str, addresses: tuple[str, ...], public: bool, line: str
) -> None:
    said = console.reach(console.Listening(host, 8000, addresses), public)
    assert said.startswith(line)
