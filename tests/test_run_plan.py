"""The day's plan on the run screen: a late start, a re-plan, an early finish, as keys.

The sample programme plans 09:30 to 16:00. These tests open it at other times of
day on the fake clock and do what a facilitator would: answer the start question,
re-plan with ``n``, adjust the proposal, accept it with a reason, and end early.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from apptools import (
    START,
    advance,
    event_types,
    footer_labels,
    journal_events,
    live,
    make_paths,
    record_notifications,
    run_screen,
    same_state,
    segment_title,
    settle,
    sync,
    text_of,
    topbar,
)
from facilitate.agenda import format_duration
from facilitate.agenda.catalog import load_named
from facilitate.clock import FakeTimeSource, SessionClock
from facilitate.commands import DayStart
from facilitate.events import DayStartChosen, PlanChanged
from facilitate.tui.app import FacilitateApp
from facilitate.tui.dialogs.choice import ChoiceScreen
from facilitate.tui.dialogs.confirm import ConfirmScreen
from facilitate.tui.dialogs.replan import ReplanScreen
from facilitate.tui.run.screen import RunScreen

SIZE = (120, 40)
LATE = START.replace(hour=11, minute=38)  # the late start: the plan says 09:30


def app_at(tmp_path: Path, when: timedelta, start: DayStart | None = None) -> FacilitateApp:
    """``facilitate run sample-programme [--start ...]`` opened ``when`` after 09:30."""
    paths = make_paths(tmp_path)
    agenda, text = load_named("sample-programme", paths)
    source = FakeTimeSource(START + when)
    app = FacilitateApp(
        paths,
        "run",
        agenda=agenda,
        agenda_text=text,
        clock=SessionClock(source),
        tz=START.tzinfo,
        writer_id="w",
        start=start,
    )
    app.source = source  # type: ignore[attr-defined]
    return app


def source_of(app: FacilitateApp) -> FakeTimeSource:
    return app.source  # type: ignore[attr-defined, no-any-return]


def agenda_row(app: FacilitateApp, index: int) -> dict[str, str]:
    """The agenda column's cells for one segment (plan, mins, forecast...), as drawn."""
    from facilitate.tui.run.agenda_list import AgendaList

    return dict(run_screen(app).query_one(AgendaList)._cells[index])


@sync
async def test_start_now_shifts_the_plan_without_asking_and_proposes_a_re_plan(
    tmp_path: Path,
) -> None:
    app = app_at(tmp_path, LATE - START, DayStart())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        # No question (--start answered it), but the moved plan misses lunch: the re-plan
        # is proposed, as choosing "start the plan now" in the question does.
        assert isinstance(app.screen, ReplanScreen)
        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, RunScreen)
        [chosen] = [e for e in journal_events(app) if isinstance(e, DayStartChosen)]
        assert chosen.shift and not chosen.shift_fixed
        assert agenda_row(app, 1)["plan"].startswith("12:08")  # planned from 11:38 now
        assert agenda_row(app, 9)["plan"] == "12:30@"  # lunch keeps its clock time


@sync
async def test_opening_late_asks_once_then_proposes_a_re_plan(tmp_path: Path) -> None:
    app = app_at(tmp_path, LATE - START)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        question = app.screen
        assert isinstance(question, ChoiceScreen)
        assert "09:30" in question.title_text and "11:38" in question.title_text
        await pilot.press("1")  # start the plan now, fixed times keep their clock time
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, ReplanScreen), "the moved plan misses lunch: a re-plan"
        assert "Lunch at 12:30 is forecast" in text_of(dialog.query_one("#replan-headline"))
        await pilot.press("escape")  # rejected: nothing recorded
        await settle(pilot, app)
        assert event_types(app) == ["SessionStarted", "DayStartChosen"]
        await pilot.press("escape", "space")  # from the note box to the keys; no 2nd question
        await settle(pilot, app)
        assert isinstance(app.screen, RunScreen) and live(app).state.running
        same_state(app)


@sync
async def test_starting_late_from_an_early_open_asks_and_can_keep_the_planned_times(
    tmp_path: Path,
) -> None:
    app = app_at(tmp_path, timedelta(minutes=-20))  # opened at 09:10: no question yet
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, RunScreen)
        await advance(pilot, app, source_of(app), 45 * 60)  # 09:55: the room is finally in
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("3")  # keep the planned times
        await settle(pilot, app)
        assert event_types(app) == ["SessionStarted", "DayStartChosen", "TimerStarted"]
        assert "25 min behind" in topbar(app)


