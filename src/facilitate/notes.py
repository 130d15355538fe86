"""What a scribe types, turned into a note: kind prefix, owners and due dates.

``d: `` decision, ``a: `` action, ``q: `` question, ``f: `` feedback, ``n: `` note;
anything else is a plain note (or feedback, when a feedback category is picked).

In an action:

- ``@Priya``, ``@"Sam Jones"`` and ``@Sam_Jones`` (read "Sam Jones") set the owner, and
  the token leaves the text: the owner has a column of its own. One owner per action
  (``@"Priya and Sam"`` for a pair).
  An ``@`` inside a word (an email address) is text.
- ``due:`` takes a date written day first, as in the UK: ``31/12``, ``31/12/2026``,
  ``31-12-26``, ``31.12.2026``, or ``2026-12-31``; a day: ``today``, ``tomorrow``,
  ``friday`` / ``fri`` (the next one, never today); or a span from today: ``+3d``, ``+2w``.
  A day and month without a year is the next such date, unless it passed less than half a
  year ago: then it is refused as past, since ``due:1/9`` typed in November is more likely a
  slip than next September.

What cannot be saved as the scribe meant it raises :class:`NoteSyntaxError` with a sentence
saying how to write it: nothing after a prefix, a due date that cannot be read or lies in the
past, two due dates, an owner with an unclosed quote or no name, a control character, a note
over :data:`MAX_NOTE_CHARS`. The screen keeps a refused line unsaved and whole.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

PREFIXES = {"d": "decision", "a": "action", "q": "question", "f": "feedback", "n": "note"}
KIND_PREFIXES = {kind: f"{key}:" for key, kind in PREFIXES.items()}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY_WORDS = {
    **{name: i for i, name in enumerate(WEEKDAYS)},
    **{name[:3]: i for i, name in enumerate(WEEKDAYS)},
    "tues": 1,
    "weds": 2,
    "thur": 3,
    "thurs": 3,
}
MAX_NOTE_CHARS = 10_000
# A day and month typed without a year that passed less than this long ago is refused as past.
PAST_WINDOW_DAYS = 183
DUE_HELP = "write it day first (31/12, 31/12/2026), as a day (friday, tomorrow) or +3d, +2w"
# Due dates outside these are slips (a year typed 9999, or 0001 from a damaged journal):
# refused when typed, cleared with a warning when read back.
FIRST_DUE = date(2000, 1, 1)
LAST_DUE = date(2100, 12, 31)

_PREFIX_RE = re.compile(r"^\s*([dafqn])\s*:\s*", re.IGNORECASE)
# @Priya, @Sam_Jones, @"Sam Jones" (straight, curly or single quotes); not inside a word.
_OWNER_RE = re.compile(r"""(?<![\w@])@(?:"([^"]*)"|“([^”]*)”|'([^']*)'|(\w(?:[\w.'’-]*\w)?))""")
_OPEN_QUOTE_RE = re.compile(r"""(?<![\w@])@["“']""")
_DUE_RE = re.compile(r"(?<!\S)due:(\S*)", re.IGNORECASE)
_RELATIVE_RE = re.compile(r"^\+(\d{1,3})([dw])$")
_ISO_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_FIRST_RE = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})(?:[/.-](\d{4}|\d{2}))?$")
_TRAILING = ".,;:!?)"


class NoteSyntaxError(ValueError):
    """Something typed that cannot be saved as the user meant it; the message says how to fix it."""


@dataclass(frozen=True)
class ParsedNote:
    kind: str
    text: str
    owner: str | None = None
    due: date | None = None


def uk_date(day: date) -> str:
    """``Fri 27/11/2026``: how a UK reader checks a date at a glance."""
    return f"{WEEKDAYS[day.weekday()][:3].capitalize()} {day:%d/%m/%Y}"


def uk_date_text(text: object, *, weekday: bool = True) -> str:
    """An ISO date (a due date, the next meeting) as UK readers see dates on screen:
    ``Fri 19/12/2026``, or ``19/12/2026`` where a column is narrow; anything else as it is."""
    raw = str(text or "")
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        return raw
    return uk_date(day) if weekday else f"{day:%d/%m/%Y}"


_ISO_LIKE = re.compile(r"\d+-\d+-\d+")


