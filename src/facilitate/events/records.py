"""Journal records to events: versions, upgrades and the checks a damaged line must pass."""

from __future__ import annotations

import functools
import types
from collections.abc import Callable
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any, get_args, get_origin, get_type_hints

from facilitate.events import base
from facilitate.events.base import EVENT_TYPES, Event, EventError, parse_instant


def event_from_record(record: dict[str, Any]) -> Event:
    """Rebuild an event, or raise :class:`EventError` saying what is wrong with the record.

    A record without ``version`` was written before records had one: it is version 1.
    One written by a newer facilitate is refused (its fields may mean something this
    version does not know). ``record`` itself is never changed.
    """
    record = _upgrade(record, _record_version(record))
    kind = record.get("type")
    cls = EVENT_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise EventError(f"unknown event type {kind!r}")
    shape = _shape(cls.TYPE)
    values = {k: v for k, v in record.items() if k in shape}
    for name, value in values.items():
        allowed, named = shape[name]
        if allowed and type(value) not in allowed:
            raise EventError(f"bad {kind} record: {name} must be {named}, not {value!r}")
        items = _items(cls.TYPE).get(name)
        if items and any(type(item) not in items for item in value):
            raise EventError(f"bad {kind} record: {name} must be {named}, not {value!r}")
    try:
        values["at"] = parse_instant(str(record["at"]))
        event = cls(**values)
    except (KeyError, TypeError, ValueError, OverflowError) as exc:
        raise EventError(f"bad {kind} record: {exc}") from None
    _check_bounds(event, values)
    return event


EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(3000, 1, 1, tzinfo=UTC)
"""Instants outside these are impossible for a session (a clock reset to 1970 is not)."""
MAX_ADJUST_S = 24 * 3600  # one time_adjusted: a segment lasts a day at most
MAX_INDEX = 1_000_000  # checklist items (segments are checked against the agenda)
_BOUNDS: dict[str, tuple[int, int]] = {
    "seq": (0, 2**53),
    "item": (0, MAX_INDEX),
    "seconds": (-MAX_ADJUST_S, MAX_ADJUST_S),
    "rating": (1, 5),
    "delta": (-1000, 1000),
    "offset_s": (-(LATEST - EARLIEST).days * 86400, (LATEST - EARLIEST).days * 86400),
}


def _number(value: float) -> str:
    if isinstance(value, int) and abs(value) >= 10**15:
        return f"a number of {len(str(abs(value)))} digits"
    return str(value)


@functools.cache
def _bounds(kind: str) -> tuple[tuple[str, tuple[int, int]], ...]:
    return tuple((name, limits) for name, limits in _BOUNDS.items() if name in _shape(kind))


def _check_bounds(event: Event, values: dict[str, Any]) -> None:
    """Values no facilitate writes and nothing downstream could show or add up (a date in
    year 9999 overflows the first sum, and so does a ``time_adjusted`` of 10^12 seconds)."""
    kind = event.TYPE
    if not EARLIEST <= event.at < LATEST:
        raise EventError(
            f"bad {kind} record: its time {event.at:%Y-%m-%d} is impossible "
            f"(it must fall between {EARLIEST:%Y} and {LATEST:%Y})"
        )
    for name, (low, high) in _bounds(kind):
        value = values.get(name)
        if isinstance(value, int | float) and not low <= value <= high:  # False for NaN
            shown = _number(value)
            raise EventError(f"bad {kind} record: {name} {shown} is out of range ({low} to {high})")


def _record_version(record: dict[str, Any]) -> int:
    version = record.get("version", 1)
    if version == base.RECORD_VERSION and type(version) is int:
        return version  # nearly every record
    kind = record.get("type")
    what = f"{kind} record" if isinstance(kind, str) else "record"
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise EventError(f"bad {what}: version must be a whole number from 1, not {version!r}")
    if version > base.RECORD_VERSION:
        raise EventError(
            f"{what} written by a newer version of facilitate (record version {version}; "
            f"this one reads up to {base.RECORD_VERSION}): update facilitate to read it"
        )
    return version


# Step n turns a version-n record into a version n+1 one. Each step gets a copy it may
# change and returns it; records on disk are never rewritten. Empty while there is only
# version 1. Example, had version 2 renamed note_added's "group" to "table":
#     def _v1_to_v2(record): record["table"] = record.pop("group", None); return record
#     _UPGRADES = {1: _v1_to_v2}
_UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def _upgrade(record: dict[str, Any], version: int) -> dict[str, Any]:
    """``record`` (of ``version``) as :data:`base.RECORD_VERSION` writes it, one step at a time."""
    for step in range(version, base.RECORD_VERSION):
        record = _UPGRADES[step](dict(record))
        record["version"] = step + 1
    return record


@functools.cache
def _shape(kind: str) -> dict[str, tuple[frozenset[type], str]]:
    """For each field: the exact types JSON may hold for it, and their names, so that a
    damaged or hand-edited journal line is refused here (a warning) instead of breaking
    the reducer or an exporter later. ``at`` (any type: it is parsed) has none.

    Worked out on first use: resolving the annotations of every event type costs a
    few milliseconds that start-up does not need to spend. Exact types, not
    ``isinstance``: ``true`` is no number, and reading a thousand sessions' journals
    is mostly this check.
    """
    cls = EVENT_TYPES[kind]
    hints = get_type_hints(cls)
    shape: dict[str, tuple[frozenset[type], str]] = {}
    for field in fields(cls):
        hint = hints[field.name]
        options = get_args(hint) if get_origin(hint) is types.UnionType else (hint,)
        allowed = {option for option in options if isinstance(option, type)}
        allowed |= {list for option in options if get_origin(option) is list}
        if float in allowed:  # JSON writes 3600.0 as it is, but a hand-edited line may say 3600
            allowed.add(int)
        shape[field.name] = (
            frozenset() if field.name == "at" else frozenset(allowed),
            _type_name(hint),
        )
    return shape


@functools.cache
def _items(kind: str) -> dict[str, frozenset[type]]:
    """For each list field (a re-plan's segments and lengths): what its items may be."""
    hints = get_type_hints(EVENT_TYPES[kind])
    return {
        name: frozenset(t for t in get_args(hint) if isinstance(t, type))
        for name, hint in hints.items()
        if get_origin(hint) is list
    }


def _type_name(hint: Any) -> str:
    if get_origin(hint) is types.UnionType:
        return " or ".join(_type_name(option) for option in get_args(hint))
    if get_origin(hint) is list:
        return f"a list of {_type_name(get_args(hint)[0])}"
    return "null" if hint is type(None) else getattr(hint, "__name__", str(hint))
