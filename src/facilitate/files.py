"""Reading and writing the files people hand us, safely: the one place that knows how.

Reading: only a regular file is read (a FIFO would block forever, ``/dev/zero``
never ends), checked with ``stat`` before it is opened and again on the open
descriptor, opened with ``O_NONBLOCK`` so that a file swapped for a FIFO in
between cannot block, and never more than a limit.

Writing exports: the text goes to a temporary file next to the target, which is
fsync-ed and renamed over it, so a crash leaves the old file or the new one and
the result is readable by its owner only, whatever mode an older file had (the
flushes, modes and renames are :mod:`facilitate.osfs`'s, so every platform's quirks
are handled there). A symbolic link is not written through unless the caller says
so (``--force``).

Every refusal is a :class:`FileRefused`, an ``OSError`` whose ``strerror`` is a
sentence fragment ("is a named pipe (FIFO), not a file"), so callers that
already turn ``OSError`` into one line need nothing new.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

from facilitate import osfs

MB = 1024 * 1024
O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
O_NOCTTY = getattr(os, "O_NOCTTY", 0)
_CHUNK = 256 * 1024


class FileRefused(OSError):
    """A file facilitate will not read or write; ``strerror`` says why in words."""

    def __init__(self, code: int, why: str, path: Path | str) -> None:
        super().__init__(code, why, str(path))


def kind_of(mode: int) -> str:
    """What a file that is not a regular one is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def size_text(size: int) -> str:
    if size >= MB:
        return f"{size // MB} MB" if size % MB == 0 else f"{size / MB:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"


def _refuse_irregular(mode: int, path: Path, what: str) -> None:
    if not stat.S_ISREG(mode):
        kind = kind_of(mode)
        code = errno.EISDIR if stat.S_ISDIR(mode) else errno.EINVAL
        raise FileRefused(code, f"is {kind}, not {what}", path)


@contextlib.contextmanager
def open_regular(path: Path, *, what: str = "a file") -> Iterator[int]:
    """A read-only descriptor of the regular file ``path`` (closed on leaving), to read it
    a piece at a time. Raises as :func:`read_prefix` does."""
    _refuse_irregular(os.stat(path).st_mode, path, what)
    fd = os.open(path, os.O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
    try:
        _refuse_irregular(os.fstat(fd).st_mode, path, what)  # swapped after the stat
        yield fd
    finally:
        os.close(fd)


def read_prefix(path: Path, limit: int, *, what: str = "a file") -> tuple[bytes, bool]:
    """At most ``limit`` bytes of the regular file ``path``, and whether there was more.

    Raises ``OSError`` (``FileNotFoundError``, ``PermissionError``...) when it cannot be
    opened, and :class:`FileRefused` when it is not a regular file.
    """
    with open_regular(path, what=what) as fd:
        chunks: list[bytes] = []
        got = 0
        while got <= limit:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    data = b"".join(chunks)
    return data[:limit], len(data) > limit


def read_range(path: Path, offset: int, size: int) -> bytes:
    """Up to ``size`` bytes of the regular file ``path`` from ``offset``, never blocking."""
    fd = os.open(path, os.O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
    try:
        _refuse_irregular(os.fstat(fd).st_mode, path, "a file")
        chunks, got = [], 0
        while got < size:
            chunk = os.pread(fd, min(_CHUNK, size - got), offset + got)
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)


def read_regular(path: Path, limit: int, *, what: str = "a file") -> bytes:
    """The whole regular file ``path``, refused (:class:`FileRefused`) if over ``limit``."""
    data, more = read_prefix(path, limit, what=what)
    if more:
        size = max(os.stat(path).st_size, limit + 1)
        raise FileRefused(
            errno.EFBIG,
            f"is {size_text(size)}, more than the {size_text(limit)} {what} may be",
            path,
        )
    return data


# --- writing -------------------------------------------------------------------------------


def write_private(path: Path, data: bytes, *, force: bool = False) -> Path:
    """Replace ``path`` with ``data`` atomically, readable by its owner only.

    A symbolic link is refused unless ``force``, which writes to the file it points
    at (the link stays). Anything but a regular file (a folder, a device) is refused.
    Returns the path actually written.
    """
    target = path
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    if st is not None and stat.S_ISLNK(st.st_mode):
        if not force:
            raise FileRefused(errno.ELOOP, "is a symbolic link; not writing through it", path)
        target = Path(os.path.realpath(path))
        try:
            st = os.stat(target)
        except FileNotFoundError:
            st = None
    if st is not None:
        _refuse_irregular(st.st_mode, target, "a file to write over")
    fd, tmp = _temporary_beside(target)
    try:
        with os.fdopen(fd, "wb") as handle:
            osfs.make_private(handle.fileno())
            handle.write(data)
            handle.flush()
            osfs.sync_file(handle.fileno())
        osfs.replace_file(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    osfs.sync_dir(target.parent)
    return target


def _temporary_beside(target: Path) -> tuple[int, Path]:
    """A new owner-only file next to ``target`` (opened binary on Windows, through
    :func:`facilitate.osfs.open_flags`), to be renamed over it."""
    flags = osfs.open_flags(os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    while True:
        tmp = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(tmp, flags, 0o600), tmp
        except FileExistsError:
            continue


def describe(exc: OSError) -> str:
    """``path: reason`` for one line of output."""
    why = exc.strerror or (os.strerror(exc.errno) if exc.errno else "") or str(exc)
    name = exc.filename
    return f"{name}: {why}" if name else why


def unused_path(path: Path) -> Path:
    """``path``, or the first of ``name-2.ext``, ``name-3.ext``… that does not exist yet:
    an export made again never replaces a file someone may have edited since."""
    candidate, n = path, 2
    while candidate.exists() or candidate.is_symlink():
        candidate, n = path.with_name(f"{path.stem}-{n}{path.suffix}"), n + 1
    return candidate
