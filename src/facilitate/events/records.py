"""Journal records to events: versions, upgrades and the checks a damaged line must pass."""

from __future__ import annotations

import functools
import types
from collections.abc import Callable
from dataclasses import fields
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
    names = {f.name for f in fields(cls)}
    values = {k: v for k, v in record.items() if k in names}
    for name, value in values.items():
        hint = _field_types(cls.TYPE)[name]
        if name != "at" and not _fits(value, hint):
            raise EventError(f"bad {kind} record: {name} must be {_type_name(hint)}, not {value!r}")
    try:
        values["at"] = parse_instant(str(record["at"]))
        event = cls(**values)
    except (KeyError, TypeError, ValueError) as exc:
        raise EventError(f"bad {kind} record: {exc}") from None
    return event


def _record_version(record: dict[str, Any]) -> int:
    version = record.get("version", 1)
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
def _field_types(kind: str) -> dict[str, Any]:
    """What JSON must hold for each field, so that a damaged or hand-edited journal line is
    refused here (a warning) instead of breaking the reducer or an exporter later.

    Worked out on first use: resolving the annotations of every event type costs a
    few milliseconds that start-up does not need to spend.
    """
    return get_type_hints(EVENT_TYPES[kind])


def _fits(value: object, hint: Any) -> bool:
    if get_origin(hint) is types.UnionType:
        return any(_fits(value, option) for option in get_args(hint))
    if hint is type(None):
        return value is None
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(hint, type) and isinstance(value, hint)


def _type_name(hint: Any) -> str:
    if get_origin(hint) is types.UnionType:
        return " or ".join(_type_name(option) for option in get_args(hint))
    return "null" if hint is type(None) else getattr(hint, "__name__", str(hint))
