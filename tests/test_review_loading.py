"""The review list and the screens over it read the sessions once when they open.

A screen is resumed when it is first shown as well as when it is come back to:
reading the sessions both on mount and on resume ran two readings of a thousand
sessions side by side in threads, each taking twice as long (1,001 sessions took
4.6 s to show). Timings are in ``make bench``; here, that it happens once.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from facilitate.clock import FakeTimeSource, SessionClock
from facilitate.paths import Paths
from facilitate.tui.app import FacilitateApp
from sessionfactory import start_session


def make_sessions(root: Path, count: int) -> None:
    for n in range(count):
        day = start_session(root, start=datetime(2025, 3, 4 + n, 9, 0, tzinfo=UTC))
        day.note("action", f"Action {n}", owner="Asha")
        day.live.save_summary()
        day.close()


def test_the_list_search_and_actions_each_read_the_sessions_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_sessions(tmp_path, 3)
    import facilitate.store as store
    import facilitate.tui.review.cache as cache

    reads: list[str] = []
    real_list, real_load = store.list_sessions, cache.SessionCache.load_all

    def list_sessions(paths: Paths, early: Any = None) -> Any:
        reads.append("list")
        return real_list(paths, early)

    def load_all(self: cache.SessionCache) -> None:
        reads.append("load_all")
        real_load(self)

    monkeypatch.setattr("facilitate.tui.review.sessions.list_sessions", list_sessions)
    monkeypatch.setattr(cache.SessionCache, "load_all", load_all)
    clock = SessionClock(FakeTimeSource(datetime(2025, 4, 1, tzinfo=UTC)))
    app = FacilitateApp(Paths(tmp_path, tmp_path), "review", clock=clock, tz=UTC)

    async def run() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert reads == ["list"]
            assert "3 sessions in" in str(app.screen.query_one("#list-title").render())
            await pilot.press("a")  # actions across sessions
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert reads == ["list", "load_all"]
            await pilot.press("q")  # back to the list: read again, once
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert reads == ["list", "load_all", "list"]

    asyncio.run(run())
