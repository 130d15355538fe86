"""The other terminals' journals as this process has read them, to put back if the folder
is lost.

A resumed session is two journals or more: the first run's and this one's. When the
session folder is deleted, each live writer puts its own journal back; the journals of
writers that are gone (the run before a resume, a scribe who has left) would be lost
while this screen still shows their notes as saved. The records read from them are
kept here, and written back, each journal only where it is missing (created
exclusively: a live writer putting its own back at the same moment is never
overwritten).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from facilitate.journal.format import Record, encode_record, journal_path
from facilitate.osfs import sync_dir


class OtherJournals:
    def __init__(self, own_writer: str | None) -> None:
        self.own_writer = own_writer
        self._records: dict[str, list[Record]] = {}

    def keep(self, record: Record) -> None:
        """A record read from another writer's journal (one that could be applied)."""
        writer = record.get("writer")
        if isinstance(writer, str) and writer != self.own_writer:
            self._records.setdefault(writer, []).append(record)

    def put_back(self, folder: Path) -> int:
        """Write back every kept journal that is missing from ``folder``; the number of
        records written (a failure leaves that journal as it is)."""
        written = 0
        for writer, records in self._records.items():
            try:  # while all is well, one failing open per journal: cheap enough for a tick
                path = journal_path(folder, writer)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except (OSError, ValueError):
                continue  # there already (its writer put it back), or it cannot be
            try:
                view = memoryview(b"".join(encode_record(record) for record in records))
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
                written += len(records)
            except (OSError, TypeError, ValueError):
                # Half a journal must not stand for the whole: gone, it is tried again.
                with contextlib.suppress(OSError):
                    path.unlink()
            finally:
                os.close(fd)
        if written:
            with contextlib.suppress(OSError):  # written; only the names' durability waits
                sync_dir(folder)
        return written
