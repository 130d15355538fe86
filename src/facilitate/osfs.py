"""The one place where Linux, macOS and Windows differ for facilitate's files.

Everything that writes or identifies a file goes through here, so the rest of
the code is the same on every laptop:

- **Flushing to the drive.** ``fsync`` is enough on Linux and Windows; on macOS
  it leaves the data in the drive's cache, so :func:`sync_file` asks for
  ``F_FULLFSYNC`` there (as SQLite does) and falls back to ``fsync`` where the
  filesystem refuses it (network shares).
- **Folders.** A new file's *name* is made durable by fsync-ing its folder
  where the platform allows opening a folder; Windows does not (its metadata
  is journalled by NTFS), so :func:`sync_dir` does nothing there.
- **Owner-only files.** ``fchmod`` exists on Unix only; on Windows a file is
  private because it lives in the user's profile folder (whose ACL admits only
  that user), which :func:`outside_profile` checks.
- **File identity.** A journal replaced under the same name is told apart by
  ``(st_dev, st_ino)``. On Windows ``os.scandir`` leaves both at 0, so
  :func:`entry_identity` asks ``os.stat`` (which fills them); on a filesystem
  with no file ids at all the creation time stands in.
- **Replacing a file.** Windows refuses ``os.replace`` onto a file another
  process has open (a sync client, a reader): :func:`replace_file` retries
  briefly there.
- **Binary files.** ``os.open`` on Windows opens in text mode unless asked
  for ``O_BINARY``, and would then write every ``\n`` as ``\r\n``:
  :func:`open_flags` adds it where it exists.
- **The control lock.** ``filelock`` locks on every platform;
  :func:`try_lock` tells "someone holds it" from "this folder cannot lock"
  (a network share without locks), which must not stop a session.

Capabilities are looked up when used, not at import, so a test can take one
away (``fcntl``, ``os.fchmod``) and run the real code on Linux.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from filelock import BaseFileLock

WINDOWS = sys.platform == "win32"
DIR_MODE = 0o700
FILE_MODE = 0o600
O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
REPLACE_TRIES = 5
REPLACE_PAUSE_S = 0.05

FileId = tuple[int, int]

# A folder that cannot be opened or fsync-ed is a platform's limit, not a failed save.
_NO_DIR_SYNC = {errno.EACCES, errno.EPERM, errno.EISDIR, errno.EINVAL, errno.ENOTSUP, errno.EBADF}
# flock refused because the filesystem cannot lock (NFS without lockd, some SMB mounts, FUSE).
_NO_LOCKS = {errno.ENOLCK, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL, errno.EIO}


def open_flags(flags: int) -> int:
    """``flags`` for ``os.open`` of a file written as bytes: on Windows, ``O_BINARY`` too
    (its C library otherwise opens in text mode and turns each ``\n`` into ``\r\n``)."""
    return flags | getattr(os, "O_BINARY", 0) | O_CLOEXEC


def _fcntl() -> ModuleType | None:
    """The ``fcntl`` module where the platform has one (not on Windows)."""
    try:
        import fcntl
    except ImportError:
        return None
    return fcntl


# --- flushing -------------------------------------------------------------------------------


def sync_file(fd: int) -> None:
    """Flush a file's data to the drive itself: ``F_FULLFSYNC`` on macOS, else ``fsync``."""
    fcntl = _fcntl()
    full = getattr(fcntl, "F_FULLFSYNC", None) if fcntl is not None else None
    if fcntl is not None and full is not None:
        try:
            fcntl.fcntl(fd, full)
            return
        except OSError:
            pass  # a filesystem without it (a network share): fsync is the best there is
    os.fsync(fd)


def sync_dir(path: Path) -> None:
    """Make the names in ``path`` durable where the platform can; a no-op where it cannot.

    Windows cannot open a folder as a file (``PermissionError``), and some filesystems
    cannot fsync one; neither is a failure. A folder that is gone is, and raises.
    """
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | O_CLOEXEC
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise
    except OSError as exc:
        if exc.errno in _NO_DIR_SYNC:
            return
        raise
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _NO_DIR_SYNC:
            raise
    finally:
        os.close(fd)


# --- owner-only -----------------------------------------------------------------------------


def make_private(fd: int, mode: int = FILE_MODE) -> None:
    """Tighten an open file to ``mode`` where the platform has ``fchmod`` and the filesystem
    keeps Unix modes; elsewhere (Windows, FAT sticks) the folder's protection is what counts."""
    fchmod = getattr(os, "fchmod", None)
    if fchmod is None:
        return
    try:
        if stat.S_IMODE(os.fstat(fd).st_mode) != mode:
            fchmod(fd, mode)
    except OSError:
        pass  # saving the note matters more than a mode bit the filesystem cannot store


def private_dir(path: Path, *, exist_ok: bool = True) -> Path:
    """Create ``path`` readable by the owner only (0700 where modes exist).

    Every folder created on the way is 0700 too, whatever the umask: ``mkdir``'s parents
    follow it, so under umask 000 the data folder above ``sessions/`` would be open to
    anyone, who could plant agendas. Folders that already existed above it are left as
    they are.
    """
    missing: list[Path] = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    if not missing and not exist_ok:
        raise FileExistsError(errno.EEXIST, "already exists", str(path))
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            if folder == path and not exist_ok:
                raise
        with contextlib.suppress(OSError):
            os.chmod(folder, DIR_MODE)  # mkdir's mode is masked by the umask
    if not path.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "is a file, not a folder", str(path))
    with contextlib.suppress(OSError):
        os.chmod(path, DIR_MODE)
    return path


