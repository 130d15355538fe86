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
    ``close`` makes a last attempt and releases the file; what is still pending then
    stays in ``pending``.
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
    def closed(self) -> bool:
        return self._writer.closed

    @property
    def last_error(self) -> str | None:
        """Why the oldest pending record is not saved; None once everything is."""
        return self._last_error

    def submit(self, record: Record) -> bool:
        """True if ``record`` is durable now; False if it waits in the queue.

        A record JSON cannot hold raises TypeError/ValueError here, before it is queued,
        so it can never block the records behind it; so does submitting after ``close``.
        """
        if self.closed:
            raise ValueError(f"the journal {self._writer.path} is closed")
        line = encode_record(record)
        self._pending.append((line, json.loads(line)))
        if len(self._pending) > 1:
            return False
        return self.retry()

    def retry(self) -> bool:
        """Write pending records in order, stopping at the first failure; True when none wait.

        Once closed, nothing is written any more: True only if nothing was left pending.
        """
        if self.closed:
            return not self._pending
        while self._pending:
            try:
                self._writer.append_line(self._pending[0][0])
            except JournalWriteError as exc:
                self._last_error = str(exc)
                return False
            self._pending.popleft()
        self._last_error = None
        return True

    def close(self) -> tuple[Record, ...]:
        """Try once more to save what is pending, then release the journal file.

        Returns the records still unsaved, oldest first (empty when everything is on
        disk). They are not dropped: ``pending`` keeps them, but nothing writes them any
        more. Closing again does nothing and returns the same.
        """
        if not self.closed:
            try:
                self.retry()
            finally:
                self._writer.close()
        return self.pending
