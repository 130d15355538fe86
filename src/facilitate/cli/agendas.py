"""Agendas without a screen: list them, check files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from facilitate.agenda import AgendaError, format_duration, load_agenda
from facilitate.agenda.catalog import agenda_entries
from facilitate.cli.common import EXIT_USER_ERROR, Commands, terminal_width
from facilitate.paths import Paths, bundled_agendas_dir
from facilitate.tables import render_table


def register(commands: Commands) -> None:
    commands.add("agendas", "list bundled agendas and your own", _agendas)
    check = commands.add("check", "validate agenda files (exit 0 when all are valid)", _check)
    check.add_argument("files", metavar="FILE", nargs="+")


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
    sys.stdout.write(render_table(header, rows, width=terminal_width()))
    sys.stdout.write(
        f"\nBundled agendas are in {bundled_agendas_dir()} (copy one to adapt it)."
        f"\nYour own agendas go in {paths.user_agendas_dir}\n"
    )
    return 0
