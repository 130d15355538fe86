"""One session's records from every writer's journal: in one order, each record once.

Every record carries its envelope: ``at`` (when), ``writer`` (who) and ``seq`` (the
writer's own number for it). Each writer appends to its own file,
``journal-<writer>.jsonl``, so the file's name says who wrote what is in it; that is
how a record whose ``writer`` is missing or damaged still finds its writer.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar, overload

from facilitate.journal.format import JOURNAL_PREFIX, JOURNAL_SUFFIX, WRITER_ID, Record
from facilitate.text import shown

T = TypeVar("T")
Seen = dict[tuple[str, int], tuple[tuple[Path, int], object]]
# One record as read: its seq; whether it is in another writer's file; the file's name,
# its line, path; its at; what the caller keeps of it; and (only when in another
# writer's file) the record itself, to give it to the file's writer if need be.
_Item = tuple[int, bool, str, int, Path, object, Any, Record | None]

# Instants as the writer formats them sort as text; one outside these years is no time a
# session ran at (the events say which exactly, with the record's file and line).
_FIRST, _AFTER_LAST = "1970", "3000"


def origin(path: Path, lineno: int) -> str:
    """Where a record was read, in the ``path:line`` form every journal warning starts with."""
    return f"{path}:{lineno}"


def writer_of(path: Path) -> str:
    """The writer a journal file's name says wrote it."""
    return path.name[len(JOURNAL_PREFIX) : -len(JOURNAL_SUFFIX)]


@overload
def merge_records(
    numbered: Iterable[tuple[Path, int, Record]],
    warnings: list[str],
    seen: Seen | None = None,
    digest: Callable[[Record], object] | None = None,
) -> list[tuple[Path, int, Record]]: ...
@overload
def merge_records(
    numbered: Iterable[tuple[Path, int, Record]],
    warnings: list[str],
    seen: Seen | None = None,
    digest: Callable[[Record], object] | None = None,
    *,
    keep: Callable[[Record], T],
) -> list[tuple[Path, int, T]]: ...
def merge_records(
    numbered: Iterable[tuple[Path, int, Record]],
    warnings: list[str],
    seen: Seen | None = None,
    digest: Callable[[Record], object] | None = None,
    *,
    keep: Callable[[Record], Any] | None = None,
) -> list[tuple[Path, int, Any]]:
    """Merge the writers' records by the merge key, keeping each writer's own order.

    Each writer's records go in the order it numbered them (``seq``), and the writers
    are interleaved by ``at`` (ties by writer, then file and line, so the result is
    deterministic). For records stamped by a clock that only moves forward this is
    plain sorting by (``at``, ``writer``, ``seq``); after a wall-clock correction moved
    a writer's clock back, its later events still come after its earlier ones. A record
    whose ``at`` is no possible time goes right after its writer's record before it
    (the events say what becomes of it).

    A record without a whole-number ``seq`` is skipped with a warning naming the field.
    One without a ``writer`` (or not text) takes the writer its file's name says. One
    whose ``writer`` differs from its file's (one warning per file) is kept as the
    writer it names: its id (writer and number) is what edits, deletions and copies of
    it refer to, so a copied journal (a sync tool's conflict copy) folds back into the
    records it copies instead of doubling every note. Only when that writer gave its
    number to a different record (a hand-edited ``writer``) is it kept as its file's
    writer's instead, with a warning: either way nothing is lost.

    A record numbered like one already read (``seen``, which a follower keeps from one
    poll to the next) is dropped: silently when it is the same (a write that failed
    after reaching the disk), with a warning naming both places when its content
    differs; a writer's own file comes first. ``seen`` keeps the record itself (or what
    ``keep`` made of it), or ``digest(record)`` when given (a follower keeps a small
    digest per record). ``keep`` turns each record into what the caller keeps, as read.
    """
    envelope = _Envelope(warnings)
    by_writer: dict[str, list[_Item]] = {}
    last_path, owner, name = None, "", ""
    for path, lineno, record in numbered:
        writer, seq = record.get("writer"), record.get("seq")
        if type(seq) is not int:
            warnings.append(f"{origin(path, lineno)}: {_without_seq(record)}; skipped")
            continue
        if path is not last_path:
            last_path, owner, name = path, envelope.owner(path), path.name
        who, foreign = owner, False
        if writer != owner:
            found = envelope.writer(path, lineno, writer)
            if found is None:
                continue
            who, foreign = found, found == writer
            if not foreign:
                record = {**record, "writer": found}
        at = record.get("at")
        kept = record if keep is None else keep(record)
        raw = record if foreign else None
        by_writer.setdefault(who, []).append((seq, foreign, name, lineno, path, at, kept, raw))
    envelope.report()
    if envelope.foreign:
        _give_back(by_writer, warnings, seen, digest, keep)
    if len(by_writer) == 1:  # most sessions: nothing to interleave
        [(who, items)] = by_writer.items()
        return _one_writer(who, items, warnings, seen, digest, keyed=False)
    streams = [
        _one_writer(writer, items, warnings, seen, digest, keyed=True)
        for writer, items in sorted(by_writer.items())
    ]
    return [item[2:] for item in heapq.merge(*streams)]


