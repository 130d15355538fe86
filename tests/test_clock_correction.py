"""A wall clock corrected mid-session: followed from then on, said once, and no time lost.

The laptop starts with its clock an hour fast (a dual-boot machine keeping local
time in the hardware clock) and NTP steps it back a minute later. Before, the
session kept the wrong hour all day: the forecast said the day "ends" in the
past and every note was stamped an hour off. Now the session clock follows the
correction, the process that keeps the time journals it (``ClockCorrected``) so
that the running segment neither gains nor loses the hour, the run screen says
so once, and what was already written stays as it was.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from apptools import (
    START,
    advance,
    countdown,
    event_types,
    journal_events,
    live,
    make_app,
    record_notifications,
    run_screen,
    same_state,
    settle,
    sync,
    type_note,
)
from facilitate.clock import FakeTimeSource
from facilitate.commands import DayStart
from facilitate.events import ClockCorrected, NoteAdded, TimerPaused, TimerStarted
from facilitate.tui.dialogs.replan import ReplanScreen
from sessionfactory import start_session

SIZE = (120, 40)


def test_the_timekeeper_journals_a_correction_before_its_next_event(tmp_path: Path) -> None:
    day = start_session(tmp_path)
    day.live.timekeeper = True
    day.record(TimerStarted)
    day.wait(10)
    day.source.jump_wall(-3600)  # NTP steps the clock back an hour
    day.wait(5)
    day.record(TimerPaused)  # stamped by the corrected clock
    assert day.live.state.runs[0].elapsed_s == 15 * 60

    loaded = day.load()
    assert loaded.warnings == []
    assert loaded.state.runs[0].elapsed_s == 15 * 60  # resume and exports agree
    types = [type(e).__name__ for e in _events(day.live.folder)]
    assert types[-3:] == ["TimerStarted", "ClockCorrected", "TimerPaused"]
    [corrected] = [e for e in _events(day.live.folder) if isinstance(e, ClockCorrected)]
    assert corrected.offset_s == -3600
    assert corrected.at == day.source.wall()  # the new time, not the old one


def test_a_scribe_shows_a_correction_but_does_not_journal_it(tmp_path: Path) -> None:
    """Only the timekeeper's corrections move the running segment's start."""
    day = start_session(tmp_path)
    day.wait(1)
    day.source.jump_wall(600)
    day.wait(1)
    day.note("note", "after the correction")
    assert not any(isinstance(e, ClockCorrected) for e in _events(day.live.folder))
    assert day.live.clock_notice() == 600
    assert day.live.clock_notice() is None


def test_a_small_step_is_neither_followed_nor_journaled(tmp_path: Path) -> None:
    day = start_session(tmp_path)
    day.live.timekeeper = True
    day.record(TimerStarted)
    day.source.jump_wall(3)
    day.wait(1)
    day.record(TimerPaused)
    assert day.live.clock_notice() is None
    assert not any(isinstance(e, ClockCorrected) for e in _events(day.live.folder))


def _events(folder: Path) -> list[object]:
    from facilitate.events import event_from_record
    from facilitate.journal import read_session

    return [event_from_record(r) for r in read_session(folder).records]


@sync
async def test_the_run_screen_follows_a_corrected_clock_and_says_so_once(tmp_path: Path) -> None:
    source = FakeTimeSource(START)
    source.jump_wall(3600)  # an hour fast when the app starts
    # Opened "an hour late", the day would first ask how to time it: it starts now.
    app, _ = make_app(tmp_path, source=source, day_start=DayStart())
    seen = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        # The moved plan misses the 11:20 break, so the re-plan is proposed: rejected here.
        assert isinstance(app.screen, ReplanScreen)
        await pilot.press("escape")
        await settle(pilot, app)
        await pilot.press("escape", "space")  # from the note box to the keys, then start
        await advance(pilot, app, source, 60)
        assert countdown(app) == "29:00"
        source.jump_wall(-3600)  # NTP corrects it
        await advance(pilot, app, source, 60)
        screen = run_screen(app)
        screen.tick()
        screen.tick()
        await pilot.pause()
        said = [m for m in seen if "clock was put" in m]
        assert said == [
            "The computer's clock was put 1h back. Times from now on follow it; notes already "
            "saved keep theirs, and the timer is unchanged."
        ]
        assert countdown(app) == "28:00"  # no hour gained or lost
        await type_note(pilot, app, "stamped with the true time")
        [note] = [e for e in journal_events(app) if isinstance(e, NoteAdded)]
        assert note.at == source.true_now
        first = journal_events(app)[0]
        assert first.at == START + timedelta(hours=1)  # what was written stays
        assert "ClockCorrected" in event_types(app)
        same_state(app)
        assert live(app).state.runs[0].elapsed_s == 0  # still running
        assert live(app).state.elapsed(0, live(app).now()) == 120
