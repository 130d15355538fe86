"""What a browser is sent besides the app's own output: one page and a few static files.

The page is ours rather than textual-serve's: it loads nothing from the internet
(the stock one fetches a web font from Google), builds its websocket URL from the
address it was opened at, and says plainly when the view has closed. Static files
are an allow-list of the ones textual-serve ships for its page: no directory
listing, no path outside it.
"""

from __future__ import annotations

import html
import secrets
from importlib.resources import files
from pathlib import Path
from string import Template

import textual_serve

DEFAULT_FONT_SIZE = 16
FONT_SIZES = range(6, 97)  # ?fontsize= is clamped to these

STATICS = Path(textual_serve.__file__).resolve().parent / "static"


def static_files(root: Path = STATICS) -> dict[str, Path]:
    """Every file the page may load, by its path under ``static/``."""
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


def font_size(raw: str | None) -> int:
    """``?fontsize=`` as a size the terminal can use (a projector wants 40 or more)."""
    try:
        size = int(raw) if raw is not None else DEFAULT_FONT_SIZE
    except ValueError:
        return DEFAULT_FONT_SIZE
    return max(FONT_SIZES.start, min(FONT_SIZES.stop - 1, size))


def _template() -> Template:
    text = files("facilitate.serve").joinpath("templates/index.html").read_text("utf-8")
    return Template(text)


TEMPLATE = _template()


def render_page(title: str, size: int) -> tuple[str, str]:
    """The page's HTML and the nonce its one inline script carries."""
    nonce = secrets.token_urlsafe(16)
    body = TEMPLATE.substitute(title=html.escape(title), font_size=str(size))
    return body.replace("<script>\n", f'<script nonce="{nonce}">\n', 1), nonce


def page_headers(nonce: str) -> dict[str, str]:
    """No caching, no referrer, no framing, and scripts from this server only."""
    policy = "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self' 'unsafe-inline'",  # xterm.js styles its elements inline
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self' ws: wss:",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        )
    )
    return {
        "Content-Security-Policy": policy,
        "Cache-Control": "no-store",
        "Content-Type": "text/html; charset=utf-8",
    }


def safe_filename(name: str) -> str:
    """A download's file name as a header can carry it: letters, digits, ``.-_`` only."""
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "-" for c in name)
    cleaned = cleaned.strip(".-") or "export"
    return cleaned[:120]


NOTICE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<meta name="referrer" content="no-referrer" />
<title>facilitate</title>
<style>
body { margin: 0; min-height: 100vh; display: flex; align-items: center;
  justify-content: center; background: #0c181f; color: rgba(255, 255, 255, 0.95);
  font: 18px/1.5 menlo, "Courier New", monospace; }
p { max-width: 36em; margin: 32px; padding: 48px 32px; background: #12232d;
  text-align: center; }
</style>
</head>
<body><p>$message</p></body>
</html>
"""

NO_LONGER = "This link no longer opens anything: ask the facilitator for the current link."


def notice_page(message: str) -> tuple[bytes, dict[str, str]]:
    """A page that only says ``message`` (no script, nothing loaded), and its headers."""
    body = Template(NOTICE).substitute(message=html.escape(message))
    headers = {
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        "Cache-Control": "no-store",
        "Content-Type": "text/html; charset=utf-8",
    }
    return body.encode("utf-8"), headers


def wants_html(accept: str) -> bool:
    """True when a request's ``Accept`` header asks for a page (a browser's does)."""
    return "text/html" in accept.lower()
