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
from facilitate.serve import SERVE_VIEW_ENV, WEB_DRIVER, served_view
from facilitate.serve.page import font_size, render_page, safe_filename, static_files
from facilitate.serve.qr import HALVES, qr_rows, qr_text
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
    """Windows has no SIGHUP or SIGUSR1 and no loop signal handlers: serve still starts."""
    import asyncio
    import signal

    from facilitate.serve import server

    class NoSignals(asyncio.SelectorEventLoop):
        def add_signal_handler(self, *args: object) -> None:
            raise NotImplementedError

    monkeypatch.delattr(signal, "SIGUSR1", raising=False)
    loop = NoSignals()
    try:
        server._on_signal(loop, "SIGUSR1", lambda: None)  # not on this platform: nothing
        server._on_signal(loop, "SIGTERM", lambda: None)  # no loop handlers: nothing
    finally:
        loop.close()
