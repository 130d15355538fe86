"""Words typed here are looked for in every note of every session."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import Footer, Input, Label

from facilitate.search import SearchHit
from facilitate.text import counted
from facilitate.tui.keys import SEARCH, bindings
from facilitate.tui.review.common import go_back, local_time, one_line
from facilitate.tui.review.over import OverSessions
from facilitate.tui.review.session import open_review
from facilitate.tui.widgets.row_table import Cell, OpenTable, RowTable


class SearchScreen(OverSessions):
    """Words typed here are looked for in every note of every session."""

    KEYS = SEARCH
    BINDINGS = bindings(SEARCH)

    def compose(self) -> ComposeResult:
        yield Input(placeholder="search all sessions: every word must match", id="query")
        yield Label("Type to search", id="hit-count")
        yield OpenTable(
            [("Date", 16), ("Session", 30), ("Segment", 16), ("Kind", 8), ("Note", None)], id="hits"
        )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.hits: dict[str, SearchHit] = {}

    def action_back(self) -> None:
        if self.focused is self.query_one("#hits"):
            self.set_focus(self.query_one("#query", Input))
        else:
            go_back(self)

    @on(Input.Changed, "#query")
    def fill(self) -> None:
        index = self.cache.index
        query = self.query_one("#query", Input).value
        if index is None:
            return
        found = index.search(query) if query.strip() else []
        self.hits = {f"{hit.session_id}/{hit.note.id}": hit for hit in found}
        self.query_one("#hits", OpenTable).set_rows(list(self.hits), self._row)
        label = (
            counted(len(found), "note matches", "notes match")
            if query.strip()
            else "Type to search"
        )
        self.query_one("#hit-count", Label).update(label)

    def _row(self, key: str) -> list[Cell]:
        hit = self.hits[key]
        return [
            local_time(hit.note.created, self.ctx.tz, "%Y-%m-%d %H:%M"),
            one_line(self.cache.title(hit.session_id)),
            one_line(hit.segment_title),
            hit.note.kind,
            one_line(hit.note.text),
        ]

    @on(Input.Submitted, "#query")
    def _to_results(self) -> None:
        if self.hits:
            self.set_focus(self.query_one("#hits", OpenTable))

    @on(RowTable.Selected, "#hits")
    def _open_hit(self, event: RowTable.Selected) -> None:
        self._open(event.key)

    def action_open_selected(self) -> None:
        self._open(self.query_one("#hits", OpenTable).cursor_key)

    def _open(self, key: str | None) -> None:
        hit = self.hits.get(key or "")
        if hit is not None:
            query = self.query_one("#query", Input).value
            open_review(self, hit.session_id, query=query, note_id=hit.note.id)
