"""Why a terminal could not take control of a session's folder, in the person's words.

Taking control writes two small files into the session folder (``control.lock`` and
``control.lease``). When the folder will not take them, the person gets one line
saying what could not be done, where, why, and what to do about it, never an errno.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

from facilitate.errors import UserError

_WHY = {
    errno.EROFS: "it is on a read-only disk or share",
    errno.EACCES: "you may not open or write in it (permission denied)",
    errno.EPERM: "you may not write in it (operation not permitted)",
    errno.ELOOP: "{name} there is a symbolic link, which facilitate does not follow",
    errno.ENOSPC: "the disk it is on is full",
    errno.EDQUOT: "your disk quota there is used up",
    errno.ENOENT: "it is no longer there",
    errno.ENOTDIR: "it is no longer a folder",
}

_ACCESS = "give yourself write access (chmod u+rwx {folder}) or ask its owner, then try again"
_WHAT_TO_DO = {
    errno.EROFS: (
        "`facilitate export {sid}` still reads it as it is; to resume it, make that disk "
        "writable, or copy the session folder into a writable data folder and use --data-dir"
    ),
    errno.EACCES: _ACCESS,
    errno.EPERM: _ACCESS,
    errno.ELOOP: (
        "remove that link (the file holds nothing; facilitate makes it again) and try again"
    ),
    errno.ENOSPC: "free some space there and try again",
    errno.EDQUOT: "free some space there and try again",
    errno.ENOENT: "see `facilitate sessions` for the sessions there are",
    errno.ENOTDIR: "see `facilitate sessions` for the sessions there are",
}


@contextlib.contextmanager
def taking_control(what: str, sid: str, folder: Path) -> Iterator[None]:
    """An ``OSError`` while taking control of ``folder`` becomes a :class:`UserError`
    that says, after ``what`` ("cannot resume …"), why and what to do."""
    try:
        yield
    except OSError as exc:
        raise UserError(cannot_control(what, sid, folder, exc)) from None


def cannot_control(what: str, sid: str, folder: Path, exc: OSError) -> str:
    """``what`` ("cannot resume 2026-…") could not be done in ``folder``: why and what to do."""
    name = os.path.basename(exc.filename) if isinstance(exc.filename, str) else "a file"
    code = exc.errno or 0
    why = _WHY.get(code, exc.strerror or str(exc)).format(name=name)
    what_to_do = _WHAT_TO_DO.get(code, "check that folder, then try again").format(
        sid=sid, folder=folder
    )
    return (
        f"{what}: its folder {folder} cannot take control of the timer, because {why}; {what_to_do}"
    )
