"""A scribe's terminal and a projector of its own say whether the facilitator's terminal
still keeps the time: waiting for it to start, or gone (nobody can move the clock)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from apptools import advance, make_app, settle, sync, text_of, timer_status
from facilitate.schedule import Snapshot
from facilitate.tui.run.keeper import KeeperWatch
from facilitate.tui.run.projector import ProjectorScreen
from facilitate.tui.run.timer_face import status_words

SIZE = (100, 30)


def snap(level: str, *, running: bool) -> Snapshot:
    now = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
    return Snapshot(
        now=now,
        current=0,
        running=running,
        ended=False,
        elapsed_s=0.0,
        planned_s=600,
        remaining_s=60.0,
        level=level,
        segments=(),
        planned_end=now,
        forecast_end=now,
        pressure=None,
    )


def test_only_the_facilitator_is_told_space_starts() -> None:
    ready = snap("ready", running=False)
    assert "space starts" in status_words(ready)
    assert status_words(ready, follower=True) == "WAITING · the facilitator starts the clock"
    assert "closed" in status_words(ready, follower=True, keeper_away=True)


def test_a_follower_says_when_nobody_keeps_the_time() -> None:
    running = snap("normal", running=True)
    paused = snap("warning", running=False)
    assert status_words(running, follower=True) == ""
    assert status_words(running, follower=True, keeper_away=True).startswith("FACILITATOR OFFLINE")
    away = status_words(paused, follower=True, keeper_away=True)
    assert away.startswith("FACILITATOR OFFLINE") and "PAUSED" in away
    # The facilitator's own screen never says it is offline.
    assert "OFFLINE" not in status_words(running, keeper_away=True)


def test_the_lock_is_looked_at_every_few_seconds_not_every_tick(tmp_path: Path) -> None:
    looks: list[Path] = []
    alive = [True]
    now = [100.0]

    def look(folder: Path) -> bool:
        looks.append(folder)
        return alive[0]

    watch = KeeperWatch(tmp_path, every_s=5.0, alive=look, clock=lambda: now[0])
    assert watch.away() is False
    alive[0] = False
    now[0] += 4.9
    assert watch.away() is False and len(looks) == 1
    now[0] += 0.2
    assert watch.away() is True and len(looks) == 2


@sync
async def test_a_scribe_waits_for_the_facilitator_then_sees_them_go(tmp_path: Path) -> None:
    app, source = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert "space starts" in timer_status(app)
        scribe, _ = make_app(tmp_path, mode="join", session="latest", source=source, writer_id="s")
        async with scribe.run_test(size=SIZE) as spilot:
            await settle(spilot, scribe)
            assert timer_status(scribe) == "WAITING · the facilitator starts the clock"
        await pilot.press("space")
        await advance(pilot, app, source, 30)
    # The facilitator's terminal is closed with the clock running.
    scribe, _ = make_app(tmp_path, mode="join", session="latest", source=source, writer_id="s")
    async with scribe.run_test(size=SIZE) as spilot:
        await settle(spilot, scribe)
        assert timer_status(scribe).startswith("FACILITATOR OFFLINE")
    projector, _ = make_app(
        tmp_path, mode="projector", session="latest", source=source, writer_id=None
    )
    async with projector.run_test(size=SIZE) as ppilot:
        await settle(ppilot, projector)
        screen = projector.screen
        assert isinstance(screen, ProjectorScreen)
        assert text_of(screen.query_one("#proj-status")).startswith("FACILITATOR OFFLINE")
