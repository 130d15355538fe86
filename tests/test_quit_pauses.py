"""Quitting the run screen with the clock running stops the clock there, on the record.

Without it the journal's last word was the last note: ``sessions`` and the exports
called the session "interrupted" (which is for a process that went away) and
ended its length at that note, maybe hours before the facilitator closed it.
"""

from __future__ import annotations

import json
from datetime import UTC, timedelta
from pathlib import Path

import pytest

from apptools import START, advance, live, make_app, settle, sync, type_note
from commandworld import T0, day
from facilitate.cli import main
from facilitate.commands import End, Quit, Toggle
from facilitate.events import TimerPaused, TimerStarted, event_from_record
from facilitate.export import render
from facilitate.paths import Paths
from facilitate.store import list_sessions, load_session
from facilitate.tui.dialogs.confirm import ConfirmScreen
from sessionfactory import start_session

SIZE = (120, 40)


# --- the intent, without a screen --------------------------------------------------------------


def test_quit_stops_a_running_clock_and_nothing_else() -> None:
    d = day()
    assert d.decide(Quit()) is None  # not started: nothing to stop
    d.do(Toggle())
    d.later(5)
    assert d.do(Quit()) == TimerPaused(at=d.now, reason="quit")
    assert not d.state.running and d.state.elapsed(0, d.now) == 300
    assert d.decide(Quit()) is None  # paused already
    d.do(Toggle())
    d.later(1)
    d.do(End())
    assert d.decide(Quit()) is None  # ended: times stopped at the end
    record = TimerPaused(at=T0, reason="quit").to_record()
    assert event_from_record(record) == TimerPaused(at=T0, reason="quit")
    assert event_from_record({"type": "timer_paused", "at": T0.isoformat()}) == TimerPaused(at=T0)


def last_event(folder: Path) -> object:
    from facilitate.journal import read_session

    return event_from_record(read_session(folder).records[-1])


@sync
async def test_quitting_with_the_clock_running_pauses_it_at_that_moment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app, source = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("space")
        await advance(pilot, app, source, 60)
        await type_note(pilot, app, "the last note")
        await pilot.press("escape")
        await advance(pilot, app, source, 45 * 60)  # a long discussion, nothing typed
        folder = live(app).folder
        await pilot.press("ctrl+q")
    assert app.return_value == 0
    pause = last_event(folder)
    assert isinstance(pause, TimerPaused)
    assert (pause.at, pause.reason) == (START + timedelta(minutes=46), "quit")

    [info] = list_sessions(Paths(tmp_path, tmp_path))
    assert (info.status, info.duration_s) == ("paused", 46 * 60)
    loaded = load_session(info.id, folder)
    exported = json.loads(render("json", loaded, UTC))
    assert exported["session"]["status"] == "paused"
    assert main(["--data-dir", str(tmp_path), "sessions"]) == 0
    [line] = capsys.readouterr().out.splitlines()[1:]
    assert line.split()[1:3] == ["paused", "46m"]


@sync
async def test_resume_after_a_quit_carries_on_from_where_the_clock_stopped(
    tmp_path: Path,
) -> None:
    app, source = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("space")
        await advance(pilot, app, source, 90)
        sid = live(app).id
        await pilot.press("ctrl+q")
    source.advance(3600)  # an hour later, on another terminal
    again, _ = make_app(tmp_path, mode="resume", session=sid, source=source, writer_id="w2")
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot, again)
        state = live(again).state
        assert not state.running
        assert state.elapsed(state.current, live(again).now()) == 90  # the hour is not counted
        await pilot.press("space")
        await advance(pilot, again, source, 30)
        assert live(again).state.running
        assert state.elapsed(state.current, live(again).now()) == 120
        await pilot.press("ctrl+q")
    [info] = list_sessions(Paths(tmp_path, tmp_path))
    assert (info.status, info.duration_s) == ("paused", 120)


@sync
async def test_quitting_anyway_pauses_when_the_quit_is_confirmed(tmp_path: Path) -> None:
    app, source = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("space")
        await advance(pilot, app, source, 60)
        await pilot.press("i", *"half a thought")  # typed, never saved: quitting asks
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert live(app).state.running, "nothing stops before the answer"
        await advance(pilot, app, source, 20)
        folder = live(app).folder
        await pilot.press("y")
    pause = last_event(folder)
    assert isinstance(pause, TimerPaused) and pause.at == START + timedelta(seconds=80)


@sync
async def test_a_quit_with_the_clock_stopped_records_nothing(tmp_path: Path) -> None:
    app, source = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("space")
        await advance(pilot, app, source, 60)
        await pilot.press("space")  # paused by hand
        await advance(pilot, app, source, 60)
        folder = live(app).folder
        count = live(app).state.event_count
        await pilot.press("ctrl+q")
    loaded = load_session(folder.name, folder)
    assert loaded.state.event_count == count
    assert last_event(folder) == TimerPaused(
        at=START + timedelta(seconds=60), writer="w", seq=count - 1
    )


@sync
async def test_a_scribe_quitting_leaves_the_facilitators_clock_running(tmp_path: Path) -> None:
    day = start_session(tmp_path, start=START)
    day.record(TimerStarted)
    day.wait(5)
    day.live.save_summary()
    app, _ = make_app(
        tmp_path, mode="join", session=day.live.id, writer_id="scribe2", source=day.source
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+q")
    assert isinstance(last_event(day.live.folder), TimerStarted)
    assert load_session(day.live.id, day.live.folder).state.running
