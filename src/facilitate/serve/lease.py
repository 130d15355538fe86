"""Which serve, if any, serves a session, and how another terminal asks it for new links.

A running ``facilitate serve`` keeps two files in the session folder:

- ``serve.lock``: the operating system's exclusive lock (:func:`facilitate.osfs.try_lock`),
  released by the system when the process ends, however it ends. On this machine it
  tells a serve that is running from one that was killed, with no PID to trust.
- ``serve.lease``: a few owner-only lines saying where it listens (host, port), its
  PID (for people only: nothing is ever signalled), when it started, renewed every
  :data:`RENEW_EVERY_S` seconds. Where the folder cannot lock (a network share), a
  lease older than :data:`LAPSE_AFTER_S` means that serve has gone.

``facilitate serve --new-tokens`` writes ``serve.renew`` naming the serve it is for
and a fresh request id. The serve looks for it every :data:`POLL_S`, claims it by
deleting it, renews its links, and writes the request's id into its lease as
answered. Exactly one of the two can delete the request, so the asking side knows
the truth: deleted by itself after waiting means nobody renewed anything. A request
left behind (its asker killed) names a serve instance and is ignored by any other.

Nothing here imports aiohttp or Textual: the decisions are pure (a lease, "now",
who we are in; an answer out) and the files are small.
"""

from __future__ import annotations

import os
import secrets
import socket
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo
from enum import Enum
from pathlib import Path

import tomli_w

from facilitate import osfs
from facilitate.errors import UserError

LOCK_FILE = "serve.lock"
LEASE_FILE = "serve.lease"
REQUEST_FILE = "serve.renew"
RENEW_EVERY_S = 2.0
LAPSE_AFTER_S = 10.0  # five missed renewals: the serve has gone
POLL_S = 0.5  # how often a serve looks for a request; the answer comes within this
ANSWER_WAIT_S = 5.0  # how long --new-tokens waits for it
CLAIMED_WAIT_S = 2.0  # and, once the serve has taken the request, for its answer


def _now() -> datetime:
    return datetime.now(UTC)


def this_machine() -> str:
    return socket.gethostname() or "this machine"


