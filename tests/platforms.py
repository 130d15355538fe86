"""Windows and macOS, simulated on Linux: what their file APIs do differently.

We have no Windows or Mac to test on, so these take away (or add) exactly what
the platform lacks (or has), and the real code runs against it:

- Windows: no ``fcntl`` module, no ``os.fchmod``, no ``os.O_DIRECTORY``, a
  folder cannot be opened as a file (``PermissionError``), and ``os.scandir``
  entries carry no inode or device numbers (``os.stat`` does).
- macOS: ``fcntl.F_FULLFSYNC`` exists, and is what flushes the drive's cache.

``windows(monkeypatch)`` applies them inside a test; ``WINDOWS_PRELUDE`` does
the same in a fresh interpreter before anything is imported, so libraries that
look for ``fcntl`` at import time see it missing too.
Import it as ``from platforms import ...`` (pytest puts ``tests/`` on sys.path).
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import filelock
import pytest

from facilitate import osfs

# Imported before any simulation, as on Linux: on Windows it locks with msvcrt, never fcntl.
PLATFORM_LOCK = filelock.FileLock


def zero_ids(st: os.stat_result) -> os.stat_result:
    """``st`` as Windows' ``DirEntry.stat()`` gives it: no inode, no device."""
    fields = list(st[:10])
    fields[1] = 0  # st_ino
    fields[2] = 0  # st_dev
    extra = {
        "st_atime": st.st_atime,
        "st_mtime": st.st_mtime,
        "st_ctime": st.st_ctime,
        "st_atime_ns": st.st_atime_ns,
        "st_mtime_ns": st.st_mtime_ns,
        "st_ctime_ns": st.st_ctime_ns,
    }
    return os.stat_result(fields, extra)


class WindowsEntry:
    """A directory entry as Windows lists it."""

    def __init__(self, entry: os.DirEntry[str]) -> None:
        self._entry = entry
        self.name = entry.name
        self.path = entry.path

    def stat(self, *, follow_symlinks: bool = True) -> os.stat_result:
        return zero_ids(self._entry.stat(follow_symlinks=follow_symlinks))

    def inode(self) -> int:
        return os.stat(self.path).st_ino

    def is_dir(self, *, follow_symlinks: bool = True) -> bool:
        return self._entry.is_dir(follow_symlinks=follow_symlinks)

    def is_file(self, *, follow_symlinks: bool = True) -> bool:
        return self._entry.is_file(follow_symlinks=follow_symlinks)

    def is_symlink(self) -> bool:
        return self._entry.is_symlink()

    def __fspath__(self) -> str:
        return self.path


class WindowsListing:
    def __init__(self, listing: Any) -> None:
        self._listing = listing

    def __iter__(self) -> Iterator[WindowsEntry]:
        return (WindowsEntry(entry) for entry in self._listing)

    def __enter__(self) -> WindowsListing:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._listing.close()

    def close(self) -> None:
        self._listing.close()


def windows(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make this process's file APIs behave as Windows' do; returns the folders someone
    tried to open (so a test can show the attempt was made and survived)."""
    tried: list[str] = []
    real_open, real_scandir = os.open, os.scandir

    def open_(path: Any, flags: int, mode: int = 0o777, *, dir_fd: int | None = None) -> int:
        if os.path.isdir(path):
            tried.append(str(path))
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, mode, dir_fd=dir_fd)

    def scandir(path: Any = ".") -> WindowsListing:
        return WindowsListing(real_scandir(path))

    monkeypatch.setitem(sys.modules, "fcntl", None)  # `import fcntl` raises ImportError
    monkeypatch.delattr(os, "fchmod")
    monkeypatch.delattr(os, "O_DIRECTORY")
    monkeypatch.setattr(os, "open", open_)
    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(osfs, "WINDOWS", True)
    return tried


# The same, in a fresh interpreter, before anything else is imported.
WINDOWS_PRELUDE = f"""
import sys
sys.modules["fcntl"] = None
sys.path[:0] = [{str(Path(__file__).parent)!r}]
import pytest
from platforms import windows
_patch = pytest.MonkeyPatch()
windows(_patch)
"""
