"""What a served view's process does first: end with the server, even a killed one.

The server ends its children when it stops. If it is killed outright (SIGKILL, an
out-of-memory kill) it cannot, and the children would live on, each holding a
session open. On Linux the kernel sends them SIGTERM when their parent dies
(``PR_SET_PDEATHSIG``), which Textual's web driver turns into a clean exit.
Elsewhere :func:`parent_gone` lets the app check on a timer.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent() -> int:
    """Ask for SIGTERM when the parent dies; returns the parent's pid to check against.

    Exits at once if the parent is already gone (it died before the request was made).
    """
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):
            pass  # no prctl: parent_gone still works
    if os.getppid() != parent or parent == 1:
        raise SystemExit(1)
    return parent


def parent_gone(parent: int) -> bool:
    """True once the process that started us has ended (we were handed to another)."""
    return os.getppid() != parent
