"""What the review screens share: their context, cell helpers and the base screen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from rich.style import Style
from rich.text import Text
from textual.notifications import SeverityLevel
from textual.screen import Screen

from facilitate.clock import SessionClock
from facilitate.notes import uk_date_text
from facilitate.paths import Paths
from facilitate.store import SessionInfo
from facilitate.text import terminal_text
from facilitate.tui.styles import rich_style


def go_back(screen: Screen[Any]) -> None:
    """Back to the screen underneath, or quit when this is the command's first screen."""
    if len(screen.app.screen_stack) > 1:
        screen.app.pop_screen()
    else:
        screen.app.exit()


def is_overdue(due: object, done: bool, today: date) -> bool:
    if done or not due:
        return False
    try:
        return date.fromisoformat(str(due)) < today
    except ValueError:
        return False


def local_time(moment: datetime | None, tz: tzinfo, fmt: str) -> str:
    return moment.astimezone(tz).strftime(fmt) if moment else ""


def session_when(info: SessionInfo, tz: tzinfo) -> str:
    """The local start of a session; its id holds the date when the summary is missing."""
    try:
        return datetime.fromisoformat(info.created).astimezone(tz).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return f"{info.id[:10]} {info.id[11:13]}:{info.id[13:15]}"


def one_line(text: str | None, style: str | Style = "") -> Text:
    """User text for one cell: one line, no control codes (they could drive the terminal)."""
    return Text(terminal_text(text), style=style)


def due_cell(due: object, done: bool, today: date) -> Text:
    """The due date; an overdue one reversed in the theme's error colour, to stand out."""
    if is_overdue(due, done, today):
        return Text(uk_date_text(due, weekday=False), style=rich_style("bold reverse $error"))
    return one_line(uk_date_text(due, weekday=False))


@dataclass(frozen=True)
class ReviewContext:
    """What every review screen is given instead of reading clocks and folders itself."""

    paths: Paths
    tz: tzinfo
    today: date
    clock: SessionClock
    export_dir: Path | None = None


class BackScreen(Screen[None]):
    """A review screen: plain-text notifications, q or escape to go back, opening a session."""

    ctx: ReviewContext

    def say(
        self, message: str, *, severity: SeverityLevel = "information", timeout: float | None = None
    ) -> None:
        """A notification of plain text: notes and paths may hold "[" or other markup."""
        self.notify(message, severity=severity, timeout=timeout, markup=False)

    def action_back(self) -> None:
        go_back(self)
