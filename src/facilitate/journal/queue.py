"""The queue the UI submits to: a record is either durable or pending, never dropped."""

from __future__ import annotations

import json
from collections import deque

from facilitate.journal.format import Record, encode_record
from facilitate.journal.writer import JournalWriteError, JournalWriter


class DurableQueue:
    """What the UI submits to: a record is either durable or pending, never dropped.

    ``submit`` writes at once when nothing is waiting; otherwise (or if the write
    fails) the record joins an in-memory FIFO, which ``retry`` (call it on a timer
    and before quitting) flushes in order. The file's order is always submission
    order. Records are snapshotted at submit, so later changes to the dict are ignored.
    """

    def __init__(self, writer: JournalWriter) -> None:
        self._writer = writer
        self._pending: deque[tuple[bytes, Record]] = deque()  # (line to write, its snapshot)
        self._last_error: str | None = None

    @property
    def writer(self) -> JournalWriter:
        return self._writer

    @property
    def pending(self) -> tuple[Record, ...]:
        """Snapshots of the records not yet on disk, oldest first (cheap: no re-decoding)."""
        return tuple(snapshot for _, snapshot in self._pending)

    @property
    def last_error(self) -> str | None:
        """Why the oldest pending record is not saved; None once everything is."""
        return self._last_error

    def submit(self, record: Record) -> bool:
        """True if ``record`` is durable now; False if it waits in the queue.

        A record JSON cannot hold raises TypeError/ValueError here, before it is queued,
        so it can never block the records behind it.
        """
        line = encode_record(record)
        self._pending.append((line, json.loads(line)))
        if len(self._pending) > 1:
            return False
        return self.retry()

    def retry(self) -> bool:
        """Write pending records in order, stopping at the first failure; True when none wait."""
        while self._pending:
            try:
                self._writer.append_line(self._pending[0][0])
            except JournalWriteError as exc:
                self._last_error = str(exc)
                return False
            self._pending.popleft()
        self._last_error = None
        return True
