"""What ``facilitate`` with no arguments shows: start an agenda, resume, or review.

The lists are read from disk in a thread worker (a folder of sessions on a slow
or network drive must not freeze the keys), and a choice is posted to the app
as a message: the launcher decides nothing about opening sessions itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Label, OptionList
from textual.widgets.option_list import Option

from facilitate.agenda import Agenda, AgendaError, format_duration, load_agenda, read_agenda_text
from facilitate.agenda.catalog import agenda_entries
from facilitate.errors import UserError
from facilitate.paths import Paths
from facilitate.store import list_sessions
from facilitate.text import terminal_text
from facilitate.tui.keys import LAUNCHER, bindings

Choice = tuple[str, str | None]  # (markup, option id); None id: a disabled heading


def launcher_choices(paths: Paths) -> list[Choice | None]:
    """Agendas to start, unfinished sessions to resume, review (None: a divider). Blocking."""
    choices: list[Choice | None] = [("[b]Start a new session[/b]", None)]
    for entry in agenda_entries(paths):
        # A file's name is whatever someone saved: never markup, never a terminal command.
        name = escape(terminal_text(entry.name))
        try:
            agenda = load_agenda(entry.path)
            text = (
                f"  {escape(agenda.title)}  [dim]{name} · {len(agenda.segments)} "
                f"segments · {format_duration(agenda.total_planned_s)}"
                f"{' · yours' if entry.source == 'user' else ''}[/]"
            )
        except AgendaError as exc:
            problem = escape(terminal_text(exc.problems[0].message))
            text = f"  [dim]{name}: cannot be used: {problem}[/]"
        choices.append((text, f"agenda:{entry.path}"))
    try:
        sessions = [s for s in list_sessions(paths) if s.status != "ended"][-5:]
    except UserError as exc:  # the sessions folder cannot be read: say so, offer the rest
        sessions = []
        choices += [None, (f"  [dim]Saved sessions: {escape(str(exc))}[/]", None)]
    if sessions:
        choices += [None, ("[b]Resume a session[/b]", None)]
        for info in reversed(sessions):
            shown = escape(terminal_text(info.id))
            choices.append((f"  {shown}  [dim]{info.status}[/]", f"resume:{info.id}"))
    choices += [None, ("[b]Review saved sessions[/b]  [dim](r)[/]", "review")]
    return choices


class LauncherScreen(Screen[None]):
    KEYS = LAUNCHER
    BINDINGS = bindings(LAUNCHER)

    @dataclass
    class AgendaChosen(Message):
        agenda: Agenda
        text: str

    @dataclass
    class ResumeChosen(Message):
        session: str

    class ReviewChosen(Message):
        pass

    def __init__(self, paths: Paths) -> None:
        super().__init__()
        self.paths = paths

    def compose(self) -> ComposeResult:
        with Vertical(id="launcher"):
            yield Label(
                "[b]facilitate[/b] · run a workshop, capture what was said, write the minutes",
                id="launcher-title",
            )
            yield OptionList(id="launcher-options")
            yield Label(
                f"[dim]Your own agendas: {escape(str(self.paths.user_agendas_dir))}/*.toml · "
                "enter chooses · q quits[/]",
                id="launcher-hint",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.set_focus(self.query_one(OptionList))

    def on_screen_resume(self) -> None:
        self.refresh_options()  # first shown (a screen is resumed then too), or come back to

    @work(thread=True, exclusive=True, group="launcher")
    def refresh_options(self) -> None:
        choices = launcher_choices(self.paths)
        self.app.call_from_thread(self._show, choices)

    def _show(self, choices: list[Choice | None]) -> None:
        if not self.is_attached:
            return
        menu = self.query_one(OptionList)
        keep = menu.highlighted_option.id if menu.highlighted_option else None
        options = [
            None if choice is None else Option(choice[0], id=choice[1], disabled=not choice[1])
            for choice in choices
        ]
        menu.set_options(options)
        ids = [option.id for option in menu.options]
        menu.highlighted = ids.index(keep) if keep in ids else 1

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id or ""
        if choice.startswith("agenda:"):
            path = Path(choice.removeprefix("agenda:"))
            try:
                text = read_agenda_text(path)
                agenda = load_agenda(path)
            except AgendaError as exc:
                self.notify(str(exc.problems[0]), severity="error", timeout=10, markup=False)
                return
            self.post_message(self.AgendaChosen(agenda, text))
        elif choice.startswith("resume:"):
            self.post_message(self.ResumeChosen(choice.removeprefix("resume:")))
        elif choice == "review":
            self.action_review()

    def action_review(self) -> None:
        self.post_message(self.ReviewChosen())

    def palette_extras(self) -> list[tuple[str, str, Callable[[], None]]]:
        """Each agenda to start and session to resume, as the command palette offers them."""
        menu = self.query_one(OptionList)
        found: list[tuple[str, str, Callable[[], None]]] = []
        for index, option in enumerate(menu.options):
            if option.disabled or not option.id or option.id == "review":
                continue
            what = "Start" if option.id.startswith("agenda:") else "Resume"
            prompt = option.prompt
            content = prompt if isinstance(prompt, Content) else Content.from_markup(str(prompt))
            title = f"{what}: {content.plain.strip()}"
            found.append((title, "from the launcher", partial(self._choose, index)))
        return found

    def _choose(self, index: int) -> None:
        menu = self.query_one(OptionList)
        menu.highlighted = index
        menu.action_select()
