"""Append-only JSON-lines journals: one file per writer process in a session folder.

A scribe's note is saved only when it is on disk: each record is one line,
written with a single ``write`` and then ``fsync``-ed before anyone is told it
is saved. A failed write never leaves a fragment glued onto the next record,
and readers skip torn or garbled lines with a warning instead of refusing the
whole session. Nothing here reads the clock or guesses paths: callers stamp
records (``at``, ``writer``, ``seq``) and pass the folder in.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import itertools
import json
import os
import re
import stat
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = [
    "FILE_MODE",
    "JOURNAL_PREFIX",
    "JOURNAL_SUFFIX",
    "DurableQueue",
    "JournalFollower",
    "JournalIO",
    "JournalRead",
    "JournalWriteError",
    "JournalWriter",
    "encode_record",
    "journal_path",
    "merge_key",
    "read_journal",
    "read_session",
]

JOURNAL_PREFIX = "journal-"
JOURNAL_SUFFIX = ".jsonl"
FILE_MODE = 0o600

Record = dict[str, Any]
MergeKey = tuple[str, str, int]

_WRITER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


def journal_path(folder: Path, writer_id: str) -> Path:
    """Where ``writer_id`` journals; the id is checked so it cannot escape the folder."""
    if not _WRITER_ID.fullmatch(writer_id):
        raise ValueError(f"unsafe journal writer id: {writer_id!r}")
    return folder / f"{JOURNAL_PREFIX}{writer_id}{JOURNAL_SUFFIX}"


def _is_journal_name(name: str) -> bool:
    return (
        name.startswith(JOURNAL_PREFIX)
        and name.endswith(JOURNAL_SUFFIX)
        and len(name) > len(JOURNAL_PREFIX) + len(JOURNAL_SUFFIX)
    )


def encode_record(record: Record) -> bytes:
    """The exact bytes of one journal line, so a record can be checked before it is queued.

    Raises ``TypeError``/``ValueError`` for records JSON cannot hold. Text with lone
    surrogates (which UTF-8 cannot encode) falls back to ``\\uXXXX`` escapes rather than
    being refused, so even odd pasted text round-trips.
    """
    if not isinstance(record, dict):
        raise TypeError(f"a journal record must be a dict, not {type(record).__name__}")
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    try:
        return (text + "\n").encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(record, ensure_ascii=True, separators=(",", ":"), sort_keys=True)
        return (text + "\n").encode("ascii")


def merge_key(record: Record) -> MergeKey | None:
    """The order of a merged session (``at``, ``writer``, ``seq``), or None if a part is missing."""
    at, writer, seq = record.get("at"), record.get("writer"), record.get("seq")
    if (
        isinstance(at, str)
        and isinstance(writer, str)
        and isinstance(seq, int)
        and not isinstance(seq, bool)
    ):
        return (at, writer, seq)
    return None


def _reason(exc: OSError) -> str:
    if exc.strerror:
        return exc.strerror
    if exc.errno:
        return os.strerror(exc.errno)
    return str(exc) or type(exc).__name__


# --- writing ----------------------------------------------------------------------------


class JournalWriteError(OSError):
    """A record that is NOT saved; ``str()`` is a sentence a scribe can act on."""

    def __init__(self, path: Path, cause: OSError, *, folder_missing: bool = False) -> None:
        reason = (
            f"the session folder {path.parent} no longer exists"
            if folder_missing
            else _reason(cause)
        )
        super().__init__(cause.errno, reason)
        self.path = path
        self.cause = cause
        self.folder_missing = folder_missing
        self.message = f"could not save to {path}: {reason}"

    def __str__(self) -> str:
        return self.message


class JournalIO:
    """The OS calls a writer makes, in one place so tests can inject full disks and I/O errors."""

    def open(self, path: Path) -> int:
        """Open for appending, creating the file 0600 (and tightening a looser existing one)."""
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | _O_CLOEXEC, FILE_MODE)
        try:
            if stat.S_IMODE(os.fstat(fd).st_mode) != FILE_MODE:
                os.fchmod(fd, FILE_MODE)
        except OSError:
            # Filesystems without Unix permissions (FAT sticks) refuse fchmod: saving the
            # note matters more than a mode bit such a filesystem cannot store anyway.
            pass
        return fd

    def write(self, fd: int, data: bytes) -> int:
        return os.write(fd, data)

    def fsync(self, fd: int) -> None:
        os.fsync(fd)

    def truncate(self, fd: int, size: int) -> None:
        os.ftruncate(fd, size)

    def close(self, fd: int) -> None:
        os.close(fd)

    def fstat(self, fd: int) -> os.stat_result:
        return os.fstat(fd)

    def stat(self, path: Path) -> os.stat_result:
        return os.stat(path)

    def last_byte(self, path: Path, size: int) -> bytes:
        """The byte at ``size - 1``: tells whether the file ends mid-line (a crashed writer)."""
        with open(path, "rb") as handle:
            handle.seek(size - 1)
            return handle.read(1)

    def fsync_dir(self, path: Path) -> None:
        """Make a newly created file's name durable, not just its contents."""
        fd = os.open(path, os.O_RDONLY | _O_DIRECTORY | _O_CLOEXEC)
        try:
            os.fsync(fd)
        except OSError as exc:
            if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
                raise  # some filesystems cannot fsync a directory; that is not a failure
        finally:
            os.close(fd)


