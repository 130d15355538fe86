"""The minutes as a document: built once per audience, then drawn by each format.

:func:`facilitate.export.minutes.build_document` turns a session into a
:class:`Document` of sections and blocks (headings, paragraphs, lists, facts,
tables, the timing chart). The Markdown, plain-text, HTML and Word renderers
only draw blocks, so the four formats cannot disagree about what the minutes
say, and what goes to the partnership is decided in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from facilitate.export.timing import TimingRow

AUDIENCES = ("partnership", "facilitator")


@dataclass(frozen=True)
class Span:
    """A run of text. ``text`` is as typed (it may hold line breaks); ``style`` is
    "" (plain), "strong", "em", "muted" (where a note came from) or "over" (an overrun)."""

    text: str
    style: str = ""


Line = tuple[Span, ...]


def plain(text: str) -> Line:
    return (Span(text),)


def line_text(line: Line) -> str:
    return "".join(span.text for span in line)


@dataclass(frozen=True)
class Heading:
    """A heading inside a section: level 3 (a segment) or 4 (a group or category in it)."""

    text: str
    level: int = 3


@dataclass(frozen=True)
class Paragraph:
    line: Line


@dataclass(frozen=True)
class Bullets:
    items: tuple[Line, ...]


@dataclass(frozen=True)
class Facts:
    """Label: value lines (date, venue, facilitators)."""

    rows: tuple[tuple[str, Line], ...]


@dataclass(frozen=True)
class Table:
    """A real table. ``numeric`` columns are right-aligned; ``grid`` asks plain text for
    aligned columns (numbers people compare) rather than one line per row."""

    header: tuple[str, ...]
    rows: tuple[tuple[Line, ...], ...]
    numeric: tuple[bool, ...] = ()
    grid: bool = False


@dataclass(frozen=True)
class Checklist:
    """A facilitator's checklist: each point with whether it was done."""

    items: tuple[tuple[bool, str], ...]


@dataclass(frozen=True)
class Chart:
    """Planned against actual, one bar per segment."""

    rows: tuple[TimingRow, ...]


Block = Heading | Paragraph | Bullets | Facts | Table | Checklist | Chart


@dataclass(frozen=True)
class Section:
    """``key`` names it for styles and tests; ``major`` sections start a new printed page."""

    key: str
    title: str
    blocks: tuple[Block, ...]
    major: bool = False


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str
    audience: str
    sections: tuple[Section, ...]
    created: datetime | None = None  # when the session was made: the Word file's own date
