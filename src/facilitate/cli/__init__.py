"""Command line: argparse sub-commands; domain errors print one line and exit 2.

Each module registers its own sub-commands (``agendas``, ``sessions``,
``screens``, ``serve``, ``completion``). Textual is imported only by the commands
that open a screen, so ``check``, ``agendas``, ``sessions`` and ``export`` start
fast and work without a terminal.

Whatever happens, the person sees at most a line or two: a mistake of theirs
says what to fix (exit 2), a pipe closed early (``| head``) ends quietly, and a
bug in facilitate leaves its traceback in a log file and says where (exit 1).
"""

from __future__ import annotations

import argparse
import gc
import os
import stat
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from facilitate import __version__, osfs
from facilitate.agenda import AgendaError
from facilitate.cli import agendas, completion, screens, serve, sessions
from facilitate.cli.common import (
    EXIT_USER_ERROR,
    Commands,
    Parser,
    Version,
    closed_streams,
    silence_stderr,
    silence_stdout,
    write_stdout,
)
from facilitate.cli.crash import EXIT_CRASH, CrashLog
from facilitate.errors import UserError
from facilitate.files import describe, kind_of
from facilitate.paths import ENV_DATA_DIR, Paths, resolve_paths
from facilitate.text import terminal_text

__all__ = ["EXIT_USER_ERROR", "main"]

EXIT_PIPE_CLOSED = 141  # as a shell reports a program stopped by SIGPIPE


def _parser() -> argparse.ArgumentParser:
    common = Parser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="where sessions and your own agendas live (default: env FACILITATE_DATA_DIR, "
        "else the platform's data folder)",
    )
    parser = Parser(
        prog="facilitate",
        parents=[common],
        description="Run live partnership-working workshops: timed agendas, scribe notes, "
        "observation panels and minutes. With no command, opens the launcher.",
    )
    parser.add_argument(
        "--version", action=Version, version=f"facilitate {__version__}", help="print the version"
    )
    commands = Commands(parser.add_subparsers(dest="command", metavar="COMMAND"), common)
    screens.register(commands)
    agendas.register(commands)
    sessions.register(commands)
    serve.register(commands)
    completion.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Start-up creates a few hundred thousand objects that live as long as the process
    # (Textual's styles and widgets, our agenda): collecting over and over while they are
    # being built costs about a tenth of the first frame. A screen turns collection back on
    # once it has drawn (FacilitateApp.startup_done); every other command at its end.
    gc.disable()
    try:
        return _guarded(argv)
    finally:
        gc.enable()


