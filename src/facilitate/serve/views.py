"""The views a server offers, their tokens, and the links people open.

A token is 128 random bits from :mod:`secrets`, URL-safe, in the link's *path*
(textual's page adds its own query string to the websocket URL). Each view has its
own, so a scribe's link cannot open the projector and the other way round. Tokens
live in memory only: they die with the server, and :meth:`View.rotate` replaces one.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field

TOKEN_BYTES = 16  # 128 bits: 22 characters, which keeps the QR code small
MAX_TOKEN_CHARS = 64  # anything longer is refused before it is compared


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def tokens_equal(given: str, expected: str) -> bool:
    """Constant-time comparison (as bytes: ``compare_digest`` refuses non-ASCII str)."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


@dataclass
class View:
    """One kind of page: which command its processes run and who may open it."""

    name: str
    argv: list[str]
    read_only: bool
    max_connections: int
    token: str = field(default_factory=new_token)
    pages: int = 0  # open in a browser now: what the cap counts
    processes: int = 0  # running, those of pages just closed included (still ending)

    def admits(self, token: str) -> bool:
        return len(token) <= MAX_TOKEN_CHARS and tokens_equal(token, self.token)

    def rotate(self) -> None:
        self.token = new_token()

    def path(self) -> str:
        return f"/{self.name}/{self.token}/"


def shown_base(host: str, port: int, lan_address: str | None) -> str:
    """``http://host:port`` as a person on the room's network types it.

    A wildcard bind (``0.0.0.0``, ``::``) is not an address anyone can open: show the
    machine's own address on the network instead, when it is known.
    """
    if host in ("0.0.0.0", "::", "") and lan_address:
        host = lan_address
    elif host in ("0.0.0.0", ""):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def lan_address() -> str | None:
    """This machine's address on its default network, or None (no packet is sent)."""
    import socket

    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))  # a UDP connect only picks a route
        address: str = probe.getsockname()[0]
    except OSError:
        return None
    finally:
        probe.close()
    return None if address.startswith("0.") else address
