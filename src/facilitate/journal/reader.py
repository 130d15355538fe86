"""Reading journals back: every readable record, and a sentence for each line that is not."""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, overload

from facilitate.files import MB, open_regular
from facilitate.journal.format import Record, is_journal_name, reason
from facilitate.journal.lines import MAX_RECORD_BYTES, LineDecoder
from facilitate.journal.merge import merge_records, origin

T = TypeVar("T")


@dataclass
class JournalRead:
    """Records that could be read, and a sentence for each line that could not.

    ``origins[i]`` says where ``records[i]`` was read, as ``"<path>:<line>"``, so that a
    record which turns out to be no valid event is reported at its place, as bad lines are.
    """

    records: list[Record] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)


def parse_lines(
    data: bytes, path: Path, first_line: int, *, at_eof: bool
) -> tuple[list[tuple[int, Record]], list[str], int, int]:
    """Parse the complete lines of ``data`` (what a live file gained).

    Returns the records with their line numbers, warnings, the bytes consumed (up to
    the last "\\n") and the number of lines consumed. With ``at_eof`` the rest of the
    file is known to be here, so a tail without "\\n" and a bad last line are reported
    as the torn end of an interrupted write.
    """
    consumed = data.rfind(b"\n") + 1
    warnings: list[str] = []
    lines = LineDecoder(path, warnings, first_line, final=at_eof)
    records = list(lines.feed(data[:consumed]))
    lines.finish(data[consumed:], at_eof=at_eof)
    return records, warnings, consumed, lines.lineno - first_line + 1


MAX_JOURNAL_BYTES = 32 * MB
"""A journal is read up to this size; beyond it, what was read is used and the rest
reported. A long, busy day of 10,000 notes is 3 MB, so this is ten such days in one
session. Read a piece at a time, a journal costs about four times its size in memory
once its events are made (each event is let go as it is replayed): at this limit
``sessions`` peaks near 170 MB and takes about 2 s. A link to ``/dev/zero`` is not read
at all."""

_PIECE = MB  # read at a time


def _file_records(path: Path, warnings: list[str]) -> Iterator[tuple[int, Record]]:
    """The records of one journal file with their line numbers, read a piece at a time:
    memory holds one piece and one line, never the file."""
    try:
        with open_regular(path, what="a journal file") as fd:
            yield from _stream(fd, path, warnings)
    except FileNotFoundError:
        return  # a writer that never saved anything never creates its file
    except OSError as exc:
        warnings.append(f"{path}: could not read ({reason(exc)})")


def _stream(fd: int, path: Path, warnings: list[str]) -> Iterator[tuple[int, Record]]:
    limit = MAX_JOURNAL_BYTES
    lines = LineDecoder(path, warnings)
    carry = b""  # a line begun in the last piece
    skipping = False  # within a line too long to be a record
    got = 0
    while want := min(_PIECE, limit - got):
        piece = os.read(fd, want)
        if not piece:
            break
        got += len(piece)
        if skipping:
            cut = piece.find(b"\n")
            if cut < 0:
                continue
            lines.lineno += 1
            piece, skipping = piece[cut + 1 :], False
        data = carry + piece if carry else piece
        end = data.rfind(b"\n") + 1
        if end:
            yield from lines.feed(data if end == len(data) else data[:end])
        carry = data[end:]
        if len(carry) > MAX_RECORD_BYTES:
            lines.skip_long(counted=False)
            carry, skipping = b"", True
    more = got >= limit and bool(os.read(fd, 1))
    if got == 0:
        warnings.append(f"{path}: the journal is empty (0 bytes): nothing was saved in it")
    lines.finish(b"" if skipping else carry, at_eof=not more)
    if more:
        warnings.append(
            f"{path}: larger than {limit // MB} MB; only its first {limit // MB} MB were read"
        )


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a journal is read and replayed. Records, events
    and notes are made by the hundred thousand and none is part of a cycle, yet each
    collection walks them all: a fifth of the time of a big journal. Memory is still
    freed as usual; only the search for cycles waits. Left as found if already off."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def read_journal(path: Path) -> JournalRead:
    """Every readable record of one journal file, in file order.

    Never raises: bad lines, a torn last line, or a file that cannot be read become
    warnings, and so does an empty file. A missing file is an empty journal without a
    warning (a writer that never saved anything never creates its file).
    """
    warnings: list[str] = []
    numbered = list(_file_records(path, warnings))
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


@overload
def read_merged(folder: Path) -> tuple[list[tuple[Path, int, Record]], list[str]]: ...
@overload
def read_merged(
    folder: Path, keep: Callable[[Record], T]
) -> tuple[list[tuple[Path, int, T]], list[str]]: ...
def read_merged(
    folder: Path, keep: Callable[[Record], Any] | None = None
) -> tuple[list[tuple[Path, int, Any]], list[str]]:
    """Every writer's records in ``folder``, merged (:func:`merge_records`), each with its
    file and line, and the warnings. ``keep`` turns each record into what is kept of it
    as it is read (an event is much smaller than the JSON object it came from)."""
    paths, warnings = _journal_files(folder)
    numbered = (
        (path, lineno, record) for path in paths for lineno, record in _file_records(path, warnings)
    )
    if keep is None:
        return merge_records(numbered, warnings), warnings
    return merge_records(numbered, warnings, keep=keep), warnings


def read_session(folder: Path) -> JournalRead:
    """All writers' journals in ``folder`` merged by (``at``, ``writer``, ``seq``).

    A missing folder reads as empty; problems become warnings, never exceptions.
    """
    merged, warnings = read_merged(folder)
    return JournalRead(
        [record for _, _, record in merged],
        warnings,
        [origin(path, lineno) for path, lineno, _ in merged],
    )
