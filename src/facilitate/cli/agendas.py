"""Agendas without a screen: list them, check files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from facilitate.agenda import AgendaError, format_duration, load_agenda
from facilitate.agenda.catalog import agenda_entries
from facilitate.cli.common import EXIT_USER_ERROR, Commands, terminal_width, write_stdout
from facilitate.paths import Paths, bundled_agendas_dir
from facilitate.tables import render_table
from facilitate.text import terminal_text


def register(commands: Commands) -> None:
    commands.add("agendas", "list bundled agendas and your own", _agendas)
    check = commands.add("check", "validate agenda files (exit 0 when all are valid)", _check)
    check.set_defaults(needs_folders=False)
    check.add_argument("files", metavar="FILE", nargs="+")


def _check(args: argparse.Namespace, paths: Paths) -> int:
    failed = False
    for name in args.files:
        try:
            agenda = load_agenda(Path(name))
        except AgendaError as exc:
            failed = True
            for problem in exc.problems:
                print(terminal_text(str(problem)), file=sys.stderr)
            continue
        for warning in agenda.warnings:
            print(terminal_text(str(warning)), file=sys.stderr)
        write_stdout(
            f"{terminal_text(name)}: ok ({len(agenda.segments)} segment"
            f"{'' if len(agenda.segments) == 1 else 's'}, "
            f"{format_duration(agenda.total_planned_s)})\n"
        )
    return EXIT_USER_ERROR if failed else 0


def _agendas(args: argparse.Namespace, paths: Paths) -> int:
    """The table on stdout; an agenda that cannot be used is listed as invalid, and named
    with its first problem on stderr, and the exit status is then 2."""
    rows = []
    invalid: list[str] = []
    unreadable: list[str] = []
    for entry in agenda_entries(paths, unreadable):
        name = terminal_text(entry.name)
        try:
            agenda = load_agenda(entry.path)
            rows.append(
                (
                    name,
                    entry.source,
                    terminal_text(agenda.title),
                    str(len(agenda.segments)),
                    format_duration(agenda.total_planned_s),
                )
            )
        except AgendaError as exc:
            # a syntax error says more than what it hides ("no segments")
            syntax = (p for p in exc.problems if p.message.startswith("TOML"))
            first = next(syntax, exc.problems[0])
            invalid.append(str(first))
            why = terminal_text(first.message)
            rows.append((name, entry.source, f"(invalid: {why})", "-", "-"))
    header = ("NAME", "SOURCE", "TITLE", "SEGMENTS", "PLANNED")
    write_stdout(
        render_table(header, rows, width=terminal_width())
        + f"\nBundled agendas are in {terminal_text(str(bundled_agendas_dir()))} (copy one to "
        f"adapt it).\nYour own agendas go in {terminal_text(str(paths.user_agendas_dir))}\n"
    )
    for problem in invalid:
        print(terminal_text(problem), file=sys.stderr)
    for problem in unreadable:
        print(f"facilitate: {terminal_text(problem)}", file=sys.stderr)
    return EXIT_USER_ERROR if invalid or unreadable else 0