@sync
async def test_n_re_plans_from_now_with_the_facilitators_changes_and_reason(
    tmp_path: Path,
) -> None:
    app = app_at(tmp_path, timedelta())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await advance(pilot, app, source_of(app), 150 * 60)  # 12:00: half an hour lost
        await pilot.press(*["right_square_bracket"] * 6)  # on to Climate for Change
        await settle(pilot, app)
        assert "Lunch at 12:30: 30 min at risk" in text_of(run_screen(app).query_one("#pressure"))
        await pilot.press("n")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, ReplanScreen)
        assert dialog.proposal.lengths[6] == 7 * 60  # half of each, in proportion
        await pilot.press("tab", "down", "minus")  # to the rows; Activity 3: a minute less
        await settle(pilot, app)
        assert dialog.lengths[7] == 12 * 60
        assert "Lunch 12:30 ✓" in text_of(dialog.query_one("#replan-outcome"))
        reason = dialog.query_one("#replan-reason")
        await pilot.click(reason)
        await pilot.press("ctrl+a", "ctrl+k", *"room asked for more discussion", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen, RunScreen)
        [plan] = [e for e in journal_events(app) if isinstance(e, PlanChanged)]
        assert plan.reason == "room asked for more discussion"
        assert dict(zip(plan.segments, plan.lengths, strict=True))[7] == 12 * 60
        assert agenda_row(app, 7)["mins"] == "12m"
        assert run_screen(app).query_one("#pressure").display is False
        same_state(app)


@sync
async def test_after_an_early_finish_the_top_bar_says_when_and_timer_keys_are_gone(
    tmp_path: Path,
) -> None:
    app = app_at(tmp_path, timedelta())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        assert "Start/Pause" in footer_labels(app)
        await advance(pilot, app, source_of(app), 5 * 3600 + 40 * 60)  # 15:10
        await pilot.press("E")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot, app)
        while not isinstance(app.screen, RunScreen):  # the end-of-day reflection
            await pilot.press("escape")
            await settle(pilot, app)
        assert "ended at 15:10, 50 min before the planned 16:00" in topbar(app)
        await pilot.press("escape")  # from the note box to the keys
        await settle(pilot, app)
        labels = footer_labels(app)
        for gone in ("Start/Pause", "Next", "Prev", "+1m", "-1m"):
            assert gone not in labels, gone
        assert "Type" in labels
        screen = run_screen(app)
        for action in ("start_pause", "next", "replan", "adjust", "end_session"):
            assert screen.check_action(action, ()) is False, action
        before = segment_title(app)
        await pilot.press("space", "right_square_bracket", "n")
        await settle(pilot, app)
        assert segment_title(app) == before and event_types(app)[-1] in (
            "SessionEnded",
            "ReflectionRecorded",
        )


@sync
async def test_the_re_plan_fits_small_screens_with_its_verdict_reason_and_keys(
    tmp_path: Path,
) -> None:
    """At 100x30, 80x24 and 60x20 the rows scroll; the fixed times, the reason and the keys
    stay on screen, and the last column is not cut."""
    for size in ((100, 30), (80, 24), (60, 20)):
        app = app_at(tmp_path / f"{size[0]}", LATE - START)
        async with app.run_test(size=size) as pilot:
            await settle(pilot, app)
            await pilot.press("1")
            await settle(pilot, app)
            dialog = app.screen
            assert isinstance(dialog, ReplanScreen)
            for selector in ("#replan-outcome", "#replan-reason", ".replan-keys"):
                region = dialog.query_one(selector).region
                assert region.height > 0 and region.bottom <= size[1], (size, selector)
            assert "Lunch 12:30 ✓" in text_of(dialog.query_one("#replan-outcome"))
            table = dialog.query_one("#replan-rows")
            assert table.region.bottom <= size[1]
            await pilot.press("tab", "end")  # to the rows, and their last
            await settle(pilot, app)
            if size[1] < 30:
                assert table.scroll_offset.y > 0, size  # the last rows can be reached
            # Registration's slot went by before the day began: left out, whole.
            assert "left out time passed" in " ".join(str(c) for c in dialog._row("0")), size


