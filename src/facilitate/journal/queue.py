"""The queue the UI submits to: a record is either durable or pending, never dropped."""

from __future__ import annotations

import contextlib
import json
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from facilitate.journal.format import Record, encode_record
from facilitate.journal.writer import JournalReplaced, JournalWriteError, JournalWriter

BATCH_BYTES = 1024 * 1024  # records waiting are written this much at a time, one fsync each


@dataclass(frozen=True)
class Rewrite:
    """The journal was found deleted or replaced: ``count`` of the records saved before
    were missing from it and went back to the queue, to be written again."""

    count: int
    folder_missing: bool
    why: str
    overwritten: bool = False  # the same file, emptied or written over in place


class DurableQueue:
    """What the UI submits to: a record is either durable or pending, never dropped.

    ``submit`` writes at once when nothing is waiting; otherwise (or if the write
    fails) the record joins an in-memory FIFO, which ``retry`` (call it on a timer
    and before quitting) flushes in order. The file's order is always submission
    order. Records are snapshotted at submit, so later changes to the dict are ignored.
    ``close`` makes a last attempt and releases the file; what is still pending then
    stays in ``pending``.

    The queue remembers every line it saved. When the journal turns out to be gone or
    replaced (found on a write, or by :meth:`verify`), ``on_lost`` is called first (to
    re-create the folder and what else belongs in it), then the saved records missing
    from the file go back to the front of the queue, in order and with their own
    numbers, and are written again before anything newer: they count as pending (not
    saved) until they are. Each such finding is kept in ``rewrites`` for the screen.
    """

    def __init__(self, writer: JournalWriter, *, on_lost: Callable[[], None] | None = None) -> None:
        self._writer = writer
        self._pending: deque[tuple[bytes, Record]] = deque()  # (line to write, its snapshot)
        self._written: list[bytes] = []  # every line saved, in order: to write again if lost
        self._last_error: str | None = None
        self._on_lost = on_lost
        self.rewrites: list[Rewrite] = []

    @property
    def writer(self) -> JournalWriter:
        return self._writer

    @property
    def pending(self) -> tuple[Record, ...]:
        """Snapshots of the records not yet on disk, oldest first (cheap: no re-decoding)."""
        return tuple(snapshot for _, snapshot in self._pending)

    @property
    def saved_count(self) -> int:
        return len(self._written)

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

        Once one has been written, the others go together (up to :data:`BATCH_BYTES` per
        write and fsync), so a long queue after a full disk or a lost journal is saved
        quickly.
        Once closed, nothing is written any more: True only if nothing was left pending.
        """
        if self.closed:
            return not self._pending
        most = 0  # the first write is one record: a disk still failing costs the least
        while self._pending:
            batch = self._batch(most)
            try:
                self._writer.append_line(b"".join(batch), same_file=True)
            except JournalReplaced as exc:
                self._requeue_lost(exc)
                continue  # at most once per loss: the writer opens a fresh file next
            except JournalWriteError as exc:
                self._last_error = str(exc)
                return False
            for _ in batch:
                self._written.append(self._pending.popleft()[0])
            most = BATCH_BYTES
        self._last_error = None
        return True

    def verify(self) -> bool:
        """Check that the journal is still where it was written, as it was left (one stat);
        if it is gone, replaced or overwritten in place, queue again what it held and try
        to write it. False when the journal lost records that are not written again yet
        (they are pending)."""
        if self.closed:
            return not self._pending
        lost = self._writer.take_loss()
        if lost is None and self._written and not self._writer.opened:
            # The file could not be opened since it was last lost: nothing says that what
            # is at its path now holds our records, so look.
            found = self._requeue_lost(self._writer.unknown_file(), checked=True)
        elif lost is not None:
            found = self._requeue_lost(lost)
        else:
            found = False
        saved = self.retry() if found else not self._pending
        if saved and self._written and not self._writer.opened:
            # Nothing needed writing (a copy with everything took the journal's place):
            # open it now, so that the next loss is noticed too.
            with contextlib.suppress(JournalWriteError):
                self._writer.open_now()
        return saved

    def _batch(self, most: int) -> list[bytes]:
        batch: list[bytes] = []
        size = 0
        for line, _ in self._pending:
            if batch and size + len(line) > most:
                break
            batch.append(line)
            size += len(line)
        return batch

    def _requeue_lost(self, exc: JournalReplaced, *, checked: bool = False) -> bool:
        """Queue again, first, what the journal no longer holds; False when nothing. Only
        ``checked`` (a look, not a loss the writer found): said only if something was."""
        if self._on_lost is not None:
            self._on_lost()
        present = self._writer.lines_on_disk()
        missing = [line for line in self._written if line not in present]
        self._written = [line for line in self._written if line in present]
        for line in reversed(missing):
            self._pending.appendleft((line, json.loads(line)))
        if missing or not checked:
            found = Rewrite(len(missing), exc.folder_missing, exc.message, exc.overwritten)
            self.rewrites.append(found)
        return bool(missing)

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
