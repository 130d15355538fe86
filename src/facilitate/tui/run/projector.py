"""The projector view: huge countdown, segment title, what is next. Read-only.

Opened with ``p`` on the run screen (sharing its session) or as
``facilitate projector`` in a second terminal, where it follows the session's
files and so carries on if the facilitator's app is restarted.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen

from facilitate.live import LiveSession
from facilitate.schedule import format_slip
from facilitate.tui.keys import PROJECTOR, bindings
from facilitate.tui.run.big_digits import BigDigits
from facilitate.tui.run.timer_face import (
    FLASH_S,
    ZeroWatch,
    countdown_text,
    show_level,
    status_words,
)
from facilitate.tui.widgets.line import Line

FOLLOW_TICK_S = 0.5


class ProjectorScreen(Screen[None]):
    """Opened with p from the run screen, escape or p goes back; on its own (``facilitate
    projector``), escape or q quits, and p does nothing, so a stray press on the
    projecting laptop cannot close the room's view."""

    KEYS = PROJECTOR
    BINDINGS = bindings(PROJECTOR)

    def __init__(self, live: LiveSession, *, follow: bool) -> None:
        super().__init__()
        self.live = live
        self.follow = follow
        self._zero = ZeroWatch()

    def compose(self) -> ComposeResult:
        with Vertical(id="projector"):
            yield Line(id="proj-title", markup=False)
            yield Line(id="proj-mode", markup=False)
            yield BigDigits(id="proj-digits")
            yield Line(id="proj-status", markup=True)
            yield Line(id="proj-next", markup=False)

    def on_mount(self) -> None:
        self.render_state()
        self.set_interval(FOLLOW_TICK_S, self.tick)

    def tick(self) -> None:
        if self.follow:
            self.live.poll()
        self.render_state()

    def render_state(self) -> None:
        snap = self.live.snapshot()
        segments = self.live.agenda.segments
        segment = segments[snap.current]
        self.query_one("#proj-title", Line).text = segment.title
        mode = segment.mode_label + (": " + ", ".join(segment.groups) if segment.groups else "")
        self.query_one("#proj-mode", Line).text = mode
        self.query_one(BigDigits).update(countdown_text(snap))
        self.query_one("#proj-status", Line).text = status_words(snap)
        if snap.current + 1 < len(segments) and not snap.ended:
            nxt = segments[snap.current + 1]
            when = snap.segments[nxt.index].forecast_start.astimezone(self.live.tz)
            text = (
                f"Next: {nxt.title} at {when:%H:%M}   ·   day ends "
                f"{snap.forecast_end.astimezone(self.live.tz):%H:%M} ({format_slip(snap.slip_s)})"
            )
        else:
            text = "Last segment" if not snap.ended else "Thank you"
        self.query_one("#proj-next", Line).text = text
        projector = self.query_one("#projector")
        show_level(projector, snap)
        if self._zero.crossed(snap):
            # The room sees time is up even where no bell is heard (a browser, a far screen).
            self.add_class("-flash")
            self.set_timer(FLASH_S, lambda: self.remove_class("-flash"))

    def action_close_if(self, how: str) -> None:
        if (how == "follow") == self.follow:
            self.action_close()

    def action_close(self) -> None:
        if self.follow:
            self.app.exit()
        else:
            self.app.pop_screen()
