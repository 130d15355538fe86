"""Which serve serves a session, and ``--new-tokens`` asking it for new links, without one.

The judgement (:func:`serving`) is pure and takes "now"; the asking side is given a
fake clock and a ``sleep`` that plays the running serve's part (one look for a
request, as its timer does), so nothing here waits for real time.
"""

from __future__ import annotations

import stat
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from facilitate.serve.lease import (
    LAPSE_AFTER_S,
    LEASE_FILE,
    RENEW_EVERY_S,
    REQUEST_FILE,
    AlreadyServed,
    NotServed,
    Renewal,
    ServeClaim,
    ServeLease,
    ask_for_new_links,
    claim_serve,
    read_lease,
    serving,
    tell,
    this_machine,
    write_lease,
)

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
HERE = "room-laptop"


def lease(renewed: datetime = NOW, machine: str = HERE, **changes: object) -> ServeLease:
    base = ServeLease("abcd", 4242, machine, "127.0.0.1", 8000, NOW, renewed)
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("the_lease", "lock_free", "served"),
    [
        (None, True, False),
        (lease(), False, True),  # its serve holds the lock: it runs
        (lease(), True, False),  # this machine, lock free: killed (its PID means nothing)
        (lease(NOW - timedelta(seconds=LAPSE_AFTER_S + 1)), False, False),  # stopped renewing
        (lease(NOW - timedelta(seconds=LAPSE_AFTER_S)), False, True),
        (lease(machine="projector-pc"), True, True),  # another machine: its lock is not ours
        (lease(NOW - timedelta(minutes=5), machine="projector-pc"), True, False),
        (lease(NOW + timedelta(minutes=2)), False, True),  # a clock ahead: still fresh
    ],
)
def test_a_serve_counts_while_it_holds_its_lock_and_renews_its_lease(
    the_lease: ServeLease | None, lock_free: bool, served: bool
) -> None:
    found = serving(the_lease, NOW, machine=HERE, lock_free_here=lock_free)
    assert (found is not None) == served


def test_the_lease_is_owner_only_and_reads_back(tmp_path: Path) -> None:
    write_lease(tmp_path, lease(host="::1", answered="r1"))
    back = read_lease(tmp_path)
    assert back == lease(host="::1", answered="r1")
    assert back is not None and back.where == "[::1]:8000"
    if sys.platform != "win32":
        assert stat.S_IMODE((tmp_path / LEASE_FILE).stat().st_mode) == 0o600
    (tmp_path / LEASE_FILE).write_text("half a sync conflict")
    assert read_lease(tmp_path) is None


def test_one_serve_per_session(tmp_path: Path) -> None:
    first = claim_serve(tmp_path, "s1", NOW)
    try:
        with pytest.raises(AlreadyServed, match="it is starting"):
            claim_serve(tmp_path, "s1", NOW)  # before it listens: no lease yet
        first.publish("127.0.0.1", 8123, NOW)
        with pytest.raises(AlreadyServed) as refused:
            claim_serve(tmp_path, "s1", NOW)
        said = str(refused.value)
        assert said.startswith("session s1 is already being served at 127.0.0.1:8123 (since ")
        assert "stop it with q and Enter or Ctrl-C in its terminal" in said
    finally:
        first.release()
    assert not (tmp_path / LEASE_FILE).exists()
    claim_serve(tmp_path, "s1", NOW).release()  # free again


def test_a_killed_serves_lease_does_not_block_but_another_machines_does(tmp_path: Path) -> None:
    write_lease(tmp_path, lease(machine=this_machine()))  # fresh, but its lock is free
    claim_serve(tmp_path, "s1", NOW).release()
    write_lease(tmp_path, lease(machine="projector-pc"))
    with pytest.raises(AlreadyServed, match=r"at 127\.0\.0\.1:8000 on projector-pc "):
        claim_serve(tmp_path, "s1", NOW)
    write_lease(tmp_path, lease(NOW - timedelta(minutes=5), machine="projector-pc"))
    claim_serve(tmp_path, "s1", NOW).release()  # it stopped renewing long ago


def test_claiming_clears_a_request_nobody_answered(tmp_path: Path) -> None:
    (tmp_path / REQUEST_FILE).write_text('instance = "gone"\nrequest = "r"\n')
    claim_serve(tmp_path, "s1", NOW).release()
    assert not (tmp_path / REQUEST_FILE).exists()


