"""Command line: argparse sub-commands; domain errors print one line and exit 2.

Each module registers its own sub-commands (``agendas``, ``sessions``,
``screens``, ``serve``). Textual is imported only by the commands that open a screen, so
``check``, ``agendas``, ``sessions`` and ``export`` start fast and work without
a terminal.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence

from facilitate import __version__
from facilitate.agenda import AgendaError
from facilitate.cli import agendas, screens, serve, sessions
from facilitate.cli.common import EXIT_USER_ERROR, Commands
from facilitate.errors import UserError
from facilitate.paths import resolve_paths

__all__ = ["EXIT_USER_ERROR", "main"]


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="where sessions and your own agendas live (default: env FACILITATE_DATA_DIR, "
        "else the platform's data folder)",
    )
    parser = argparse.ArgumentParser(
        prog="facilitate",
        parents=[common],
        description="Run live partnership-working workshops: timed agendas, scribe notes, "
        "observation panels and minutes. With no command, opens the launcher.",
    )
    parser.add_argument("--version", action="version", version=f"facilitate {__version__}")
    commands = Commands(parser.add_subparsers(dest="command", metavar="COMMAND"), common)
    screens.register(commands)
    agendas.register(commands)
    sessions.register(commands)
    serve.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Start-up creates a few hundred thousand objects that live as long as the process
    # (Textual's styles and widgets, our agenda): collecting over and over while they are
    # being built costs about a tenth of the first frame. A screen turns collection back on
    # once it has drawn (FacilitateApp.startup_done); every other command at its end.
    gc.disable()
    try:
        return _main(argv)
    finally:
        gc.enable()


def _main(argv: Sequence[str] | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        paths = resolve_paths(getattr(args, "data_dir", None), os.environ)
        handler = getattr(args, "handler", None)
        if handler is None:
            return screens.launcher(args, paths)
        result: int = handler(args, paths)
        return result
    except UserError as exc:
        print(f"facilitate: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except AgendaError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130
