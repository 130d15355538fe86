"""Reading TOML files people write by hand: plain reasons for unreadable files and
syntax errors at the line and column to edit (with a hint when a time or text is unquoted)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from facilitate.tomlcheck.problems import Problem


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


class TomlFileError(Exception):
    """A file that cannot be read as TOML; ``problem`` says why and where."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_toml_text(path: Path, what: str = "agenda") -> str:
    """The file's text, or a :class:`TomlFileError` that says plainly why it cannot be read."""
    label = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise TomlFileError(Problem(label, "no such file")) from None
    except IsADirectoryError:
        raise TomlFileError(
            Problem(label, f"is a folder, not {_article(what)} {what} file")
        ) from None
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
    """The TOML document, or a :class:`TomlFileError` at the syntax error's position."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TomlFileError(toml_problem(file, text, exc)) from None


# `key = value` where the value is bare text: a time (09:30, 9.30), a duration (1h30m) or words.
_BARE_VALUE_RE = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=\s*([^\s\"'\[{#][^#]*?)\s*(?:#.*)?$")
_NUMBER_RE = re.compile(r"^[+-]?(0|[1-9][\d_]*)(\.\d+)?$")  # TOML: no leading zeros


def _quote_hint(text: str, line: int) -> str:
    """What most syntax errors in a hand-written agenda are: a time or words left unquoted."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    bare = _BARE_VALUE_RE.match(lines[line - 1])
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
        lines = text.splitlines() or [""]
        return Problem(
            file, f"TOML syntax: {eof.group(1)} at end of file", len(lines), len(lines[-1]) + 1
        )
    return Problem(file, f"TOML syntax: {message}")
