"""A note from a damaged journal line, kept with its bad field cleared, instead of lost.

A note's words are what people came for; one bad field beside them (an owner that is
an object, a time in year 9999, text that is a number) must not take them away. The
field is cleared or made sound, with a sentence quoting the note so a person can find
it. A record is dropped only when nothing usable is left: no text at all, an edit of
no note, a record from a newer facilitate. Other events are about their time or their
numbers, which cannot be guessed: they are skipped, as :func:`event_from_record` says.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from facilitate.events import base
from facilitate.events.base import Event, EventError, format_instant, parse_instant
from facilitate.events.records import EARLIEST, LATEST, event_from_record
from facilitate.text import shown

_NOTES = ("note_added", "note_edited")
_TEXT_OR_NOTHING = ("owner", "due", "category", "group", "role")
_QUOTED = 40  # characters of a note's text quoted in a warning


def mend_record(
    record: dict[str, Any], error: EventError, *, at: datetime | None, segment: int
) -> tuple[Event | None, list[str]]:
    """The note ``record`` still holds (which :func:`event_from_record` refused with
    ``error``), with a sentence for each field made sound; or None and the reason it
    is skipped. ``at``: the time of the event before it (for a note whose own time is
    impossible); ``segment``: the segment current then (for one whose segment is no
    number)."""
    skipped = None, [f"{error}; skipped"]
    version = record.get("version", 1)
    if record.get("type") not in _NOTES or not (
        type(version) is int and 1 <= version <= base.RECORD_VERSION
    ):
        return skipped
    text = record.get("text")
    if text is None or (record["type"] == "note_edited" and type(record.get("note_id")) is not str):
        return skipped  # no words to keep, or an edit of no note
    fixed = dict(record)
    said: list[str] = []
    if not isinstance(text, str):
        fixed["text"] = json.dumps(text, ensure_ascii=False)
        said.append(f"its text is {_json_kind(text)}, not text; kept as written")
    if not isinstance(record.get("kind"), str):
        fixed["kind"] = "note"
        said.append(f"its kind is {shown(record.get('kind'))}; kept as a plain note")
    for name in _TEXT_OR_NOTHING:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            fixed[name] = None
            said.append(f"its {name} is {shown(value)}, not text; cleared")
    said += _mend_segment(record, fixed, segment)
    if not _possible(record.get("at")):
        if at is None:
            return skipped  # nothing before it to take a time from
        fixed["at"] = format_instant(at)
        said.append(
            f"its time {shown(record.get('at'))} is impossible; given the time of the event "
            f"before it ({at:%Y-%m-%d %H:%M})"
        )
    try:
        event = event_from_record(fixed)
    except EventError:
        return skipped  # something else is wrong with it too (its number, its version)
    label = note_label(record["type"], fixed["text"])
    return event, [f"{label}: {sentence}" for sentence in said]


def note_label(kind: str, text: str) -> str:
    """``note "Send the minutes…"``: a note (``kind``: its record's type) as a warning
    quotes it, so a person can find it in the minutes or on screen."""
    what = "edit of a note to" if kind == "note_edited" else "note"
    quote = text if len(text) <= _QUOTED else text[: _QUOTED - 1] + "…"
    return f'{what} "{quote}"'


def _json_kind(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return "a number"
    return "a list" if isinstance(value, list) else "an object"


def _mend_segment(record: dict[str, Any], fixed: dict[str, Any], current: int) -> list[str]:
    value = record.get("segment")
    if record["type"] == "note_added" and type(value) is not int:
        fixed["segment"] = current
        return [
            f"its segment is {shown(value)}, not a number; put in the segment current at its "
            f"time ({current + 1})"
        ]
    if record["type"] == "note_edited" and value is not None and type(value) is not int:
        fixed["segment"] = None
        return [f"its segment is {shown(value)}, not a number; left where the note was"]
    return []


def _possible(at: object) -> bool:
    if not isinstance(at, str):
        return False
    try:
        return EARLIEST <= parse_instant(at) < LATEST
    except (ValueError, OverflowError):
        return False
