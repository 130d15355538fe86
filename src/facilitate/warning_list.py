"""A session's warnings as a person reads them: in line order, repeats counted, not listed.

Reading a session says what it found wrong in ``path:line: sentence`` form, but in the
order it found it (the merge of the journals first, the replay after), so a run could
print lines 2, 4, 6, then 3. And a journal with twenty thousand identical damaged
records said the same sentence twenty thousand times. :func:`in_order` puts each
journal's warnings in line order (those without a line, about the agenda or the
folder, first, as they came) and keeps the first :data:`KEEP` of each sentence in each
file, then one line saying how many more there are like them.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

KEEP = 3  # of one sentence in one file, before "… and N more like these"
_WHERE = re.compile(r"(?P<line>\d+): ")


def in_order(warnings: list[str], folder: Path) -> list[str]:
    """``warnings`` about the session in ``folder``, sorted and with repeats counted."""
    prefix = os.path.join(str(folder), "")  # the folder and its separator
    placed: list[tuple[tuple[int, str, int], str, str, str]] = []
    for n, warning in enumerate(warnings):
        name, sep, rest = warning.removeprefix(prefix).partition(":")
        found = _WHERE.match(rest) if sep and warning.startswith(prefix) else None
        if found is None or os.sep in name:
            placed.append(((0, "", n), warning, "", warning))
        else:
            line = int(found["line"])
            placed.append(((1, name, line), warning, name, rest[found.end() :]))
    placed.sort(key=lambda one: one[0])
    total = Counter((name, said) for _, _, name, said in placed if name)
    last = {(name, said): key[2] for key, _, name, said in placed if name}
    seen: Counter[tuple[str, str]] = Counter()
    told: list[str] = []
    for _, warning, name, said in placed:
        if not name:
            told.append(warning)
            continue
        seen[name, said] += 1
        if seen[name, said] <= KEEP:
            told.append(warning)
        more = total[name, said] - KEEP
        if seen[name, said] == KEEP and more > 0:
            told.append(
                f"{prefix}{name}: … and {more:,} more like these, up to line {last[name, said]:,}"
            )
    return told
