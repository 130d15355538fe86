"""A session as a running process sees it: state, durable writes, and other writers' events.

The TUI never changes state itself: it calls :meth:`LiveSession.record`, which
stamps the event, folds it into the state, and hands it to the durable queue;
:meth:`LiveSession.poll` folds in what other processes (a scribe's ``join``,
the facilitator seen from a projector) appended since the last look.

A writing session holds its journal file open. :meth:`LiveSession.close` (or
leaving a ``with`` block) makes one last attempt to save what is pending and
releases the file; it returns the records still unsaved, which stay in memory
(``queue.pending``): closing never drops an event, it only stops retrying, so a
caller that gets a non-empty answer should say so before the process ends.
Closing twice is harmless. A closed session still reads (``poll``, ``snapshot``)
but refuses to ``record``. Following needs no close: the follower opens each
file only for the moment it reads it.
"""

from __future__ import annotations

import os
import threading
from dataclasses import replace
from datetime import datetime, tzinfo
from pathlib import Path
from types import TracebackType
from typing import Any

from facilitate.admission import read_event
from facilitate.agenda import Agenda
from facilitate.clock import SessionClock
from facilitate.errors import SessionError
from facilitate.events import (
    ClockCorrected,
    Event,
    EventError,
    NoteAdded,
    event_from_record,
    event_id,
    with_envelope,
)
from facilitate.journal import (
    JOURNAL_PREFIX,
    JOURNAL_SUFFIX,
    DurableQueue,
    JournalFollower,
    JournalIO,
    JournalWriter,
    read_session,
)
from facilitate.journal.others import OtherJournals
from facilitate.listing import summary_source
from facilitate.osfs import private_dir
from facilitate.paths import Paths
from facilitate.reducer import apply
from facilitate.salvage import fallback_agenda
from facilitate.schedule import Snapshot, snapshot
from facilitate.state import SessionState, new_state
from facilitate.store import (
    AGENDA_FILE,
    load_agenda_copy,
    read_agenda_copy_text,
    summary_data,
    write_agenda_copy,
    write_summary,
)


