"""The run screen's layouts: which one a terminal size gets, as CSS classes on the screen.

Width: below 70 columns ``-compact`` (the countdown loses its frame), below 110
``-narrow`` (the agenda column gives way to a line saying what is on now and next),
``-wide`` from there; where a side panel goes is ``side``'s (``-agenda-away``). Height:
below 30 rows ``-low`` (the brief and the notes share what the countdown and the note
box leave). The styles are in ``facilitate.tcss``.
"""

from __future__ import annotations

from contextlib import suppress
from functools import cached_property

from textual import events
from textual.geometry import Size

from facilitate.live import LiveSession
from facilitate.tui.run.agenda_list import AgendaList
from facilitate.tui.run.brief import Brief
from facilitate.tui.run.plan_actions import PlanScreen
from facilitate.tui.run.sizes import AGENDA_FROM, COMPACT_BELOW
from facilitate.tui.run.timer_face import TimerFace
from facilitate.tui.run.topbar import PressureLine, TopBar
from facilitate.tui.widgets.line import Bar

WIDTHS = [(0, "-compact"), (COMPACT_BELOW, "-narrow"), (AGENDA_FROM, "-wide")]
HEIGHTS = [(0, "-low"), (30, "-tall")]
RESIZE_SETTLE_S = 1 / 60  # one frame: updates held while the widgets settle at a new size


def layout_classes(size: Size) -> dict[str, bool]:
    """Each layout class, on or off, for a terminal size (as Textual's breakpoints do)."""
    classes: dict[str, bool] = {}
    for dimension, points in ((size.width, WIDTHS), (size.height, HEIGHTS)):
        fitting = [name for edge, name in sorted(points) if dimension >= edge]
        for _, name in points:
            classes[name] = bool(fitting) and name == fitting[-1]
    return classes


class LayoutScreen(PlanScreen):
    """A screen laid out by these classes, restyled before it lays itself out on a resize;
    its parts, by name."""

    HORIZONTAL_BREAKPOINTS = WIDTHS
    VERTICAL_BREAKPOINTS = HEIGHTS

    def __init__(self, live: LiveSession) -> None:
        super().__init__(live)
        # Born with the classes for the terminal's size: the first frame is styled once,
        # not once more when the first resize event brings them.
        self._sized: Size | None = None  # the size last laid out for (None: not yet)
        with suppress(RuntimeError):  # built outside a running app: no size yet
            self.update_classes(layout_classes(self.app.size), update=False)

    def on_resize(self, event: events.Resize) -> None:
        """A new size: restyle for its layout before the screen lays itself out, and hold
        the screen's updates for one frame while every widget settles at the new size
        (lists re-wrap their lines on their own resize event), so the resize is drawn
        once, as it ends up, not a frame of the old layout and then fixes."""
        self.update_classes(layout_classes(event.size), animate=False)
        self.place_side()  # a panel beside the countdown, or folded to a line
        if self._sized is not None and event.size != self._sized:
            # Not the first size: that frame is the first frame, and waits for nothing.
            self.app.delay_update(RESIZE_SETTLE_S)
        self._sized = event.size

    # The parts the tick updates, looked up once (they stay for the screen's life).
    @cached_property
    def face(self) -> TimerFace:
        return self.query_one(TimerFace)

    @cached_property
    def brief(self) -> Brief:
        return self.query_one(Brief)

    @cached_property
    def now_next(self) -> Bar:
        return self.query_one("#nownext", Bar)

    @cached_property
    def agenda_list(self) -> AgendaList:
        return self.query_one(AgendaList)

    @cached_property
    def topbar(self) -> TopBar:
        return self.query_one(TopBar)

    @cached_property
    def pressure(self) -> PressureLine:
        return self.query_one(PressureLine)
