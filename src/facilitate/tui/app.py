"""FacilitateApp: opens the right screen for the command and keeps nothing unsaved on quit."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from datetime import datetime, tzinfo

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from facilitate.agenda import Agenda
from facilitate.clock import SessionClock, system_clock
from facilitate.errors import UserError
from facilitate.events import SessionStarted
from facilitate.live import LiveSession
from facilitate.paths import Paths
from facilitate.reference import load_models
from facilitate.store import control_lock, create_session, new_writer_id, resolve_session
from facilitate.tui.screens.dialogs import ConfirmScreen

PALETTE = (
    ("toggle", "Start / pause / resume", "space"),
    ("next", "Next segment", "right or ]"),
    ("previous", "Previous segment", "left or ["),
    ("adjust(1)", "Add a minute", "+"),
    ("adjust(-1)", "Take a minute away", "-"),
    ("adjust(5)", "Add five minutes", ">"),
    ("adjust(-5)", "Take five minutes away", "<"),
    ("jump", "Go to a segment", "g"),
    ("restart", "Restart the current segment", "r"),
    ("end_session", "End the session", "E"),
    ("projector", "Projector view in this terminal", "p"),
    ("focus_entry", "Type a note", "i"),
    ("assign_roles", "Put names to roles", "R"),
    ("pick_role", "Attribute notes to a role", "o"),
    ("pick_category", "Capture feedback into a category", "f"),
    ("help", "Help: all keys", "?"),
)


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
    ) -> None:
        super().__init__()
        self.paths = paths
        self.mode = mode
        self.agenda = agenda
        self.agenda_text = agenda_text
        self.session_ref = session
        self.bell_on = bell
        self.clock = clock or system_clock()
        self.tz = tz or datetime.now().astimezone().tzinfo or datetime.now().tzinfo
        self.writer_id = writer_id
        self.live: LiveSession | None = None
        self.models, self.model_problems = load_models(paths.user_models_dir)
        self._locks = contextlib.ExitStack()

    def on_mount(self) -> None:
        for problem in self.model_problems:
            self.notify(str(problem), severity="warning", timeout=10)
        if self.mode == "run" and self.agenda is not None:
            self.start_session(self.agenda, self.agenda_text)
        elif self.mode in ("resume", "join", "projector"):
            self.open_session(self.session_ref or "latest", self.mode)
        elif self.mode == "review":
            self.action_review(self.session_ref)
        else:
            from facilitate.tui.screens.launcher import LauncherScreen

            self.push_screen(LauncherScreen())

    # -- opening sessions (also used by the launcher) --

    def start_session(self, agenda: Agenda, text: str) -> None:
        from facilitate.tui.screens.run import RunScreen

        now = self.clock.now()
        sid, folder = create_session(self.paths, agenda, text, now, self.tz)  # type: ignore[arg-type]
        self._locks.enter_context(control_lock(folder))
        live = LiveSession(
            sid,
            folder,
            agenda,
            self.clock,
            self.tz,  # type: ignore[arg-type]
            self.writer_id or new_writer_id(),
        )
        live.record(SessionStarted(at=now, agenda_name=agenda.name, agenda_title=agenda.title))
        self._save_summary(live)
        self.live = live
        self.push_screen(RunScreen(live, control=True, bell=self.bell_on, models=self.models))

    def open_session(self, ref: str, mode: str) -> None:
        from facilitate.tui.screens.projector import ProjectorScreen
        from facilitate.tui.screens.run import RunScreen

        try:
            sid, folder = resolve_session(self.paths, ref)
            if mode == "resume":
                self._locks.enter_context(control_lock(folder))
            writer = None if mode == "projector" else (self.writer_id or new_writer_id())
            live = LiveSession.open(sid, folder, self.clock, self.tz, writer)  # type: ignore[arg-type]
        except (UserError, OSError) as exc:
            if self.mode == "launcher":
                self.notify(str(exc), severity="error", timeout=10)
            else:
                self.exit(2, message=f"facilitate: {exc}")
            return
        for warning in live.warnings:
            self.notify(warning, severity="warning", timeout=10)
        self.live = live
        if mode == "projector":
            self.push_screen(ProjectorScreen(live, follow=True))
        else:
            self.push_screen(
                RunScreen(live, control=mode == "resume", bell=self.bell_on, models=self.models)
            )

    def action_review(self, ref: str | None = None) -> None:
        """The saved sessions; with ``ref``, that session opened over the list so q returns."""
        from facilitate.tui.screens.review import SessionListScreen, SessionReviewScreen

        today = self.clock.now().astimezone(self.tz).date()
        self.push_screen(SessionListScreen(self.paths, self.tz, today, self.clock))
        if ref is None:
            return
        try:
            sid, _ = resolve_session(self.paths, ref)
        except UserError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            return
        self.push_screen(SessionReviewScreen(self.paths, sid, self.tz, today, self.clock))

    # -- quitting without losing anything --

    async def action_quit(self) -> None:
        live = self.live
        if live is not None and live.pending and not live.retry():

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
        self._locks.close()

    # -- command palette: every control is there too --

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        from facilitate.tui.screens.run import RunScreen

        if isinstance(screen, RunScreen):
            for action, title, key in PALETTE:
                name = action.split("(")[0]
                if screen.check_action(name, ()) is False:
                    continue
                yield SystemCommand(title, f"key: {key}", lambda a=action: screen.run_action(a))  # type: ignore[misc]


def launch(paths: Paths, mode: str, **kwargs: object) -> int:
    app = FacilitateApp(paths, mode, **kwargs)  # type: ignore[arg-type]
    result = app.run()
    return result or 0
