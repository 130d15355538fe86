"""What every sub-command shares: the exit status for user errors, output, the terminal."""

from __future__ import annotations

import argparse
import contextlib
import errno
import io
import os
import shutil
import sys
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from facilitate.errors import UserError
from facilitate.files import write_private
from facilitate.paths import Paths
from facilitate.text import terminal_lines, terminal_text, without_controls

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

EXIT_USER_ERROR = 2

Handler = Callable[[argparse.Namespace, Paths], int]


class Parser(argparse.ArgumentParser):
    """argparse's parser, whose ``--help`` says so when it cannot be written (argparse's
    own drops the error: ``facilitate --help > /dev/full`` ended with status 0)."""

    def print_help(self, file: SupportsWrite[str] | None = None) -> None:
        if file is None or file is sys.stdout:
            write_stdout(self.format_help())
        else:
            file.write(self.format_help())


class Version(argparse.Action):
    """``--version``, written as every other output is (a full device is an error)."""

    def __init__(self, option_strings: list[str], version: str, **kwargs: Any) -> None:
        super().__init__(option_strings, nargs=0, default=argparse.SUPPRESS, **kwargs)
        self.version = version

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        write_stdout(self.version + "\n")
        parser.exit()


class Commands:
    """Adds sub-commands to the parser; each module of ``cli`` registers its own."""

    def __init__(
        self,
        sub: argparse._SubParsersAction[Parser],
        common: Parser,
    ) -> None:
        self._sub = sub
        self._common = common

    def add(self, name: str, help_text: str, handler: Handler) -> argparse.ArgumentParser:
        cmd = self._sub.add_parser(
            name, parents=[self._common], help=help_text, description=help_text
        )
        cmd.set_defaults(handler=handler)
        return cmd


def local_tz() -> tzinfo:
    return datetime.now().astimezone().tzinfo or UTC


def write_output(data: str | bytes, output: str | None, *, force: bool = False) -> None:
    """Stdout, or a file readable by its owner only (minutes are confidential).

    Text is written as UTF-8 exactly as given (CSV keeps its CRLF); bytes (a Word
    file) as they are. Every file a command writes goes through here: it is written
    whole or not at all (a temporary file renamed over it), made 0600 whatever mode an
    older one had, and never through a symbolic link unless ``force``. Control
    characters in the text (an escape sequence in a note) are written as U+FFFD, but
    tabs and line ends, wherever it goes: a file or a pipe reaches a terminal too
    (``cat``, ``less -R``); on a terminal, format characters as well. Failures, a full
    disk included, are one :class:`UserError` line.
    """
    if isinstance(data, str):
        data = without_controls(data)
    if output is None or output == "-":  # "-o -" is stdout, as in other tools
        if isinstance(data, bytes):
            if sys.stdout.isatty():
                raise UserError("this format is a binary file: give -o FILE to save it")
            write_stdout(data)
            return
        text = data if data.endswith("\n") else data + "\n"
        if sys.stdout.isatty():
            text = terminal_lines(text)
        if "\r\n" in text and hasattr(sys.stdout, "buffer"):
            # CSV's own CRLF, as bytes: Windows' text-mode stdout would make it CR CR LF.
            write_stdout(text.encode("utf-8"))
            return
        write_stdout(text)
        return
    path = Path(output).expanduser()
    raw = data if isinstance(data, bytes) else data.encode("utf-8")
    try:
        written = write_private(path, raw, force=force)
    except OSError as exc:
        hint = " (--force writes to where it points)" if exc.errno == errno.ELOOP else ""
        raise UserError(f"cannot write {path}: {exc.strerror or exc}{hint}") from None
    print(f"wrote {terminal_text(str(written))}", file=sys.stderr)


def write_stdout(data: str | bytes) -> None:
    """``data`` on stdout, flushed now, so a full device is a :class:`UserError` here and
    not a traceback when Python flushes at exit (a closed pipe is ``main``'s to end)."""
    try:
        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            if data:  # even an empty write reaches the device (and fails when it is full)
                sys.stdout.write(data)
            sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        silence_stdout()
        raise UserError(f"cannot write to standard output: {exc.strerror or exc}") from None


class _ClosedOutput(io.RawIOBase):
    """What stands for a standard stream the process was started without (``>&-``):
    its first write fails as a full device's does, so the command says it could not
    write and ends with 2; anything after that is dropped, as on the null device."""

    def __init__(self) -> None:
        super().__init__()
        self._told = False

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if not self._told:
            self._told = True
            raise OSError(errno.EBADF, "it is closed")
        return len(data)


def closed_streams() -> None:
    """Standard streams the process was started without (``facilitate export latest >&-``):
    Python leaves them ``None``, and the first file opened would take their number (a
    stray write to 1 or 2 would land in a journal). Each missing descriptor is taken by
    the null device; a missing stdout becomes one that fails on its first write, a
    missing stdin or stderr the null device."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            with contextlib.suppress(OSError):
                got = os.open(os.devnull, os.O_RDONLY if fd == 0 else os.O_WRONLY)
                if got != fd:
                    os.dup2(got, fd)
                    os.close(got)
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 (lives as long as we do)
    if sys.stdout is None:
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(_ClosedOutput()), encoding="utf-8")
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


def silence_stdout() -> None:
    """Point stdout at the null device, so that what is still buffered for a full disk or
    a closed pipe is dropped quietly instead of failing again when Python exits."""
    _to_null(sys.stdout)


def silence_stderr() -> None:
    """The same for stderr (``2>/dev/full``): nothing more is tried there."""
    _to_null(sys.stderr)


def _to_null(stream: TextIO) -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)


def terminal_width() -> int | None:
    """The terminal's width for a table, or None when the output goes to a pipe or file."""
    if not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


def require_terminal(view: str | None = None) -> bool:
    """A terminal, or (for ``view``) a browser page of ``facilitate serve``; True for the latter.

    Under ``serve`` the process has no terminal: textual-serve runs it with Textual's
    web driver, and the server names the view in our own variable. Both are needed,
    and only the projector and the scribe's view are ever served.
    """
    if view is not None:
        from facilitate.serve import served_view

        if served_view(os.environ) == view:
            return True
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UserError("this command opens a full-screen view and needs a terminal")
    return False
