"""What this process has open, so tests can show they leave no journal file open.

Import it as ``from openfiles import open_fds`` (pytest puts ``tests/`` on sys.path).
"""

from __future__ import annotations

import os
from pathlib import Path

FD_DIR = Path("/proc/self/fd") if Path("/proc/self/fd").is_dir() else Path("/dev/fd")


def open_fds() -> dict[int, str]:
    """This process's open descriptors and, where the OS says, what each one is."""
    found: dict[int, str] = {}
    for name in os.listdir(FD_DIR):
        try:
            found[int(name)] = os.readlink(FD_DIR / name)
        except OSError:
            found[int(name)] = "?"  # the listing's own descriptor, closed since, or no links
    return found
