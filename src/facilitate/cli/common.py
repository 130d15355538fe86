"""What every sub-command shares: the exit status for user errors, output, the terminal."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from facilitate.errors import UserError
from facilitate.osfs import open_flags
from facilitate.paths import Paths

EXIT_USER_ERROR = 2

Handler = Callable[[argparse.Namespace, Paths], int]


class Commands:
    """Adds sub-commands to the parser; each module of ``cli`` registers its own."""

    def __init__(
        self,
        sub: argparse._SubParsersAction[argparse.ArgumentParser],
        common: argparse.ArgumentParser,
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


def write_output(data: str | bytes, output: str | None) -> None:
    """Stdout, or a new file readable by its owner only (minutes are confidential).

    Text is written as UTF-8 exactly as given (CSV keeps its CRLF); bytes (a Word
    file) as they are. Every file a command writes goes through here.
    """
    if output is None:
        if isinstance(data, bytes):
            if sys.stdout.isatty():
                raise UserError("this format is a binary file: give -o FILE to save it")
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        text = data if data.endswith("\n") else data + "\n"
        if "\r\n" in text and hasattr(sys.stdout, "buffer"):
            # CSV's own CRLF, as bytes: Windows' text-mode stdout would make it CR CR LF.
            sys.stdout.flush()
            sys.stdout.buffer.write(text.encode("utf-8"))
            sys.stdout.buffer.flush()
            return
        sys.stdout.write(text)
        return
    path = Path(output).expanduser()
    raw = data if isinstance(data, bytes) else data.encode("utf-8")
    try:
        fd = os.open(path, open_flags(os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    print(f"wrote {path}", file=sys.stderr)


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
