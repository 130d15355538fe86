"""Every action of every session: who owes what by when, overdue ones in red."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import Footer, Label

from facilitate.actions import ActionItem, collect_actions
from facilitate.text import counted
from facilitate.tui.keys import ACTIONS, bindings
from facilitate.tui.review.cache import SessionCache
from facilitate.tui.review.common import ReviewContext, due_cell, one_line
from facilitate.tui.review.over import OverSessions
from facilitate.tui.review.session import open_review
from facilitate.tui.styles import rich_style
from facilitate.tui.widgets.row_table import Cell, OpenTable, RowTable


class ActionsScreen(OverSessions):
    """Every action of every session: who owes what by when, overdue ones in red."""

    KEYS = ACTIONS
    BINDINGS = bindings(ACTIONS)

    def __init__(self, ctx: ReviewContext, cache: SessionCache, *, open_only: bool = False) -> None:
        super().__init__(ctx, cache)
        self.open_only = open_only
        self.items: dict[str, ActionItem] = {}

    def compose(self) -> ComposeResult:
        yield Label("", id="actions-title")
        yield OpenTable(
            [
                ("Due", 10),
                ("Owner", 12),
                ("Action", None),
                ("Done", 4),
                ("Session", 30),
                ("Segment", 16),
            ],
            id="actions",
        )
        yield Footer(compact=True)

    def action_toggle_open(self) -> None:
        self.open_only = not self.open_only
        self.fill()

    def fill(self) -> None:
        loaded = self.cache.loaded
        if loaded is None:
            return
        today = self.ctx.today
        items = [i for i in collect_actions(loaded.values()) if not (self.open_only and i.done)]
        self.items = {f"{i.session_id}/{i.note_id}": i for i in items}
        table = self.query_one("#actions", OpenTable)
        table.set_rows(list(self.items), self._row, cursor_key=table.cursor_key)
        overdue = sum(1 for i in items if i.overdue(today))
        which = ("open action", "open actions") if self.open_only else ("action", "actions")
        hint = "" if self.open_only else "; o shows open ones only"
        self.query_one("#actions-title", Label).update(
            f"{counted(len(items), *which)} across {counted(len(loaded), 'session')}, "
            f"{overdue} overdue{hint}"
        )

    def _row(self, key: str) -> list[Cell]:
        item = self.items[key]
        today = self.ctx.today
        style = rich_style("bold $error") if item.overdue(today) else ""
        return [
            due_cell(item.due_label, item.done, today),
            one_line(item.owner, style),
            one_line(item.text, style),
            "✓" if item.done else "open",
            one_line(self.cache.title(item.session_id)),
            one_line(item.segment_title),
        ]

    @on(RowTable.Selected, "#actions")
    def _open_action(self, event: RowTable.Selected) -> None:
        self._open(event.key)

    def action_open_selected(self) -> None:
        self._open(self.query_one("#actions", OpenTable).cursor_key)

    def _open(self, key: str | None) -> None:
        item = self.items.get(key or "")
        if item is not None:
            open_review(self, item.session_id, note_id=item.note_id)
