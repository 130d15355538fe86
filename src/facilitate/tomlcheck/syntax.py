"""Reading TOML files people write by hand: plain reasons for unreadable files and
syntax errors at the line and column to edit (with a hint when a time or text is unquoted)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from facilitate.files import MB, FileRefused, read_regular
from facilitate.tomlcheck.locate import MAX_NESTING, too_deep
from facilitate.tomlcheck.problems import Problem

MAX_TOML_BYTES = MB
"""The largest agenda or model file read: a full day is a few kilobytes."""


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


class TomlFileError(Exception):
    """A file that cannot be read as TOML; ``problem`` says why and where."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_toml_text(path: Path, what: str = "agenda") -> str:
    """The file's text, or a :class:`TomlFileError` that says plainly why it cannot be read.

    Only a regular file of at most :data:`MAX_TOML_BYTES` is read, and never in a way
    that could block (a FIFO named ``*.toml``) or run on for ever (``/dev/zero``).
    """
    label = str(path)
    try:
        data = read_regular(path, MAX_TOML_BYTES, what=f"{_article(what)} {what} file")
    except FileNotFoundError:
        raise TomlFileError(Problem(label, "no such file")) from None
    except FileRefused as exc:
        raise TomlFileError(Problem(label, exc.strerror or "cannot be read")) from None
    except PermissionError:
        raise TomlFileError(Problem(label, "permission denied")) from None
    except OSError as exc:
        raise TomlFileError(Problem(label, f"cannot read: {exc.strerror or exc}")) from None
    if b"\x00" in data:
        raise TomlFileError(Problem(label, f"is a binary file, not a TOML {what}"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise TomlFileError(
            Problem(label, "is not UTF-8 text (save it as UTF-8)", line, col)
        ) from None
    return text.removeprefix("\ufeff")


_TOML_POS_RE = re.compile(r"^(.*?)\s*\(at line (\d+), column (\d+)\)$")
_TOML_EOF_RE = re.compile(r"^(.*?)\s*\(at end of document\)$")


def parse_toml(text: str, file: str) -> dict[str, Any]:
    """The TOML document, or a :class:`TomlFileError` at the syntax error's position.

    What ``tomllib`` cannot take without a traceback (nesting deep enough to exhaust
    the stack, an integer of thousands of digits) is refused the same way.
    """
    deep = too_deep(text)
    if deep is not None:
        raise TomlFileError(
            Problem(
                file,
                f"arrays or tables are nested more than {MAX_NESTING} deep "
                "(an agenda needs two levels at most)",
                *deep,
            )
        )
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TomlFileError(toml_problem(file, text, exc)) from None
    except RecursionError:
        raise TomlFileError(Problem(file, "TOML nested too deeply to read")) from None
    except ValueError as exc:  # int() refuses numbers of more than 4300 digits
        long_number = _LONG_NUMBER_RE.search(text)
        if long_number is None:
            raise TomlFileError(Problem(file, f"TOML: {exc}")) from None
        line, col = position(text, long_number.start())
        raise TomlFileError(
            Problem(file, "TOML: this number is too long to read (thousands of digits)", line, col)
        ) from None


_LONG_NUMBER_RE = re.compile(r"[0-9][0-9_]{999,}")


def position(text: str, index: int) -> tuple[int, int]:
    """Line and column (from 1) of ``text[index]``, counting lines as TOML does (by "\\n")."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def line_at(text: str, line: int) -> str | None:
    """Line ``line`` (from 1) of ``text`` without splitting the whole text."""
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return None
    end = text.find("\n", start)
    return text[start : end if end >= 0 else len(text)].rstrip("\r")


# `key = value` where the value is bare text: a time (09:30, 9.30), a duration (1h30m) or words.
_BARE_VALUE_RE = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=\s*([^\s\"'\[{#][^#]*?)\s*(?:#.*)?$")
_NUMBER_RE = re.compile(r"^[+-]?(0|[1-9][\d_]*)(\.\d+)?$")  # TOML: no leading zeros


def _quote_hint(text: str, line: int) -> str:
    """What most syntax errors in a hand-written agenda are: a time or words left unquoted."""
    found = line_at(text, line) if line >= 1 else None
    if found is None:
        return ""
    bare = _BARE_VALUE_RE.match(found)
    if bare is None or bare.group(2) in ("true", "false") or _NUMBER_RE.match(bare.group(2)):
        return ""
    key, value = bare.groups()
    return f' (times and text go in quotes: {key} = "{value}")'


def toml_problem(file: str, text: str, exc: tomllib.TOMLDecodeError) -> Problem:
    message = str(exc)
    pos = _TOML_POS_RE.match(message)
    if pos:
        line = int(pos.group(2))
        message = f"TOML syntax: {pos.group(1)}{_quote_hint(text, line)}"
        return Problem(file, message, line, int(pos.group(3)))
    eof = _TOML_EOF_RE.match(message)
    if eof:
        line, col = position(text, len(text.rstrip("\n")))
        return Problem(file, f"TOML syntax: {eof.group(1)} at end of file", line, col)
    return Problem(file, f"TOML syntax: {message}")


# --- reading past syntax errors ------------------------------------------------------------


@dataclass
class Tolerant:
    """What could be read of a file with syntax errors.

    ``data`` is the document with each broken line left out (None if even that
    could not be read), ``text`` the text it was read from (same lines, broken
    ones emptied or a broken table header replaced), ``problems`` the syntax
    errors, and ``damaged`` the lines changed: True for a table header left out.
    """

    data: dict[str, Any] | None
    text: str
    problems: list[Problem] = field(default_factory=list)
    damaged: dict[int, bool] = field(default_factory=dict)


MAX_SYNTAX_ERRORS = 12
_PARSE_BUDGET = 4 * MB  # characters parsed in all, so a 1 MB file is read 4 times at most
_AT_EOF = " at end of file"
_STOPS = ("arrays or tables are nested", "TOML nested too deeply")
_HEADER_START_RE = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_-]*)")


def parse_tolerant(text: str, file: str) -> Tolerant:
    """Parse ``text``; at a syntax error, leave the line out and read on, so one run of
    ``check`` shows every syntax error it can and every problem in the rest of the file.

    An error on the line right after one just left out, with the same message, is the
    same mistake seen again (an unclosed array) and ends the reading there.
    """
    read = Tolerant(None, text)
    tries = max(1, min(MAX_SYNTAX_ERRORS, _PARSE_BUDGET // max(len(text), 1)))
    last: Problem | None = None
    for _ in range(tries):
        try:
            read.data = parse_toml(read.text, file)
            return read
        except TomlFileError as exc:
            problem = exc.problem
        line = problem.line
        cascade = (
            last is not None
            and line is not None
            and last.line is not None
            and _message(problem) == _message(last)
            and (
                problem.message.endswith(_AT_EOF)
                or 0 < line - last.line <= 1 + _blank_run(read.text, last.line)
            )
        )
        if cascade or line is None:
            return read
        again = line in read.damaged
        if again and not (line_at(read.text, line) or "").strip():
            return read  # left out already: nothing more to try
        if not again:
            read.problems.append(problem)
        if problem.message.startswith(_STOPS) or problem.message.endswith(_AT_EOF):
            return read  # nothing after it can be read
        read.text, read.damaged[line] = _leave_out(read.text, line, again)
        last = problem
    return read


def _message(problem: Problem) -> str:
    return problem.message.split(" (", 1)[0].removesuffix(_AT_EOF)


def _blank_run(text: str, after: int) -> int:
    """How many empty lines follow line ``after``."""
    count = 0
    while (found := line_at(text, after + count + 1)) is not None and not found.strip():
        count += 1
    return count


def _leave_out(text: str, line: int, again: bool) -> tuple[str, bool]:
    """``text`` with line ``line`` emptied; a broken table header becomes a whole one the
    first time (``[[segment`` -> ``[[segment]]``), so the keys under it stay in their table.
    The second element says whether a header was left out altogether."""
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    header = _HEADER_START_RE.match(text[start:end])
    replacement, header_lost = "", False
    if header is not None:
        brackets, name = header.groups()
        if again or not name:
            header_lost = True
        else:
            replacement = f"{brackets}{name}{']' * len(brackets)}"
    return text[:start] + replacement + text[end:], header_lost
