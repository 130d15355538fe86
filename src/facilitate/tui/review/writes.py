"""What review may change in a saved session: actions done, notes parked, who was there,
and any note fixed in the whole day's notes (``ReviewNotes`` is that view's source).

Each change is an intent decided by the core and appended through a lazily
opened :class:`LiveSession` (so a session still running elsewhere sees it too).
A write that fails stays in memory, marked with ``*``, and is retried until it
is saved; leaving with changes unsaved asks first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from pathlib import Path

from facilitate import commands
from facilitate.actions import terminal_text
from facilitate.agenda import Agenda
from facilitate.clock import SessionClock
from facilitate.commands import Intent, Outcome, Refusal, World
from facilitate.errors import SessionError
from facilitate.events import Event
from facilitate.live import LiveSession
from facilitate.state import Note, SessionState
from facilitate.store import LoadedSession, new_writer_id
from facilitate.tui.review.common import BackScreen
from facilitate.tui.widgets.row_table import RowTable

RETRY_S = 2.0


class ReviewWrites(BackScreen):
    """The write path of one session's review (the screen supplies what is loaded)."""

    sid: str
    folder: Path
    tz: tzinfo
    clock: SessionClock
    loaded: LoadedSession | None
    live: LiveSession | None
    unsaved: set[str]

    # What the review screen gives this write path (it shows the notes; this changes them).
    selected_note: Callable[[], Note | None]
    _reindex: Callable[[], None]
    _show_detail: Callable[[], None]

    def _changed(self) -> None:
        """Redraw after a change: the notes table and the line under it."""
        self.query_one("#notes", RowTable).refresh_rows()
        self._show_detail()

    def record_intent(self, intent: Intent, *, saved: str, note_id: str = "") -> bool:
        """Decide ``intent`` against the session as it stands and record it; say ``saved``
        once it is on disk. True when something was recorded (saved or waiting)."""
        return isinstance(self.decide_and_record(intent, saved=saved, note_id=note_id), Event)

    def decide_and_record(self, intent: Intent, *, saved: str = "", note_id: str = "") -> Outcome:
        """As :meth:`record_intent`, answering what the core decided (a refusal is said
        too, and a failure to open the session comes back as one)."""
        try:
            live = self._live()
            world = World(live.agenda, live.state, self.clock.now(), self.tz)
            outcome = commands.decide(intent, world)
            if isinstance(outcome, Refusal):
                self.say(outcome.reason, severity="warning")
                return outcome
            if outcome is None:
                return None
            ok = live.record(outcome)
        except (SessionError, OSError, ValueError) as exc:
            self.say(f"Could not save that: {exc}", severity="error", timeout=10)
            return Refusal(f"could not save that: {exc}")
        if ok:
            self.unsaved.discard(note_id)
            if saved:
                self.say(saved)
        else:
            self.unsaved.add(note_id)
            self.say(
                f"NOT saved yet ({live.last_error}); trying again every few seconds.",
                severity="error",
                timeout=10,
            )
            self.set_timer(RETRY_S, self.retry_pending)
        return outcome

    def action_toggle_done(self) -> None:
        note = self.selected_note()
        if note is None or note.kind != "action":
            self.say("Select an action to mark it done or not done.", severity="warning")
            return
        done = not self._current(note).done
        said = f"Marked {'done' if done else 'not done'}: {terminal_text(note.text)}"
        self.record_intent(commands.SetActionDone(note.id, done), saved=said, note_id=note.id)
        self._changed()

    def action_toggle_parked(self) -> None:
        note = self.selected_note()
        if note is None:
            self.say("Select a note or question to park it.", severity="warning")
            return
        parked = not self._current(note).parked
        said = f"{'Parked' if parked else 'Out of the parking lot'}: {terminal_text(note.text)}"
        self.record_intent(commands.ParkNote(note.id, parked), saved=said, note_id=note.id)
        self._changed()

    def _current(self, note: Note) -> Note:
        """The note as the journal now has it (another terminal may have changed it)."""
        live = self._live()
        return live.state.notes.get(note.id) or note

    def action_attendance(self) -> None:
        """Who was there, the venue and the next meeting, for the minutes sent tonight."""
        from facilitate.tui.dialogs.attendance import AttendanceScreen

        try:
            live = self._live()
        except (SessionError, OSError) as exc:
            self.say(f"Could not open the session to write: {exc}", severity="error")
            return
        form = commands.attendance_form(live.state.attendance, live.agenda.participants)

        def saved(result: commands.AttendanceForm | None) -> None:
            if result is None:
                return
            changes = commands.attendance_changes(live.state.attendance, result)
            done = sum(self.record_intent(intent, saved="") for intent in changes)
            if done:
                self.say(f"Saved who was there ({done} change{'s' if done != 1 else ''}).")
            self._after_attendance()

        self.app.push_screen(AttendanceScreen(form, live.agenda.title), saved)

    def _after_attendance(self) -> None:
        """The heading shows the venue and who came: draw it again."""

    def on_unmount(self) -> None:
        if self.live is not None:
            self.live.close()

    def _live(self) -> LiveSession:
        """The session opened for writing on the first change; other writers' news folded in."""
        if self.live is None:
            self.live = LiveSession.open(
                self.sid,
                self.folder,
                self.clock,
                self.tz,
                writer_id=new_writer_id(),
                paths=self.ctx.paths,
            )
            assert self.loaded is not None
            self.loaded.state = self.live.state
            self._reindex()
        elif self.live.poll():
            self._reindex()
        return self.live

    def retry_pending(self) -> None:
        """Save what is unsaved, and keep trying while anything is."""
        if self.live is None or not self.unsaved:
            return
        if self.live.retry():
            self.unsaved.clear()
            self.say("Saved the change(s) that were waiting.")
            self._changed()
        else:
            self.set_timer(RETRY_S, self.retry_pending)


class ReviewNotes:
    """A session under review, as the whole-day notes view reads and changes it."""

    def __init__(self, screen: ReviewWrites, loaded: LoadedSession) -> None:
        self.screen, self.loaded = screen, loaded

    @property
    def agenda(self) -> Agenda:
        return self.loaded.agenda

    @property
    def state(self) -> SessionState:
        return self.loaded.state  # the live session's state once anything was written

    @property
    def tz(self) -> tzinfo:
        return self.screen.tz

    def unsaved(self) -> frozenset[str]:
        return frozenset(self.screen.unsaved)

    def execute(self, intent: Intent) -> Outcome:
        note_id = getattr(intent, "note_id", "")
        return self.screen.decide_and_record(
            intent, note_id=note_id if isinstance(note_id, str) else ""
        )
