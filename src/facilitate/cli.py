"""Command line: argparse sub-commands; domain errors print one line and exit 2.

Textual is imported only by the commands that open a screen, so ``check``,
``agendas``, ``sessions`` and ``export`` start fast and work without a terminal.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from facilitate import __version__
from facilitate.agenda import AgendaError, format_duration, load_agenda
from facilitate.agenda.catalog import agenda_entries
from facilitate.errors import UserError
from facilitate.paths import Paths, resolve_paths

EXIT_USER_ERROR = 2


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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(
        name: str, help_text: str, handler: Callable[[argparse.Namespace, Paths], int]
    ) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
        cmd.set_defaults(handler=handler)
        return cmd

    run = add("run", "start a new session of an agenda (a file, or a name from `agendas`)", _run)
    run.add_argument("agenda", metavar="AGENDA")
    run.add_argument("--no-bell", action="store_true", help="do not ring the terminal bell at zero")
    resume = add(
        "resume", "reopen a session after a quit or a crash, timer as it truly stands", _resume
    )
    resume.add_argument("session", metavar="SESSION", nargs="?", default="latest")
    resume.add_argument("--no-bell", action="store_true", help="do not ring the terminal bell")
    join = add("join", "add notes to a live session from a second terminal (scribe's view)", _join)
    join.add_argument("session", metavar="SESSION", nargs="?", default="latest")
    projector = add(
        "projector", "follow a live session read-only with a huge countdown", _projector
    )
    projector.add_argument("session", metavar="SESSION", nargs="?", default="latest")
    review = add("review", "browse, search and export saved sessions and their actions", _review)
    review.add_argument("session", metavar="SESSION", nargs="?", help="open this one directly")
    add("agendas", "list bundled agendas and your own", _agendas)
    check = add("check", "validate agenda files (exit 0 when all are valid)", _check)
    check.add_argument("files", metavar="FILE", nargs="+")
    sessions = add("sessions", "list saved sessions, newest last", _sessions)
    sessions.add_argument("--json", action="store_true", help="print JSON for scripts")
    export = add("export", "write a session as Markdown minutes, CSV or JSON", _export)
    export.add_argument("session", metavar="SESSION", help="an id, a unique prefix, or latest")
    export.add_argument("--format", "-f", choices=("md", "csv", "json"), default="md")
    export.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    actions = add("actions", "list every action of every session, overdue ones marked", _actions)
    actions.add_argument("--open", action="store_true", help="only actions not yet done")
    actions.add_argument("--format", "-f", choices=("table", "md", "csv"), default="table")
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
            return _launcher(args, paths)
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


# --- commands without a screen ----------------------------------------------------------


def _check(args: argparse.Namespace, paths: Paths) -> int:
    failed = False
    for name in args.files:
        try:
            agenda = load_agenda(Path(name))
        except AgendaError as exc:
            failed = True
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            continue
        for warning in agenda.warnings:
            print(warning, file=sys.stderr)
        print(
            f"{name}: ok ({len(agenda.segments)} segments, "
            f"{format_duration(agenda.total_planned_s)})"
        )
    return EXIT_USER_ERROR if failed else 0


def _agendas(args: argparse.Namespace, paths: Paths) -> int:
    rows = []
    for entry in agenda_entries(paths):
        try:
            agenda = load_agenda(entry.path)
            rows.append(
                (
                    entry.name,
                    entry.source,
                    agenda.title,
                    str(len(agenda.segments)),
                    format_duration(agenda.total_planned_s),
                )
            )
        except AgendaError as exc:
            rows.append(
                (entry.name, entry.source, f"(invalid: {exc.problems[0].message})", "-", "-")
            )
    header = ("NAME", "SOURCE", "TITLE", "SEGMENTS", "PLANNED")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    print(f"\nYour own agendas go in {paths.user_agendas_dir}")
    return 0


def _sessions(args: argparse.Namespace, paths: Paths) -> int:
    from facilitate.store import list_sessions

    infos = list_sessions(paths)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": i.id,
                        "agenda": i.agenda_name,
                        "title": i.agenda_title,
                        "created": i.created,
                        "status": i.status,
                        "duration_s": i.duration_s,
                        "counts": i.counts,
                        "folder": str(i.folder),
                    }
                    for i in infos
                ],
                indent=2,
            )
        )
        return 0
    if not infos:
        print(f"No saved sessions yet in {paths.sessions_dir}. Start one with `facilitate run`.")
        return 0
    for info in infos:
        counts = info.counts
        print(
            f"{info.id:<48} {info.status:<12} {format_duration(info.duration_s):>7}  "
            f"{counts.get('decisions', 0)} decisions, {counts.get('actions', 0)} actions, "
            f"{counts.get('notes', 0)} notes"
        )
    return 0


def _local_tz() -> tzinfo:
    return datetime.now().astimezone().tzinfo or UTC


def _write_output(text: str, output: str | None) -> None:
    """Stdout, or a new file readable by its owner only (minutes are confidential)."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    path = Path(output).expanduser()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    print(f"wrote {path}", file=sys.stderr)


