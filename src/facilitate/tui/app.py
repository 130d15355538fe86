"""FacilitateApp: opens the right screen for the command and keeps nothing unsaved on quit."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from facilitate.agenda import Agenda
from facilitate.clock import SessionClock, system_clock
from facilitate.errors import UserError
from facilitate.events import SessionStarted
from facilitate.live import LiveSession
from facilitate.paths import Paths
from facilitate.store import control_lock, create_session, new_writer_id, resolve_session
from facilitate.tui.deliver import deliver_file
from facilitate.tui.launcher import LauncherScreen
from facilitate.tui.palette import palette_commands
from facilitate.tui.widgets.state_view import StateView

if TYPE_CHECKING:
    from facilitate.reference import ReferenceModel


ORPHAN_CHECK_S = 2.0


class FacilitateApp(App[int]):
    CSS_PATH = "facilitate.tcss"
    TITLE = "facilitate"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(
        self,
        paths: Paths,
        mode: str,
        *,
        agenda: Agenda | None = None,
        agenda_text: str = "",
        session: str | None = None,
        bell: bool = True,
        clock: SessionClock | None = None,
        tz: tzinfo | None = None,
        writer_id: str | None = None,
        served: bool = False,
        orphaned: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__()
        self.paths = paths
        self.mode = mode
        self.agenda = agenda
        self.agenda_text = agenda_text
        self.session_ref = session
        self.bell_on = bell
        self.clock = clock or system_clock()
        self.tz: tzinfo = tz or datetime.now().astimezone().tzinfo or UTC
        self.writer_id = writer_id
        self.served = served  # a view of `facilitate serve`: its screen is in a browser
        self.orphaned = orphaned  # True once the server that started us has gone
        self.live: LiveSession | None = None
        self._models: list[ReferenceModel] | None = None
        self._startup_error: str | None = None
        self._locks = contextlib.ExitStack()

    def get_default_screen(self) -> Screen[Any]:
        """The command's first screen, as the app's own rather than pushed from ``on_mount``.

        The default screen is styled and laid out as part of the app's start-up and
        drawn once. A screen pushed from ``on_mount`` is rendered while start-up still
        holds the display, that frame is thrown away, and the first one seen comes a
        full render later: about 60 ms on a 2-core laptop for the run screen.
        """
        screen: Screen[Any] | None = None
        if self.mode == "run" and self.agenda is not None:
            screen = self.new_session_screen(self.agenda, self.agenda_text)
        elif self.mode in ("resume", "join", "projector"):
            screen = self.session_screen(self.session_ref or "latest", self.mode)
        elif self.mode == "review":
            from facilitate.tui.review.sessions import SessionListScreen

            screen = SessionListScreen(self.paths, self.tz, self._today(), self.clock)
        elif self.mode == "launcher":
            screen = LauncherScreen(self.paths)
        return screen or super().get_default_screen()

    def on_mount(self) -> None:
        if self._startup_error is not None:
            self.exit(2, return_code=2, message=self._startup_error)
            return
        if self.mode == "review" and self.session_ref is not None:
            self.open_review(self.session_ref)
        if self.orphaned is not None:
            self.set_interval(ORPHAN_CHECK_S, self._check_server)
        # After the first screen has drawn (a screen runs these once it is painted).
        self.screen.call_after_refresh(self.startup_done)

    def startup_done(self) -> None:
        """The first frame is up: collect garbage again if ``cli.main`` paused it for start-up.

        What start-up built stays for the whole run, so it is frozen first: later
        collections then skip it, which keeps a countdown's idle CPU low.
        """
        if not gc.isenabled():
            gc.freeze()
            gc.enable()

    def reference_models(self) -> list[ReferenceModel]:
        """The lifecycle and Mobius models, read when a panel first needs them (not at start)."""
        if self._models is None:
            from facilitate.reference import load_models

            self._models, problems = load_models(self.paths.user_models_dir)
            for problem in problems:
                self.notify(str(problem), severity="warning", timeout=10)
        return self._models

    def panel_factory(self, live: LiveSession) -> Callable[[str], StateView]:
        """Builds a side panel for the run screen when one is first opened (the run screen
        does not import the panels: the two rooms meet here)."""

        def build(name: str) -> StateView:
            from facilitate.tui.panels import PANELS

            return PANELS[name](live, self.reference_models())

        return build

    # -- opening sessions (also used by the launcher) --

    def start_session(self, agenda: Agenda, text: str) -> None:
        screen = self.new_session_screen(agenda, text)
        if screen is not None:
            self.push_screen(screen)

    def open_session(self, ref: str, mode: str) -> None:
        screen = self.session_screen(ref, mode)
        if screen is not None:
            self.push_screen(screen)

    def new_session_screen(self, agenda: Agenda, text: str) -> Screen[Any] | None:
        """A new session's folder and journal, and the run screen on it (None: it failed)."""
        from facilitate.tui.run.screen import RunScreen

        now = self.clock.now()
        try:
            sid, folder = create_session(self.paths, agenda, text, now, self.tz)
            self._locks.enter_context(control_lock(folder))
        except UserError as exc:
            self._cannot_open(str(exc))
            return None
        except OSError as exc:
            where = self.paths.sessions_dir
            self._cannot_open(f"cannot start a session in {where}: {exc.strerror or exc}")
            return None
        live = LiveSession(
            sid,
            folder,
            agenda,
            self.clock,
            self.tz,
            self.writer_id or new_writer_id(),
        )
        live.record(SessionStarted(at=now, agenda_name=agenda.name, agenda_title=agenda.title))
        self.live = live  # the run screen writes the summary once it has drawn
        return RunScreen(live, control=True, bell=self.bell_on, panels=self.panel_factory(live))

    def session_screen(self, ref: str, mode: str) -> Screen[Any] | None:
        """A saved session opened to resume, join or follow (None: it could not be opened)."""
        try:
            sid, folder = resolve_session(self.paths, ref)
            if mode == "resume":
                self._locks.enter_context(control_lock(folder))
            writer = None if mode == "projector" else (self.writer_id or new_writer_id())
            live = LiveSession.open(sid, folder, self.clock, self.tz, writer)
        except (UserError, OSError) as exc:
            self._cannot_open(str(exc))
            return None
        for warning in live.warnings:
            self.notify(warning, severity="warning", timeout=10)
        self.live = live
        if mode == "projector":
            from facilitate.tui.run.projector import ProjectorScreen

            return ProjectorScreen(live, follow=True)
        from facilitate.tui.run.screen import RunScreen

        control = mode == "resume"
        return RunScreen(
            live,
            control=control,
            bell=self.bell_on,
            panels=self.panel_factory(live),
            ask_name=self.served and mode == "join",
        )

    def deliver_export(self, data: str | bytes, path: Path, what: str = "Export") -> bool:
        """An export for the person who asked: to their browser when this app is served
        (nothing is written on this machine), else written to ``path`` owner-only."""
        return deliver_file(self, data, path, what)

    def _check_server(self) -> None:
        """A served view ends with its server (Linux also has the kernel see to it)."""
        if self.orphaned is not None and self.orphaned():
            self.exit(0)

    def _cannot_open(self, why: str) -> None:
        """From the launcher, say so and stay; as the command's first screen, exit with it
        once mounted (the app cannot exit while it is still building its first screen)."""
        if self.mode == "launcher":
            self.notify(why, severity="error", timeout=10)
        else:
            self._startup_error = f"facilitate: {why}"

    def _today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()

    @on(LauncherScreen.AgendaChosen)
    def _agenda_chosen(self, message: LauncherScreen.AgendaChosen) -> None:
        self.start_session(message.agenda, message.text)

    @on(LauncherScreen.ResumeChosen)
    def _resume_chosen(self, message: LauncherScreen.ResumeChosen) -> None:
        self.open_session(message.session, "resume")

    @on(LauncherScreen.ReviewChosen)
    def _review_chosen(self) -> None:
        self.action_review()

    def action_review(self) -> None:
        """The saved sessions, over the launcher (q comes back to it)."""
        from facilitate.tui.review.sessions import SessionListScreen

        self.push_screen(SessionListScreen(self.paths, self.tz, self._today(), self.clock))

    def open_review(self, ref: str) -> None:
        """One session's review over the list, so q goes back to the list."""
        from facilitate.tui.review.session import SessionReviewScreen

        try:
            sid, _ = resolve_session(self.paths, ref)
        except UserError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return
        self.push_screen(SessionReviewScreen(self.paths, sid, self.tz, self._today(), self.clock))

    # -- quitting without losing anything --

    async def action_quit(self) -> None:
        live = self.live
        if live is not None and live.pending and not live.retry():
            from facilitate.tui.dialogs.confirm import ConfirmScreen

            def answered(quit_anyway: bool | None) -> None:
                if quit_anyway:
                    self._finish()

            self.push_screen(
                ConfirmScreen(
                    f"{live.pending} change(s) are NOT saved ({live.last_error}).\n"
                    "Quit anyway and lose them?",
                    "Quit and lose them",
                    "Stay",
                ),
                answered,
            )
            return
        self._finish()

    def _finish(self) -> None:
        if self.live is not None and not self.live.read_only:
            self._save_summary(self.live)
        self.exit(0)

    def _save_summary(self, live: LiveSession) -> None:
        try:
            live.save_summary()
        except OSError as exc:
            self.notify(f"Could not update summary.toml: {exc.strerror or exc}", severity="warning")

    def on_unmount(self) -> None:
        if self.live is not None:
            self.live.close()  # quitting already asked about anything still unsaved
        self._locks.close()

    # -- command palette: every key of the screen is there too --

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from palette_commands(screen)


def launch(paths: Paths, mode: str, **kwargs: Any) -> int:
    app = FacilitateApp(paths, mode, **kwargs)
    result = app.run()
    return result or 0
