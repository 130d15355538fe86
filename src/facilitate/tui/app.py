"""FacilitateApp: opens the right screen for the command and keeps nothing unsaved on quit."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from rich.console import Console
from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.theme import Theme

from facilitate import commands
from facilitate.agenda import Agenda
from facilitate.clock import SessionClock, system_clock
from facilitate.commands import DayStart, World
from facilitate.control import ControlRefused, TakeOverNeeded
from facilitate.control_fault import taking_control
from facilitate.errors import UserError
from facilitate.events import DayStartChosen, SessionStarted
from facilitate.live import LiveSession
from facilitate.paths import Paths, resolve_paths
from facilitate.settings import read_settings, remember, settings_warnings
from facilitate.store import create_session, discard_new_session, new_writer_id, resolve_session
from facilitate.text import terminal_text
from facilitate.tui.control import ControlKeeper
from facilitate.tui.deliver import deliver_file
from facilitate.tui.key_order import KeyOrderApp
from facilitate.tui.lifeline import Lifeline
from facilitate.tui.palette import palette_commands
from facilitate.tui.widgets.state_view import StateView

if TYPE_CHECKING:
    from facilitate.reference import ReferenceModel
    from facilitate.tui.launcher import LauncherScreen


ORPHAN_CHECK_S = 2.0


class FacilitateApp(KeyOrderApp):
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
        crash_log: IO[str] | None = None,
        start: DayStart | None = None,
        hide_lateness: bool = False,
    ) -> None:
        super().__init__()
        if crash_log is not None:
            # The traceback of a crash goes to a log file, not over the person's terminal;
            # the command line then points to it (see ``cli.main``).
            self.error_console = Console(file=crash_log, width=120, color_system=None)
        self.paths = paths
        self.mode = mode
        self.agenda = agenda
        self.agenda_text = agenda_text
        self.session_ref = session
        self.bell_on = bell
        self.clock = clock or system_clock()
        self.tz: tzinfo = tz or datetime.now().astimezone().tzinfo or UTC
        self.writer_id = writer_id or new_writer_id()
        self.served = served  # a view of `facilitate serve`: its screen is in a browser
        self.orphaned = orphaned  # True once the server that started us has gone
        self.start = start  # `run --start`: when the day starts, and how it is timed
        self.hide_lateness = hide_lateness  # `projector --hide-lateness`
        self.live: LiveSession | None = None
        self.farewell = ""  # said on the terminal once the screen is gone (``launch``)
        self.control = ControlKeeper(self, self.clock, self.tz, self.writer_id)
        self.lifeline = Lifeline(self)  # a closed terminal or SIGTERM loses nothing
        self._mounted = False
        self._models: list[ReferenceModel] | None = None
        self._startup_error: str | None = None
        saved = read_settings(paths).get("theme")
        if isinstance(saved, str) and saved in self.available_themes:
            self.theme = saved

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
            from facilitate.tui.launcher import LauncherScreen

            screen = LauncherScreen(self.paths)
        return screen or super().get_default_screen()

    def on_mount(self) -> None:
        self._mounted = True
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self._startup_error is not None:
            self.farewell = self._startup_error
            self.exit(2, return_code=2)
            return
        self.control.start()
        if not self.is_headless:
            self.lifeline.install()
        if self.mode == "review" and self.session_ref is not None:
            self.open_review(self.session_ref)
        if self.orphaned is not None:
            self.set_interval(ORPHAN_CHECK_S, self._check_server)
        # After the first screen has drawn (a screen runs these once it is painted).
        self.screen.call_after_refresh(self.startup_done)

    def startup_done(self) -> None:
        """The first frame is up: say what is wrong with settings.toml, if anything, and
        collect garbage again if ``cli.main`` paused it for start-up (frozen first: what
        start-up built stays for the run, and later collections skip it, for idle CPU)."""
        for problem in settings_warnings(self.paths, self.available_themes):
            self.notify(terminal_text(problem), severity="warning", timeout=12, markup=False)
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

    def open_session(
        self, ref: str, mode: str, *, take_over: bool = False, asked: bool = False
    ) -> None:
        screen = self.session_screen(ref, mode, take_over=take_over, asked=asked)
        if screen is not None:
            self.push_screen(screen)

    def new_session_screen(self, agenda: Agenda, text: str) -> Screen[Any] | None:
        """A new session's folder and journal, and the run screen on it (None: it failed)."""
        from facilitate.tui.run.screen import RunScreen

        now = self.clock.now()
        try:
            sid, folder = create_session(self.paths, agenda, text, now, self.tz)
        except OSError as exc:
            where = self.paths.sessions_dir
            self._cannot_open(f"cannot start a session in {where}: {exc.strerror or exc}")
            return None
        try:
            self.control.take(folder, sid, take_over=True)  # new: nobody else can hold it
        except (ControlRefused, TakeOverNeeded, OSError) as exc:
            discard_new_session(folder)  # no empty "not started" session left behind
            self._cannot_open(f"cannot start a session in {folder}: {exc}")
            return None
        live = LiveSession(
            sid, folder, agenda, self.clock, self.tz, self.writer_id, agenda_text=text
        )
        live.record(SessionStarted(at=now, agenda_name=agenda.name, agenda_title=agenda.title))
        moved = False
        if self.start is not None:
            world = World(agenda, live.state, now, self.tz)
            outcome = commands.decide(self.start.intent(now, self.tz), world)
            if isinstance(outcome, DayStartChosen):
                live.record(outcome)
                moved = outcome.shift
        self.live = live  # the run screen writes the summary once it has drawn
        screen = RunScreen(live, control=True, bell=self.bell_on, panels=self.panel_factory(live))
        screen.propose_on_open = moved
        return screen

    def session_screen(
        self, ref: str, mode: str, *, take_over: bool = False, asked: bool = False
    ) -> Screen[Any] | None:
        """A saved session opened to resume, join or follow (None: it could not be opened).

        ``resume`` takes control of the session; when another machine held it and stopped
        renewing, it asks first (a screen that asks, then opens the session). Changes a
        terminal could not save before it ended are offered back first (unless ``asked``)."""
        try:
            sid, folder = resolve_session(self.paths, ref)
            if mode == "resume":
                with taking_control(f"cannot resume {sid}", sid, folder):
                    self.control.take(folder, sid, take_over=take_over)
            found = [] if asked or mode == "projector" else self.lifeline.found(folder)
            if found:

                def answered(yes: bool | None) -> None:
                    self.lifeline.answer(folder, found, bool(yes))
                    self.open_session(ref, mode, take_over=take_over, asked=True)

                return self._ask(self.lifeline.question(folder, found), answered)
            writer = None if mode == "projector" else self.writer_id
            live = LiveSession.open(sid, folder, self.clock, self.tz, writer, paths=self.paths)
        except TakeOverNeeded as exc:
            return self._ask_take_over(str(exc), ref)
        except (UserError, ControlRefused, OSError) as exc:
            self.control.drop()
            self._cannot_open(str(exc))
            return None
        for warning in live.warnings:
            self.notify(warning, severity="warning", timeout=10)
        self.live = live
        if mode == "projector":
            from facilitate.tui.run.projector import ProjectorScreen

            return ProjectorScreen(live, follow=True, hide_lateness=self.hide_lateness)
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

    def _ask_take_over(self, question: str, ref: str) -> Screen[Any] | None:
        """Another machine held the session and stopped renewing: take it over only if the
        person says so. Over the launcher, a dialog; as the first screen, a blank screen
        that asks (the session opens over it on yes)."""
        from facilitate.tui.dialogs.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.open_session(ref, "resume", take_over=True)
            elif self.mode != "launcher":
                self.farewell = (
                    f"facilitate: left {ref} as it was; `facilitate join {ref}` adds notes "
                    "without taking the timer"
                )
                self.exit(0)

        return self._ask(ConfirmScreen(question, "Take over", "Leave it"), answered)

    def _ask(
        self, dialog: ModalScreen[bool], answered: Callable[[bool | None], None]
    ) -> Screen[Any] | None:
        """Over a screen, a dialog; as the first screen, a blank one that asks."""
        from facilitate.tui.control import AskFirst

        if self._mounted:
            self.push_screen(dialog, answered)
            return None
        return AskFirst(dialog, answered)

    def _cannot_open(self, why: str) -> None:
        """From the launcher, say so and stay; as the command's first screen, exit with it
        (once mounted: the app cannot exit while it is still building its first screen)."""
        if self.mode == "launcher":
            self.notify(why, severity="error", timeout=10, markup=False)
        elif self._mounted:
            self.farewell = f"facilitate: {why}"
            self.exit(2, return_code=2)
        else:
            self._startup_error = f"facilitate: {why}"

    def _today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()

    # The launcher's messages, by Textual's handler names: the launcher is imported only
    # when it is the first screen, so the run screen's start-up does not pay for it.
    def on_launcher_screen_agenda_chosen(self, message: LauncherScreen.AgendaChosen) -> None:
        self.start_session(message.agenda, message.text)

    def on_launcher_screen_resume_chosen(self, message: LauncherScreen.ResumeChosen) -> None:
        self.open_session(message.session, "resume")

    def on_launcher_screen_review_chosen(self) -> None:
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

    # -- quitting without losing anything (a recovery file for what is unsaved) --

    async def action_quit(self) -> None:
        from facilitate.tui.run.screen import RunScreen

        runs = [s for s in self.screen_stack if isinstance(s, RunScreen)]
        typed = [line for s in runs for line in s.unsaved_typing()]
        self.lifeline.quit(typed, before=lambda: [s.quitting() for s in runs])

    def finish(self, code: int = 0) -> None:
        self.lifeline.finish(code)

    def on_unmount(self) -> None:
        self.lifeline.closing()
        self.control.drop()  # the lease goes, so the next resume anywhere needs no wait

    # -- the theme, remembered for the next start --

    def _remember_theme(self, theme: Theme) -> None:
        try:
            remember(self.paths, "theme", theme.name)
        except OSError as exc:
            self.notify(f"Could not remember the theme: {exc.strerror or exc}", severity="warning")

    # -- command palette: every key of the screen is there too --

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from palette_commands(screen)


def launch(paths: Paths, mode: str, **kwargs: Any) -> int:
    """Run the app for a command; its exit status (1 after a crash, 2 when it could not
    open what was asked). What it has to say at the end goes to stderr, after the screen."""
    facilitate = FacilitateApp(paths, mode, **kwargs)
    result = facilitate.run()
    facilitate.lifeline.stand_down()
    if facilitate.farewell:
        with contextlib.suppress(OSError):  # a terminal that was closed takes nothing
            print(facilitate.farewell, file=sys.stderr)
    return facilitate.return_code or result or 0


def app() -> FacilitateApp:
    """An app factory for Textual's tools: ``textual run --dev facilitate.tui.app:app``
    opens the launcher (``-- AGENDA`` opens that agenda's run screen) in
    ``FACILITATE_DATA_DIR`` or the platform's folders, with tracebacks left to Textual."""
    from facilitate.agenda.catalog import load_named

    paths = resolve_paths(None, os.environ)
    names = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
    if names:
        agenda, text = load_named(names[0], paths)
        return FacilitateApp(paths, "run", agenda=agenda, agenda_text=text)
    return FacilitateApp(paths, "launcher")
