"""Control of a session is one process's, across machines too: the lock and the lease.

The lease's decisions are pure (a lease, who asks, "now"): tested here with
made-up instants. Then the files: two "machines" are two holders with
different machine names on one shared folder.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from facilitate.control import (
    LAPSE_AFTER_S,
    LEASE_FILE,
    ControlRefused,
    Holder,
    Lease,
    Standing,
    TakeOverNeeded,
    controlled,
    judge,
    read_lease,
    renewal,
    take_control,
    write_lease,
)

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
ANNA = Holder("anna-laptop-101-aaaaaa", "anna-laptop")
BEN = Holder("ben-laptop-202-bbbbbb", "ben-laptop")
ANNA_AGAIN = Holder("anna-laptop-303-cccccc", "anna-laptop")  # a later process, same laptop


def seconds(s: float) -> timedelta:
    return timedelta(seconds=s)


# --- the decisions ---------------------------------------------------------------------------


def test_no_lease_is_free() -> None:
    assert judge(None, BEN, NOW, locked_here=True).standing is Standing.FREE


def test_my_own_lease_is_mine_however_old() -> None:
    lease = Lease(ANNA, NOW - seconds(3600))
    assert judge(lease, ANNA, NOW, locked_here=True).standing is Standing.MINE


def test_another_machines_fresh_lease_is_held() -> None:
    verdict = judge(Lease(ANNA, NOW - seconds(4)), BEN, NOW, locked_here=True)
    assert verdict.standing is Standing.HELD
    assert verdict.age_s == 4
    assert not verdict.may_take


def test_it_is_held_up_to_the_lapse_and_lapsed_after_it() -> None:
    at_edge = Lease(ANNA, NOW - seconds(LAPSE_AFTER_S))
    past = Lease(ANNA, NOW - seconds(LAPSE_AFTER_S + 1))
    assert judge(at_edge, BEN, NOW, locked_here=True).standing is Standing.HELD
    assert judge(past, BEN, NOW, locked_here=True).standing is Standing.LAPSED


def test_a_lease_from_a_clock_running_ahead_counts_as_fresh() -> None:
    ahead = Lease(ANNA, NOW + seconds(300))
    assert judge(ahead, BEN, NOW, locked_here=True).standing is Standing.HELD


def test_a_lease_left_on_this_machine_is_free_once_we_hold_its_lock() -> None:
    """The same laptop after a crash: the lock would be the old process's if it lived."""
    fresh = Lease(ANNA, NOW - seconds(2))
    assert judge(fresh, ANNA_AGAIN, NOW, locked_here=True).standing is Standing.FREE
    assert judge(fresh, ANNA_AGAIN, NOW, locked_here=False).standing is Standing.HELD


def test_renewal_keeps_our_lease_and_steps_down_for_a_fresh_one_of_someone_else() -> None:
    assert renewal(None, ANNA, NOW)
    assert renewal(Lease(ANNA, NOW - seconds(500)), ANNA, NOW)
    assert not renewal(Lease(BEN, NOW - seconds(1)), ANNA, NOW), "Ben took over"
    assert renewal(Lease(BEN, NOW - seconds(LAPSE_AFTER_S + 5)), ANNA, NOW), "Ben is gone"


# --- the lease file --------------------------------------------------------------------------


def test_the_lease_round_trips_and_is_private(tmp_path: Path) -> None:
    write_lease(tmp_path, Lease(ANNA, NOW))
    assert read_lease(tmp_path) == Lease(ANNA, NOW)
    assert (tmp_path / LEASE_FILE).stat().st_mode & 0o777 == 0o600
    text = (tmp_path / LEASE_FILE).read_text()
    assert "anna-laptop" in text and "2026-11-22 10:00:00+00:00" in text, "a person can read it"


@pytest.mark.parametrize("text", ["", "holder = 1\n", "[broken\n", 'renewed = "yesterday"\n'])
def test_an_unreadable_lease_is_no_lease(tmp_path: Path, text: str) -> None:
    (tmp_path / LEASE_FILE).write_text(text)
    assert read_lease(tmp_path) is None


# --- taking control --------------------------------------------------------------------------


def test_a_second_process_on_the_same_machine_is_refused(tmp_path: Path) -> None:
    first = take_control(tmp_path, "day", ANNA, NOW, UTC)
    try:
        if os.name == "posix":  # the lock file is as private as the rest of the session
            assert (tmp_path / "control.lock").stat().st_mode & 0o777 == 0o600
        with pytest.raises(ControlRefused, match="already open in another terminal"):
            take_control(tmp_path, "day", ANNA_AGAIN, NOW, UTC)
    finally:
        first.release()


