"""The projector view: huge countdown, segment title, its prompts, what is next. Read-only.

Opened with ``p`` on the run screen (sharing its session) or as
``facilitate projector`` in a second terminal, where it follows the session's
files and so carries on if the facilitator's app is restarted. The countdown
fits the terminal from 60x20 up, hours included. The segment's prompts are
shown unless the agenda says ``projector_prompts = false``; the facilitator's
notes never are. ``h`` (or ``--hide-lateness``) keeps how late the day is off
the room's screen.
"""

from __future__ import annotations

import textwrap

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen

from facilitate.agenda import Segment
from facilitate.live import LiveSession
from facilitate.minutes import clock, minutes
from facilitate.schedule import Snapshot, format_slip
from facilitate.tui.keys import PROJECTOR, bindings
from facilitate.tui.run.big_digits import GLYPH_H, BigDigits
from facilitate.tui.run.keeper import KeeperWatch
from facilitate.tui.run.timer_face import (
    FLASH_S,
    ZeroWatch,
    countdown_text,
    show_level,
    status_words,
)
from facilitate.tui.widgets.line import Line

FOLLOW_TICK_S = 0.5
# Padding (top and bottom), the status and next lines, and the prompts' top margin.
CHROME_ROWS = 5


def fit_prompts(prompts: tuple[str, ...], width: int, rows: int) -> list[str]:
    """As many whole prompts as fit in ``rows`` lines of ``width``, then "+N more"."""
    width = max(10, width)
    shown: list[str] = []
    used = 0
    for n, prompt in enumerate(prompts):
        lines = textwrap.wrap(f"? {prompt}", width, subsequent_indent="  ") or [""]
        left = len(prompts) - n - 1
        room = rows - used - (1 if left else 0)
        if len(lines) > room:
            hidden = len(prompts) - n
            if rows - used >= 1:
                shown.append(f"(+{hidden} more prompt{'s' * (hidden != 1)})")
            return shown
        shown.extend(lines)
        used += len(lines)
    return shown


def next_text(live: LiveSession, snap: Snapshot, *, hide_lateness: bool) -> str:
    segments = live.agenda.segments
    upcoming = [t for t in snap.segments[snap.current + 1 :] if t.status == "upcoming"]
    if snap.ended:
        return "Thank you"
    if not upcoming:
        return "Last segment"
    nxt = upcoming[0]
    text = f"Next: {segments[nxt.index].title}"
    at = f" at {clock(nxt.forecast_start, live.tz)}"
    if hide_lateness:
        # A time other than the planned one would tell the room how late the day is.
        return text + (at if minutes(nxt.slip_s) == 0 else "")
    text += at
    end = clock(snap.forecast_end, live.tz)
    return f"{text}   ·   day ends {end} ({format_slip(snap.slip_s)})"


def mode_text(segment: Segment) -> str:
    """How the room works in it: "Small groups: A, B"; nothing for a break
    (``Segment.room_mode``)."""
    mode = segment.room_mode
    if not mode:
        return ""
    return mode + (": " + ", ".join(segment.groups) if segment.groups else "")


class ProjectorScreen(Screen[bool]):
    """Opened with p from the run screen, escape or p goes back (handing back whether
    lateness is hidden); on its own (``facilitate projector``), escape or q quits, and p
    does nothing, so a stray press on the projecting laptop cannot close the room's view."""

    KEYS = PROJECTOR
    BINDINGS = bindings(PROJECTOR)

    def __init__(self, live: LiveSession, *, follow: bool, hide_lateness: bool = False) -> None:
        super().__init__()
        self.live = live
        self.follow = follow
        self._zero = ZeroWatch()
        self.hide_lateness = hide_lateness
        self._segment: Segment | None = None
        self._keeper = KeeperWatch(live.folder) if follow else None

    def compose(self) -> ComposeResult:
        with Vertical(id="projector"):
            yield Line(id="proj-title", markup=False)
            yield Line(id="proj-mode", markup=False)
            yield BigDigits(id="proj-digits")
            yield Line(id="proj-status", markup=True)
            yield Line(id="proj-prompts", markup=False)
            yield Line(id="proj-next", markup=False)

    def on_mount(self) -> None:
        self.render_state()
        self.set_interval(FOLLOW_TICK_S, self.tick)

    def on_resize(self) -> None:
        if self._segment is not None:
            self._show_prompts(self._segment)

    def tick(self) -> None:
        if self.follow:
            self.live.poll()
        self.render_state()

    def render_state(self) -> None:
        snap = self.live.snapshot()
        segment = self.live.agenda.segments[snap.current]
        ended = snap.ended  # the day is over: its title and "Thank you", no frozen clock
        self.query_one("#proj-title", Line).text = (
            self.live.agenda.title if ended else segment.title
        )
        self.query_one("#proj-mode", Line).text = "" if ended else mode_text(segment)
        digits = self.query_one(BigDigits)
        digits.display = not ended
        digits.update(countdown_text(snap))
        away = self._keeper is not None and self._keeper.away()
        words = status_words(snap, follower=self.follow, keeper_away=away)
        self.query_one("#proj-status", Line).text = "" if ended else words
        if ended:
            self.query_one("#proj-prompts", Line).display = False
            self._segment = None
        elif segment != self._segment:
            self._segment = segment
            self._show_prompts(segment)
        hide = self.hide_lateness
        self.query_one("#proj-next", Line).text = next_text(self.live, snap, hide_lateness=hide)
        show_level(self.query_one("#projector"), snap)
        if self._zero.crossed(snap):
            # The room sees time is up even where no bell is heard (a browser, a far screen).
            self.add_class("-flash")
            self.set_timer(FLASH_S, lambda: self.remove_class("-flash"))

    def _show_prompts(self, segment: Segment) -> None:
        if self.live.state.ended_at is not None:
            return
        """The prompts the room works on, as many as leave the digits room to be drawn."""
        prompts = segment.prompts if segment.projector_prompts else ()
        width, height = self.size
        inner = max(10, width - 4)
        heading = sum(
            len(textwrap.wrap(line, inner)) or 1
            for line in (segment.title, self.query_one("#proj-mode", Line).text)
        )
        rows = max(0, min(height // 2, height - CHROME_ROWS - heading - GLYPH_H))
        text = "\n".join(fit_prompts(prompts, inner, rows)) if prompts else ""
        widget = self.query_one("#proj-prompts", Line)
        widget.text = text
        widget.display = bool(text)

    def action_toggle_lateness(self) -> None:
        self.hide_lateness = not self.hide_lateness
        self.render_state()  # the next line shows it; a message would be read by the room

    def action_close_if(self, how: str) -> None:
        if (how == "follow") == self.follow:
            self.action_close()

    def action_close(self) -> None:
        if self.follow:
            self.app.exit()
        else:
            self.dismiss(self.hide_lateness)