@dataclass(frozen=True)
class ServeLease:
    instance: str
    pid: int
    machine: str
    host: str
    port: int
    started: datetime
    renewed: datetime
    answered: str = ""  # the last renew request this serve carried out

    @property
    def where(self) -> str:
        """``host:port`` as a person types it (IPv6 in brackets)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def serving(
    lease: ServeLease | None, now: datetime, *, machine: str, lock_free_here: bool
) -> ServeLease | None:
    """The serve serving the session at ``now``, or None.

    ``lock_free_here``: the serve lock could be taken on this machine, so no process of
    this machine serves the session, whatever its lease says (it was killed, or the power
    went). A lease from another machine (a synced folder) counts while it is renewed; a
    lease renewed "in the future" (a clock ahead of ours) counts as fresh.
    """
    if lease is None:
        return None
    if lease.machine == machine and lock_free_here:
        return None
    if (now - lease.renewed).total_seconds() > LAPSE_AFTER_S:
        return None
    return lease


# --- the files ------------------------------------------------------------------------------


def read_lease(folder: Path) -> ServeLease | None:
    """The lease in ``folder``; None when missing or unreadable (half a sync, hand edits)."""
    try:
        data = tomllib.loads((folder / LEASE_FILE).read_text(encoding="utf-8"))
        started, renewed = data["started"], data["renewed"]
        if not all(isinstance(t, datetime) and t.tzinfo is not None for t in (started, renewed)):
            return None
        return ServeLease(
            instance=str(data["instance"]),
            pid=int(data["pid"]),
            machine=str(data["machine"]),
            host=str(data["host"]),
            port=int(data["port"]),
            started=started,
            renewed=renewed,
            answered=str(data.get("answered", "")),
        )
    except (OSError, ValueError, KeyError, TypeError, tomllib.TOMLDecodeError):
        return None


def write_lease(folder: Path, lease: ServeLease) -> None:
    """Replace the lease (owner-only; not flushed to the drive: it only has to be seen)."""
    data = {
        "instance": lease.instance,
        "pid": lease.pid,
        "machine": lease.machine,
        "host": lease.host,
        "port": lease.port,
        "started": lease.started,
        "renewed": lease.renewed,
        "answered": lease.answered,
        "renew_every_s": RENEW_EVERY_S,
        "lapses_after_s": LAPSE_AFTER_S,
    }
    osfs.atomic_write(folder / LEASE_FILE, tomli_w.dumps(data).encode("utf-8"), durable=False)


def _read_request(folder: Path) -> tuple[str, str] | None:
    """``(instance, request)`` of the renew request in ``folder``, if there is a readable one."""
    try:
        data = tomllib.loads((folder / REQUEST_FILE).read_text(encoding="utf-8"))
        return str(data["instance"]), str(data["request"])
    except (OSError, ValueError, KeyError, tomllib.TOMLDecodeError):
        return None


def _delete(path: Path) -> bool:
    """True when this call removed ``path`` (False: it was already gone, or cannot go)."""
    try:
        path.unlink()
    except OSError:
        return False
    return True


def lock_free_here(folder: Path) -> bool:
    """True when no process of this machine holds the serve lock (taken and let go at once).
    False when one does, or the folder cannot lock at all (then the lease's age decides)."""
    lock = osfs.try_lock(folder / LOCK_FILE)
    free = lock.held
    lock.release()
    return free


# --- the running serve's side ---------------------------------------------------------------


class AlreadyServed(UserError):
    """Another serve serves this session now; ``str()`` says where and how to stop it."""


def already_served(sid: str, lease: ServeLease | None, tz: tzinfo | None = None) -> str:
    if lease is None:  # it holds the lock and has not written its lease yet
        return (
            f"session {sid} is already being served from another terminal on this machine "
            "(it is starting); stop it there with q and Enter or Ctrl-C"
        )
    since = lease.started.astimezone(tz).strftime("%H:%M")
    machine = "" if lease.machine == this_machine() else f" on {lease.machine}"
    return (
        f"session {sid} is already being served at {lease.where}{machine} (since {since}, "
        f"PID {lease.pid}); stop it with q and Enter or Ctrl-C in its terminal, or "
        f"`facilitate serve --new-tokens {sid}` for new links"
    )


@dataclass
class ServeClaim:
    """This process's hold on serving one session: the lock, then the lease once listening.

    :meth:`tick` (every :data:`POLL_S`) renews the lease when due and hands back a renew
    request meant for this serve; :meth:`answer` says it was carried out.
    """

    folder: Path
    lock: osfs.Lock
    instance: str = field(default_factory=lambda: secrets.token_hex(8))
    lease: ServeLease | None = None
    failed: str = ""  # why the lease could not be written last time: nobody can find us

    def publish(self, host: str, port: int, now: datetime | None = None) -> None:
        """Write the lease, now that the server listens on ``host:port``."""
        now = now or _now()
        # Kept even if it cannot be written now: tick tries again until it can.
        self.lease = ServeLease(self.instance, os.getpid(), this_machine(), host, port, now, now)
        self._write(self.lease)

    def tick(self, now: datetime | None = None) -> str | None:
        """Renew the lease when due; the id of a renew request for this serve, claimed."""
        now = now or _now()
        lease = self.lease
        if lease is None:
            return None
        if (now - lease.renewed).total_seconds() >= RENEW_EVERY_S or self.failed:
            self._write(replace(lease, renewed=now))
        request = _read_request(self.folder)
        if request is None or not _delete(self.folder / REQUEST_FILE):
            return None  # none, or its asker gave up and took it back first
        instance, request_id = request
        return request_id if instance == self.instance else None

    def answer(self, request_id: str, now: datetime | None = None) -> None:
        """Tell the asker its request was carried out (the links are new)."""
        if self.lease is not None:
            self._write(replace(self.lease, renewed=now or _now(), answered=request_id))

    def release(self) -> None:
        """Remove the lease (if still ours) and let the lock go."""
        current = read_lease(self.folder)
        if current is not None and current.instance == self.instance:
            _delete(self.folder / LEASE_FILE)
        self.lock.release()

    def _write(self, lease: ServeLease) -> None:
        try:
            write_lease(self.folder, lease)
        except OSError as exc:
            self.failed = exc.strerror or str(exc)
            return
        self.failed = ""
        self.lease = lease


def claim_serve(folder: Path, sid: str, now: datetime | None = None) -> ServeClaim:
    """Hold the session for this serve, or raise :class:`AlreadyServed`. A request left
    by an earlier ``--new-tokens`` is cleared: it was not meant for us."""
    now = now or _now()
    lock = osfs.try_lock(folder / LOCK_FILE)
    if lock.busy:
        raise AlreadyServed(already_served(sid, read_lease(folder)))
    current = serving(read_lease(folder), now, machine=this_machine(), lock_free_here=lock.held)
    if current is not None:
        lock.release()
        raise AlreadyServed(already_served(sid, current))
    _delete(folder / REQUEST_FILE)
    return ServeClaim(folder, lock)


# --- another terminal's side ----------------------------------------------------------------


class Renewal(Enum):
    RENEWED = "renewed"
    UNANSWERED = "unanswered"  # the serve never took the request: nothing changed
    UNCONFIRMED = "unconfirmed"  # it took the request but said nothing more


@dataclass(frozen=True)
class Asked:
    outcome: Renewal
    lease: ServeLease


class NotServed(UserError):
    pass


def ask_for_new_links(
    folder: Path,
    sid: str,
    *,
    now: datetime | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    wait_s: float = ANSWER_WAIT_S,
) -> Asked:
    """Ask the serve serving ``sid`` for new links and wait (bounded) for its answer.

    Raises :class:`NotServed` when no serve holds a fresh lease on the session.
    """
    lease = serving(
        read_lease(folder),
        now or _now(),
        machine=this_machine(),
        lock_free_here=lock_free_here(folder),
    )
    if lease is None:
        raise NotServed(
            f"no serve is running for {sid}: `facilitate serve {sid}` starts one, with new links"
        )
    request_id = secrets.token_hex(8)
    request = {"instance": lease.instance, "request": request_id}
    osfs.atomic_write(folder / REQUEST_FILE, tomli_w.dumps(request).encode(), durable=False)

    def answered(within: float) -> bool:
        deadline = clock() + within
        while True:
            current = read_lease(folder)
            if current is not None and current.answered == request_id:
                return True
            if clock() >= deadline:
                return False
            sleep(0.05)

    if answered(wait_s):
        return Asked(Renewal.RENEWED, lease)
    if _delete(folder / REQUEST_FILE):
        return Asked(Renewal.UNANSWERED, lease)  # taken back: the serve never saw it
    if answered(CLAIMED_WAIT_S):
        return Asked(Renewal.RENEWED, lease)
    return Asked(Renewal.UNCONFIRMED, lease)


def tell(asked: Asked, sid: str) -> tuple[int, str]:
    """The exit code and the line ``--new-tokens`` prints for what happened."""
    where = asked.lease.where
    if asked.outcome is Renewal.RENEWED:
        return 0, (
            f"The serve of {sid} at {where} has new links: they show in its terminal, "
            "and the old ones no longer open anything."
        )
    if asked.outcome is Renewal.UNANSWERED:
        return 1, (
            f"facilitate: the serve of {sid} at {where} did not answer within "
            f"{int(ANSWER_WAIT_S)} s: the links are unchanged (type n and Enter in its terminal)"
        )
    return 1, (
        f"facilitate: the serve of {sid} at {where} took the request but did not confirm it: "
        "look at its terminal for new links"
    )


__all__ = [
    "AlreadyServed",
    "Asked",
    "NotServed",
    "Renewal",
    "ServeClaim",
    "ServeLease",
    "ask_for_new_links",
    "claim_serve",
    "read_lease",
    "serving",
    "tell",
    "write_lease",
]