def test_after_the_end_the_top_bar_measures_against_the_plan_in_force() -> None:
    """Started now at 17:31 (the plan moved to end at 00:01) and ended at 17:32: the bar
    measures against 00:01, as its forecast did all day, and names the agenda's 16:00."""
    from commandworld import Day, agenda
    from facilitate.commands import ChooseStart, End, Toggle
    from facilitate.schedule import snapshot
    from facilitate.tui.run.topbar import end_text

    d = Day(agenda("sample-programme"), now=START.replace(hour=17, minute=31))
    d.do(ChooseStart())
    running = snapshot(d.agenda, d.state, d.now, d.tz)
    assert end_text(running, d.tz) == "ends 00:01 (on time, re-planned from 16:00)"
    d.do(Toggle())
    d.later(1)
    d.do(End())
    ended = snapshot(d.agenda, d.state, d.now, d.tz)
    assert end_text(ended, d.tz) == (
        "ended at 17:32, 389 min before the planned 00:01 (re-planned from 16:00)"
    )


def test_the_catch_up_line_counts_minutes_as_the_top_bar_and_the_re_plan_do() -> None:
    """Half an hour and 20 seconds lost before lunch: every line says 30 minutes, none 31."""
    from commandworld import Day, agenda
    from facilitate.commands import Toggle
    from facilitate.events import SegmentChanged
    from facilitate.replan import as_is, propose
    from facilitate.schedule import snapshot
    from facilitate.tui.dialogs.replan import replan_headline
    from facilitate.tui.run.topbar import pressure_text

    d = Day(agenda("sample-programme"), now=START.replace(hour=9, minute=30))
    d.do(Toggle())
    d.now = START.replace(hour=12, minute=0, second=20)
    d.record(SegmentChanged(at=d.now, segment=6, reason="jump"))  # Climate for Change
    snap = snapshot(d.agenda, d.state, d.now, d.tz)
    assert "Lunch at 12:30: 30 min at risk." in pressure_text(d.agenda, snap, d.tz)
    before = as_is(d.agenda, d.state, d.now, d.tz)
    headline = replan_headline(d.agenda, before, propose(d.agenda, d.state, d.now, d.tz), d.tz)
    assert "forecast 30 min late" in headline


@sync
async def test_when_every_fixed_time_has_passed_the_start_question_says_so(
    tmp_path: Path,
) -> None:
    app = app_at(tmp_path, START.replace(hour=17, minute=16) - START)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        question = app.screen
        assert isinstance(question, ChoiceScreen)
        first = question.items[0]
        assert "every fixed time has passed" in first and "keep their clock" not in first


