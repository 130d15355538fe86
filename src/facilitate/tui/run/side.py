"""The side column of the run screen: the observation panels, and the keyboard in them.

Panels are built by a factory the app hands over (the run screen does not import the
panels). A panel a segment suggests opens on its own without taking the keyboard; its
hint says which key does. ``l``, ``m`` and ``c`` give an open panel the keyboard, open
one that is not, and, pressed inside it, close it. Escape in a panel goes back to where
the keyboard was. Each panel shows the marks of the group the scribe has picked.

A panel never squeezes the countdown, the brief and the note box below
``sizes.MAIN_LEAST`` columns: beside it the agenda column gives way to the line saying
what is on now and next, and on a narrow terminal an open panel is folded to one line
(what it shows, and its key) until that key gives it the keyboard.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import AwaitMount, Widget

from facilitate.tui.run.agenda_list import AgendaList
from facilitate.tui.run.capture_actions import CaptureScreen
from facilitate.tui.run.sizes import AGENDA_AND_PANEL_FROM, AGENDA_FROM
from facilitate.tui.widgets.line import Bar
from facilitate.tui.widgets.state_view import StateView

PanelFactory = Callable[[str], StateView]


def side_layout(
    width: int, *, open: bool, in_use: bool, idle: bool = False
) -> tuple[bool, bool, bool]:
    """Where an open panel goes on a terminal ``width`` columns wide: (beside the
    countdown, folded to a line, the agenda column giving way to it). Where it would
    push the agenda column out, a panel folds to a line until it has the keyboard: the
    day's forecast stays in view. A panel with nothing for this segment (``idle``: a
    checklist in a break) folds at any width."""
    folded = open and not in_use and (idle or width < AGENDA_AND_PANEL_FROM)
    beside = open and not folded
    return beside, folded, beside and width < AGENDA_AND_PANEL_FROM


class SideScreen(CaptureScreen):
    panel_factory: PanelFactory | None = None  # builds a side panel when first opened
    _before_panel: Widget | None = None
    _open_panel: str | None = None  # the panel shown (beside, or folded to a line)
    _placed: tuple[bool, bool, bool] | None = None  # as ``side_layout`` last placed it
    _side_revision = -1  # the session's event count the panel was last placed for

    def panels(self) -> list[StateView]:
        """The side panels opened so far (each stays mounted once opened)."""
        return list(self.query_one("#side").query_children(StateView))

    def suggest_panel(self, name: str | None) -> None:
        """Open the panel the segment suggests, without the keyboard (on a narrow terminal,
        folded to a line that says which key gives it the keyboard)."""
        if name is not None:
            self.show_panel(name)

    def show_panel(self, name: str | None, *, in_use: bool = False) -> AwaitMount | None:
        """One observation panel (or none) in the side column; the countdown stays. Shown
        on its own (a segment suggests it), a panel does not take the keyboard: its hint
        says which key does. A panel opened for the first time is mounted: the answer
        can be awaited. ``in_use``: it is about to get the keyboard (never folded)."""
        side = self.query_one("#side")
        mounting = None
        if name is not None and self.panel_factory is None:
            name = None
        if name is not None and self.panel_factory and not side.query(f"#panel-{name}"):
            panel = self.panel_factory(name)
            panel.id = f"panel-{name}"
            panel.revision = self.live.state.event_count
            panel.group = self.capture.context.group
            mounting = side.mount(panel)
        self._open_panel = name
        for panel in self.panels():
            panel.display = panel.id == f"panel-{name}"
        self.place_side(in_use=in_use)
        return mounting

    def place_side(self, *, in_use: bool | None = None) -> None:
        """Show the open panel beside the countdown, or folded to a line, for the terminal's
        width, whether the panel has the keyboard and whether it has anything to show for
        this segment (called on every redraw, a resize and a focus move: a placement that
        has not changed costs nothing)."""
        if not self.is_mounted:
            return
        using = self.in_side(self.focused) if in_use is None else in_use
        shown = next((panel for panel in self.panels() if panel.display), None)
        idle = shown is not None and shown.idle()
        open = self._open_panel is not None
        width = self.app.size.width
        place = side_layout(width, open=open, in_use=using, idle=idle)
        beside, folded, crowded = place
        # Folded beside the agenda column, its line is the agenda's bottom edge.
        on_agenda = folded and width >= AGENDA_FROM
        agenda = self.query_one(AgendaList)
        if place != self._placed:
            self._placed = place
            self.query_one("#side").display = beside
            agenda.set_compact(beside)  # narrowed beside a panel
            self.set_class(crowded, "-agenda-away")
        self.query_one("#panel-line", Bar).display = folded and not on_agenda
        # What it shows now, and the key that gives it the keyboard.
        summary = shown.summary() if folded and shown is not None else ""
        if not on_agenda:
            self.query_one("#panel-line", Bar).text = summary
        agenda.border_subtitle = summary if on_agenda else None

    def side_changed(self, revision: int) -> None:
        """Called on every redraw: the panels are told the session's revision, and the
        open one placed again, only when the session has changed (a mark, a new segment):
        a tick of the clock costs nothing here."""
        if revision != self._side_revision:
            self._side_revision = revision
            for panel in self.panels():
                panel.revision = revision
            self.place_side()

    def on_descendant_focus(self) -> None:
        """The keyboard moved into or out of a panel: unfold or fold it."""
        self.place_side()

    async def action_panel(self, name: str) -> None:
        """l / m / c open that panel and give it the keyboard (or, open but not in use,
        give it the keyboard); pressed inside it, the same key closes it. A panel opened
        for the first time is waited for, so the keys typed after l, m or c are its."""
        side = self.query_one("#side")
        found = side.query(f"#panel-{name}")
        panel = found.first() if found else None
        inside = (
            panel is not None
            and self.focused is not None
            and (self.focused is panel or panel in self.focused.ancestors)
        )
        if inside:
            self.show_panel(None)
            self.set_focus(self._before_panel or self.log_widget)
            return
        if not self.in_side(self.focused):
            self._before_panel = self.focused
        mounting = self.show_panel(name, in_use=True)
        if mounting is not None:
            await mounting
        found = side.query(f"#panel-{name}")
        if found:
            panel = found.first(StateView)
            self.set_focus(panel.focus_target())

    def action_leave_panel(self) -> None:
        """Escape in a panel: back to where the keyboard was before (the panel stays)."""
        back = self._before_panel
        self.set_focus(back if back is not None and back.is_attached else self.log_widget)

    def context_changed(self) -> None:
        group = self.capture.context.group
        for panel in self.panels():
            panel.group = group
        self.capture.person = self.person_now()
        self.place_side()  # a folded panel's line names the group
