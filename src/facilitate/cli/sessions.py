"""Saved sessions without a screen: list them, export one, list every action."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime

from facilitate.agenda import format_duration
from facilitate.cli.common import Commands, local_tz, write_output
from facilitate.errors import UserError
from facilitate.paths import Paths


def register(commands: Commands) -> None:
    sessions = commands.add("sessions", "list saved sessions, newest last", _sessions)
    sessions.add_argument("--json", action="store_true", help="print JSON for scripts")
    export = commands.add("export", "write a session as Markdown minutes, CSV or JSON", _export)
    export.add_argument("session", metavar="SESSION", help="an id, a unique prefix, or latest")
    export.add_argument("--format", "-f", choices=("md", "csv", "json"), default="md")
    export.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    actions = commands.add(
        "actions", "list every action of every session, overdue ones marked", _actions
    )
    actions.add_argument("--open", action="store_true", help="only actions not yet done")
    actions.add_argument("--format", "-f", choices=("table", "md", "csv"), default="table")


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


def _export(args: argparse.Namespace, paths: Paths) -> int:
    from facilitate.export import render
    from facilitate.store import load_session, resolve_session

    sid, folder = resolve_session(paths, args.session)
    session = load_session(sid, folder)
    for warning in session.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    write_output(render(args.format, session, local_tz()), args.output)
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
    today = datetime.now(local_tz()).date()
    write_output(render_actions(items, args.format, today), None)
    return 0