def test_another_machine_is_refused_while_the_lease_is_fresh(tmp_path: Path) -> None:
    # Ben's laptop sees the synced folder: Anna's lock is hers alone, her lease is here.
    write_lease(tmp_path, Lease(ANNA, NOW - seconds(7)))
    with pytest.raises(ControlRefused) as refused:
        take_control(tmp_path, "day", BEN, NOW, UTC)
    said = str(refused.value)
    assert "anna-laptop" in said and "7 s ago" in said and "facilitate join day" in said
    assert read_lease(tmp_path) == Lease(ANNA, NOW - seconds(7)), "Anna's lease is untouched"


def test_a_lapsed_lease_is_taken_over_only_when_asked_to(tmp_path: Path) -> None:
    write_lease(tmp_path, Lease(ANNA, NOW - seconds(600)))
    with pytest.raises(TakeOverNeeded) as asked:
        take_control(tmp_path, "day", BEN, NOW, UTC)
    assert "anna-laptop" in str(asked.value) and "09:50:00" in str(asked.value)
    assert read_lease(tmp_path) == Lease(ANNA, NOW - seconds(600)), "nothing taken yet"
    control = take_control(tmp_path, "day", BEN, NOW, UTC, take_over=True)
    assert read_lease(tmp_path) == Lease(BEN, NOW)
    control.release()
    assert read_lease(tmp_path) is None, "a clean quit leaves no lease to wait for"


def test_renewing_writes_the_facilitators_clock_and_notices_a_take_over(tmp_path: Path) -> None:
    control = take_control(tmp_path, "day", ANNA, NOW, UTC)
    assert control.renew(NOW + seconds(5))
    assert read_lease(tmp_path) == Lease(ANNA, NOW + seconds(5))
    # Anna's laptop slept through lunch; Ben took over after the lapse.
    write_lease(tmp_path, Lease(BEN, NOW + seconds(3000)))
    assert not control.renew(NOW + seconds(3001))
    assert read_lease(tmp_path) == Lease(BEN, NOW + seconds(3000)), "Ben's lease stays"
    control.release()
    assert read_lease(tmp_path) == Lease(BEN, NOW + seconds(3000)), "quitting leaves it too"


def test_a_share_without_locks_still_gives_control_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_locks(fd: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    control = take_control(tmp_path, "day", ANNA, NOW, UTC)
    assert "cannot lock files" in control.warning and "No locks available" in control.warning
    assert read_lease(tmp_path) == Lease(ANNA, NOW), "the lease still guards the session"
    # And the lease alone keeps a second process out, even on this machine.
    with pytest.raises(ControlRefused):
        take_control(tmp_path, "day", ANNA_AGAIN, NOW + seconds(1), UTC)
    control.release()


# --- the folder deleted and re-created under a running session ------------------------------


def delete_and_recreate(folder: Path) -> None:
    shutil.rmtree(folder)
    folder.mkdir(mode=0o700)  # what the running session does on its next tick


def test_a_re_created_folder_is_locked_again_so_a_second_resume_is_refused(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "day"
    folder.mkdir()
    first = take_control(folder, "day", ANNA, NOW, UTC)
    try:
        delete_and_recreate(folder)
        assert not controlled(folder, NOW), "the lock went with the folder"
        assert first.renew(NOW + seconds(5))
        assert read_lease(folder) == Lease(ANNA, NOW + seconds(5))
        assert controlled(folder, NOW + seconds(5))  # `sessions` says running
        with pytest.raises(ControlRefused, match="already open in another terminal"):
            take_control(folder, "day", ANNA_AGAIN, NOW + seconds(6), UTC)
    finally:
        first.release()
    assert not controlled(folder, NOW + seconds(7))


def test_a_lock_file_still_in_place_is_not_taken_twice(tmp_path: Path) -> None:
    first = take_control(tmp_path, "day", ANNA, NOW, UTC)
    try:
        for n in range(3):
            assert first.renew(NOW + seconds(5 * n))  # flock again on our own file: busy
    finally:
        first.release()


def test_a_process_that_locked_the_re_created_folder_first_has_control(tmp_path: Path) -> None:
    folder = tmp_path / "day"
    folder.mkdir()
    first = take_control(folder, "day", ANNA, NOW, UTC)
    delete_and_recreate(folder)
    second = take_control(folder, "day", ANNA_AGAIN, NOW + seconds(1), UTC)
    try:
        assert not first.renew(NOW + seconds(5)), "the first steps down rather than fight"
        assert read_lease(folder) == Lease(ANNA_AGAIN, NOW + seconds(1))
    finally:
        first.release()
        second.release()