def outside_profile(path: Path, *, windows: bool | None = None) -> bool:
    """True on Windows when ``path`` is not inside the user's profile folder, where the
    profile's ACL cannot keep other users of the machine out."""
    if not (WINDOWS if windows is None else windows):
        return False
    profile = os.environ.get("USERPROFILE")
    if not profile:
        return True
    try:
        return not _within(Path(path).absolute(), Path(profile).absolute())
    except (OSError, ValueError):
        return True


def _within(path: Path, folder: Path) -> bool:
    fold = [part.casefold() for part in folder.parts]
    return [part.casefold() for part in path.parts][: len(fold)] == fold


# --- identity -------------------------------------------------------------------------------


def stat_identity(st: os.stat_result) -> FileId:
    """Which file this is, whatever its name: a replaced journal gets a new identity."""
    if st.st_ino:
        return (st.st_dev, st.st_ino)
    # No file ids on this filesystem: the creation time tells a new file from the old one.
    born = getattr(st, "st_birthtime_ns", None)
    if born is None:
        born = st.st_ctime_ns if WINDOWS else 0
    return (st.st_dev, -1 - int(born))


def entry_identity(entry: os.DirEntry[str], st: os.stat_result) -> FileId:
    """As :func:`stat_identity` for a listed file; ``st`` is ``entry.stat()``.

    On Windows ``DirEntry.stat()`` leaves ``st_ino`` and ``st_dev`` at 0 (listing does not
    read them); ``os.stat`` fills them, so ask it then.
    """
    if st.st_ino == 0:
        with contextlib.suppress(OSError):
            st = os.stat(entry.path)
    return stat_identity(st)


# --- replacing ------------------------------------------------------------------------------


def replace_file(src: str | Path, dst: Path) -> None:
    """``os.replace``, retried briefly on Windows while another process has ``dst`` open."""
    for attempt in range(REPLACE_TRIES):
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            if not WINDOWS or attempt == REPLACE_TRIES - 1:
                raise
            time.sleep(REPLACE_PAUSE_S)


def atomic_write(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` so that a crash leaves the old or the new file, never half of one.

    The file is owner-only. ``durable=False`` skips the flushes, for a small file whose
    only job is to be seen (the control lease), not to survive a power cut.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            make_private(handle.fileno())
            handle.write(data)
            handle.flush()
            if durable:
                sync_file(handle.fileno())
        replace_file(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:
        sync_dir(path.parent)


# --- the control lock -----------------------------------------------------------------------


@dataclass
class Lock:
    """The outcome of :func:`try_lock`: ``held`` (ours until :meth:`release`), or not held
    because another process has it (``busy``), or because the folder cannot lock at all
    (``unsupported``, with the reason)."""

    held: bool
    busy: bool = False
    unsupported: str = ""
    _lock: BaseFileLock | None = None

    def release(self) -> None:
        lock, self._lock = self._lock, None
        self.held = False
        if lock is not None:
            with contextlib.suppress(OSError):
                lock.release()


def lock_held(path: Path) -> bool | None:
    """Whether some process holds the lock on ``path`` now, without taking it for long or
    creating the file: True, False, or None where this cannot be told (no ``flock``, a
    share without locks). ``filelock`` locks with ``flock`` on Unix, which this probes."""
    fcntl = _fcntl()
    if fcntl is None:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | O_CLOEXEC)
    except FileNotFoundError:
        return False
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)  # released as fd closes
        return False
    except BlockingIOError:
        return True
    except OSError:
        return None
    finally:
        os.close(fd)


def try_lock(path: Path) -> Lock:
    """Take the exclusive lock on ``path`` at once, without waiting.

    ``filelock`` uses ``flock`` on Unix and ``LockFileEx`` on Windows; both are released
    by the operating system when the process dies, so a crash never leaves a session
    locked. A filesystem that refuses locks (``ENOLCK`` and friends on a share) answers
    ``unsupported`` rather than pretending someone else holds it.
    """
    with warnings.catch_warnings():
        # Without fcntl filelock falls back to a soft lock and says so; so do we, by result.
        warnings.simplefilter("ignore")
        from filelock import FileLock, Timeout

    # Owner-only like every file of a session, though it holds nothing (where the mode
    # can be set: Windows keeps files private by the folder they are in).
    mode = 0o600 if hasattr(os, "fchmod") else -1
    lock = FileLock(path, timeout=0, mode=mode, thread_local=False)
    try:
        lock.acquire()
    except Timeout:
        return Lock(held=False, busy=True)
    except OSError as exc:
        if exc.errno in _NO_LOCKS:
            return Lock(held=False, unsupported=os.strerror(exc.errno or 0) or str(exc))
        raise
    except NotImplementedError as exc:
        return Lock(held=False, unsupported=str(exc) or "locks are not supported here")
    return Lock(held=True, _lock=lock)
