"""The base of the screens over the session list: search and actions across every session."""

from __future__ import annotations

from textual import work

from facilitate.tui.review.cache import SessionCache
from facilitate.tui.review.common import BackScreen, ReviewContext
from facilitate.tui.widgets.row_table import RowTable


class OverSessions(BackScreen):
    """A screen over the session list that uses its cache of replayed sessions."""

    def __init__(self, ctx: ReviewContext, cache: SessionCache) -> None:
        super().__init__()
        self.ctx = ctx
        self.cache = cache

    def fill(self) -> None:
        """Draw the rows from the cache (each screen over the list draws its own)."""

    def on_screen_resume(self) -> None:
        # First shown, or back from a review (only sessions whose files changed are read
        # again). Not on mount as well: the screen is resumed when first shown too.
        self.load()

    @work(thread=True, exclusive=True, group="load-all")
    def load(self) -> None:
        self.app.call_from_thread(self._loading, True)
        self.cache.load_all()
        self.app.call_from_thread(self._loading, False)

    def _loading(self, busy: bool) -> None:
        if not self.is_attached:
            return
        self.query_one(RowTable).loading = busy
        if not busy:
            for problem in self.cache.problems:
                self.say(problem, severity="warning", timeout=8)
            self.fill()  # each screen over the list draws its own rows
