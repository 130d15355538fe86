"""Saved sessions without a screen: list them, export one, list every action."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime

from facilitate.agenda import format_duration
from facilitate.cli.common import Commands, local_tz, terminal_width, write_output, write_stdout
from facilitate.cli.completion import complete_sessions, completes
from facilitate.errors import UserError
from facilitate.paths import Paths
from facilitate.tables import render_table
from facilitate.text import json_controls_escaped, terminal_text

# The same list as facilitate.export.FORMATS and AUDIENCES, kept here so that --help does
# not import the exporters (which bring python-docx).
EXPORT_FORMATS = ("md", "html", "docx", "txt", "csv", "json")
EXPORT_AUDIENCES = ("partnership", "facilitator")
SESSIONS_FORMAT = "facilitate-sessions"
SESSIONS_VERSION = 1


def register(commands: Commands) -> None:
    sessions = commands.add("sessions", "list saved sessions, newest last", _sessions)
    sessions.add_argument("--json", action="store_true", help="print JSON for scripts")
    export = commands.add(
        "export",
        "write a session's minutes (md, html, docx, txt) or its data (csv, json)",
        _export,
    )
    completes(
        export.add_argument("session", metavar="SESSION", help="an id, a unique prefix, or latest"),
        complete_sessions,
    )
    export.add_argument(
        "--format",
        "-f",
        choices=EXPORT_FORMATS,
        default="md",
        help="md, html, docx or txt minutes; csv (the notes) or json (everything); default md",
    )
    export.add_argument(
        "--audience",
        "-a",
        choices=EXPORT_AUDIENCES,
        default=None,
        help="partnership (the default: minutes to send) or facilitator (adds timing, "
        "checklists, observations and reflections); minutes formats only",
    )
    export.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write here instead of stdout (needed for docx; - is stdout)",
    )
    export.add_argument(
        "--force", action="store_true", help="write through FILE even if it is a symbolic link"
    )
    actions = commands.add(
        "actions", "list every action of every session, overdue ones marked", _actions
    )
    actions.add_argument("--open", action="store_true", help="only actions not yet done")
    actions.add_argument("--format", "-f", choices=("table", "md", "csv"), default="table")


def _sessions(args: argparse.Namespace, paths: Paths) -> int:
    from facilitate.revive import orphaned
    from facilitate.store import COUNT_KEYS, counts_text, list_sessions

    infos = list_sessions(paths)
    for info in infos:
        for warning in info.warnings:
            print(f"warning: {terminal_text(warning)}", file=sys.stderr)
    for sid in sorted(orphaned(paths)):  # folder gone, changes kept: not listed otherwise
        said = f"session {sid} is not on disk any more, but changes of it wait in a recovery "
        said += f"file: `facilitate resume {sid}` makes it again and brings them back"
        print(f"warning: {terminal_text(said)}", file=sys.stderr)
    if args.json:
        write_stdout(
            json_controls_escaped(
                json.dumps(
                    {
                        "format": SESSIONS_FORMAT,
                        "version": SESSIONS_VERSION,
                        "sessions": [
                            {
                                "id": i.id,
                                "agenda": i.agenda_name,
                                "title": i.agenda_title,
                                "created": i.created,
                                "status": i.status,
                                "duration_s": i.duration_s,
                                "counts": {k: i.counts.get(k, 0) for k in COUNT_KEYS},
                                "folder": str(i.folder),
                            }
                            for i in infos
                        ],
                    },
                    indent=2,
                    ensure_ascii=False,
                )
            )
            + "\n"
        )
        return 0
    if not infos:
        where = terminal_text(str(paths.sessions_dir))
        write_stdout(f"No saved sessions yet in {where}. Start one with `facilitate run`.\n")
        return 0
    header = ("SESSION", "STATUS", "LENGTH", "CAPTURED")
    rows = [
        (
            terminal_text(info.id),
            info.status,
            format_duration(info.duration_s),
            counts_text(info.counts),
        )
        for info in infos
    ]
    write_stdout(render_table(header, rows, width=terminal_width(), right=(2,)))
    return 0


def _export(args: argparse.Namespace, paths: Paths) -> int:
    from facilitate.export import render
    from facilitate.store import load_session, resolve_session

    if args.audience is not None and args.format in ("csv", "json"):
        raise UserError(
            f"{args.format} is the complete data for other tools: --audience applies to "
            "md, html, docx and txt"
        )
    sid, folder = resolve_session(paths, args.session)
    session = load_session(sid, folder, paths)
    for warning in session.warnings:
        print(f"warning: {terminal_text(warning)}", file=sys.stderr)
    data = render(args.format, session, local_tz(), audience=args.audience)
    output = data if args.format == "docx" else data.decode("utf-8")
    write_output(output, args.output, force=args.force)
    return 0


def _actions(args: argparse.Namespace, paths: Paths) -> int:
    from facilitate.actions import collect_actions, open_actions, render_actions
    from facilitate.store import load_session, session_ids

    sessions = []
    for sid in session_ids(paths):
        try:
            loaded = load_session(sid, paths.sessions_dir / sid, paths)
        except (UserError, OSError) as exc:
            why = terminal_text(f"skipped {sid}: {exc}")
            print(f"warning: {why}", file=sys.stderr)
            continue
        for warning in loaded.warnings:
            print(f"warning: {terminal_text(warning)}", file=sys.stderr)
        sessions.append(loaded)
    items = collect_actions(sessions)
    if args.open:
        items = open_actions(items)
    today = datetime.now(local_tz()).date()
    write_output(render_actions(items, args.format, today, width=terminal_width()), None)
    return 0
