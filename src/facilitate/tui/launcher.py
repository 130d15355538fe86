"""What ``facilitate`` with no arguments shows: start an agenda, resume, or review."""

from __future__ import annotations

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Label, OptionList
from textual.widgets.option_list import Option

from facilitate.agenda import AgendaError, format_duration, load_agenda, read_agenda_text
from facilitate.agenda.catalog import agenda_entries
from facilitate.store import list_sessions
from facilitate.tui.keys import LAUNCHER, bindings


class LauncherScreen(Screen[None]):
    KEYS = LAUNCHER
    BINDINGS = bindings(LAUNCHER)

    def compose(self) -> ComposeResult:
        with Vertical(id="launcher"):
            yield Label(
                "[b]facilitate[/b] · run a workshop, capture what was said, write the minutes",
                id="launcher-title",
            )
            yield OptionList(id="launcher-options")
            yield Label("", id="launcher-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_options()
        self.query_one(OptionList).focus()

    def on_screen_resume(self) -> None:
        self.refresh_options()

    def refresh_options(self) -> None:
        app = self.app
        paths = app.paths  # type: ignore[attr-defined]
        options: list[Option | None] = [Option("[b]Start a new session[/b]", disabled=True)]
        for entry in agenda_entries(paths):
            try:
                agenda = load_agenda(entry.path)
                text = (
                    f"  {escape(agenda.title)}  [dim]{entry.name} · {len(agenda.segments)} "
                    f"segments · {format_duration(agenda.total_planned_s)}"
                    f"{' · yours' if entry.source == 'user' else ''}[/]"
                )
            except AgendaError as exc:
                text = f"  [dim]{entry.name}: cannot be used: {escape(exc.problems[0].message)}[/]"
            options.append(Option(text, id=f"agenda:{entry.path}"))
        sessions = [s for s in list_sessions(paths) if s.status != "ended"][-5:]
        if sessions:
            options += [None, Option("[b]Resume a session[/b]", disabled=True)]
            for info in reversed(sessions):
                options.append(
                    Option(f"  {info.id}  [dim]{info.status}[/]", id=f"resume:{info.id}")
                )
        options += [None, Option("[b]Review saved sessions[/b]  [dim](r)[/]", id="review")]
        menu = self.query_one(OptionList)
        menu.clear_options()
        menu.add_options(options)
        menu.highlighted = 1
        self.query_one("#launcher-hint", Label).update(
            f"[dim]Your own agendas: {escape(str(paths.user_agendas_dir))}/*.toml · "
            "enter chooses · q quits[/]"
        )

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id or ""
        app = self.app
        if choice.startswith("agenda:"):
            from pathlib import Path

            path = Path(choice.removeprefix("agenda:"))
            try:
                text = read_agenda_text(path)
                agenda = load_agenda(path)
            except AgendaError as exc:
                self.notify(str(exc.problems[0]), severity="error", timeout=10)
                return
            app.start_session(agenda, text)  # type: ignore[attr-defined]
        elif choice.startswith("resume:"):
            app.open_session(choice.removeprefix("resume:"), "resume")  # type: ignore[attr-defined]
        elif choice == "review":
            self.action_review()

    def action_review(self) -> None:
        self.app.action_review()  # type: ignore[attr-defined]
