"""The side column of the run screen: the observation panels, and the keyboard in them.

Panels are built by a factory the app hands over (the run screen does not import the
panels). A panel a segment suggests opens on its own without taking the keyboard; its
hint says which key does. ``l``, ``m`` and ``c`` give an open panel the keyboard, open
one that is not, and, pressed inside it, close it. Escape in a panel goes back to where
the keyboard was. Each panel shows the marks of the group the scribe has picked.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import AwaitMount, Widget

from facilitate.tui.run.agenda_list import AgendaList
from facilitate.tui.run.capture_actions import CaptureScreen
from facilitate.tui.run.sizes import COMPACT_BELOW
from facilitate.tui.widgets.state_view import StateView

PanelFactory = Callable[[str], StateView]


class SideScreen(CaptureScreen):
    panel_factory: PanelFactory | None = None  # builds a side panel when first opened
    _before_panel: Widget | None = None

    def panels(self) -> list[StateView]:
        """The side panels opened so far (each stays mounted once opened)."""
        return list(self.query_one("#side").query_children(StateView))

    def suggest_panel(self, name: str | None) -> None:
        """Open the panel the segment suggests, unless the terminal is too narrow to give
        it room beside the countdown (then say which key opens it)."""
        if name is None:
            return
        if self.app.size.width >= COMPACT_BELOW:
            self.show_panel(name)
        else:
            self.notify(f"This segment suggests the {name} panel: {name[0]} opens it.", timeout=4)

    def show_panel(self, name: str | None) -> AwaitMount | None:
        """One observation panel (or none) in the side column; the countdown stays. Shown
        on its own (a segment suggests it), a panel does not take the keyboard: its hint
        says which key does. A panel opened for the first time is mounted: the answer
        can be awaited."""
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
        side.display = name is not None
        self.query_one(AgendaList).set_compact(name is not None)
        for panel in self.panels():
            panel.display = panel.id == f"panel-{name}"
        return mounting

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
        mounting = self.show_panel(name)
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