class JournalWriter:
    """Appends records to ``<folder>/journal-<writer_id>.jsonl``; one writer per process.

    ``append`` returns only once the record is fsync-ed, and raises
    ``JournalWriteError`` if it is not saved. The file is opened on the first
    append (so building a writer never fails) and re-opened when it, or its
    folder, was deleted or replaced. If the folder itself is gone,
    ``on_folder_missing(folder)`` is called to re-create it (the caller knows
    its mode, 0700); without that hook the append fails with a message saying
    the folder no longer exists, and a later append retries.
    """

    def __init__(
        self,
        folder: Path,
        writer_id: str,
        *,
        io: JournalIO | None = None,
        on_folder_missing: Callable[[Path], None] | None = None,
    ) -> None:
        self._folder = folder
        self._writer_id = writer_id
        self._path = journal_path(folder, writer_id)
        self._io = io if io is not None else JournalIO()
        self._on_folder_missing = on_folder_missing
        self._fd: int | None = None
        self._identity: tuple[int, int] | None = None  # (st_dev, st_ino) of our file
        self._good_size = 0  # file length after the last durable record
        self._dirty = False  # a failed append may have left bytes past _good_size
        self._attempt_len = 0  # bytes the last append tried to write: the most it can leave
        self._needs_separator = False  # the file ends mid-line: start with "\n"
        self._closed = False

    @property
    def path(self) -> Path:
        return self._path

    @property
    def folder(self) -> Path:
        return self._folder

    @property
    def writer_id(self) -> str:
        return self._writer_id

    @property
    def closed(self) -> bool:
        return self._closed

    def append(self, record: Record) -> None:
        """Save one record durably, or raise ``JournalWriteError`` (or TypeError/ValueError
        for a record JSON cannot hold, before the file is touched)."""
        self._append_line(encode_record(record))

    def close(self) -> None:
        """Release the file; every appended record is already on disk, so errors are moot."""
        self._closed = True
        self._drop_fd()

    def __enter__(self) -> JournalWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _append_line(self, line: bytes) -> None:
        if self._closed:
            raise ValueError(f"journal writer for {self._path} is closed")
        try:
            fd = self._ready_fd()
            data = b"\n" + line if self._needs_separator else line
            self._attempt_len = len(data)
            self._write_all(fd, data)
            self._io.fsync(fd)
        except OSError as exc:
            self._fail()
            if isinstance(exc, JournalWriteError):
                raise
            raise JournalWriteError(self._path, exc) from exc
        except BaseException:
            self._fail()  # e.g. Ctrl-C between write and fsync: repair before the next try
            raise
        # Durable from here on: nothing below may raise, or a retry would duplicate it.
        self._good_size += len(data)
        self._needs_separator = False

    def _write_all(self, fd: int, data: bytes) -> None:
        offset = 0
        while offset < len(data):  # a short write is not an error: write the rest
            written = self._io.write(fd, data[offset:] if offset else data)
            if written <= 0:
                raise OSError(errno.EIO, "the disk accepted no data")
            offset += written

    def _fail(self) -> None:
        """Forget the descriptor but remember where the good data ends, for the next try.

        Re-opening on the next append (rather than reusing this descriptor) also gets
        past descriptors that went bad, e.g. a USB stick pulled and plugged back in.
        """
        if self._fd is not None:
            self._dirty = True
        self._drop_fd()

    def _drop_fd(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                self._io.close(fd)

    def _ready_fd(self) -> int:
        if self._fd is not None and self._file_replaced():
            # Our file was deleted (maybe with its folder) or swapped: writing on to the old
            # descriptor would "succeed" into a file nobody can ever read again.
            self._drop_fd()
            self._identity = None
            self._dirty = False
        if self._fd is None:
            self._fd = self._open()
        return self._fd

    def _file_replaced(self) -> bool:
        try:
            st = self._io.stat(self._path)
        except FileNotFoundError:
            return True
        except OSError:
            return False  # cannot tell; the open descriptor is still the best bet
        return (st.st_dev, st.st_ino) != self._identity

    def _open(self) -> int:
        try:
            fd = self._io.open(self._path)
        except FileNotFoundError as exc:
            if self._folder_exists():
                raise
            if self._on_folder_missing is None:
                raise JournalWriteError(self._path, exc, folder_missing=True) from exc
            self._on_folder_missing(self._folder)
            fd = self._io.open(self._path)
        try:
            st = self._io.fstat(fd)
            identity = (st.st_dev, st.st_ino)
            size = st.st_size
            leftover = size - self._good_size
            if identity == self._identity and self._dirty and 0 < leftover <= self._attempt_len:
                # Cut off what the failed append left behind, so it cannot glue onto the
                # next record. Anything else (a shorter file, more bytes than we tried to
                # write) is not ours to cut: never truncate up (zeros) or over others' data.
                try:
                    self._io.truncate(fd, self._good_size)
                    size = self._good_size
                except OSError:
                    pass  # the separator check below keeps the fragment on its own line
            needs_separator = size > 0 and self._ends_mid_line(size)
            self._io.fsync_dir(self._folder)
        except BaseException:
            with contextlib.suppress(OSError):
                self._io.close(fd)
            raise
        self._identity = identity
        self._good_size = size
        self._needs_separator = needs_separator
        self._dirty = False
        return fd

    def _ends_mid_line(self, size: int) -> bool:
        try:
            return self._io.last_byte(self._path, size) != b"\n"
        except OSError:
            return True  # unsure: an extra blank line is harmless, a glued record is not

    def _folder_exists(self) -> bool:
        try:
            return stat.S_ISDIR(self._io.stat(self._folder).st_mode)
        except OSError:
            return False


class DurableQueue:
    """What the UI submits to: a record is either durable or pending, never dropped.

    ``submit`` writes at once when nothing is waiting; otherwise (or if the write
    fails) the record joins an in-memory FIFO, which ``retry`` (call it on a timer
    and before quitting) flushes in order. The file's order is always submission
    order. Records are snapshotted at submit, so later changes to the dict are ignored.
    """

    def __init__(self, writer: JournalWriter) -> None:
        self._writer = writer
        self._pending: deque[tuple[bytes, Record]] = deque()  # (line to write, its snapshot)
        self._last_error: str | None = None

    @property
    def writer(self) -> JournalWriter:
        return self._writer

    @property
    def pending(self) -> tuple[Record, ...]:
        """Snapshots of the records not yet on disk, oldest first (cheap: no re-decoding)."""
        return tuple(snapshot for _, snapshot in self._pending)

    @property
    def last_error(self) -> str | None:
        """Why the oldest pending record is not saved; None once everything is."""
        return self._last_error

    def submit(self, record: Record) -> bool:
        """True if ``record`` is durable now; False if it waits in the queue.

        A record JSON cannot hold raises TypeError/ValueError here, before it is queued,
        so it can never block the records behind it.
        """
        line = encode_record(record)
        self._pending.append((line, json.loads(line)))
        if len(self._pending) > 1:
            return False
        return self.retry()

    def retry(self) -> bool:
        """Write pending records in order, stopping at the first failure; True when none wait."""
        while self._pending:
            try:
                self._writer._append_line(self._pending[0][0])
            except JournalWriteError as exc:
                self._last_error = str(exc)
                return False
            self._pending.popleft()
        self._last_error = None
        return True


# --- reading ----------------------------------------------------------------------------


@dataclass
class JournalRead:
    """Records that could be read, and a sentence for each line that could not."""

    records: list[Record] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


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


def _parse_lines(
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


def _read_numbered(path: Path) -> tuple[list[tuple[int, Record]], list[str]]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [], []
    except OSError as exc:
        return [], [f"{path}: could not read ({_reason(exc)})"]
    records, warnings, _, _ = _parse_lines(data, path, 1, at_eof=True)
    return records, warnings


def read_journal(path: Path) -> JournalRead:
    """Every readable record of one journal file, in file order.

    Never raises: bad lines, a torn last line, or a file that cannot be read become
    warnings. A missing file is an empty journal without a warning (a writer that
    never saved anything never creates its file).
    """
    numbered, warnings = _read_numbered(path)
    return JournalRead([record for _, record in numbered], warnings)


def _journal_files(folder: Path) -> tuple[list[Path], list[str]]:
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return [], []
    except OSError as exc:
        return [], [f"{folder}: could not list the session folder ({_reason(exc)})"]
    return [folder / name for name in sorted(names) if _is_journal_name(name)], []


def _merge(
    numbered: Iterable[tuple[Path, int, Record]], warnings: list[str]
) -> list[tuple[MergeKey, Record]]:
    """Sort by the merge key (ties by file and line, so the result is deterministic).

    Records without a key become warnings. Exact duplicates (same key, same content,
    which only a write that failed after reaching the disk can leave) are kept once.
    """
    keyed: list[tuple[MergeKey, str, int, Record]] = []
    for path, lineno, record in numbered:
        key = merge_key(record)
        if key is None:
            warnings.append(f"{path}:{lineno}: record without at/writer/seq skipped")
        else:
            keyed.append((key, path.name, lineno, record))
    keyed.sort(key=lambda item: (item[0], item[1], item[2]))
    merged: list[tuple[MergeKey, Record]] = []
    for key, group in itertools.groupby(keyed, key=lambda item: item[0]):
        kept: list[Record] = []
        for _, _, _, record in group:
            if record not in kept:
                kept.append(record)
                merged.append((key, record))
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
    merged = _merge(numbered, warnings)
    return JournalRead([record for _, record in merged], warnings)


@dataclass
class _Tail:
    identity: tuple[int, int]
    offset: int = 0  # bytes consumed; always just after a "\n"
    lines: int = 0  # lines consumed, for warning line numbers


class JournalFollower:
    """Follows a live session folder by polling, for a projector or a second terminal.

    ``poll`` returns the records completed since the last poll, across all journal
    files (including writers that joined since), sorted by the merge key. A line
    still being written is left until its "\\n" arrives. ``warnings`` accumulates.
    A file that shrank or was replaced is re-read, skipping records already returned.
    """

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._tails: dict[str, _Tail] = {}
        self._seen: set[bytes] = set()  # digests of records already returned
        self._reported: set[str] = set()
        self.warnings: list[str] = []

    @property
    def folder(self) -> Path:
        return self._folder

    def poll(self) -> list[Record]:
        fresh: list[tuple[Path, int, Record]] = []
        try:
            with os.scandir(self._folder) as it:
                entries = sorted((e for e in it if _is_journal_name(e.name)), key=lambda e: e.name)
        except OSError:
            return []  # no folder (yet, or any more): nothing new to show
        for entry in entries:
            try:
                st = entry.stat()
            except OSError:
                continue  # vanished between listing and stat
            if not stat.S_ISREG(st.st_mode):
                continue
            tail = self._tails.get(entry.name)
            identity = (st.st_dev, st.st_ino)
            if tail is None or tail.identity != identity or st.st_size < tail.offset:
                tail = self._tails[entry.name] = _Tail(identity)
            if st.st_size == tail.offset:
                continue  # the cheap, common case: nothing new
            path = Path(entry.path)
            try:
                with open(path, "rb") as handle:
                    handle.seek(tail.offset)
                    data = handle.read(st.st_size - tail.offset)
            except OSError as exc:
                self._warn_once(f"{path}: could not read ({_reason(exc)})")
                continue
            records, warnings, consumed, nlines = _parse_lines(
                data, path, tail.lines + 1, at_eof=False
            )
            tail.offset += consumed
            tail.lines += nlines
            for warning in warnings:
                self._warn_once(warning)
            fresh.extend((path, lineno, record) for lineno, record in records)
        merge_warnings: list[str] = []
        merged = _merge(fresh, merge_warnings)
        for warning in merge_warnings:
            self._warn_once(warning)
        result: list[Record] = []
        for _, record in merged:
            digest = hashlib.blake2b(encode_record(record), digest_size=16).digest()
            if digest not in self._seen:
                self._seen.add(digest)
                result.append(record)
        return result

    def _warn_once(self, warning: str) -> None:
        if warning not in self._reported:
            self._reported.add(warning)
            self.warnings.append(warning)
