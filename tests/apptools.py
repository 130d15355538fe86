"""A shared factory for TUI tests: the app on a fake clock in a temporary data folder.

``make_app`` builds a :class:`FacilitateApp` exactly as the command line would,
but with a :class:`FakeTimeSource` so a test moves time with ``source.advance``
and never sleeps. The helpers below read what a user would see (the countdown,
the topbar, the notes log) so tests assert on the screen, not on internals.
Import it as ``from apptools import ...`` (pytest puts ``tests/`` on sys.path).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events
from textual.app import App
from textual.content import Content
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Digits, Input, OptionList

from facilitate.agenda.catalog import load_named
from facilitate.clock import FakeTimeSource, SessionClock
from facilitate.commands import DayStart
from facilitate.live import LiveSession
from facilitate.paths import Paths
from facilitate.store import LoadedSession, load_session
from facilitate.tui.app import FacilitateApp
from facilitate.tui.run.notes_log import NotesLog
from facilitate.tui.run.projector import ProjectorScreen
from facilitate.tui.run.screen import RunScreen
from facilitate.tui.run.timer_face import TimerFace

# Sunday 22 November 2026, when the sample programme's registration opens.
START = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
WRITER = "w"


@dataclass
class Bells:
    """Counts ``app.bell()`` calls instead of beeping."""

    count: int = 0
    calls: list[datetime] = field(default_factory=list)


def make_paths(tmp_path: Path) -> Paths:
    return Paths(tmp_path, tmp_path)


def make_app(
    tmp_path: Path,
    agenda: str = "sample-programme",
    mode: str = "run",
    *,
    start: datetime = START,
    session: str | None = None,
    bell: bool = True,
    writer_id: str | None = WRITER,
    source: FakeTimeSource | None = None,
    served: bool = False,
    day_start: DayStart | None = None,
) -> tuple[FacilitateApp, FakeTimeSource]:
    """The app as ``facilitate run AGENDA`` (or resume/join/projector/launcher) makes it.

    Pass ``source`` to share one fake clock between two apps on the same session, and
    ``day_start`` for ``run --start`` (a day opened far from its planned start asks).
    """
    paths = make_paths(tmp_path)
    source = source or FakeTimeSource(start)
    kwargs: dict[str, Any] = {}
    if mode == "run":
        parsed, text = load_named(agenda, paths)
        kwargs = {"agenda": parsed, "agenda_text": text, "start": day_start}
    app = FacilitateApp(
        paths,
        mode,
        session=session,
        bell=bell,
        clock=SessionClock(source),
        tz=UTC,
        writer_id=writer_id,
        served=served,
        **kwargs,
    )
    return app, source


def count_bells(app: FacilitateApp) -> Bells:
    """Replace the terminal bell with a counter (the bell is the app's, rung by the screen)."""
    bells = Bells()

    def ring() -> None:
        bells.count += 1
        bells.calls.append(datetime.now(UTC))

    app.bell = ring  # type: ignore[method-assign]
    return bells


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test without an async pytest plugin (fixtures still resolve)."""

    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return wrapper


# -- reading the screen --


def run_screen(app: FacilitateApp) -> RunScreen:
    screen = app.screen
    assert isinstance(screen, RunScreen), f"expected the run screen, got {screen!r}"
    return screen


def live(app: FacilitateApp) -> LiveSession:
    assert app.live is not None, "no session is open"
    return app.live


def text_of(widget: Widget) -> str:
    """The plain text a widget shows, markup stripped."""
    return plain(widget.render()).strip()


def countdown(app: FacilitateApp) -> str:
    """What the big digits on the run screen say, e.g. ``10:00`` or ``+00:05``."""
    return run_screen(app).query_one("#countdown", Digits).value


def timer_status(app: FacilitateApp) -> str:
    return text_of(run_screen(app).query_one("#timer-status"))


def segment_title(app: FacilitateApp) -> str:
    return text_of(run_screen(app).query_one("#segment-title"))


def timer_classes(app: FacilitateApp) -> set[str]:
    return set(run_screen(app).query_one(TimerFace).classes)


def topbar(app: FacilitateApp) -> str:
    return text_of(run_screen(app).query_one("#topbar"))


def topbar_on_screen(app: FacilitateApp) -> str:
    """The top bar as drawn, cut to the terminal's width: what fits is what is seen."""
    return run_screen(app).query_one("#topbar").render_line(0).text


def entry_context(app: FacilitateApp) -> str:
    return text_of(run_screen(app).query_one("#entry-context"))


def entry(app: FacilitateApp) -> Input:
    return run_screen(app).query_one("#entry", Input)


def held_box(app: FacilitateApp) -> Input:
    """The box a refused note waits in, whole, until it is fixed."""
    return run_screen(app).query_one("#entry-held", Input)


def held_reason(app: FacilitateApp) -> str:
    return text_of(run_screen(app).query_one("#entry-held-reason"))


def footer_mode(app: FacilitateApp) -> str:
    """The keyboard's mode as the keys line names it: TYPING, KEYS, PANEL, BRIEF, DIALOG."""
    from facilitate.tui.widgets.keybar import KeyBar

    # The top screen's keys line; under a dialog, the line of the screen beneath it.
    under = next(s for s in reversed(app.screen_stack) if s.query(KeyBar))
    bar: KeyBar = under.query_one(KeyBar)
    shown = plain(bar.render()).split()
    assert shown and shown[0] == bar.mode, f"the keys line does not start with {bar.mode!r}"
    return bar.mode


def notes_log(app: FacilitateApp) -> NotesLog:
    return run_screen(app).query_one("#log", NotesLog)


def plain(prompt: object) -> str:
    """What a markup string or Content looks like on screen, styles dropped."""
    if isinstance(prompt, Content):
        return prompt.plain
    if isinstance(prompt, Text):
        return prompt.plain
    if isinstance(prompt, str):
        return Content.from_markup(prompt).plain
    return str(prompt)


def log_lines(app: FacilitateApp) -> list[str]:
    """The notes log rows as the scribe reads them, oldest first."""
    log = notes_log(app)
    return [plain(log.get_option_at_index(i).prompt) for i in range(log.option_count)]


def visible_log_lines(app: FacilitateApp) -> list[str]:
    """Only the rows scrolled into view: what the scribe can actually see."""
    log = notes_log(app)
    first = int(log.scroll_y)
    return log_lines(app)[first : first + log.scrollable_content_region.height]


def option_texts(menu: OptionList) -> list[str]:
    return [plain(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]


def record_notifications(app: FacilitateApp) -> list[str]:
    """Keep every toast's message (widgets and screens notify through the app)."""
    seen: list[str] = []
    original = app.notify

    def notify(message: str, *args: Any, **kwargs: Any) -> None:
        seen.append(message)
        original(message, *args, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    return seen


def footer_labels(app: FacilitateApp, width: int | None = None) -> list[str]:
    """The footer's key descriptions in order; with ``width``, only those wholly on screen.
    The run screen draws its keys as one line (``KeyBar``); other screens use Textual's."""
    from textual.widgets._footer import FooterKey

    from facilitate.tui.widgets.keybar import KeyBar

    for bar in app.screen.query(KeyBar):
        return bar.labels(width)
    keys = app.screen.query(FooterKey)
    return [
        key.description
        for key in keys
        if key.description and (width is None or key.region.right <= width)
    ]


def big_digits_show(widget: Widget, text: str) -> bool:
    """True when the projector's block digits spell ``text`` (at whatever scale fits)."""
    from facilitate.tui.run.big_digits import render_big

    shown = plain(widget.render())
    sizes = [(scale, None) for scale in range(1, 6)] + [(1, 1)]  # None: double width
    return any(
        all(row in shown for row in render_big(text, scale, wide) if row.strip())
        for scale, wide in sizes
    )


def event_types(app: FacilitateApp) -> list[str]:
    """Every event this app wrote, in order, by class name (read back from disk)."""
    return [type(e).__name__ for e in journal_events(app)]


def journal_events(app: FacilitateApp) -> list[Any]:
    from facilitate.events import event_from_record
    from facilitate.journal import read_session

    return [event_from_record(r) for r in read_session(live(app).folder).records]


def reload(app: FacilitateApp) -> LoadedSession:
    """The session as ``resume`` or an export would read it from disk."""
    session = live(app)
    return load_session(session.id, session.folder)


def same_state(app: FacilitateApp) -> None:
    """Assert that replaying the journal gives what the live app shows (nothing lost)."""
    loaded = reload(app)
    now = live(app).state
    assert loaded.warnings == []
    assert loaded.state.current == now.current
    assert loaded.state.running_since == now.running_since
    assert loaded.state.ended_at == now.ended_at
    assert loaded.state.runs == now.runs
    assert loaded.state.notes == now.notes
    assert loaded.state.roles == now.roles
    assert loaded.state.event_count == now.event_count


async def settle(pilot: Pilot[Any], app: FacilitateApp) -> None:
    """Let pending messages run, then draw from the current fake time (as a tick would)."""
    await pilot.pause()
    screen = app.screen
    if isinstance(screen, RunScreen | ProjectorScreen):
        screen.render_state()
    await pilot.pause()


async def advance(pilot: Pilot[Any], app: FacilitateApp, source: FakeTimeSource, s: float) -> None:
    """Let ``s`` seconds pass on the fake clock and redraw."""
    source.advance(s)
    await settle(pilot, app)


def burst(app: App[Any], *keys: str) -> None:
    """Queue keys all at once, as tmux, ssh or a busy moment deliver typed-ahead keys.

    ``pilot.press`` waits for the app to go idle after every key, which hides ordering
    problems; this does not. Await ``pilot.pause()`` afterwards.
    """
    for key in keys:
        name = _character_to_key(key) if len(key) == 1 else key
        character = "\r" if key == "enter" else (key if len(key) == 1 else None)
        app.post_message(events.Key(name, character))


def _character_to_key(character: str) -> str:
    """The key name a terminal read gives a typed character (``]`` is
    ``right_square_bracket``), as Textual's driver names it."""
    from textual.keys import _character_to_key as driver_name

    return driver_name(character)


async def type_note(pilot: Pilot[Any], app: FacilitateApp, text: str) -> None:
    """As a scribe would: i, type the line, enter; the box keeps focus for the next note."""
    if not entry(app).has_focus:
        await pilot.press("i")
    entry(app).value = ""
    await pilot.press(*text, "enter")
    await pilot.pause()
