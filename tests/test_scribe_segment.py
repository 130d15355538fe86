"""A scribe's note goes under the segment the facilitator's journal says was current when
Enter was pressed, however late the scribe's own screen caught up with the move."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual import events

from apptools import entry, live, make_app, settle, sync
from facilitate.events import SegmentChanged
from facilitate.tui.run.screen import RunScreen
from sessionfactory import Scripted, start_session

SIZE = (120, 40)


@pytest.fixture
def busy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A scribe terminal too busy to tick: nothing reads the other journals on its own."""
    monkeypatch.setattr(RunScreen, "_schedule_tick", lambda self, delay: None)


def facilitator_moves_on(day: Scripted) -> None:
    day.record(SegmentChanged, segment=1, reason="next")


def enter(app: Any, text: str, *, pressed_ago: float = 0.0) -> None:
    """Type ``text`` and Enter as keys read from the terminal ``pressed_ago`` seconds ago
    (a busy app handles them late)."""
    for character in text:
        key = events.Key(character if character != " " else "space", character)
        key.time -= pressed_ago
        app.post_message(key)
    key = events.Key("enter", "\r")
    key.time -= pressed_ago
    app.post_message(key)


@sync
@pytest.mark.usefixtures("busy")
async def test_a_note_typed_after_the_facilitator_moved_on_takes_the_new_segment(
    tmp_path: Path,
) -> None:
    day = start_session(tmp_path, "sample-programme", writer="fac")
    scribe, _ = make_app(tmp_path, mode="join", session=day.live.id, source=day.source)
    async with scribe.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert entry(scribe).has_focus
        day.wait(0.5)
        facilitator_moves_on(day)
        day.wait(2 / 60)  # two seconds later the scribe presses Enter; no tick has run
        enter(scribe, "said after the move")
        await pilot.pause()
        (note,) = live(scribe).state.notes.values()
        assert note.text == "said after the move"
        assert note.segment == 1, "filed under the segment the facilitator had left"
        await settle(pilot, scribe)
        assert "2. Introductions" in str(scribe.screen.query_one("#entry-context").render())


@sync
@pytest.mark.usefixtures("busy")
async def test_a_note_entered_before_the_move_but_handled_after_keeps_the_old_segment(
    tmp_path: Path,
) -> None:
    day = start_session(tmp_path, "sample-programme", writer="fac")
    scribe, _ = make_app(tmp_path, mode="join", session=day.live.id, source=day.source)
    async with scribe.run_test(size=SIZE) as pilot:
        await pilot.pause()
        day.wait(0.5)
        facilitator_moves_on(day)
        day.wait(1 / 60)
        # Enter was read three seconds ago (two before the move); the screen was busy.
        enter(scribe, "said before the move", pressed_ago=3.0)
        await pilot.pause()
        (note,) = live(scribe).state.notes.values()
        assert note.segment == 0


def test_the_segment_at_an_instant_follows_the_moves_read_so_far(tmp_path: Path) -> None:
    day = start_session(tmp_path, "sample-programme", writer="fac")
    t0 = day.live.now()
    day.wait(1)
    facilitator_moves_on(day)
    day.wait(1)
    day.record(SegmentChanged, segment=3, reason="jump")
    live = day.live
    assert live.segment_at(t0) == 0
    assert live.segment_at(t0 + timedelta(seconds=61)) == 1
    assert live.segment_at(t0 + timedelta(seconds=120)) == 3
    assert live.segment_at(t0 + timedelta(hours=1)) == 3