def due_problem(due: str) -> str | None:
    """What is wrong with a due date read back from a journal, or None. Dates are written
    ``2026-12-31``; one that says so but is no date (``2026-13-45``) or lies outside
    :data:`FIRST_DUE` to :data:`LAST_DUE` is wrong. Other text (``next meeting``, as an
    older version let people write) is kept as it is."""
    text = due.strip()
    if not _ISO_LIKE.fullmatch(text):
        return None
    year, month, day = (int(part) if len(part) <= 4 else 10**4 for part in text.split("-"))
    if not FIRST_DUE.year <= year <= LAST_DUE.year:
        return f"due date {text[:20]} is out of range ({FIRST_DUE.year} to {LAST_DUE.year})"
    if _valid_date(year, month, day) is None:
        return f"due date {text[:20]} is no date"
    return None


def resolve_due(token: str, today: date, *, keep: date | None = None) -> date:
    """The date ``token`` means, counted from ``today``; never a date before today, except
    ``keep`` (an action's due date as it stands, kept when the rest of it is edited)."""
    word = token.strip().rstrip(_TRAILING).lower()
    if not word:
        raise NoteSyntaxError(f"due: needs a date right after it: {DUE_HELP}")
    try:
        found = _named_day(word, today)
    except OverflowError:
        raise NoteSyntaxError(f"due date {token!r} is too far ahead: {DUE_HELP}") from None
    if found is None:
        found = _written_date(word, token, today)
    if found > LAST_DUE:
        raise NoteSyntaxError(
            f"due date {uk_date(found)} is too far ahead (the latest is {uk_date(LAST_DUE)})"
        )
    if found < today and found != keep:
        raise NoteSyntaxError(
            f"due date {uk_date(found)} is in the past (today is {uk_date(today)}): "
            "give a later date"
        )
    return found


