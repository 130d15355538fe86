"""The current segment's checklist, ticked off as the facilitator covers each point."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import BindingType

from facilitate.commands import TickChecklist
from facilitate.tui.keys import CHECKLIST, bindings
from facilitate.tui.panels.base import ObservationPanel, Row, gutter
from facilitate.tui.styles import rich_style


class ChecklistPanel(ObservationPanel):
    """The current segment's checklist, ticked off as the facilitator covers each point."""

    KEYS = CHECKLIST
    BINDINGS: ClassVar[list[BindingType]] = bindings(CHECKLIST)  # shown in the footer
    KEYS_HINT = "↑↓ move · enter/x tick or untick"
    OPEN_KEY = "c"
    NAME = "Checklist"
    PER_GROUP = False

    def segment_items(self) -> tuple[int, str, tuple[str, ...]]:
        segment = self.live.agenda.segments[self.live.state.current]
        return segment.index, segment.title, segment.checklist

    def signature(self) -> object:
        index, _, items = self.segment_items()
        ticked = frozenset(self.live.state.panels.checklists.get(index, ()))
        return index, items, ticked

    def title(self) -> str:
        return f"Checklist: {self.segment_items()[1]}"

    def rows(self) -> list[Row]:
        index, _, items = self.segment_items()
        if not items:
            # One quiet line: how to add one is the agenda guide's job (docs/agendas.md),
            # not the facilitator's screen in the middle of a break.
            text = Text("No checklist for this segment.", style="italic dim")
            return [Row(f"{index}:none", text, False)]
        ticked = self.live.state.panels.checklists.get(index, set())
        rows = []
        for item, label in enumerate(items):
            done = item in ticked
            box = Text("[x]" if done else "[ ]", style=rich_style("$success") if done else "dim")
            rows.append(Row(f"{index}:item:{item}", gutter(box, Text(label), 4)))
        return rows

    def detail(self, key: str | None) -> str:
        index, _, items = self.segment_items()
        if not items:
            return ""
        done = len(self.live.state.panels.checklists.get(index, ()))
        return f"{done} of {len(items)} done"

    def idle(self) -> bool:
        return not self.segment_items()[2]

    def state_line(self) -> str:
        return self.detail(None) or "none for this segment"

    def activate(self, key: str) -> None:
        parts = key.split(":")
        if len(parts) != 3 or parts[1] != "item":
            return
        self.ask(TickChecklist(int(parts[0]), int(parts[2])))
