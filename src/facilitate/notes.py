"""What a scribe types, turned into a note: kind prefix, ``@owner``, ``due:``.

``d: `` decision, ``a: `` action, ``q: `` question, ``f: `` feedback, else a
plain note. In an action, ``@name`` sets the owner and ``due:`` takes
``YYYY-MM-DD``, a weekday (``friday``: the next one, never today) or ``+3d`` /
``+2w``, resolved against the ``today`` passed in when the note is saved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

PREFIXES = {"d": "decision", "a": "action", "q": "question", "f": "feedback", "n": "note"}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_PREFIX_RE = re.compile(r"^\s*([dafqn])\s*:(?:\s+|$)", re.IGNORECASE)
_OWNER_RE = re.compile(r"(?<![\w@])@([\w.'-]*\w)")
_DUE_RE = re.compile(r"(?<!\S)due:(\S+)", re.IGNORECASE)
_RELATIVE_RE = re.compile(r"^\+(\d{1,3})([dw])$")


class NoteSyntaxError(ValueError):
    """Something typed that cannot be saved as the user meant it; the message says how to fix it."""


@dataclass(frozen=True)
class ParsedNote:
    kind: str
    text: str
    owner: str | None = None
    due: date | None = None


def resolve_due(token: str, today: date) -> date:
    word = token.strip().lower()
    if word in ("today",):
        return today
    if word in ("tomorrow",):
        return today + timedelta(days=1)
    for index, name in enumerate(WEEKDAYS):
        if word in (name, name[:3]):
            ahead = (index - today.weekday()) % 7 or 7
            return today + timedelta(days=ahead)
    relative = _RELATIVE_RE.match(word)
    if relative:
        amount = int(relative.group(1)) * (7 if relative.group(2) == "w" else 1)
        return today + timedelta(days=amount)
    try:
        return date.fromisoformat(word)
    except ValueError:
        raise NoteSyntaxError(
            f"cannot read due date {token!r}: use YYYY-MM-DD, a weekday (friday) or +3d"
        ) from None


def parse_note(raw: str, today: date, *, default_kind: str = "note") -> ParsedNote:
    """Read one line of note entry.

    Raises :class:`NoteSyntaxError` for a bad due date or an empty note.
    """
    text = raw.strip()
    kind = default_kind
    prefix = _PREFIX_RE.match(text)
    if prefix:
        kind = PREFIXES[prefix.group(1).lower()]
        text = text[prefix.end() :]
    owner = due = None
    if kind == "action":
        owners = _OWNER_RE.findall(text)
        owner = owners[0] if owners else None
        dues = _DUE_RE.findall(text)
        if dues:
            due = resolve_due(dues[-1], today)
            text = _DUE_RE.sub("", text)
        text = re.sub(r"\s{2,}", " ", text).strip()
    if not text:
        raise NoteSyntaxError("nothing to save: type the note after the prefix")
    return ParsedNote(kind=kind, text=text, owner=owner, due=due)


def unparse_note(kind: str, text: str, owner: str | None, due: str | None) -> str:
    """The line a scribe would type to get this note back: used to edit a note in place."""
    prefix = {v: k for k, v in PREFIXES.items() if k != "n"}.get(kind, "")
    line = f"{prefix}: {text}" if prefix else text
    if kind == "action":
        if owner and f"@{owner}" not in text:
            line += f" @{owner}"
        if due:
            line += f" due:{due}"
    return line
