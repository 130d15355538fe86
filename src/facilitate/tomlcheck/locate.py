"""Where each table and key was written in an agenda's TOML text.

``tomllib`` gives no positions for values, so the text is scanned once and
every problem can be reported at the line and column a user would edit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_HEADER_RE = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\"' -]+?)\s*\]\]?")
_KEY_PART = r"[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'"
# ``a.b = 1`` is located as key ``a`` (the name tomllib reports as unknown).
_KEY_RE = re.compile(rf"^(\s*)({_KEY_PART})(?:\s*\.\s*(?:{_KEY_PART}))*\s*=\s*")
# Strings are matched possessively (``*+``, Python 3.11): the plain ``"(?:\\.|[^"\\])*"``
# keeps a regex stack frame per character (125 bytes each, 6 GB for a 50 MB string).
_STRING_RE = re.compile(r"\"\"\"|'''|\"(?:[^\"\\]++|\\.)*+\"|'[^']*+'|#")
MAX_NESTING = 50
"""Arrays and inline tables nested deeper than this are refused before ``tomllib`` reads
them: it recurses for each level and runs out of stack a few hundred deep."""


class Locator:
    """Maps (table, key) to (line, col) by scanning the TOML text once."""

    def __init__(self, text: str) -> None:
        self.headers: dict[tuple[str, int], tuple[int, int]] = {}
        self.keys: dict[tuple[str, int, str], tuple[int, int, int]] = {}
        counts: dict[str, int] = {}
        table, index = "", 0
        depth = 0  # inside a multi-line array, lines are not keys
        open_string: str | None = None  # inside a multi-line string, lines are text
        for lineno, line in enumerate(_lines(text), start=1):
            inside = depth > 0 or open_string is not None
            code, open_string = _code_outside_strings(line, open_string)
            if not inside:
                header = _HEADER_RE.match(line)
                if header:
                    table = header.group(2).strip().strip("\"'")
                    index = counts.get(table, 0)
                    counts[table] = index + 1
                    self.headers[(table, index)] = (lineno, line.index("[") + 1)
                    continue
                key = _KEY_RE.match(line)
                if key:
                    name = key.group(2).strip("\"'")
                    self.keys.setdefault(
                        (table, index, name), (lineno, len(key.group(1)) + 1, key.end() + 1)
                    )
            depth = max(depth + code.count("[") - code.count("]"), 0)

    def key(self, table: str, index: int, name: str) -> tuple[int | None, int | None]:
        found = self.keys.get((table, index, name))
        return (found[0], found[1]) if found else self.header(table, index)

    def value(self, table: str, index: int, name: str) -> tuple[int | None, int | None]:
        found = self.keys.get((table, index, name))
        return (found[0], found[2]) if found else self.header(table, index)

    def header(self, table: str, index: int) -> tuple[int | None, int | None]:
        return self.headers.get((table, index), (None, None))


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` one at a time (``splitlines`` would hold them all at once)."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        if end < 0:
            end = size
        yield text[start:end].rstrip("\r")
        start = end + 1


def too_deep(text: str, limit: int = MAX_NESTING) -> tuple[int, int] | None:
    """Where arrays and inline tables first nest deeper than ``limit``, if they do."""
    depth = 0
    open_string: str | None = None
    for lineno, line in enumerate(_lines(text), start=1):
        if "[" not in line and "{" not in line and depth == 0:
            open_string = _code_outside_strings(line, open_string)[1]
            continue
        code, open_string = _code_outside_strings(line, open_string)
        for char in code:
            if char in "[{":
                depth += 1
                if depth > limit:
                    return lineno, max(1, line.find(char) + 1)
            elif char in "]}":
                depth = max(depth - 1, 0)
    return None


def _code_outside_strings(line: str, open_string: str | None) -> tuple[str, str | None]:
    """The parts of a line outside strings and comments, and the multi-line string
    delimiter (three quotes) still open at its end."""
    code: list[str] = []
    pos = 0
    while True:
        if open_string is not None:
            end = line.find(open_string, pos)
            if end < 0:
                return "".join(code), open_string
            pos = end + 3
            while line.startswith(open_string[0], pos):  # quotes just before the closing three
                pos += 1
            open_string = None
        match = _STRING_RE.search(line, pos)
        if match is None:
            code.append(line[pos:])
            return "".join(code), None
        code.append(line[pos : match.start()])
        if match.group() == "#":
            return "".join(code), None
        pos = match.end()
        if match.group() in ('"""', "'''"):
            open_string = match.group()
