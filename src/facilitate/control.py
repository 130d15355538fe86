"""Who drives a session's timer: one process, on one machine, at a time.

Two guards, because a session folder may be shared between laptops:

- **The lock** (``control.lock``, through :func:`facilitate.osfs.try_lock`): the
  operating system's own exclusive lock, released when the process dies. It
  covers the processes of one machine, and on some network shares it cannot be
  taken at all; then the session starts anyway, with a warning.
- **The lease** (``control.lease``): a few lines saying which process on which
  machine controls the session, renewed every :data:`RENEW_EVERY_S` seconds with
  the facilitator's clock. It reaches the other laptops through the shared or
  synced folder. Another machine's ``resume`` is refused while the lease is
  fresh, and may take over, after asking, once nobody has renewed it for
  :data:`LAPSE_AFTER_S` seconds (long enough for a sync client to carry a
  renewal across). A clean quit removes the lease.

The decisions (:func:`judge`, :func:`renewal`) are pure: a lease, who I am and
"now" in, an answer out, so they are tested with a fake clock.
"""

from __future__ import annotations

import contextlib
import os
import socket
import tomllib
from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import Enum
from pathlib import Path

import tomli_w

from facilitate import osfs
from facilitate.files import read_regular

LOCK_FILE = "control.lock"
LEASE_FILE = "control.lease"
RENEW_EVERY_S = 5.0
LAPSE_AFTER_S = 60.0  # a dozen missed renewals, and room for a sync client's delay


@dataclass(frozen=True)
class Holder:
    """A process that may control a session: its writer id and its machine."""

    id: str
    machine: str

    @classmethod
    def here(cls, writer_id: str) -> Holder:
        return cls(writer_id, socket.gethostname() or "this machine")


@dataclass(frozen=True)
class Lease:
    holder: Holder
    renewed: datetime


class Standing(Enum):
    FREE = "free"  # nobody holds it (or its holder on this machine is gone)
    MINE = "mine"
    HELD = "held"  # another process renewed it recently
    LAPSED = "lapsed"  # another process held it but stopped renewing


@dataclass(frozen=True)
class Verdict:
    standing: Standing
    lease: Lease | None = None
    age_s: float = 0.0

    @property
    def may_take(self) -> bool:
        """Control can be taken without asking anyone."""
        return self.standing in (Standing.FREE, Standing.MINE)


def judge(lease: Lease | None, me: Holder, now: datetime, *, locked_here: bool) -> Verdict:
    """Who controls the session, as seen by ``me`` at ``now``.

    ``locked_here`` says ``me`` holds the machine's lock: then a lease left by another
    process of this same machine belongs to a process that is gone (the lock would be
    its), and is free. A lease renewed "in the future" (the other clock runs ahead of
    ours) counts as fresh: clocks must be in step for a lease to lapse on time.
    """
    if lease is None:
        return Verdict(Standing.FREE)
    age_s = (now - lease.renewed).total_seconds()
    if lease.holder.id == me.id:
        return Verdict(Standing.MINE, lease, age_s)
    if lease.holder.machine == me.machine and locked_here:
        return Verdict(Standing.FREE, lease, age_s)
    if age_s <= LAPSE_AFTER_S:
        return Verdict(Standing.HELD, lease, age_s)
    return Verdict(Standing.LAPSED, lease, age_s)


def renewal(lease: Lease | None, me: Holder, now: datetime) -> bool:
    """True: renew our lease. False: another process took control over while we were
    not renewing (a laptop asleep past the lapse, a network cut): we must step down."""
    if lease is None or lease.holder.id == me.id:
        return True
    return judge(lease, me, now, locked_here=False).standing is Standing.LAPSED


def ago(seconds: float) -> str:
    """ "12 s ago", "3 min ago", "in 20 s" (a clock that runs ahead)."""
    if seconds < 0:
        return f"in {ago(-seconds).removesuffix(' ago')}"
    if seconds < 120:
        return f"{int(seconds)} s ago"
    if seconds < 7200:
        return f"{int(seconds // 60)} min ago"
    return f"{int(seconds // 3600)} h ago"


def refusal(sid: str, verdict: Verdict) -> str:
    """Why ``resume`` may not take a session that another process controls now."""
    lease = verdict.lease
    where = lease.holder.machine if lease else "another terminal"
    renewed = f" (renewed {ago(verdict.age_s)})" if lease else ""
    return (
        f"session {sid} is being run on {where}{renewed}; use `facilitate join {sid}` "
        f"to add notes from here, or resume once {where} has quit (control can be taken "
        f"over {int(LAPSE_AFTER_S)} s after its last renewal)"
    )


def take_over_question(sid: str, verdict: Verdict, tz: tzinfo) -> str:
    """The confirmation before taking control of a session whose lease lapsed."""
    lease = verdict.lease
    assert lease is not None
    when = lease.renewed.astimezone(tz).strftime("%H:%M:%S")
    return (
        f"Session {sid} was last run on {lease.holder.machine}, which stopped renewing "
        f"its control at {when} ({ago(verdict.age_s)}).\n"
        f"If that laptop is still running it, taking over makes two timers. Take over here?"
    )


# --- the lease file -------------------------------------------------------------------------


def read_lease(folder: Path) -> Lease | None:
    """The lease in ``folder``; none when missing or unreadable (a sync conflict's leftover,
    or anything but a small regular file: a FIFO must not block a listing)."""
    try:
        data = tomllib.loads(read_regular(folder / LEASE_FILE, 64 * 1024).decode("utf-8"))
        renewed = data["renewed"]
        if not isinstance(renewed, datetime) or renewed.tzinfo is None:
            return None
        return Lease(Holder(str(data["holder"]), str(data["machine"])), renewed)
    except (OSError, ValueError, KeyError, tomllib.TOMLDecodeError):
        return None


