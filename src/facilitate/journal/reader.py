"""Reading journals back: every readable record, and a sentence for each line that is not."""

from __future__ import annotations

import heapq
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from facilitate.files import MB, read_prefix
from facilitate.journal.format import MergeKey, Record, is_journal_name, merge_key, reason


@dataclass
class JournalRead:
    """Records that could be read, and a sentence for each line that could not.

    ``origins[i]`` says where ``records[i]`` was read, as ``"<path>:<line>"``, so that a
    record which turns out to be no valid event is reported at its place, as bad lines are.
    """

    records: list[Record] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)


def origin(path: Path, lineno: int) -> str:
    """Where a record was read, in the ``path:line`` form every journal warning starts with."""
    return f"{path}:{lineno}"


class _BadLine(ValueError):
    pass


def _decode_line(raw: bytes) -> Record:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _BadLine(f"not valid UTF-8 at byte {exc.start + 1}") from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _BadLine(f"not valid JSON: {exc.msg} at column {exc.colno}") from None
    except (ValueError, RecursionError) as exc:
        raise _BadLine(f"not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise _BadLine("not a JSON object")
    return value


def parse_lines(
    data: bytes, path: Path, first_line: int, *, at_eof: bool
) -> tuple[list[tuple[int, Record]], list[str], int, int]:
    """Parse the complete lines of ``data``.

    Returns the records with their line numbers, warnings, the bytes consumed (up to
    the last "\\n") and the number of lines consumed. With ``at_eof`` the rest of the
    file is known to be here, so a tail without "\\n" and a bad last line are reported
    as the torn end of an interrupted write.
    """
    consumed = data.rfind(b"\n") + 1
    lines = data[:consumed].split(b"\n")[:-1]
    tail = data[consumed:]
    last_real = -1
    if at_eof and not tail.strip():
        last_real = max((i for i, raw in enumerate(lines) if raw.strip()), default=-1)
    records: list[tuple[int, Record]] = []
    warnings: list[str] = []
    for index, raw in enumerate(lines):
        if not raw.strip():
            continue  # a separator written after a failed append: not a record
        lineno = first_line + index
        try:
            records.append((lineno, _decode_line(raw)))
        except _BadLine as exc:
            if index == last_real:
                warnings.append(f"{path}:{lineno}: incomplete last record skipped")
            else:
                warnings.append(f"{path}:{lineno}: unreadable record skipped ({exc})")
    if at_eof and tail.strip():
        warnings.append(f"{path}:{first_line + len(lines)}: incomplete last record skipped")
    return records, warnings, consumed, len(lines)


MAX_JOURNAL_BYTES = 256 * MB
"""A journal is read up to this size (a day of 10,000 notes is a few MB); beyond it, what
was read is used and the rest reported. A link to ``/dev/zero`` is not read at all."""


def _read_numbered(path: Path) -> tuple[list[tuple[int, Record]], list[str]]:
    try:
        data, more = read_prefix(path, MAX_JOURNAL_BYTES, what="a journal file")
    except FileNotFoundError:
        return [], []
    except OSError as exc:
        return [], [f"{path}: could not read ({reason(exc)})"]
    if more:
        data = data[: data.rfind(b"\n") + 1]
    records, warnings, _, _ = parse_lines(data, path, 1, at_eof=not more)
    if more:
        warnings.append(
            f"{path}: larger than {MAX_JOURNAL_BYTES // MB} MB; only its first "
            f"{MAX_JOURNAL_BYTES // MB} MB were read"
        )
    return records, warnings


def read_journal(path: Path) -> JournalRead:
    """Every readable record of one journal file, in file order.

    Never raises: bad lines, a torn last line, or a file that cannot be read become
    warnings. A missing file is an empty journal without a warning (a writer that
    never saved anything never creates its file).
    """
    numbered, warnings = _read_numbered(path)
    return JournalRead(
        [record for _, record in numbered],
        warnings,
        [origin(path, lineno) for lineno, _ in numbered],
    )


def _journal_files(folder: Path) -> tuple[list[Path], list[str]]:
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return [], []
    except OSError as exc:
        return [], [f"{folder}: could not list the session folder ({reason(exc)})"]
    return [folder / name for name in sorted(names) if is_journal_name(name)], []


def merge_records(
    numbered: Iterable[tuple[Path, int, Record]],
    warnings: list[str],
    seen: dict[tuple[str, int], tuple[tuple[Path, int], object]] | None = None,
    digest: Callable[[Record], object] | None = None,
) -> list[tuple[Path, int, Record]]:
    """Merge the writers' records by the merge key, keeping each writer's own order.

    Each writer's records go in the order it numbered them (``seq``), and the writers
    are interleaved by ``at`` (ties by writer, then file and line, so the result is
    deterministic). For records stamped by a clock that only moves forward this is
    plain sorting by (``at``, ``writer``, ``seq``); after a wall-clock correction moved
    a writer's clock back, its later events still come after its earlier ones.

    Records without a key become warnings. A record numbered like one already read
    (``seen``, which a follower keeps from one poll to the next) is dropped: silently
    when it is the same (a write that failed after reaching the disk), with a warning
    naming both places when its content differs. ``seen`` keeps the record itself, or
    ``digest(record)`` when given (a follower keeps a small digest per record).
    """
    seen = {} if seen is None else seen
    by_writer: dict[str, list[tuple[MergeKey, Path, int, Record]]] = {}
    for path, lineno, record in numbered:
        key = merge_key(record)
        if key is None:
            warnings.append(f"{origin(path, lineno)}: record without at/writer/seq skipped")
        else:
            by_writer.setdefault(key[1], []).append((key, path, lineno, record))
    streams = []
    for _, items in sorted(by_writer.items()):
        items.sort(key=lambda item: (item[0][2], item[1].name, item[2]))  # by seq
        streams.append(items)
    ordered = streams[0] if len(streams) == 1 else heapq.merge(*streams, key=lambda i: i[0])
    merged: list[tuple[Path, int, Record]] = []
    for key, path, lineno, record in ordered:
        number = (key[1], key[2])
        first = seen.get(number)
        content = record if digest is None else digest(record)
        if first is None:
            seen[number] = ((path, lineno), content)
            merged.append((path, lineno, record))
        elif first[1] != content:
            warnings.append(
                f"{origin(path, lineno)}: a second record numbered {key[1]}-{key[2]} with "
                f"different content (the first is at {origin(*first[0])}); skipped"
            )
    return merged


def read_session(folder: Path) -> JournalRead:
    """All writers' journals in ``folder`` merged by (``at``, ``writer``, ``seq``).

    A missing folder reads as empty; problems become warnings, never exceptions.
    """
    paths, warnings = _journal_files(folder)
    numbered: list[tuple[Path, int, Record]] = []
    for path in paths:
        records, file_warnings = _read_numbered(path)
        warnings.extend(file_warnings)
        numbered.extend((path, lineno, record) for lineno, record in records)
    merged = merge_records(numbered, warnings)
    return JournalRead(
        [record for _, _, record in merged],
        warnings,
        [origin(path, lineno) for path, lineno, _ in merged],
    )
