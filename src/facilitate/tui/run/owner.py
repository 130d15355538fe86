"""The base of a screen that owns a live session: the one place where intents become events.

:meth:`SessionOwner.execute` asks the core to decide an intent
(``facilitate.commands``) against the session as it stands now, shows a
refusal, or records the event. Widgets never write: they post messages, and
the screen handling them calls ``execute``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.screen import Screen

from facilitate import commands
from facilitate.commands import Intent, Refusal, World
from facilitate.events import Event
from facilitate.live import LiveSession
from facilitate.text import terminal_text
from facilitate.tui.messages import Intended

Outcome = Event | Refusal | None
WARNINGS_SHOWN = 3  # at once: a damaged journal read in one go says so in a few toasts


class SessionOwner(Screen[None]):
    def __init__(self, live: LiveSession) -> None:
        super().__init__()
        self.live = live
        self._warned = len(live.warnings)  # those found on opening were said by the app
        self._unsaved_said = ""  # the "not saved" toast last shown, until all is saved

    def world(self) -> World:
        live = self.live
        served = getattr(self.app, "served", False)
        return World(
            live.agenda, live.state, live.now(), live.tz, live.writer_id, own_notes_only=served
        )

    def execute(self, intent: Intent, *, quiet: bool = False) -> Outcome:
        """Ask the core what ``intent`` means now; record the event, or say why not (unless
        ``quiet``: the caller shows the refusal where it belongs)."""
        if self.live.read_only:
            self.notify("This view follows the session read-only.", severity="warning")
            return None
        outcome = commands.decide(intent, self.world())
        if isinstance(outcome, Refusal):
            if not quiet:
                self.notify(outcome.reason, severity="warning", markup=False)
        elif outcome is not None:
            self.record(outcome)
        return outcome

    @on(Intended)
    def _intended(self, message: Intended) -> None:
        """A widget (a side panel) asks for something: decide and record it here."""
        message.stop()
        self.execute(message.intent)

    def record(self, event: Event) -> None:
        if not self.live.record(event):
            self.warn_unsaved()
        self.saved_or_not()
        self.say_repairs()
        self.recorded(event)

    def say_repairs(self) -> bool:
        """Say once what was found lost (the session folder or this terminal's journal
        deleted) and what was done about it; True when there was something to say."""
        notice = self.live.repair_notice()
        if notice is None:
            return False
        saved = not self.live.pending
        self.notify(notice, severity="warning" if saved else "error", timeout=20, markup=False)
        keeper = getattr(self.app, "control", None)  # the app's ControlKeeper, if it drives
        if saved and keeper is not None:  # (a folder not put back: the renewal says so)
            keeper.renew_soon()  # a re-created folder needs its lock now, not in 5 s
        return True

    def say_warnings(self) -> None:
        """Say what reading the other terminals' journals turned up since the last time (a
        damaged line, a file that cannot be read), as it is found: the minutes would
        otherwise lack it without a word."""
        fresh = self.live.warnings[self._warned :]
        self._warned = len(self.live.warnings)
        for warning in fresh[:WARNINGS_SHOWN]:
            self.notify(terminal_text(warning), severity="warning", timeout=12, markup=False)
        if len(fresh) > WARNINGS_SHOWN:
            more = len(fresh) - WARNINGS_SHOWN
            self.notify(f"… and {more} more like these.", severity="warning", timeout=12)

    def recorded(self, event: Event) -> None:
        """After an event is in the state (and on disk, or waiting): redraw."""

    def saved_or_not(self) -> None:
        """All saved again: the next failure is said again."""
        if not self.live.pending:
            self._unsaved_said = ""

    def warn_unsaved(self) -> None:
        """Say once that changes wait, not once per note: a pile of the same toast hid the
        quit question's buttons (the top bar keeps the count of what waits)."""
        said = f"Not saved yet: {self.live.last_error}. Kept in memory; retrying."
        if said == self._unsaved_said:
            return
        self._unsaved_said = said
        self.notify(said, severity="error", timeout=8, markup=False)

    def push_dialog(
        self, screen: Screen[Any], callback: Callable[[Any], None] | None = None
    ) -> None:
        """Open a dialog over this screen; :meth:`dialog_opening` first says where the
        keyboard goes when it closes."""
        self.dialog_opening()
        self.app.push_screen(screen, callback)

    def dialog_opening(self) -> None:
        """Called just before a dialog opens over this screen."""

    def confirm(
        self,
        question: str,
        yes: str,
        no: str,
        intent: Intent,
        then: Callable[[Outcome], None] | None = None,
    ) -> None:
        """Ask first; on yes, execute ``intent`` (and hand the outcome to ``then``)."""
        from facilitate.tui.dialogs.confirm import ConfirmScreen

        def answered(sure: bool | None) -> None:
            if sure:
                outcome = self.execute(intent)
                if then is not None:
                    then(outcome)

        self.push_dialog(ConfirmScreen(question, yes, no), answered)
