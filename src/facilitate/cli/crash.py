"""When facilitate itself fails: the traceback goes to a log file, the person gets one line.

A crash must not pour a traceback (with notes in its local variables) over the
facilitator's terminal, and must not end with status 0 as if all were well.
:class:`CrashLog` is a file in the log folder (the platform's, or
``--data-dir``/logs), created owner-only on its first write; the Textual app
writes its traceback there too (its ``error_console``), and :meth:`report`
says where it is.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from facilitate.osfs import open_flags, private_dir

EXIT_CRASH = 1


class CrashLog(io.TextIOBase):
    def __init__(self) -> None:
        super().__init__()
        self.folder: Path | None = None  # set once the data folders are known
        self.path: Path | None = None
        self._handle: io.TextIOBase | None = None

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        handle = self._handle or self._open()
        if handle is None:  # no log folder can be written: stderr is all there is
            return sys.__stderr__.write(text) if sys.__stderr__ else len(text)
        written = handle.write(text)
        handle.flush()
        return written

    def _open(self) -> io.TextIOBase | None:
        name = f"crash-{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.log"
        for folder in self._folders():
            try:
                flags = open_flags(os.O_WRONLY | os.O_CREAT | os.O_EXCL)
                fd = os.open(private_dir(folder) / name, flags, 0o600)
            except OSError:
                continue
            self._handle = io.TextIOWrapper(io.FileIO(fd, "w"), encoding="utf-8", newline="")
            self.path = folder / name
            return self._handle
        return None

    def _folders(self) -> Iterator[Path]:
        """The log folder, else (before it is known, or if it cannot be written) a new
        private folder in the temporary one."""
        if self.folder is not None:
            yield self.folder
        with contextlib.suppress(OSError):
            yield Path(tempfile.mkdtemp(prefix="facilitate-logs-"))  # 0700

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
        super().close()

    def report(self, what: str = "") -> int:
        """Say, in one line, that facilitate failed and where the details are."""
        self.close()
        why = f" ({what})" if what else ""
        where = f"the details are in {self.path}" if self.path else "see the details above"
        print(
            f"facilitate: stopped by an unexpected error{why}; {where} (readable by you only: "
            "it may quote notes). Everything already saved is safe in the session's journal.",
            file=sys.stderr,
        )
        return EXIT_CRASH
