"""Where each table and key was written in an agenda's TOML text.

``tomllib`` gives no positions for values, so the text is scanned once and
every problem can be reported at the line and column a user would edit.
"""

from __future__ import annotations

import re

_HEADER_RE = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\"' -]+?)\s*\]\]?")
_KEY_RE = re.compile(r"^(\s*)([A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')\s*=\s*")


class Locator:
    """Maps (table, key) to (line, col) by scanning the TOML text once."""

    def __init__(self, text: str) -> None:
        self.headers: dict[tuple[str, int], tuple[int, int]] = {}
        self.keys: dict[tuple[str, int, str], tuple[int, int, int]] = {}
        counts: dict[str, int] = {}
        table, index = "", 0
        depth = 0  # inside a multi-line array, lines are not keys
        for lineno, line in enumerate(text.splitlines(), start=1):
            if depth == 0:
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
                    depth += _bracket_balance(line[key.end() :])
                    continue
            else:
                depth += _bracket_balance(line)
            depth = max(depth, 0)

    def key(self, table: str, index: int, name: str) -> tuple[int | None, int | None]:
        found = self.keys.get((table, index, name))
        return (found[0], found[1]) if found else self.header(table, index)

    def value(self, table: str, index: int, name: str) -> tuple[int | None, int | None]:
        found = self.keys.get((table, index, name))
        return (found[0], found[2]) if found else self.header(table, index)

    def header(self, table: str, index: int) -> tuple[int | None, int | None]:
        return self.headers.get((table, index), (None, None))


def _bracket_balance(text: str) -> int:
    text = re.sub(r"\"(?:\\.|[^\"\\])*\"|'[^']*'", "", text.split("#", 1)[0])
    return text.count("[") - text.count("]")