@sync
async def test_taking_a_segment_down_to_nothing_in_the_re_plan_leaves_it_out(
    tmp_path: Path,
) -> None:
    app = app_at(tmp_path, LATE - START)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("1")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, ReplanScreen)
        headline = dialog.query_one("#replan-headline")
        said = text_of(headline)
        await pilot.press("tab", "down")  # to the rows: the introductions, a few minutes
        await pilot.press(*["minus"] * (dialog.lengths[1] // 60))
        await settle(pilot, app)
        assert 1 in dialog.dropped
        assert "left out" in str(dialog._row("1")[3])
        # The headline says what the plan as changed does, not the first proposal (QA 12).
        left = len(dialog.proposal.left_out)
        assert text_of(headline) != said and f"{left} segments left out" in text_of(headline)


@sync
async def test_a_next_title_cut_by_a_narrow_screen_ends_in_an_ellipsis(tmp_path: Path) -> None:
    from apptools import make_app

    app, _ = make_app(tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot, app)
        bar = run_screen(app).query_one("#nownext")
        line = "".join(s.text for s in bar.render_lines(bar.region.reset_offset)[0])
        assert "› 10:00 Introductions" in line and line.rstrip().endswith("…"), line


def test_the_re_plan_headline_counts_what_is_lost_not_breaks_that_are_over() -> None:
    """Re-planned at 14:00 (shifted to start then): the morning coffee and lunch are over,
    so they are named as such, not counted among the segments left out; the minutes lost
    are those of the teaching alone."""
    from commandworld import Day, agenda
    from facilitate.commands import ChooseStart
    from facilitate.events import SessionStarted
    from facilitate.replan import as_is, propose
    from facilitate.tui.dialogs.replan import replan_headline

    sample = agenda("sample-programme")
    d = Day(sample, now=START.replace(hour=14, minute=0))
    d.record(SessionStarted(at=d.now, agenda_name=sample.name, agenda_title=sample.title))
    d.do(ChooseStart())
    before = as_is(d.agenda, d.state, d.now, d.tz)
    proposal = propose(d.agenda, d.state, d.now, d.tz)
    headline = replan_headline(d.agenda, before, proposal, d.tz)
    teaching = [i for i in proposal.dropped if sample.segments[i].kind != "break"]
    assert len(teaching) < len(proposal.dropped)  # the breaks that are over are left out too
    assert f"{len(teaching)} segments left out" in headline
    assert f"{len(proposal.dropped)} segments" not in headline
    over = "Registration and refreshment (09:30), Refreshment break (11:20) and Lunch (12:30)"
    assert f"Already over: {over} left out." in headline
    lost = sum(
        sample.segments[i].duration_s - (0 if i in proposal.dropped else proposal.lengths[i])
        for i in range(len(sample.segments))
        if sample.segments[i].kind != "break"
    )
    assert f"{format_duration(lost)} lost in all" in headline


@sync
async def test_the_re_plan_marks_a_break_whose_time_has_passed(tmp_path: Path) -> None:
    app = app_at(tmp_path, LATE - START)  # 11:38: the 11:20 coffee has gone by
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("1")  # start the plan now: it misses lunch, a re-plan is proposed
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, ReplanScreen)
        coffee = next(s.index for s in dialog.agenda.segments if s.id == "morning-break")
        assert [str(cell) for cell in dialog._row(str(coffee))[3:]] == ["left out", "time passed"]
        headline = text_of(dialog.query_one("#replan-headline"))
        over = "Registration and refreshment (09:30) and Refreshment break (11:20)"
        assert f"Already over: {over} left out." in headline


@sync
async def test_a_sentence_typed_on_the_re_plan_rows_is_the_reason_not_keys(
    tmp_path: Path,
) -> None:
    """QA 12: after Tab had put the keyboard back on the rows, "Evening rerun agreed..."
    ran as keys there (its d left a segment out). A letter that is no key of the rows
    starts the reason; typing after the suggested reason adds to it; the keys line says
    what the keys do where the keyboard is."""
    from textual.widgets import Input

    from apptools import burst
    from facilitate.tui.widgets.row_table import RowTable

    app = app_at(tmp_path, timedelta())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await advance(pilot, app, source_of(app), 150 * 60)  # 12:00: half an hour lost
        await pilot.press("n")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, ReplanScreen)
        # The keyboard starts in the reason; the arrows there move the rows' highlight.
        hint = dialog.query_one(".replan-keys")
        assert "type why" in text_of(hint) and "tab: change them" in text_of(hint)
        table = dialog.query_one(RowTable)
        before = table.cursor_key
        await pilot.press("down")
        assert table.cursor_key != before
        suggested = dialog.query_one("#replan-reason", Input).value
        assert suggested, "a reason is suggested"
        dropped = set(dialog.dropped)
        await pilot.press("tab")  # to the rows, where a sentence is still not keys
        assert "d leave out" in text_of(hint)
        burst(app, *" Evening rerun agreed with the room.")
        await settle(pilot, app)
        assert set(dialog.dropped) == dropped, "no segment left out by the typing"
        reason = dialog.query_one("#replan-reason", Input)
        assert reason.value == suggested + "; Evening rerun agreed with the room."
        assert "type why" in text_of(hint)  # the keyboard went with the sentence
        await pilot.press("tab")
        await settle(pilot, app)
        assert "d leave out" in text_of(hint)
        await pilot.press("enter")
        await settle(pilot, app)
        [plan] = [e for e in journal_events(app) if isinstance(e, PlanChanged)]
        assert plan.reason.endswith("Evening rerun agreed with the room.")
        assert not plan.dropped or set(plan.dropped) == dropped


