"""The cap on each view: how many pages may be open at once, counted as people see them.

A place is taken when a page's websocket is admitted and given back the moment it
closes, not when its process has finished ending (a polite quit can take seconds):
so a person reloading the last projector page gets it back. Processes still ending
are bounded too (no more than the cap again), so opening and closing pages in a
loop cannot pile up processes. A page arriving at a full view waits a moment for
a place (a reload's old page may close just after the new one asks) before it is
refused, with a sentence the page shows.

The check and the taking happen with no ``await`` between them, so pages that
connect at the same moment cannot overshoot.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from facilitate.serve.views import View

log = logging.getLogger("facilitate.serve")

WAIT_FOR_PLACE_S = 1.5
CLOSE_REASON_BYTES = 123  # the most a websocket close frame carries


def full_message(view: View) -> str:
    """Why a page of a full view cannot open, and what helps; short enough for a close frame."""
    text = (
        f"The {view.name} view is full: {view.pages} of {view.max_connections} pages are "
        f"open. Close one, or ask the facilitator for --max-{view.name}s."
    )
    return text.encode("utf-8")[:CLOSE_REASON_BYTES].decode("utf-8", "ignore")


def busy_message(view: View) -> str:
    return f"The {view.name} view is still closing pages: open it again in a moment."


class Slots:
    """Places per view; :meth:`take` admits a page or says why not."""

    def __init__(self, wait_s: float = WAIT_FOR_PLACE_S) -> None:
        self.wait_s = wait_s
        self._freed = asyncio.Event()

    def _free(self, view: View) -> bool:
        return view.pages < view.max_connections and view.processes < 2 * view.max_connections

    async def take(self, view: View) -> str:
        """Take a place for a page of ``view``: "" when taken, else the refusal to show."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.wait_s
        while not self._free(view):
            left = deadline - loop.time()
            if left <= 0:
                full = view.pages >= view.max_connections
                log.info(
                    "%s page refused: %s (%d of %d open%s)",
                    view.name,
                    "the view is full" if full else "pages are still closing",
                    view.pages,
                    view.max_connections,
                    f"; --max-{view.name}s allows more" if full else "",
                )
                return full_message(view) if full else busy_message(view)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._freed.wait(), left)
        view.pages += 1
        view.processes += 1
        return ""

    def page_closed(self, view: View) -> None:
        view.pages -= 1
        self._wake()

    def process_ended(self, view: View) -> None:
        view.processes -= 1
        self._wake()

    def _wake(self) -> None:
        freed, self._freed = self._freed, asyncio.Event()
        freed.set()
