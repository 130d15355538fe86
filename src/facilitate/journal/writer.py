"""Appending records durably: one writer per process, each record fsync'ed before it counts."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from facilitate import osfs
from facilitate.journal.format import (
    FILE_MODE,
    Record,
    encode_record,
    journal_path,
    reason,
)


class JournalWriteError(OSError):
    """A record that is NOT saved; ``str()`` is a sentence a scribe can act on."""

    def __init__(self, path: Path, cause: OSError, *, folder_missing: bool = False) -> None:
        why = (
            f"the session folder {path.parent} no longer exists"
            if folder_missing
            else reason(cause)
        )
        super().__init__(cause.errno, why)
        self.path = path
        self.cause = cause
        self.folder_missing = folder_missing
        self.message = f"could not save to {path}: {why}"

    def __str__(self) -> str:
        return self.message


class JournalIO:
    """The OS calls a writer makes, in one place so tests can inject full disks and I/O errors."""

    def open(self, path: Path) -> int:
        """Open for appending, creating the file 0600 (and tightening a looser existing one)."""
        fd = os.open(path, osfs.open_flags(os.O_WRONLY | os.O_APPEND | os.O_CREAT), FILE_MODE)
        osfs.make_private(fd, FILE_MODE)  # where the platform and filesystem keep modes
        return fd

    def write(self, fd: int, data: bytes) -> int:
        return os.write(fd, data)

    def fsync(self, fd: int) -> None:
        osfs.sync_file(fd)  # F_FULLFSYNC on macOS: fsync alone stops at the drive's cache

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
        """Make a newly created file's name durable, not just its contents (where the
        platform can: Windows cannot open a folder, some filesystems cannot fsync one)."""
        osfs.sync_dir(path)


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
        self.append_line(encode_record(record))

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

    def append_line(self, line: bytes) -> None:
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
        return osfs.stat_identity(st) != self._identity

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
            identity = osfs.stat_identity(st)
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
