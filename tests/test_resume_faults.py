"""``resume`` in a folder that will not take its lock says why in words, never an errno.

Taking control writes ``control.lock`` (and the lease) into the session folder. A
read-only disk, a folder the person may not write in, a lock that is a symbolic link:
each is one line saying what could not be done, where, why and what to do, and exit 2.
The read-only disk and the refused folder are played by fault injection (as root the
refusal would not happen); the link is real.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from apptools import make_app, sync
from facilitate.control import LEASE_FILE, LOCK_FILE
from sessionfactory import build_sample_session

SIZE = (100, 30)

FAULTS = {
    errno.EROFS: (
        "because it is on a read-only disk or share; `facilitate export {sid}` still reads "
        "it as it is; to resume it, make that disk writable, or copy the session folder "
        "into a writable data folder and use --data-dir"
    ),
    errno.EACCES: (
        "because you may not open or write in it (permission denied); give yourself write "
        "access (chmod u+rwx {folder}) or ask its owner, then try again"
    ),
    errno.ENOSPC: "because the disk it is on is full; free some space there and try again",
    errno.EIO: "because Input/output error; check that folder, then try again",
}


async def resumed(tmp_path: Path, sid: str) -> tuple[int | None, str]:
    app, _ = make_app(tmp_path, mode="resume", session=sid)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
    return app.return_code, app.farewell


@sync
@pytest.mark.parametrize("code", list(FAULTS), ids=[errno.errorcode[c] for c in FAULTS])
async def test_a_folder_that_refuses_the_lock_is_said_in_words(
    code: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = build_sample_session(tmp_path)

    def refused(path: Path) -> None:
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr("facilitate.osfs.try_lock", refused)
    returned, said = await resumed(tmp_path, session.id)
    assert returned == 2
    assert said == (
        f"facilitate: cannot resume {session.id}: its folder {session.folder} cannot take "
        "control of the timer, " + FAULTS[code].format(sid=session.id, folder=session.folder)
    )
    assert "Errno" not in said and not (session.folder / LEASE_FILE).exists()


@sync
async def test_a_lock_that_is_a_symbolic_link_is_named(tmp_path: Path) -> None:
    session = build_sample_session(tmp_path)
    lock = session.folder / LOCK_FILE
    lock.unlink(missing_ok=True)
    lock.symlink_to(LOCK_FILE)  # a link to itself: too many levels of links
    returned, said = await resumed(tmp_path, session.id)
    assert returned == 2
    assert said == (
        f"facilitate: cannot resume {session.id}: its folder {session.folder} cannot take "
        "control of the timer, because control.lock there is a symbolic link, which "
        "facilitate does not follow; remove that link (the file holds nothing; facilitate "
        "makes it again) and try again"
    )
    lock.unlink()
    returned, said = await resumed(tmp_path, session.id)  # and then it resumes
    assert returned != 2 and said == ""
