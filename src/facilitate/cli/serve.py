"""``facilitate serve``: the projector and scribe views of one session, in a browser."""

from __future__ import annotations

import argparse
import errno
import logging
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from facilitate.cli.common import Commands
from facilitate.errors import UserError
from facilitate.paths import Paths

DEFAULT_PORT = 8000
DEFAULT_MAX = 4


def register(commands: Commands) -> None:
    serve = commands.add(
        "serve",
        "serve the projector and the scribe's view of a session to browsers, "
        "each behind its own secret link",
        _serve,
    )
    serve.add_argument(
        "session",
        metavar="SESSION",
        nargs="?",
        default="latest",
        help="an id or a prefix of one; default: the session being run now, else the newest",
    )
    serve.add_argument(
        "--host",
        help="address to listen on (default 127.0.0.1, this computer only; "
        "0.0.0.0 for the room's network)",
    )
    serve.add_argument("--port", type=int, help=f"default {DEFAULT_PORT}; 0 picks a free one")
    serve.add_argument("--projector-only", action="store_true", help="serve no scribe view")
    serve.add_argument(
        "--max-projectors",
        type=int,
        metavar="N",
        help=f"projector pages open at once (default {DEFAULT_MAX})",
    )
    serve.add_argument(
        "--max-scribes",
        type=int,
        metavar="N",
        help=f"scribe pages open at once (default {DEFAULT_MAX})",
    )
    serve.add_argument(
        "--public-url",
        metavar="URL",
        help="how browsers reach this server when a proxy is in front (https://...); "
        "used in the links shown",
    )
    serve.add_argument("--no-qr", action="store_true", help="print the links without QR codes")
    serve.add_argument(
        "--new-tokens",
        action="store_true",
        help="renew the links of the serve already running for SESSION, at its own address "
        "(the old links stop working; the new ones show in its terminal)",
    )


STARTING_OPTIONS = {
    "host": "--host",
    "port": "--port",
    "projector_only": "--projector-only",
    "max_projectors": "--max-projectors",
    "max_scribes": "--max-scribes",
    "public_url": "--public-url",
    "no_qr": "--no-qr",
}


def _serve(args: argparse.Namespace, paths: Paths) -> int:
    from facilitate.store import resolve_session

    if args.new_tokens:
        given = [flag for name, flag in STARTING_OPTIONS.items() if getattr(args, name)]
        if given:
            raise UserError(
                f"--new-tokens renews the links of the serve already running, which keeps "
                f"its address and settings: leave out {' and '.join(given)} (to change "
                "them, stop that serve and start a new one)"
            )
    # Once: the served session never changes under people.
    sid, folder = resolve_session(paths, args.session, prefer_live=True)
    if args.new_tokens:
        return _renew_running(sid, folder)
    host = "127.0.0.1" if args.host is None else args.host
    port = DEFAULT_PORT if args.port is None else args.port
    max_projectors = DEFAULT_MAX if args.max_projectors is None else args.max_projectors
    max_scribes = DEFAULT_MAX if args.max_scribes is None else args.max_scribes
    if not 0 <= port <= 65535:
        raise UserError(f"--port must be between 0 and 65535, not {port}")
    if max_projectors < 1 or max_scribes < 1:
        raise UserError("--max-projectors and --max-scribes must be at least 1")
    public = (args.public_url or "").rstrip("/")
    if public and not public.startswith(("http://", "https://")):
        raise UserError(f"--public-url must start with http:// or https://, not {public!r}")
    try:
        import asyncio

        from facilitate.serve.console import COMMANDS, Listening, links_text, reach
        from facilitate.serve.lease import claim_serve
        from facilitate.serve.server import RENEWED_HERE, ViewServer
        from facilitate.serve.views import View, lan_address, shown_base
    except ImportError as exc:  # pragma: no cover - a broken install
        raise UserError(f"serve needs textual-serve installed ({exc})") from None

    base_argv = [sys.executable, "-m", "facilitate"]
    if getattr(args, "data_dir", None):
        base_argv += ["--data-dir", args.data_dir]
    views = [View("projector", [*base_argv, "projector", sid], True, max_projectors)]
    if not args.projector_only:
        views.append(View("scribe", [*base_argv, "join", sid], False, max_scribes))
    qr = not args.no_qr and sys.stdout.isatty()

    def announce(shown: Sequence[View], listening: Listening, renewed: str) -> None:
        lan = lan_address() if listening.wildcard else None
        base = public or shown_base(listening.host, listening.port, lan)
        if not renewed:
            heading = f"Serving session {sid}"
            footer = [
                reach(listening, bool(public)),
                "Projector pages take ?fontsize=40 for a big screen.",
                COMMANDS,
            ]
        else:
            why = "" if renewed == RENEWED_HERE else f" ({renewed})"
            heading = f"\nNew links{why}: the old ones no longer open anything."
            footer = []
        columns = shutil.get_terminal_size().columns
        sys.stdout.write(links_text(shown, base, heading=heading, qr=qr, columns=columns,
                                    footer=footer))  # fmt: skip
        sys.stdout.flush()

    claim = claim_serve(folder, sid)  # refused while another serve serves the session
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S", stream=sys.stderr
    )
    logging.getLogger("textual-serve").setLevel(logging.WARNING)
    server = ViewServer(views, host, port)
    try:
        asyncio.run(server.run(announce, claim))
    except OSError as exc:
        raise UserError(_cannot_listen(host, port, exc)) from None
    finally:
        claim.release()
    print("Stopped: every view has closed and its link no longer works.", file=sys.stderr)
    return 0


def _cannot_listen(host: str, port: int, exc: OSError) -> str:
    where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    if exc.errno == errno.EADDRINUSE:
        other = port + 1 if 0 < port < 65535 else 8001
        return (
            f"port {port} is already in use on {host} (another program, or another serve): "
            f"try --port {other}, or --port 0 for any free port"
        )
    if exc.errno == errno.EADDRNOTAVAIL:
        return (
            f"cannot listen on {where}: that is not an address of this computer "
            "(--host 0.0.0.0 listens on all of them)"
        )
    reason = exc.strerror or str(exc)
    return f"cannot listen on {where}: {reason}"


def _renew_running(sid: str, folder: Path) -> int:
    """Ask the serve running for ``sid`` for new links, through its lease (no signal, no PID)."""
    from facilitate.serve.lease import ask_for_new_links, tell

    code, line = tell(ask_for_new_links(folder, sid), sid)
    print(line, file=sys.stdout if code == 0 else sys.stderr)
    return code