def utf8_output() -> None:
    """Minutes, listings and JSON leave as UTF-8 however the system would encode them.

    Python encodes a redirected stdout with the locale's code page (cp1252 on most
    Windows machines), which cannot hold a timing chart's blocks, a tick or a name such
    as Łucja: an export to a file or a pipe would stop half-way. A terminal whose locale
    is not UTF-8 gets a stand-in for what it cannot show, never a crash."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        reconfigure = getattr(stream, "reconfigure", None)
        if encoding == "utf8" or reconfigure is None:
            continue
        try:
            if stream.isatty():
                reconfigure(errors="replace")
            else:
                reconfigure(encoding="utf-8")
        except (OSError, ValueError):
            continue


def _guarded(argv: Sequence[str] | None) -> int:
    closed_streams()
    utf8_output()
    crash = CrashLog()
    try:
        try:
            code = _main(argv, crash)
        except SystemExit as done:  # argparse, after --help, --version or a usage error
            code = done.code if isinstance(done.code, int) else int(done.code is not None)
        write_stdout("")  # what print() left buffered; a closed pipe shows here, not at exit
    except BrokenPipeError:
        silence_stdout()
        return EXIT_PIPE_CLOSED
    except KeyboardInterrupt:
        return 130
    except UserError as exc:  # writing to stdout failed (a full disk)
        say(f"facilitate: {terminal_text(str(exc))}")
        return EXIT_USER_ERROR
    except OSError as exc:  # a folder, a file or stderr (2>/dev/full): one line if it can
        say(f"facilitate: {terminal_text(describe(exc))}")
        return EXIT_USER_ERROR
    except Exception as exc:
        crash.write(traceback.format_exc())
        return _reported(crash, f"{type(exc).__name__}: {exc}")
    if crash.path is not None:  # the app crashed and logged its traceback there
        return _reported(crash)
    return code


def say(line: str) -> None:
    """One line on stderr. A stderr that cannot take it (``2>/dev/full``) is given nothing
    more, so the exit status stays the one the command chose."""
    try:
        print(line, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        silence_stderr()


def _reported(crash: CrashLog, what: str = "") -> int:
    try:
        return crash.report(what)
    except (OSError, ValueError):  # nowhere to say it: the log holds the details
        silence_stderr()
        return EXIT_CRASH


def _main(argv: Sequence[str] | None, crash: CrashLog) -> int:
    parser = _parser()
    completion.autocomplete(parser)  # only when the shell asks for completions
    args = parser.parse_args(argv)
    args.crash_log = crash
    try:
        handler = getattr(args, "handler", None)
        if not getattr(args, "needs_folders", True) and handler is not None:
            # check FILE and completion read no data folder: a missing home, an unreadable
            # or misnamed data folder is not theirs to refuse over.
            result_only: int = handler(args, _paths_if_any(args))
            return result_only
        paths = resolve_paths(getattr(args, "data_dir", None), os.environ)
        crash.folder = paths.logs_dir
        _warn_if_unprotected(args, paths)
        chosen = getattr(args, "data_dir", None) or os.environ.get(ENV_DATA_DIR)
        check_folders(paths, chosen=bool(chosen))
        if handler is None:
            return screens.launcher(args, paths)
        result: int = handler(args, paths)
        return result
    except UserError as exc:
        say(f"facilitate: {terminal_text(str(exc))}")
        return EXIT_USER_ERROR
    except AgendaError as exc:
        for problem in exc.problems:
            say(terminal_text(str(problem)))
        return EXIT_USER_ERROR


def _paths_if_any(args: argparse.Namespace) -> Paths:
    """The folders as far as they can be named, for commands that do not use them."""
    try:
        return resolve_paths(getattr(args, "data_dir", None), os.environ)
    except UserError:
        return Paths(Path.cwd(), Path.cwd())


def _warn_if_unprotected(args: argparse.Namespace, paths: Paths) -> None:
    """On Windows files are private because the profile folder is: say so when the data
    folder chosen by hand is somewhere else (a shared drive, C:\\Workshops)."""
    chosen = getattr(args, "data_dir", None) or os.environ.get(ENV_DATA_DIR)
    if chosen and osfs.outside_profile(paths.data_dir):
        print(
            f"facilitate: warning: {paths.data_dir} is outside your user profile folder, so "
            "Windows may let other people who use this computer read the notes kept there.",
            file=sys.stderr,
        )


def check_folders(paths: Paths, *, chosen: bool = True) -> None:
    """Folders that cannot be used are one line naming the one at fault: a data folder that
    is a file (``--data-dir notes.txt``), a ``sessions`` that is a file, a folder (or one
    on the way to it) that may not be opened. ``chosen``: the data folder was named by
    ``--data-dir`` or the environment, not found by the platform's rules."""
    roles = {
        paths.sessions_dir: "the sessions folder",
        paths.config_dir: "the folder of your agendas and settings",
        paths.data_dir: "the data folder",
    }
    for folder in dict.fromkeys((paths.data_dir, paths.config_dir, paths.sessions_dir)):
        try:
            mode = os.stat(folder).st_mode
        except FileNotFoundError:
            continue  # made when needed; a file above it is named when its turn comes
        except NotADirectoryError:  # a file on the way: that file is what is wrong
            above = _file_above(folder)
            hint = f"--data-dir (or {ENV_DATA_DIR}) must name a folder, or where one can be made"
            hint = hint if chosen else ""
            raise UserError(
                f"{above} is a file, not a folder, so {roles[folder]} {folder} cannot be "
                f"there; {hint or 'rename or move that file'}"
            ) from None
        except PermissionError as exc:
            blocked = _blocked(folder)
            why = exc.strerror or "Permission denied"
            where = roles.get(blocked)
            if where is None:
                where = f"{blocked}, on the way to {roles[folder]} {folder}"
            else:
                where = f"{where} {blocked}"
            raise UserError(f"cannot open {where}: {why}") from None
        if stat.S_ISDIR(mode):
            continue
        what = "a file" if stat.S_ISREG(mode) else kind_of(mode)
        if folder == paths.data_dir and chosen:
            raise UserError(
                f"{folder} is {what}, not a folder; --data-dir (or {ENV_DATA_DIR}) "
                "must name a folder"
            )
        keeps = {
            paths.sessions_dir: "its sessions",
            paths.config_dir: "your agendas and settings",
            paths.data_dir: "its data",
        }[folder]
        raise UserError(
            f"{folder} is {what}, not a folder: facilitate keeps {keeps} there (rename or move it)"
        )


def _file_above(folder: Path) -> Path:
    """The first path on the way to ``folder`` that is there but is not a folder."""
    for parent in reversed(folder.parents):
        try:
            if not stat.S_ISDIR(os.stat(parent).st_mode):
                return parent
        except OSError:
            break
    return folder


def _blocked(folder: Path) -> Path:
    """The folder that may not be opened on the way to ``folder``: the last one above it
    that can still be looked at (``folder`` itself when its parent is open)."""
    for parent in folder.parents:
        try:
            os.stat(parent)
        except OSError:
            continue
        return parent
    return folder