def _export(args: argparse.Namespace, paths: Paths) -> int:
    from facilitate.export import render
    from facilitate.store import load_session, resolve_session

    sid, folder = resolve_session(paths, args.session)
    session = load_session(sid, folder)
    for warning in session.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    _write_output(render(args.format, session, _local_tz()), args.output)
    return 0


def _actions(args: argparse.Namespace, paths: Paths) -> int:
    from facilitate.actions import collect_actions, open_actions, render_actions
    from facilitate.store import load_session, session_ids

    sessions = []
    for sid in session_ids(paths):
        try:
            sessions.append(load_session(sid, paths.sessions_dir / sid))
        except UserError as exc:
            print(f"warning: skipped {sid}: {exc}", file=sys.stderr)
    items = collect_actions(sessions)
    if args.open:
        items = open_actions(items)
    today = datetime.now(_local_tz()).date()
    _write_output(render_actions(items, args.format, today), None)
    return 0


# --- commands that open a screen --------------------------------------------------------


def _require_terminal() -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UserError("this command opens a full-screen view and needs a terminal")


def _launcher(args: argparse.Namespace, paths: Paths) -> int:
    _require_terminal()
    from facilitate.tui.app import launch

    return launch(paths, mode="launcher")


def _run(args: argparse.Namespace, paths: Paths) -> int:
    from facilitate.agenda.catalog import load_named

    agenda, text = load_named(args.agenda, paths)  # validate before taking the screen
    _require_terminal()
    from facilitate.tui.app import launch

    return launch(paths, mode="run", agenda=agenda, agenda_text=text, bell=not args.no_bell)


def _resume(args: argparse.Namespace, paths: Paths) -> int:
    from facilitate.store import resolve_session

    sid, _ = resolve_session(paths, args.session)
    _require_terminal()
    from facilitate.tui.app import launch

    return launch(paths, mode="resume", session=sid, bell=not args.no_bell)


def _join(args: argparse.Namespace, paths: Paths) -> int:
    from facilitate.store import resolve_session

    sid, _ = resolve_session(paths, args.session)
    _require_terminal()
    from facilitate.tui.app import launch

    return launch(paths, mode="join", session=sid)


def _review(args: argparse.Namespace, paths: Paths) -> int:
    if args.session is not None:
        from facilitate.store import resolve_session

        resolve_session(paths, args.session)
    _require_terminal()
    from facilitate.tui.app import launch

    return launch(paths, mode="review", session=args.session)


def _projector(args: argparse.Namespace, paths: Paths) -> int:
    from facilitate.store import resolve_session

    sid, _ = resolve_session(paths, args.session)
    _require_terminal()
    from facilitate.tui.app import launch

    return launch(paths, mode="projector", session=sid)
