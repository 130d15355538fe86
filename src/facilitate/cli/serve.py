"""``facilitate serve``: the projector and scribe views of one session, in a browser."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from facilitate.cli.common import Commands
from facilitate.errors import UserError
from facilitate.paths import Paths

DEFAULT_PORT = 8000
DEFAULT_MAX = 4
ABOUT = {
    "projector": "read-only: the countdown for the room",
    "scribe": "notes of your own; the facilitator keeps the timer",
}


def register(commands: Commands) -> None:
    serve = commands.add(
        "serve",
        "serve the projector and the scribe's view of a session to browsers, "
        "each behind its own secret link",
        _serve,
    )
    serve.add_argument("session", metavar="SESSION", nargs="?", default="latest")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1, this computer only; "
        "0.0.0.0 for the room's network)",
    )
    serve.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}; 0 picks a free one"
    )
    serve.add_argument("--projector-only", action="store_true", help="serve no scribe view")
    serve.add_argument(
        "--max-projectors",
        type=int,
        default=DEFAULT_MAX,
        metavar="N",
        help=f"projector pages open at once (default {DEFAULT_MAX})",
    )
    serve.add_argument(
        "--max-scribes",
        type=int,
        default=DEFAULT_MAX,
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
        help="renew the links of the serve already running for SESSION (the old ones stop "
        "working; the new ones show in its terminal)",
    )


def _serve(args: argparse.Namespace, paths: Paths) -> int:
    from facilitate.osfs import atomic_write
    from facilitate.store import resolve_session

    sid, folder = resolve_session(paths, args.session)  # once: the session never changes
    if args.new_tokens:
        return _renew_running(sid, folder / PID_FILE)
    if not 0 <= args.port <= 65535:
        raise UserError(f"--port must be between 0 and 65535, not {args.port}")
    if args.max_projectors < 1 or args.max_scribes < 1:
        raise UserError("--max-projectors and --max-scribes must be at least 1")
    public = (args.public_url or "").rstrip("/")
    if public and not public.startswith(("http://", "https://")):
        raise UserError(f"--public-url must start with http:// or https://, not {public!r}")
    try:
        import asyncio

        from facilitate.serve.server import ViewServer
        from facilitate.serve.views import View, lan_address, shown_base
    except ImportError as exc:  # pragma: no cover - a broken install
        raise UserError(f"serve needs textual-serve installed ({exc})") from None

    base_argv = [sys.executable, "-m", "facilitate"]
    if getattr(args, "data_dir", None):
        base_argv += ["--data-dir", args.data_dir]
    views = [View("projector", [*base_argv, "projector", sid], True, args.max_projectors)]
    if not args.projector_only:
        views.append(View("scribe", [*base_argv, "join", sid], False, args.max_scribes))

    wildcard = args.host in ("0.0.0.0", "::", "")
    qr = not args.no_qr and sys.stdout.isatty()

    def announce(shown: Sequence[View], port: int, renewed: bool) -> None:
        base = public or shown_base(args.host, port, lan_address() if wildcard else None)
        out = sys.stdout
        if renewed:
            out.write("\nNew links: the old ones no longer open anything.\n")
        else:
            out.write(f"Serving session {sid}\n")
        for view in shown:
            out.write(f"\n{view.name} ({ABOUT[view.name]}; up to {view.max_connections} open)\n")
            out.write(f"  {base}{view.path()}\n")
            if qr:
                from facilitate.serve.qr import qr_text

                out.write(qr_text(f"{base}{view.path()}") + "\n")
        if not renewed:
            out.write("\n")
            if wildcard:
                out.write(
                    "warning: anyone on this network who has a link can open its view "
                    "(plain HTTP: see the README for a TLS proxy)\n"
                )
            elif not public:
                out.write("Only this computer can open these (--host 0.0.0.0 for the room).\n")
            out.write(
                "Projector pages take ?fontsize=40 for a big screen.\n"
                "Type n and Enter for new links (the old ones stop working); "
                "q and Enter or Ctrl-C stops.\n"
            )
        out.flush()

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S", stream=sys.stderr
    )
    logging.getLogger("textual-serve").setLevel(logging.WARNING)
    server = ViewServer(views, args.host, args.port)
    pid_file: Path | None = folder / PID_FILE
    try:
        atomic_write(folder / PID_FILE, f"{os.getpid()}\n".encode())
    except OSError:
        pid_file = None  # --new-tokens cannot find us; typing n still renews
    try:
        asyncio.run(server.run(announce))
    except OSError as exc:
        raise UserError(
            f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}"
        ) from None
    finally:
        if pid_file is not None:
            with contextlib.suppress(OSError):
                pid_file.unlink()
    print("Stopped: every view has closed and its link no longer works.", file=sys.stderr)
    return 0


PID_FILE = "serve.pid"


def _renew_running(sid: str, pid_file: Path) -> int:
    """Ask the serve running for ``sid`` (it left its PID in the session folder) for new links."""
    if not hasattr(signal, "SIGUSR1"):
        raise UserError("on this system, type n and Enter in the serve's own terminal instead")
    try:
        pid = int(pid_file.read_text(encoding="ascii").strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        raise UserError(
            f"no serve is running for {sid}: starting one gives new links anyway"
        ) from None
    os.kill(pid, signal.SIGUSR1)
    print(f"Asked the serve running for {sid} (PID {pid}) for new links: they show in its "
          "terminal, and the old ones no longer open anything.")  # fmt: skip
    return 0
