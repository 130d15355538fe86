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
from facilitate.files import MB, read_prefix
from facilitate.journal.format import (
    FILE_MODE,
    Record,
    encode_record,
    journal_path,
    reason,
)


class JournalWriteError(OSError):
    """A record that is NOT saved; ``str()`` is a sentence a scribe can act on."""

    def __init__(
        self, path: Path, cause: OSError, *, folder_missing: bool = False, why: str = ""
    ) -> None:
        why = why or (
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


class JournalReplaced(JournalWriteError):
    """The file this writer wrote is no longer at its path: deleted (with its folder or
    alone), or another file took its name. Nothing was written; what the lost file held
    must be written again first (the next append opens a fresh file)."""

    def __init__(self, path: Path, *, folder_missing: bool, overwritten: bool = False) -> None:
        gone = f"the session folder {path.parent}" if folder_missing else f"the journal {path}"
        how = "emptied or overwritten in place" if overwritten else "deleted or replaced"
        super().__init__(
            path,
            OSError(errno.ENOENT, os.strerror(errno.ENOENT)),
            folder_missing=folder_missing,
            why=f"{gone} was {how}",
        )
        self.overwritten = overwritten


MAX_REREAD = 256 * MB  # what a writer reads back of its own file after losing it


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

    def read(self, path: Path) -> bytes:
        """The file's bytes (a regular file only, never blocking), to see what survived."""
        return read_prefix(path, MAX_REREAD, what="a journal file")[0]

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

    def append_line(self, line: bytes, *, same_file: bool = False) -> None:
        """Write ``line`` (one or more whole records) durably, or raise JournalWriteError.

        With ``same_file``, a file this writer wrote before that is no longer at its path
        (deleted, or replaced) raises :class:`JournalReplaced` and nothing is written, so
        that the caller can write again what the lost file held, in order, first.
        Without it, the line goes into a fresh file and the lost records stay lost.
        """
        if self._closed:
            raise ValueError(f"journal writer for {self._path} is closed")
        try:
            fd = self._ready_fd(same_file)
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
        """Cut the file back to the end of its last whole record, at once (a full disk
        takes half a record; quitting then must not leave it torn in front of what a
        later run appends), and forget the descriptor. If the cut fails, remember where
        the good data ends: the next open tries again.

        Re-opening on the next append (rather than reusing this descriptor) also gets
        past descriptors that went bad, e.g. a USB stick pulled and plugged back in.
        """
        if self._fd is not None:
            self._dirty = True
            with contextlib.suppress(OSError):
                self._dirty = not self._cut_back(self._fd, self._io.fstat(self._fd).st_size)
        self._drop_fd()

    def _cut_back(self, fd: int, size: int) -> bool:
        """Truncate what a failed append left past the last whole record; True when the
        file now ends there. Only what that append can have left (at most the bytes it
        tried to write) is cut: never truncate up (zeros) or over others' data."""
        leftover = size - self._good_size
        if leftover == 0:
            return True
        if not 0 < leftover <= self._attempt_len:
            return False
        self._io.truncate(fd, self._good_size)
        return True

    def _drop_fd(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                self._io.close(fd)

    def file_lost(self) -> bool:
        """Whether the file this writer opened is no longer at its path (deleted, maybe with
        its folder, or replaced by another file) or no longer holds what it wrote (emptied
        or overwritten in place: its size is not what this writer made it). False before
        the first open. One stat, no read."""
        return self._identity is not None and self._file_changed() is not None

    def lines_on_disk(self) -> set[bytes]:
        """The complete lines (with their "\\n") now in the file at this writer's path; empty
        when it is missing or cannot be read."""
        try:
            data = self._io.read(self._path)
        except OSError:
            return set()
        return {line + b"\n" for line in data.split(b"\n")[:-1] if line}

    @property
    def opened(self) -> bool:
        """Whether the writer knows its file (it has opened it since it was last lost)."""
        return self._identity is not None

    def open_now(self) -> None:
        """Open the file now rather than at the next append (JournalWriteError if not)."""
        if self._closed:
            raise ValueError(f"journal writer for {self._path} is closed")
        try:
            self._ready_fd()
        except JournalWriteError:
            raise
        except OSError as exc:
            raise JournalWriteError(self._path, exc) from exc

    def unknown_file(self) -> JournalReplaced:
        """What :meth:`take_loss` says, for a file this writer has not opened (since it was
        last lost): whatever is at the path may not hold what it wrote."""
        return JournalReplaced(self._path, folder_missing=not self._folder_exists())

    def take_loss(self) -> JournalReplaced | None:
        """If the file is lost (:meth:`file_lost`), let go of it and say so; the next append
        opens a fresh file. None while the file is still ours."""
        change = self._file_changed() if self._identity is not None else None
        if change is None:
            return None
        # Writing on to the old descriptor would "succeed" into a file nobody can read again,
        # or after a hole where our records were.
        self._drop_fd()
        self._identity = None
        self._dirty = False
        overwritten = change == "overwritten"
        if overwritten:
            return JournalReplaced(self._path, folder_missing=False, overwritten=True)
        return self.unknown_file()

    def _ready_fd(self, same_file: bool = False) -> int:
        if self._fd is not None or same_file:
            lost = self.take_loss()
            if lost is not None and same_file:
                raise lost
        if self._fd is None:
            self._fd = self._open()
        return self._fd

    def _file_changed(self) -> str | None:
        """None while the file at the path is ours as we left it; else "replaced" (gone,
        or another file) or "overwritten" (our file, but not the size we made it)."""
        try:
            st = self._io.stat(self._path)
        except (FileNotFoundError, NotADirectoryError):  # gone, or a file where its folder was
            return "replaced"
        except OSError:
            return None  # cannot tell; the open descriptor is still the best bet
        if osfs.stat_identity(st) != self._identity:
            return "replaced"
        size = st.st_size
        if size == self._good_size:
            return None
        if self._dirty and self._good_size < size <= self._good_size + self._attempt_len:
            return None  # what a failed append left, cut at the next open
        return "overwritten"

    def _open(self) -> int:
        try:
            fd = self._io.open(self._path)
        except FileNotFoundError as exc:
            if self._folder_exists():
                raise
            if self._on_folder_missing is None:
                raise JournalWriteError(self._path, exc, folder_missing=True) from exc
            self._on_folder_missing(self._folder)
            try:
                fd = self._io.open(self._path)
            except FileNotFoundError as again:
                raise JournalWriteError(self._path, again, folder_missing=True) from again
        try:
            st = self._io.fstat(fd)
            identity = osfs.stat_identity(st)
            size = st.st_size
            if identity == self._identity and self._dirty:
                # Cut off what the failed append left behind, so it cannot glue onto the
                # next record; if that fails, the separator check below keeps the
                # fragment on its own line.
                with contextlib.suppress(OSError):
                    if self._cut_back(fd, size):
                        size = self._good_size
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
