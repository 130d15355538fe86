"""The app's end when it is told to go (a closed terminal, SIGTERM): nothing typed is lost.

Textual's terminal drivers leave SIGHUP and SIGTERM alone, so by default either
ends the process at once, with whatever waits for the disk still in memory (its
web driver turns SIGTERM into a plain exit, just as blind to it). Here SIGHUP,
SIGTERM and, on Windows, SIGBREAK (what closing a console window sends) are
taken on the event loop (``loop.add_signal_handler``; where that does not exist,
a plain handler that hands the signal to the loop). The handler makes one last
attempt to save, writes what is still unsaved to a recovery file
(:mod:`facilitate.recovery`), leaves a farewell saying where, and exits; a
watchdog ends the process if that exit stalls (a terminal that is gone can).

Whatever ends the app with events unsaved (quitting anyway, a crash) leaves the
same recovery file: :meth:`Lifeline.keep_unsaved`. ``resume`` and ``join`` find
the files of their session and offer to bring them back (:meth:`Lifeline.found`,
:meth:`Lifeline.question`, :meth:`Lifeline.answer`).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from textual.app import App

from facilitate import recovery
from facilitate.live import LiveSession
from facilitate.paths import Paths
from facilitate.recovery import Recovery, RecoveryError
from facilitate.tui.control import ControlKeeper

if TYPE_CHECKING:
    from facilitate.tui.dialogs.confirm import ConfirmScreen

ENDING_SIGNALS = ("SIGHUP", "SIGTERM", "SIGBREAK")
GRACE_S = 3.0  # after a signal, the most the app's own exit may take before the watchdog


def exit_status(signum: int) -> int:
    """What a shell expects of a process ended by signal ``signum``."""
    return 128 + signum


class Host(Protocol):
    """What of the app (``FacilitateApp``) the lifeline reads."""

    live: LiveSession | None
    paths: Paths
    farewell: str
    control: ControlKeeper
    tz: tzinfo


class Lifeline:
    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.installed: list[int] = []
        self._ending = False
        self._kept: set[int] = set()  # the sessions whose unsaved changes went aside
        self._said: list[str] = []  # and where they went
        self._watchdog: threading.Timer | None = None

    @property
    def host(self) -> Host:
        return cast(Host, self.app)

    # -- signals --

    def install(self) -> None:
        """Take SIGHUP, SIGTERM and SIGBREAK where the platform has them (on the app's
        running loop, so the handler never runs in the middle of a write)."""
        loop = asyncio.get_running_loop()
        for name in ENDING_SIGNALS:
            signum = getattr(signal, name, None)
            if signum is None:
                continue
            try:
                loop.add_signal_handler(signum, self.ending, signum)
            except (NotImplementedError, RuntimeError, ValueError, OSError):
                try:  # Windows: a plain handler, which hands the signal to the loop
                    signal.signal(signum, _to_loop(loop, self.ending))
                except (ValueError, OSError):
                    continue
            self.installed.append(signum)

    def ending(self, signum: int) -> None:
        """The process is told to go: last retry, recovery file if need be, exit."""
        if self._ending:
            return
        self._ending = True
        for live in self.sessions(waiting=False):
            live.verify()  # a folder deleted a moment ago: its events wait again
            live.retry()
        said = self.keep_unsaved(f"ended by {signal.Signals(signum).name}")
        if said:
            self.host.farewell = said
        code = exit_status(signum)
        if not self.app.is_headless:  # a test's app runs inside the test process
            self._watchdog = threading.Timer(GRACE_S, _force_exit, args=(code, said))
            self._watchdog.daemon = True
            self._watchdog.start()
        self.finish(code)

    def stand_down(self) -> None:
        """The app has exited: the watchdog has nothing left to do."""
        if self._watchdog is not None:
            self._watchdog.cancel()

    # -- quitting --

    def quit(
        self, typed: list[str] | None = None, *, before: Callable[[], object] | None = None
    ) -> None:
        """Quit; with changes still unsaved (they go to a recovery file) or ``typed`` lines
        that were never saved (they are lost), ask first. ``before`` runs once the quit is
        sure, before the summary is written (a running clock is stopped there)."""
        live = self.host.live
        lines = []
        if live is not None:
            live.verify()
            if live.pending and not live.retry():
                lines.append(
                    f"{live.pending} change(s) are NOT saved ({live.last_error}): they go to "
                    "a recovery file (readable by you only), which `facilitate resume` "
                    "offers to bring back."
                )
        lines += typed or []

        def go() -> None:
            if before is not None:
                before()
            self.finish(0)

        if not lines:
            go()
            return
        from facilitate.tui.dialogs.confirm import ConfirmScreen

        def answered(quit_anyway: bool | None) -> None:
            if quit_anyway:
                go()

        if typed:
            question, yes = "Quit anyway and lose what is typed?", "Quit and lose them"
        else:
            question, yes = "Quit anyway?", "Quit, keep them aside"
        self.app.push_screen(ConfirmScreen("\n".join([*lines, question]), yes, "Stay"), answered)

    def finish(self, code: int) -> None:
        """Exit with ``code``, the summary written first if this process keeps it."""
        app, live = self.app, self.host.live
        if live is not None and self.host.control.held:  # only the controlling process writes it
            try:
                live.save_summary()
            except OSError as exc:
                why = exc.strerror or exc
                app.notify(f"Could not update summary.toml: {why}", severity="warning")
        app.exit(code, return_code=code)

    def closing(self) -> None:
        """The app is going: release the journal; what is still unsaved goes aside."""
        live = self.host.live
        if live is not None:
            live.close()
        said = self.keep_unsaved()
        if said and said not in self.host.farewell:
            self.host.farewell = f"{self.host.farewell}\n{said}".strip()

    # -- unsaved events --

    def sessions(self, *, waiting: bool = True) -> list[LiveSession]:
        """Every session this app writes (with changes waiting): the one it runs, and one
        a review screen changes."""
        found = [self.host.live] + [getattr(s, "live", None) for s in self.app.screen_stack]
        unique = {id(live): live for live in found if isinstance(live, LiveSession)}
        return [
            live for live in unique.values() if live.writer_id and (live.pending or not waiting)
        ]

    def keep_unsaved(self, why: str = "") -> str | None:
        """Write each session's unsaved events to a recovery file, once, and return the
        lines that say where (None: nothing was unsaved)."""
        for live in self.sessions():
            if id(live) not in self._kept:
                self._keep(live, why)
        return "\n".join(self._said) or None

    def _keep(self, live: LiveSession, why: str) -> None:
        assert live.queue is not None and live.writer_id is not None
        self._kept.add(id(live))
        records = live.queue.pending
        count = f"{len(records)} unsaved change{'s' if len(records) != 1 else ''}"
        reason = "; ".join(part for part in (why, live.last_error) if part)
        try:
            path = recovery.keep(
                self.host.paths,
                live.id,
                live.folder,
                live.writer_id,
                records,
                why=reason,
                now=live.now(),
            )
        except RecoveryError as exc:
            line = (
                f"facilitate: {count} of session {live.id} could NOT be kept anywhere "
                f"({exc}); they are lost"
            )
        else:
            line = (
                f"facilitate: {count} of session {live.id} kept in {path} (readable by you "
                f"only); `facilitate resume {live.id}` brings "
                f"{'them' if len(records) != 1 else 'it'} back"
            )
        self._said.append(line)

    # -- bringing them back --

    def found(self, folder: Path) -> list[Recovery]:
        """The recovery files of the session in ``folder`` that hold something it lacks
        (a file whose every record is in the session already is removed, unasked)."""
        found = recovery.find(self.host.paths, folder)
        if found and recovery.count_new(folder, found) == 0:
            for kept in found:
                with contextlib.suppress(OSError):
                    recovery.restore(folder, kept)  # writes nothing; removes the file
            return []
        return found

    def question(self, folder: Path, found: list[Recovery]) -> ConfirmScreen:
        from facilitate.tui.dialogs.confirm import ConfirmScreen

        count = recovery.count_new(folder, found)
        files = "\n".join(f"  {r.path} ({self._when(r.kept_at)})" for r in found)
        return ConfirmScreen(
            f"{count} change(s) to this session could not be saved when a terminal ended, "
            f"and were kept in:\n{files}\nBring them back into the session now?",
            "Bring them back",
            "Not now",
        )

    def _when(self, iso: str) -> str:
        try:
            return f"kept at {datetime.fromisoformat(iso).astimezone(self.host.tz):%H:%M on %d %b}"
        except (ValueError, OverflowError):
            return "kept earlier"

    def answer(self, folder: Path, found: list[Recovery], yes: bool) -> None:
        """Bring the files back (yes), or say where they stay."""
        if not yes:
            where = ", ".join(str(r.path) for r in found)
            self._say(f"Left in {where}; resume offers them again.", "warning")
            return
        written = 0
        for kept in found:
            try:
                written += recovery.restore(folder, kept).written
            except OSError as exc:
                why = exc.strerror or str(exc)
                self._say(f"Could not bring back {kept.path} ({why}); it stays.", "error")
        if written:
            self._say(f"Brought back {written} change(s) into the session.", "information")

    def _say(self, text: str, severity: Any) -> None:
        self.app.notify(text, severity=severity, timeout=20, markup=False)


def _to_loop(loop: asyncio.AbstractEventLoop, handler: Any) -> Any:
    def handle(signum: int, _frame: object) -> None:
        with contextlib.suppress(RuntimeError):  # the app's loop has closed: nothing to do
            loop.call_soon_threadsafe(handler, signum)

    return handle


def _force_exit(code: int, said: str | None) -> None:
    """The app did not finish exiting in time: say what there is to say and go."""
    if said:
        with contextlib.suppress(OSError, ValueError):
            print(said, file=sys.__stderr__, flush=True)
    os._exit(code)