@pytest.mark.parametrize("size", [(120, 40), (80, 24), (60, 20)])
@sync
async def test_the_catch_up_line_is_whole_at_every_size(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    """QA 12: twenty minutes added to Registration put the morning break at risk, and the
    catch-up line was cut short below 200 columns, losing its last cut and the n hint.
    Tall screens show it whole with its cuts; short ones say what is at risk and n."""
    from textual.geometry import Region

    app = app_at(tmp_path, timedelta(minutes=1))
    async with app.run_test(size=size) as pilot:
        await pilot.press("escape", "space", *["greater_than_sign"] * 4)
        await settle(pilot, app)
        line = run_screen(app).query_one("#pressure")
        said = text_of(line)
        assert said.startswith("Refreshment break at 11:20:") and "min at risk." in said
        assert said.endswith("n re-plans the day.")
        assert ("To catch up:" in said) == (size[1] >= 30)
        drawn = line.render_lines(Region(0, 0, *line.outer_size))
        shown = " ".join("".join(s.text for s in strip).strip() for strip in drawn)
        assert shown.endswith("n re-plans the day."), shown
        assert line.region.bottom <= size[1]


@pytest.mark.parametrize("seconds", [0, 29, 30, 59])
def test_the_proposal_is_as_many_minutes_late_as_its_forecast_clock_shows(seconds: int) -> None:
    """Opened at 11:25 and some seconds, planned times kept: each fixed time's forecast
    clock is as many minutes after it as the line says it is late (13:19:30 against 11:20
    is 13:20 and 120 min, not 13:19 and 120)."""
    import re

    from commandworld import Day, agenda
    from facilitate.commands import ChooseStart
    from facilitate.events import SessionStarted
    from facilitate.replan import as_is
    from facilitate.tui.dialogs.replan import outcome_text

    sample = agenda("sample-programme")
    d = Day(sample, now=START.replace(hour=11, minute=25, second=seconds))
    d.record(SessionStarted(at=d.now, agenda_name=sample.name, agenda_title=sample.title))
    d.do(ChooseStart(shift=False))
    before = as_is(d.agenda, d.state, d.now, d.tz)
    said = re.findall(r"(\d\d):(\d\d), (\d+) min late", outcome_text(d.agenda, before, d.tz))
    assert len(said) == len(before.fixed) > 0
    for (hours, mins, late), fixed in zip(said, before.fixed, strict=True):
        at = fixed.at.astimezone(d.tz)
        assert (int(hours) * 60 + int(mins)) - (at.hour * 60 + at.minute) == int(late)


def test_the_catch_up_line_adds_up_to_the_minutes_it_says_are_at_risk() -> None:
    """Registration ran to 10:21: 21 minutes at risk before the 11:20 break, won back from
    four segments; the three biggest are named and the fourth is counted, and the minutes
    on the line add up to 21 (not 9 + 5 + 7 "and 1 more")."""
    import re

    from commandworld import Day, agenda
    from facilitate.commands import Next, Toggle
    from facilitate.schedule import snapshot
    from facilitate.tui.run.topbar import pressure_text

    sample = agenda("sample-programme")
    d = Day(sample, now=START)
    d.do(Toggle())
    d.now = START.replace(hour=10, minute=21)
    d.do(Next())
    line = pressure_text(sample, snapshot(sample, d.state, d.now, d.tz), d.tz)
    assert "Refreshment break at 11:20: 21 min at risk." in line
    assert "1 more" in line
    assert sum(int(m) for m in re.findall(r" -(\d+)m", line)) == 21, line


@sync
async def test_run_start_says_the_start_chosen_not_the_moment_it_was_typed(
    tmp_path: Path,
) -> None:
    """``--start 21:00`` at 20:33 meets nothing (every fixed time has gone): the toast says
    the plan runs from 21:00. ``--start 11:05`` at 10:49 proposes a re-plan whose title
    and first row both say 11:05."""
    from datetime import time

    app = app_at(tmp_path / "evening", timedelta(hours=11, minutes=3), DayStart(time(21, 0)))
    told = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, RunScreen)
        assert "The plan now runs from 21:00; no fixed time is ahead." in told
    app = app_at(tmp_path / "morning", timedelta(hours=1, minutes=19), DayStart(time(11, 5)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, ReplanScreen)
        title = text_of(dialog.query_one(".dialog-question"))
        assert title == "Re-plan the rest of the day from 11:05"
        assert str(dialog._row(str(dialog.proposal.items[0].segment))[0]) == "11:05"