def _named_day(word: str, today: date) -> date | None:
    if word == "today":
        return today
    if word == "tomorrow":
        return today + timedelta(days=1)
    if word in WEEKDAY_WORDS:
        ahead = (WEEKDAY_WORDS[word] - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    relative = _RELATIVE_RE.match(word)
    if relative:
        amount = int(relative.group(1)) * (7 if relative.group(2) == "w" else 1)
        return today + timedelta(days=amount)
    return None


def _written_date(word: str, token: str, today: date) -> date:
    iso = _ISO_RE.match(word)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
        return _date_or_refuse(year, month, day, token)
    match = _DAY_FIRST_RE.match(word)
    if not match:
        raise NoteSyntaxError(f"cannot read due date {token!r}: {DUE_HELP}")
    day, month = int(match.group(1)), int(match.group(3))
    if match.group(4) is not None:
        year = int(match.group(4))
        return _date_or_refuse(year + 2000 if year < 100 else year, month, day, token)
    this_year = _valid_date(today.year, month, day)
    if this_year is not None and this_year >= today:
        return this_year
    if this_year is not None and (today - this_year).days < PAST_WINDOW_DAYS:
        sep = match.group(2)
        raise NoteSyntaxError(
            f"due date {uk_date(this_year)} is in the past (today is {uk_date(today)}): "
            f"for next year write due:{day:02d}{sep}{month:02d}{sep}{today.year + 1}"
        )
    # The next year that has this day (29/2 waits for a leap year).
    for year in range(today.year + 1, today.year + 9):
        if (found := _valid_date(year, month, day)) is not None:
            return found
    return _date_or_refuse(today.year, month, day, token)


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _date_or_refuse(year: int, month: int, day: int, token: str) -> date:
    found = _valid_date(year, month, day)
    if found is not None:
        return found
    hint = "the day comes first, as in 31/12 or 31/12/2026"
    if month > 12 and 1 <= day <= 12:
        hint = f"the day comes first (UK), so {month}/{day}"
    raise NoteSyntaxError(f"due date {token!r} is not a date: {hint}")


def _owner_name(match: re.Match[str]) -> str:
    quoted = next((g for g in match.groups()[:3] if g is not None), None)
    name = quoted if quoted is not None else match.group(4).replace("_", " ")
    name = " ".join(name.split())
    if not name:
        raise NoteSyntaxError('an owner needs a name: @Priya, @Sam_Jones or @"Sam Jones"')
    return name


def check_text(raw: str) -> None:
    """Refuse what cannot be a note line: control characters, more than MAX_NOTE_CHARS."""
    if len(raw) > MAX_NOTE_CHARS:
        raise NoteSyntaxError(
            f"a note holds up to {MAX_NOTE_CHARS:,} characters; this one has {len(raw):,}: "
            "split it into several notes"
        )
    for index, char in enumerate(raw):
        if char not in "\t\n\r" and unicodedata.category(char) == "Cc":
            raise NoteSyntaxError(
                f"the note holds an invisible control character (U+{ord(char):04X}) "
                f"at position {index + 1}: delete it and save again"
            )


def kind_of(raw: str, default_kind: str = "note") -> str:
    """The kind a line's prefix gives it (``default_kind`` without one): read as it is typed."""
    prefix = _PREFIX_RE.match(raw)
    return PREFIXES[prefix.group(1).lower()] if prefix else default_kind


def parse_note(
    raw: str, today: date, *, default_kind: str = "note", keep_due: date | None = None
) -> ParsedNote:
    """Read one line of note entry, or raise :class:`NoteSyntaxError` saying how to fix it.

    ``keep_due``: the due date of the action being edited, accepted even though past."""
    check_text(raw)
    text = raw.strip()
    kind = kind_of(text, default_kind)
    prefix = _PREFIX_RE.match(text)
    if prefix:
        text = text[prefix.end() :]
    owner = due = None
    if kind == "action":
        text, owner = _take_owners(text)
        text, due = _take_due(text, today, keep_due)
    if not text.strip():
        raise NoteSyntaxError("nothing to save: type the note after the prefix")
    return ParsedNote(kind=kind, text=text.strip(), owner=owner, due=due)


def _take_owners(text: str) -> tuple[str, str | None]:
    if _OPEN_QUOTE_RE.search(_OWNER_RE.sub("", text)):
        raise NoteSyntaxError('the owner\'s name has no closing quote: write @"Sam Jones"')
    names = list(dict.fromkeys(_owner_name(m) for m in _OWNER_RE.finditer(text)))
    if not names:
        return text, None
    if len(names) > 1:
        raise NoteSyntaxError(
            f"an action has one owner, not {len(names)}: for a pair write "
            f'@"{names[0]} and {names[1]}"'
        )
    return _cut(text, _OWNER_RE), names[0]


def _take_due(text: str, today: date, keep: date | None) -> tuple[str, date | None]:
    tokens = _DUE_RE.findall(text)
    if not tokens:
        return text, None
    if len(tokens) > 1:
        raise NoteSyntaxError("an action has one due date: keep one due: and delete the other")
    return _cut(text, _DUE_RE), resolve_due(tokens[0], today, keep=keep)


def _cut(
    text: str, token: re.Pattern[str], keep: Callable[[re.Match[str]], bool] | None = None
) -> str:
    """``text`` without the tokens ``token`` matches (unless ``keep`` says so), each gap
    closed to one space; the rest of the spacing stays as typed."""
    pieces: list[str] = []
    last = 0
    for match in token.finditer(text):
        if keep is not None and keep(match):
            continue
        before = text[last : match.start()]
        pieces.append(before.rstrip(" ") + (" " if before.strip(" ") else ""))
        last = match.end()
        while last < len(text) and text[last] == " ":
            last += 1
    pieces.append(text[last:])
    return "".join(pieces).strip()


def owner_token(owner: str) -> str:
    """How to type ``owner`` back: ``@Priya``, or ``@"Sam Jones"`` for a name with spaces."""
    if re.fullmatch(r"[\w.'’-]*\w", owner) and "_" not in owner:
        return f"@{owner}"
    if '"' not in owner:
        return f'@"{owner}"'
    return "@" + "_".join(owner.replace('"', "'").split())


def unparse_note(kind: str, text: str, owner: str | None, due: str | None) -> str:
    """The line a scribe would type to get this note back: used to edit a note in place."""
    shown = strip_owner_token(text, owner)
    # A plain note that starts like a prefix ("d: is a prefix") keeps its "n:".
    plain = kind == "note" and not _PREFIX_RE.match(shown)
    prefix = "" if plain else KIND_PREFIXES.get(kind, "")
    line = f"{prefix} {shown}" if prefix else shown
    if kind == "action":
        if owner:
            line += f" {owner_token(owner)}"
        if due:
            line += f" due:{due}"
    return line


def strip_owner_token(text: str, owner: str | None) -> str:
    """Notes saved before owners left the text say ``@Priya`` beside an Owner column: show
    them without it. The text of a newer note has no owner token, and comes back as is."""
    if not owner:
        return text

    def other(match: re.Match[str]) -> bool:
        return owner not in (match.group(0)[1:], match.group(4))

    return _cut(text, _OWNER_RE, other)
