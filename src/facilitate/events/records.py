"""Journal records to events: versions, upgrades and the checks a damaged line must pass."""

from __future__ import annotations

import types
from collections.abc import Callable
from dataclasses import MISSING, dataclass, fields
from datetime import UTC, datetime
from typing import Any, get_args, get_origin, get_type_hints

from facilitate.events import base
from facilitate.events.base import EVENT_TYPES, Event, EventError, parse_instant


def event_from_record(record: dict[str, Any]) -> Event:
    """Rebuild an event, or raise :class:`EventError` saying what is wrong with the record.

    A record without ``version`` was written before records had one: it is version 1.
    One written by a newer facilitate is refused (its fields may mean something this
    version does not know). ``record`` itself is never changed.

    Reading a thousand sessions' journals is mostly this function, so each type's fields
    are worked out once (:func:`_spec`) and the event is filled in directly: a frozen
    dataclass's ``__init__`` sets each field through ``object.__setattr__``, several
    times the cost of the checks that matter here.
    """
    version = record.get("version", 1)
    if not (version == base.RECORD_VERSION and type(version) is int):
        record = _upgrade(record, _record_version(record))
    kind = record.get("type")
    spec = _SPECS.get(kind) if isinstance(kind, str) else None
    if spec is None:
        if not isinstance(kind, str) or kind not in EVENT_TYPES:
            raise EventError(f"unknown event type {kind!r}")
        spec = _spec(kind)
    # The event's own field names as keys (the record's are new strings on every line,
    # which a big journal's events would otherwise each keep).
    values: dict[str, Any] = {}
    for name, types_ in spec.checks:
        value = record.get(name, _ABSENT)
        if value is _ABSENT:
            continue
        if type(value) not in types_ or (
            name in spec.items and any(type(item) not in spec.items[name] for item in value)
        ):
            raise EventError(f"bad {kind} record: {name} must be {spec.names[name]}, not {value!r}")
        values[name] = value
    if len(values) != len(spec.checks):  # facilitate writes every field; old records lack some
        missing = spec.required.difference(values)
        if missing:
            raise EventError(f"bad {kind} record: no {', '.join(sorted(missing))}")
        values = {**spec.defaults, **values}
    at = record.get("at")
    if not isinstance(at, str):
        raise EventError(f"bad {kind} record: its time (at) must be text, not {at!r}")
    try:
        values["at"] = parse_instant(at)
    except (ValueError, OverflowError) as exc:
        raise EventError(f"bad {kind} record: {exc}") from None
    _check_bounds(spec.cls.TYPE, spec, values)
    for name, make in spec.factories:
        if name not in values:
            values[name] = make()
    event = object.__new__(spec.cls)
    event.__dict__.update(values)
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


def _check_bounds(kind: str, spec: _Spec, values: dict[str, Any]) -> None:
    """Values no facilitate writes and nothing downstream could show or add up (a date in
    year 9999 overflows the first sum, and so does a ``time_adjusted`` of 10^12 seconds)."""
    at = values["at"]
    if not EARLIEST <= at < LATEST:
        raise EventError(
            f"bad {kind} record: its time {at:%Y-%m-%d} is impossible "
            f"(it must fall between {EARLIEST:%Y} and {LATEST:%Y})"
        )
    for name, (low, high) in spec.bounds:
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


@dataclass(frozen=True)
class _Spec:
    """What a record of one event type must hold, worked out once per type."""

    cls: type[Event]
    checks: tuple[tuple[str, frozenset[type]], ...]  # each field but ``at``: the exact types
    names: dict[str, str]  # those types in words, for the warning
    items: dict[str, frozenset[type]]  # list fields (a re-plan's segments): their items
    required: frozenset[str]  # fields without a default (``at`` is checked on its own)
    defaults: dict[str, Any]
    factories: tuple[tuple[str, Callable[[], Any]], ...]
    bounds: tuple[tuple[str, tuple[int, int]], ...]


_SPECS: dict[str, _Spec] = {}
_ABSENT = object()


def _spec(kind: str) -> _Spec:
    """For each field: the exact types JSON may hold for it, and their names, so that a
    damaged or hand-edited journal line is refused here (a warning) instead of breaking
    the reducer or an exporter later. ``at`` (any type: it is parsed) has none.

    Worked out on first use: resolving the annotations of every event type costs a
    few milliseconds that start-up does not need to spend. Exact types, not
    ``isinstance``: ``true`` is no number.
    """
    cls = EVENT_TYPES[kind]
    hints = get_type_hints(cls)
    allowed: dict[str, frozenset[type]] = {}
    items: dict[str, frozenset[type]] = {}
    defaults: dict[str, Any] = {}
    factories: list[tuple[str, Callable[[], Any]]] = []
    required = set()
    for field in fields(cls):
        hint = hints[field.name]
        if field.default is not MISSING:
            defaults[field.name] = field.default
        elif field.default_factory is not MISSING:
            factories.append((field.name, field.default_factory))
        elif field.name != "at":
            required.add(field.name)
        if field.name == "at":
            continue
        options = get_args(hint) if get_origin(hint) is types.UnionType else (hint,)
        types_ = {option for option in options if isinstance(option, type)}
        types_ |= {list for option in options if get_origin(option) is list}
        for option in options:
            if get_origin(option) is list:
                items[field.name] = frozenset(t for t in get_args(option) if isinstance(t, type))
        if float in types_:  # JSON writes 3600.0 as it is, but a hand-edited line may say 3600
            types_.add(int)
        allowed[field.name] = frozenset(types_)
    spec = _Spec(
        cls=cls,
        checks=tuple(allowed.items()),
        names={field.name: _type_name(hints[field.name]) for field in fields(cls)},
        items=items,
        required=frozenset(required),
        defaults=defaults,
        factories=tuple(factories),
        bounds=tuple((name, limits) for name, limits in _BOUNDS.items() if name in allowed),
    )
    _SPECS[kind] = spec
    return spec


def _type_name(hint: Any) -> str:
    if get_origin(hint) is types.UnionType:
        return " or ".join(_type_name(option) for option in get_args(hint))
    if get_origin(hint) is list:
        return f"a list of {_type_name(get_args(hint)[0])}"
    return "null" if hint is type(None) else getattr(hint, "__name__", str(hint))
