"""Journal bytes to records, a block of whole lines at a time, each with its line number.

Shared by the reader (a whole file, streamed a piece at a time) and the follower (what a
live file gained since the last poll). A line that is not a JSON object becomes a
sentence naming its file and line. A bad line that turns out to be the file's last is
the torn end of an interrupted write, and is called that; it is only known to be the
last once a later line arrives or the file ends, so its sentence waits until then.
"""

from __future__ import annotations

import json
import json.scanner
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from facilitate.files import MB
from facilitate.journal.format import Record

MAX_RECORD_BYTES = MB
"""A line longer than this is no record facilitate wrote (a note is at most 10,000
characters): it is skipped, so that memory never holds more than one such line."""

# The JSON decoder's own scanner (what json.loads calls, through three layers), once per
# line. typeshed types its argument as another scanner; it is the decoder whose settings
# it takes.
_SCAN = json.scanner.make_scanner(cast(Any, json.JSONDecoder()))


class BadLine(ValueError):
    pass


def decode_line(raw: bytes) -> Record:
    """One line as a record, or :class:`BadLine` saying what is wrong with it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadLine(f"not valid UTF-8 at byte {exc.start + 1}") from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        what = exc.msg.removesuffix(" at")  # "Unterminated string starting at": say "at" once
        raise BadLine(f"not valid JSON: {what} at column {exc.colno}") from None
    except (ValueError, RecursionError) as exc:
        raise BadLine(f"not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise BadLine("not a JSON object")
    return value


class LineDecoder:
    """Feeds blocks of whole lines; yields each record with its line number.

    With ``final`` the caller will say when the file ends (:meth:`finish`), so a bad last
    line can be called the torn end of a write; without it (a live file that may still
    grow) a bad line is reported at once.
    """

    def __init__(
        self, path: Path, warnings: list[str], first_line: int = 1, *, final: bool = True
    ) -> None:
        self.path = path
        self.warnings = warnings
        self.lineno = first_line - 1  # the last line fed
        self._final = final
        self._bad: tuple[int, str] | None = None  # a bad line not known not to be the last

    def feed(self, block: bytes) -> Iterator[tuple[int, Record]]:
        """The records of ``block``: whole lines, each ending in "\\n"."""
        try:
            lines: list[str] | list[bytes] = block.decode("utf-8").split("\n")
        except UnicodeDecodeError:
            lines = block.split(b"\n")  # find the bad line(s) one at a time
        lines.pop()
        scan = _SCAN
        for line in lines:
            self.lineno += 1
            if isinstance(line, str):
                try:
                    value, end = scan(line, 0)
                except (StopIteration, ValueError, RecursionError):
                    value, end = None, -1
                if end == len(line) and type(value) is dict and end <= MAX_RECORD_BYTES:
                    if self._bad is not None:
                        self._say_bad(last=False)
                    yield self.lineno, value
                    continue
            record = self._careful(line if isinstance(line, bytes) else line.encode())
            if record is not None:
                yield self.lineno, record

    def _careful(self, raw: bytes) -> Record | None:
        """The slow path, for a line the scanner did not take: blank, odd or bad."""
        if not raw.strip():
            return None  # a separator written after a failed append: not a record
        if self._bad is not None:
            self._say_bad(last=False)
        if len(raw) > MAX_RECORD_BYTES:
            self.skip_long()
            return None
        try:
            return decode_line(raw)
        except BadLine as exc:
            self._bad = (self.lineno, str(exc))
            if not self._final:
                self._say_bad(last=False)
            return None

    def skip_long(self, *, counted: bool = True) -> None:
        """Report the current line as too long to be a record (``counted``: it is already
        numbered; otherwise it is the next line, whose end has not been seen yet)."""
        lineno = self.lineno if counted else self.lineno + 1
        limit = MAX_RECORD_BYTES // MB
        self.warnings.append(
            f"{self.path}:{lineno}: a line of more than {limit} MB is no record; skipped"
        )

    def finish(self, tail: bytes, *, at_eof: bool) -> None:
        """The file ended (``at_eof``) or was cut short by a size limit, leaving ``tail``
        (bytes after the last "\\n"). Says what the pending bad line, if any, was."""
        if at_eof and tail.strip():
            if self._bad is not None:
                self._say_bad(last=False)
            self.warnings.append(f"{self.path}:{self.lineno + 1}: incomplete last record skipped")
        elif self._bad is not None:
            self._say_bad(last=at_eof)

    def _say_bad(self, *, last: bool) -> None:
        assert self._bad is not None
        lineno, why = self._bad
        self._bad = None
        if last:
            self.warnings.append(f"{self.path}:{lineno}: incomplete last record skipped")
        else:
            self.warnings.append(f"{self.path}:{lineno}: unreadable record skipped ({why})")
