"""The commands that open a full-screen view: Textual is imported only by these."""

from __future__ import annotations

import argparse
from typing import Any

from facilitate.cli.common import Commands, require_terminal
from facilitate.cli.completion import complete_agendas, complete_sessions, completes
from facilitate.errors import UserError
from facilitate.paths import Paths


def register(commands: Commands) -> None:
    run = commands.add(
        "run", "start a new session of an agenda (a file, or a name from `agendas`)", _run
    )
    completes(run.add_argument("agenda", metavar="AGENDA"), complete_agendas)
    run.add_argument("--no-bell", action="store_true", help="do not ring the terminal bell at zero")
    run.add_argument(
        "--start",
        metavar="now|HH:MM",
        help="when the day really starts: the plan is shifted to it, while fixed times "
        "(lunch, the close) keep their clock time",
    )
    run.add_argument(
        "--shift-fixed",
        action="store_true",
        help="with --start: move the fixed times by the same amount too",
    )
    resume = commands.add(
        "resume", "reopen a session after a quit or a crash, timer as it truly stands", _resume
    )
    completes(
        resume.add_argument("session", metavar="SESSION", nargs="?", default="latest"),
        complete_sessions,
    )
    resume.add_argument("--no-bell", action="store_true", help="do not ring the terminal bell")
    join = commands.add(
        "join", "add notes to a live session from a second terminal (scribe's view)", _join
    )
    completes(
        join.add_argument(
            "session",
            metavar="SESSION",
            nargs="?",
            default="latest",
            help="an id or a prefix of one; default: the session being run now, else the newest",
        ),
        complete_sessions,
    )
    projector = commands.add(
        "projector", "follow a live session read-only with a huge countdown", _projector
    )
    completes(
        projector.add_argument(
            "session",
            metavar="SESSION",
            nargs="?",
            default="latest",
            help="an id or a prefix of one; default: the session being run now, else the newest",
        ),
        complete_sessions,
    )
    projector.add_argument(
        "--hide-lateness",
        action="store_true",
        help="do not show the room how late the day is (h on the projector toggles it)",
    )
    review = commands.add(
        "review", "browse, search and export saved sessions and their actions", _review
    )
    completes(
        review.add_argument("session", metavar="SESSION", nargs="?", help="open this one directly"),
        complete_sessions,
    )


def launcher(args: argparse.Namespace, paths: Paths) -> int:
    require_terminal()
    from facilitate.tui.app import launch

    return launch(paths, crash_log=args.crash_log, mode="launcher")


def _run(args: argparse.Namespace, paths: Paths) -> int:
    from facilitate.agenda.catalog import load_named
    from facilitate.commands import DayStart

    start = None
    if args.start is not None:
        try:
            start = DayStart.parse(args.start, shift_fixed=args.shift_fixed)
        except ValueError as exc:
            raise UserError(f"--start: {exc} (or write --start now)") from None
    elif args.shift_fixed:
        raise UserError("--shift-fixed goes with --start now or --start HH:MM")
    agenda, text = load_named(args.agenda, paths)  # validate before taking the screen
    require_terminal()
    from facilitate.tui.app import launch

    return launch(
        paths,
        crash_log=args.crash_log,
        mode="run",
        agenda=agenda,
        agenda_text=text,
        bell=not args.no_bell,
        start=start,
    )


def _resume(args: argparse.Namespace, paths: Paths) -> int:
    # A session only a recovery file still holds (its folder gone) is made again here, so
    # that the app opens it and offers its changes back.
    from facilitate.revive import resume_target

    sid, _ = resume_target(paths, args.session)
    require_terminal()
    from facilitate.tui.app import launch

    return launch(
        paths, crash_log=args.crash_log, mode="resume", session=sid, bell=not args.no_bell
    )


def _join(args: argparse.Namespace, paths: Paths) -> int:
    from facilitate.store import resolve_session

    sid, _ = resolve_session(paths, args.session, prefer_live=True)
    served = require_terminal("scribe")
    from facilitate.tui.app import launch

    return launch(paths, crash_log=args.crash_log, mode="join", session=sid, **_served(served))


def _review(args: argparse.Namespace, paths: Paths) -> int:
    if args.session is not None:
        from facilitate.store import resolve_session

        resolve_session(paths, args.session)
    require_terminal()
    from facilitate.tui.app import launch

    return launch(paths, crash_log=args.crash_log, mode="review", session=args.session)


def _projector(args: argparse.Namespace, paths: Paths) -> int:
    from facilitate.store import resolve_session

    sid, _ = resolve_session(paths, args.session, prefer_live=True)
    served = require_terminal("projector")
    from facilitate.tui.app import launch

    return launch(
        paths,
        crash_log=args.crash_log,
        mode="projector",
        session=sid,
        hide_lateness=args.hide_lateness,
        **_served(served),
    )


def _served(served: bool) -> dict[str, Any]:
    """A view of ``facilitate serve`` ends with the server that started it."""
    if not served:
        return {}
    from facilitate.serve.child import die_with_parent, parent_gone

    parent = die_with_parent()
    return {"served": True, "orphaned": lambda: parent_gone(parent)}