def _give_back(
    by_writer: dict[str, list[_Item]],
    warnings: list[str],
    seen: Seen | None,
    digest: Callable[[Any], object] | None,
    keep: Callable[[Record], Any] | None,
) -> None:
    """Records in another writer's file that name a writer whose number is taken by a
    different record of its own go to their file's writer instead."""

    def content(kept: Any) -> object:
        return kept if digest is None else digest(kept)

    claimed = {
        (writer, item[0]) for writer, items in by_writer.items() for item in items if item[1]
    }
    own: dict[tuple[str, int], tuple[tuple[Path, int], object]] = {}
    for writer, items in by_writer.items():
        for seq, foreign, _, lineno, path, _, kept, _ in items:
            if not foreign and (writer, seq) in claimed:
                own.setdefault((writer, seq), ((path, lineno), content(kept)))
    if seen is not None:  # or read in an earlier poll
        for number in claimed - own.keys():
            if number in seen:
                own[number] = seen[number]
    for writer in list(by_writer):
        staying = []
        for item in by_writer[writer]:
            seq, foreign, name, lineno, path, at, kept, raw = item
            first = own.get((writer, seq)) if foreign else None
            owner = writer_of(path)
            if first is None or first[1] == content(kept) or not WRITER_ID.fullmatch(owner):
                staying.append(item)
                continue
            assert raw is not None
            mine = {**raw, "writer": owner}
            moved = mine if keep is None else keep(mine)
            by_writer.setdefault(owner, []).append(
                (seq, False, name, lineno, path, at, moved, None)
            )
            warnings.append(
                f"{origin(path, lineno)}: {writer}-{seq} is the number of a different record "
                f"(at {origin(*first[0])}); kept as {shown(owner, 130)}'s, whose file it is in"
            )
        by_writer[writer] = staying


def _one_writer(
    writer: str,
    items: list[_Item],
    warnings: list[str],
    seen: Seen | None,
    digest: Callable[[Any], object] | None,
    *,
    keyed: bool,
) -> list[tuple[Any, ...]]:
    """One writer's records by number, each number once: ``(path, line, kept)``, or with
    ``keyed`` ``(at, writer, path, line, kept)`` for the merge. ``items`` is emptied as
    it goes (a big journal is not held twice)."""
    items.sort()  # by seq, its own file first, then file name and line (unique)
    items.reverse()
    kept_items: list[tuple[Any, ...]] = []
    key = ""  # the time the record is merged at
    group: tuple[int, tuple[Path, int], object] | None = None  # the first record numbered so
    while items:
        seq, _, _, lineno, path, at, kept, _ = items.pop()
        if isinstance(at, str) and _FIRST <= at < _AFTER_LAST:
            key = at  # else: right after the writer's record before it
        content = kept if digest is None else digest(kept)
        first: tuple[tuple[Path, int], object] | None
        if seen is not None:
            first = seen.get((writer, seq))
            if first is None:
                seen[(writer, seq)] = ((path, lineno), content)
        else:  # read once, in order: copies of a number are next to each other
            first = group[1:] if group is not None and group[0] == seq else None
            if first is None:
                group = (seq, (path, lineno), content)
        if first is None:
            kept_items.append((key, writer, path, lineno, kept) if keyed else (path, lineno, kept))
        elif first[1] != content:
            warnings.append(
                f"{origin(path, lineno)}: a second record numbered {writer}-{seq} with "
                f"different content (the first is at {origin(*first[0])}); skipped"
            )
    return kept_items


class _Envelope:
    """Who wrote a record whose ``writer`` is not its file's, with a warning once per file."""

    def __init__(self, warnings: list[str]) -> None:
        self._warnings = warnings
        self._owners: dict[Path, str] = {}
        self._strangers: dict[Path, tuple[int, str, int]] = {}  # first line, writer, count
        self.foreign = False  # whether any record was kept in another writer's file

    def owner(self, path: Path) -> str:
        found = self._owners.get(path)
        if found is None:
            found = self._owners[path] = writer_of(path)
        return found

    def writer(self, path: Path, lineno: int, writer: object) -> str | None:
        """The writer to keep the record as; None (with a warning) to skip it."""
        owner = self.owner(path)
        if isinstance(writer, str):
            first, claimed, count = self._strangers.get(path, (lineno, writer, 0))
            self._strangers[path] = (first, claimed, count + 1)
            self.foreign = True
            return writer
        where = origin(path, lineno)
        what = "without a writer" if writer is None else f"whose writer is {shown(writer)}"
        if not WRITER_ID.fullmatch(owner):
            self._warnings.append(f"{where}: record {what}, in a file named for none; skipped")
            return None
        self._warnings.append(f"{where}: record {what}; taken from its file's name: {owner}")
        return owner

    def report(self) -> None:
        for path, (lineno, writer, count) in self._strangers.items():
            more = f" (and {count - 1} more in this file)" if count > 1 else ""
            self._warnings.append(
                f"{origin(path, lineno)}: record written by {shown(writer)} in the journal "
                f"of {shown(self.owner(path), 130)}{more}; kept as {shown(writer)}'s, the "
                "writer its number belongs to"
            )
        self._strangers.clear()


def _without_seq(record: Record) -> str:
    missing = [name for name in ("at", "writer", "seq") if name not in record]
    if "seq" in missing:
        *some, last = missing
        return "record without " + (f"{', '.join(some)} or {last}" if some else last)
    return f"record whose seq is {shown(record['seq'])}, not a whole number"
