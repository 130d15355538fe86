"""What the review screens share: their context, the replayed-session cache, the base screen.

Kept apart so the session list (``sessions``) and one session's review
(``review``) can both build on it without importing each other at load time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from facilitate.actions import terminal_text
from facilitate.clock import SessionClock
from facilitate.errors import SessionError
from facilitate.paths import Paths
from facilitate.search import SearchIndex, index_sessions
from facilitate.store import LoadedSession, SessionInfo, load_session, session_ids

BACK = Binding("q,escape", "back", "Back")


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


def one_line(text: str | None, style: str = "") -> Text:
    """User text for one cell: one line, no control codes (they could drive the terminal)."""
    return Text(terminal_text(text), style=style)


def due_cell(due: object, done: bool, today: date) -> Text:
    """The due date; an overdue one in white on red so it stands out at a glance."""
    if is_overdue(due, done, today):
        return Text(str(due), style="bold white on red")
    return one_line(str(due or ""))


@dataclass(frozen=True)
class ReviewContext:
    """What every review screen is given instead of reading clocks and folders itself."""

    paths: Paths
    tz: tzinfo
    today: date
    clock: SessionClock
    export_dir: Path | None = None


class SessionCache:
    """Every session replayed once (for search and actions); a reviewed one is read again."""

    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self.loaded: dict[str, LoadedSession] | None = None
        self.index: SearchIndex | None = None
        self.problems: list[str] = []
        self.stale: set[str] = set()

    def load_all(self) -> None:
        """Blocking: call it from a thread worker."""
        loaded = dict(self.loaded or {})
        sids = session_ids(self.paths)
        problems = []
        for sid in sids:
            if sid in loaded and sid not in self.stale:
                continue
            try:
                loaded[sid] = load_session(sid, self.paths.sessions_dir / sid)
            except (SessionError, OSError) as exc:
                problems.append(str(exc))
        ordered = {sid: loaded[sid] for sid in sids if sid in loaded}
        self.index = index_sessions(ordered.values())
        self.loaded, self.problems, self.stale = ordered, problems, set()

    def title(self, sid: str) -> str:
        loaded = (self.loaded or {}).get(sid)
        return f"{sid[:10]} {loaded.agenda.title if loaded else sid[16:]}"


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

    def open_session(self, sid: str, *, query: str = "", note_id: str | None = None) -> None:
        from facilitate.tui.screens.review import SessionReviewScreen  # it builds on this module

        c = self.ctx
        self.app.push_screen(
            SessionReviewScreen(
                c.paths,
                sid,
                c.tz,
                c.today,
                c.clock,
                query=query,
                note_id=note_id,
                export_dir=c.export_dir,
            )
        )