def write_lease(folder: Path, lease: Lease) -> None:
    """Replace the lease. Not fsync-ed: its job is to be seen soon, not to outlive a crash."""
    data = {
        "holder": lease.holder.id,
        "machine": lease.holder.machine,
        "renewed": lease.renewed,
        "renew_every_s": RENEW_EVERY_S,
        "lapses_after_s": LAPSE_AFTER_S,
    }
    osfs.atomic_write(folder / LEASE_FILE, tomli_w.dumps(data).encode("utf-8"), durable=False)


def release_lease(folder: Path, me: Holder) -> None:
    """Remove the lease if it is still ours: the next ``resume`` anywhere needs no wait."""
    lease = read_lease(folder)
    if lease is not None and lease.holder.id == me.id:
        with contextlib.suppress(OSError):
            (folder / LEASE_FILE).unlink()


# --- taking control -------------------------------------------------------------------------


@dataclass
class Control:
    """The lock and lease this process holds on one session; :meth:`release` on quit."""

    folder: Path
    me: Holder
    lock: osfs.Lock
    verdict: Verdict
    lock_file: osfs.FileId | None = None  # the file locked (None: not known)

    @property
    def warning(self) -> str:
        """Said once at start when the folder cannot lock (a share without locks)."""
        if not self.lock.unsupported:
            return ""
        return (
            f"This folder cannot lock files ({self.lock.unsupported}; a network share?). "
            f"The session runs; only its control lease, renewed every {int(RENEW_EVERY_S)} s, "
            "keeps a second terminal from driving the timer too."
        )

    def renew(self, now: datetime) -> bool:
        """Renew the lease, and the lock if its file went (False: another process took
        over; stop driving the timer). Raises OSError when the lease cannot be written."""
        if not self.keep_lock() or not renewal(read_lease(self.folder), self.me, now):
            return False
        write_lease(self.folder, Lease(self.me, now))
        return True

    def keep_lock(self) -> bool:
        """Take the lock again if the file it is on is no longer at its path (the session
        folder deleted and re-created, the lock file removed): a lock on a file nobody
        can find keeps nobody out. One stat while all is well. False: another process
        holds the lock at the path now. Raises OSError when the lock cannot be made."""
        if not self.lock.held:
            return True  # a folder that cannot lock: the lease alone guards it
        path = self.folder / LOCK_FILE
        if self.lock_file is None:  # not known when it was taken: learn it now
            self.lock_file = _lock_identity(path)
            return True
        try:
            if _identity(path) == self.lock_file:
                return True
        except FileNotFoundError:
            pass
        again = osfs.try_lock(path)
        if again.busy:
            return False
        if again.held:
            self.lock.release()
            self.lock, self.lock_file = again, _lock_identity(path)
        return True

    def release(self) -> None:
        release_lease(self.folder, self.me)
        self.lock.release()


class ControlRefused(Exception):
    """Another process controls the session now; ``str()`` says who and what to do."""


class TakeOverNeeded(Exception):
    """The lease lapsed on another machine: ask, then call :func:`take_control` again with
    ``take_over=True``. ``str()`` is the question."""


def controlled(folder: Path, now: datetime) -> bool:
    """Whether a process controls the session now: its lock is held on this machine, or
    another machine's lease is fresh. A lease this machine's lock no longer backs was
    left by a process that is gone (a kill, a crash). Read only: nothing is taken."""
    held = osfs.lock_held(folder / LOCK_FILE)
    if held:
        return True
    lease = read_lease(folder)
    if lease is None:
        return False
    if held is False and lease.holder.machine == (socket.gethostname() or "this machine"):
        return False
    return (now - lease.renewed).total_seconds() <= LAPSE_AFTER_S


def take_control(
    folder: Path, sid: str, me: Holder, now: datetime, tz: tzinfo, *, take_over: bool = False
) -> Control:
    """Lock and lease ``folder`` for ``me``, or raise :class:`ControlRefused` /
    :class:`TakeOverNeeded`. OSError when the folder cannot be written."""
    lock = osfs.try_lock(folder / LOCK_FILE)
    if lock.busy:
        raise ControlRefused(
            f"session {sid} is already open in another terminal on this machine; "
            f"use `facilitate join {sid}` to add notes there"
        )
    try:
        verdict = judge(read_lease(folder), me, now, locked_here=lock.held)
        if verdict.standing is Standing.HELD:
            raise ControlRefused(refusal(sid, verdict))
        if verdict.standing is Standing.LAPSED and not take_over:
            raise TakeOverNeeded(take_over_question(sid, verdict, tz))
        write_lease(folder, Lease(me, now))
    except BaseException:
        lock.release()
        raise
    return Control(folder, me, lock, verdict, _lock_identity(folder / LOCK_FILE))


def _identity(path: Path) -> osfs.FileId:
    return osfs.stat_identity(os.stat(path))


def _lock_identity(path: Path) -> osfs.FileId | None:
    try:
        return _identity(path)
    except OSError:
        return None  # unknown: the next renewal takes the lock again, harmlessly


__all__ = [
    "LAPSE_AFTER_S",
    "LEASE_FILE",
    "LOCK_FILE",
    "RENEW_EVERY_S",
    "Control",
    "ControlRefused",
    "Holder",
    "Lease",
    "Standing",
    "TakeOverNeeded",
    "Verdict",
    "controlled",
    "judge",
    "read_lease",
    "renewal",
    "take_control",
]