def test_the_lease_is_renewed_every_couple_of_seconds(tmp_path: Path) -> None:
    claim = claim_serve(tmp_path, "s1", NOW)
    try:
        claim.publish("127.0.0.1", 8000, NOW)
        claim.tick(NOW + timedelta(seconds=RENEW_EVERY_S / 2))
        assert read_lease(tmp_path) == claim.lease and claim.lease.renewed == NOW  # type: ignore[union-attr]
        later = NOW + timedelta(seconds=RENEW_EVERY_S)
        claim.tick(later)
        renewed = read_lease(tmp_path)
        assert renewed is not None and renewed.renewed == later
    finally:
        claim.release()


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def asking(
    tmp_path: Path, serve: Callable[[], None] = lambda: None
) -> tuple[Callable[[], Renewal], Clock]:
    """``--new-tokens`` as a function; each of its pauses lets ``serve`` look once."""
    clock = Clock()

    def sleep(seconds: float) -> None:
        serve()
        clock.now += seconds

    def ask() -> Renewal:
        return ask_for_new_links(tmp_path, "s1", clock=clock, sleep=sleep).outcome

    return ask, clock


def running(tmp_path: Path) -> ServeClaim:
    claim = claim_serve(tmp_path, "s1")
    claim.publish("127.0.0.1", 8000)
    return claim


def test_the_running_serve_answers_a_request_meant_for_it(tmp_path: Path) -> None:
    claim = running(tmp_path)
    renewed: list[str] = []

    def serve() -> None:
        request = claim.tick()
        if request is not None:
            renewed.append(request)
            claim.answer(request)

    try:
        ask, _ = asking(tmp_path, serve)
        assert ask() is Renewal.RENEWED
        assert len(renewed) == 1
        assert not (tmp_path / REQUEST_FILE).exists()
        lease_now = read_lease(tmp_path)
        assert lease_now is not None and lease_now.answered == renewed[0]
    finally:
        claim.release()


def test_a_serve_that_never_looks_changes_nothing_and_is_told_so(tmp_path: Path) -> None:
    claim = running(tmp_path)  # holds the lock and a fresh lease, but its loop is stuck
    try:
        asked = ask_for_new_links(tmp_path, "s1", clock=Clock(), sleep=lambda s: None, wait_s=0)
        assert asked.outcome is Renewal.UNANSWERED
        assert not (tmp_path / REQUEST_FILE).exists(), "taken back: no surprise renewal later"
        code, line = tell(asked, "s1")
        assert code == 1
        assert line == (
            "facilitate: the serve of s1 at 127.0.0.1:8000 did not answer within 5 s: the "
            "links are unchanged (type n and Enter in its terminal)"
        )
        assert claim.tick() is None, "the serve finds nothing to do when it wakes"
    finally:
        claim.release()


def test_a_request_the_serve_took_but_did_not_confirm_is_not_called_renewed(
    tmp_path: Path,
) -> None:
    claim = running(tmp_path)
    try:

        def take_only() -> None:
            claim.tick()  # takes the request, then (a bug, a full disk) never answers

        ask, _ = asking(tmp_path, take_only)
        assert ask() is Renewal.UNCONFIRMED
    finally:
        claim.release()


def test_a_request_for_another_serve_is_dropped(tmp_path: Path) -> None:
    claim = running(tmp_path)
    try:
        (tmp_path / REQUEST_FILE).write_text('instance = "an-earlier-serve"\nrequest = "r"\n')
        assert claim.tick() is None
        assert not (tmp_path / REQUEST_FILE).exists()
    finally:
        claim.release()


def test_with_no_serve_there_is_nobody_to_ask(tmp_path: Path) -> None:
    with pytest.raises(NotServed, match="no serve is running for s1"):
        ask_for_new_links(tmp_path, "s1")
    claim = running(tmp_path)
    claim.release()  # stopped cleanly: its lease is gone
    with pytest.raises(NotServed):
        ask_for_new_links(tmp_path, "s1")
    assert not (tmp_path / REQUEST_FILE).exists()


def test_a_lease_that_cannot_be_written_is_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from facilitate.serve import lease as module

    def full_disk(folder: Path, the_lease: ServeLease) -> None:
        raise OSError(28, "No space left on device")

    claim = claim_serve(tmp_path, "s1", NOW)
    try:
        with monkeypatch.context() as patched:
            patched.setattr(module, "write_lease", full_disk)
            claim.publish("127.0.0.1", 8000, NOW)
            assert claim.failed == "No space left on device"
            assert read_lease(tmp_path) is None
        claim.tick(NOW + timedelta(seconds=0.5))  # space again: written at the next look
        assert claim.failed == ""
        written = read_lease(tmp_path)
        assert written is not None and written.port == 8000
    finally:
        claim.release()
