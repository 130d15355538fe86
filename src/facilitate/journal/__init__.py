"""Append-only JSON-lines journals: one file per writer process in a session folder.

A scribe's note is saved only when it is on disk: each record is one line,
written with a single ``write`` and then ``fsync``-ed before anyone is told it
is saved. A failed write never leaves a fragment glued onto the next record,
and readers skip torn or garbled lines with a warning instead of refusing the
whole session. Nothing here reads the clock or guesses paths: callers stamp
records (``at``, ``writer``, ``seq``) and pass the folder in.

``format`` (names, bytes, order), ``writer`` (durable appends), ``queue``
(what waits to be saved), ``lines`` (bytes to records), ``merge`` (the writers'
records in one order, each once), ``reader`` (a file, a session, a piece at a
time) and ``follower`` (a live folder, polled).
"""

from __future__ import annotations

from facilitate.journal.follower import JournalFollower
from facilitate.journal.format import (
    FILE_MODE,
    JOURNAL_PREFIX,
    JOURNAL_SUFFIX,
    encode_record,
    journal_path,
    merge_key,
)
from facilitate.journal.queue import DurableQueue, Rewrite
from facilitate.journal.reader import (
    JournalRead,
    gc_paused,
    read_journal,
    read_merged,
    read_session,
)
from facilitate.journal.writer import JournalIO, JournalReplaced, JournalWriteError, JournalWriter

__all__ = [
    "FILE_MODE",
    "JOURNAL_PREFIX",
    "JOURNAL_SUFFIX",
    "DurableQueue",
    "JournalFollower",
    "JournalIO",
    "JournalRead",
    "JournalReplaced",
    "JournalWriteError",
    "JournalWriter",
    "Rewrite",
    "encode_record",
    "gc_paused",
    "journal_path",
    "merge_key",
    "read_journal",
    "read_merged",
    "read_session",
]