class LiveSession:
    def __init__(
        self,
        sid: str,
        folder: Path,
        agenda: Agenda,
        clock: SessionClock,
        tz: tzinfo,
        writer_id: str | None,
        *,
        follower: JournalFollower | None = None,
        state: SessionState | None = None,
        writer: JournalWriter | None = None,
        agenda_text: str | None = None,
        io: JournalIO | None = None,
    ) -> None:
        self.id = sid
        self.folder = folder
        self.agenda = agenda
        self.clock = clock
        self.tz = tz
        self.writer_id = writer_id
        self.state = state or new_state(len(agenda.segments))
        self.follower = follower or JournalFollower(folder)
        self.warnings: list[str] = []
        # The agenda copy as written, to put back if the folder is lost (None: not known).
        self.agenda_text = agenda_text
        self.queue: DurableQueue | None = None
        if writer_id is not None:
            writer = writer or JournalWriter(
                folder, writer_id, io=io, on_folder_missing=self._restore
            )
            self.queue = DurableQueue(writer, on_lost=self._restore)
        self._restore_failed: str | None = None
        self._agenda_restored = False
        self.others = OtherJournals(writer_id)  # to put back with the folder, if it goes
        self._others_restored = 0
        self._seq = 0
        self._moves: list[tuple[datetime, int, int]] = []  # (at, from, to) of `current`
        self._closed = False
        # The process that keeps the session's time (run, resume) journals wall-clock
        # corrections, which move the running segment's start; scribes only show them.
        self.timekeeper = False
        self._clock_notice = 0.0
        self._summary_lock = threading.Lock()
        self._summary_revision = -1

    @classmethod
    def open(
        cls,
        sid: str,
        folder: Path,
        clock: SessionClock,
        tz: tzinfo,
        writer_id: str | None,
        *,
        writer: JournalWriter | None = None,
        paths: Paths | None = None,
    ) -> LiveSession:
        """Replay what is on disk so far and keep following the folder from there. Without
        a readable agenda copy, the agenda of the same name (in ``paths``) or one rebuilt
        from the journal stands in, with a warning. A folder that cannot be read is an
        error: an empty view would claim all is saved."""
        try:
            os.listdir(folder)
        except OSError as exc:
            raise SessionError(f"cannot read {folder}: {exc.strerror or exc}") from None
        try:
            agenda, why = load_agenda_copy(folder), None
            text = read_agenda_copy_text(folder)
        except SessionError as exc:  # the notes are intact: open with the next best agenda
            records = read_session(folder).records
            events = [e for e in map(_event_or_none, records) if e is not None]
            agenda, fallback = fallback_agenda(folder, events, paths)
            why, text = f"{exc}; {fallback}", None
        live = cls(sid, folder, agenda, clock, tz, writer_id, writer=writer, agenda_text=text)
        if why is not None:
            live.warnings.append(why)
        live.poll()
        if live.state.agenda_name:
            live.agenda = replace(agenda, name=live.state.agenda_name)
        else:
            live.state.agenda_name, live.state.agenda_title = agenda.name, agenda.title
        return live

    # -- writing --

    @property
    def read_only(self) -> bool:
        return self.queue is None

    def now(self) -> datetime:
        return self.clock.now()

    def record(self, event: Event) -> bool:
        """Apply and journal one event; True when it is already durable on disk."""
        if self.queue is None or self.writer_id is None:
            raise RuntimeError("this view follows the session read-only")
        if self._closed:
            raise RuntimeError(f"session {self.id} is closed")
        saved = self._journal_correction()  # before an event stamped by the corrected clock
        return self._record(event) and saved

    def _record(self, event: Event) -> bool:
        assert self.queue is not None and self.writer_id is not None
        stamped = with_envelope(event, writer=self.writer_id, seq=self._seq)
        self._seq += 1
        self._apply(stamped)
        return self.queue.submit(stamped.to_record())

    def _apply(self, event: Event) -> None:
        before = self.state.current
        apply(self.state, event)
        if self.state.current != before:
            self._moves.append((event.at, before, self.state.current))

    def _journal_correction(self) -> bool:
        offset = self.clock.take_correction()
        if offset is None:
            return True
        self._clock_notice += offset
        if self.timekeeper and self.queue is not None and not self._closed:
            return self._record(ClockCorrected(at=self.clock.now(), offset_s=offset))
        return True

    def clock_notice(self) -> float | None:
        """A wall-clock correction noticed since the last call, in seconds (negative: the
        clock went back), once, for the screen to say; journaled first if we keep time."""
        self.clock.now()
        self._journal_correction()
        offset, self._clock_notice = self._clock_notice, 0.0
        return offset or None

    def stamp_now(self, event: Event) -> Event:
        return replace(event, at=self.now())

    @property
    def pending(self) -> int:
        return len(self.queue.pending) if self.queue else 0

    @property
    def last_error(self) -> str | None:
        return self.queue.last_error if self.queue else None

    def retry(self) -> bool:
        """Try again to save what is pending; True when nothing is left unsaved."""
        return self.queue.retry() if self.queue else True

    def unsaved_note_ids(self) -> set[str]:
        """Ids of the notes added here that are not on disk yet (shown as UNSAVED)."""
        if self.queue is None:
            return set()
        return {
            event_id(record["writer"], record["seq"])
            for record in self.queue.pending
            if record.get("type") == NoteAdded.TYPE
        }

    # -- a lost folder or journal --

    def verify(self) -> bool:
        """Check (one stat) that this process's journal is still on disk. If it, or the
        whole folder, was deleted or replaced, the folder and agenda copy are put back and
        everything this process wrote is written again, with the same numbers, before
        anything newer (pending, and shown so, until it is). True when nothing waits."""
        if self.queue is None or self._closed:
            return True
        saved = self.queue.verify()
        if self.agenda_text is not None and not (self.folder / AGENDA_FILE).exists():
            self._restore()  # the copy alone went, or could not be put back before
        self._others_restored += self.others.put_back(self.folder)  # another's deleted
        return saved

    def _restore(self, folder: Path | None = None) -> None:
        """Re-create the session folder (0700) and its agenda copy if they are gone; a
        failure leaves the journal's own error to say what is wrong."""
        self._restore_failed = None
        try:
            private_dir(self.folder)  # also tightens a folder put back by hand
            if self.agenda_text is not None and not (self.folder / AGENDA_FILE).exists():
                created = self.state.created or self.now()
                write_agenda_copy(self.folder, self.agenda_text, created)
                self._agenda_restored = True
            self._others_restored += self.others.put_back(self.folder)
        except OSError as exc:
            self._restore_failed = exc.strerror or str(exc)

    def repair_notice(self) -> str | None:
        """What was found lost since the last call and what was done, once, for the screen
        to say (None: nothing was lost)."""
        if self.queue is None:
            return None
        if not self.queue.rewrites:
            if self._others_restored and not self._agenda_restored:
                count, self._others_restored = self._others_restored, 0
                return (
                    f"Another terminal's journal in {self.folder} was deleted: the {count} "
                    "events this screen had read from it are written back."
                )
            if not self._agenda_restored:
                return None
            self._agenda_restored = False
            return f"The agenda copy in {self.folder} was missing: it is put back."
        found, self.queue.rewrites = self.queue.rewrites, []
        count = sum(r.count for r in found)
        folder_missing = any(r.folder_missing for r in found)
        if count == 0 and not folder_missing:
            return None  # replaced by a copy that holds everything: nothing to say
        copy, self._agenda_restored = self._agenda_restored, False
        if folder_missing:
            what = f"The session folder {self.folder} was deleted. It is re-created"
            what += ", with its agenda copy, and" if copy else " and"
        else:
            how = "emptied or overwritten" if all(r.overwritten for r in found) else None
            what = f"This terminal's journal in {self.folder} was {how or 'deleted or replaced'}."
            what += " The agenda copy is put back, and" if copy else ""
        events = f"{count} event{'s' if count != 1 else ''} this terminal wrote"
        events = f"the {events}" if what.endswith("and") else f"The {events}"
        are = "is" if count == 1 else "are"
        others, self._others_restored = self._others_restored, 0
        if others:
            events += f" (and {others} of other terminals, read here)"
        if self.pending == 0:
            return f"{what} {events} {are} saved again."
        why = self._restore_failed or self.last_error or "the disk refused"
        return f"{what} {events} {are} NOT saved yet ({why}); kept in memory, retrying."

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> tuple[dict[str, Any], ...]:
        """Check the journal is still there (:meth:`verify`), try once more to save what is
        pending, then release the journal file.

        Returns the events still unsaved, as journal records, oldest first; empty when
        everything is on disk. They stay in ``queue.pending`` (closing never drops them)
        but are no longer retried. Safe to call again: it returns the same records.
        """
        if not self._closed:
            self.verify()  # a journal deleted a moment ago: what it held waits again
        self._closed = True
        return self.queue.close() if self.queue is not None else ()

    def __enter__(self) -> LiveSession:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- reading --

    def poll(self) -> bool:
        """Fold in other writers' new events; True if anything changed."""
        changed = False
        for where, record in self.follower.poll_with_origins():
            if self.writer_id is not None and record.get("writer") == self.writer_id:
                continue
            event, said = read_event(self.state, record)
            if said:
                self.warnings.extend(f"{where}: {sentence}" for sentence in said)
            if event is not None:
                self._apply(event)
                self.others.keep(record)
                changed = True
        self.warnings.extend(self.follower.warnings)
        self.follower.warnings.clear()
        return changed

    def segment_at(self, when: datetime) -> int:
        """The segment that was current at ``when``, as the journals read so far say (the
        facilitator's moves from segment to segment); the current one when none came
        after ``when``."""
        current = self.state.current
        for at, before, _ in reversed(self._moves):
            if at <= when:
                break
            current = before
        return current

    def snapshot(self, now: datetime | None = None) -> Snapshot:
        return snapshot(self.agenda, self.state, now or self.now(), self.tz)

    def summary(self) -> dict[str, Any]:
        """What ``summary.toml`` says now, with the journals it stands for (``[source]``)."""
        data = summary_data(self.id, self.agenda, self.state, self.now())
        own = f"{JOURNAL_PREFIX}{self.writer_id}{JOURNAL_SUFFIX}" if self.writer_id else None
        data["source"] = summary_source(self.folder, self.follower.consumed(), own)
        return data

    def save_summary(
        self, data: dict[str, Any] | None = None, *, revision: int | None = None
    ) -> bool:
        """Atomic rewrite of summary.toml; raises OSError for the caller to show.

        ``data`` (from :meth:`summary`) and its ``revision`` (the state's event count
        then) let a screen build the summary on its own thread and write it on a
        worker thread. Safe from several threads: a summary older than the one last
        written is skipped (False), so the file never goes back in time.
        """
        if data is None:
            data, revision = self.summary(), self.state.event_count
        with self._summary_lock:
            if revision is not None and revision < self._summary_revision:
                return False
            write_summary(self.folder, data)
            if revision is not None:
                self._summary_revision = revision
        return True


def _event_or_none(record: dict[str, Any]) -> Event | None:
    try:
        return event_from_record(record)
    except EventError:
        return None
