"""Where the day stands and where it is heading, as a facilitator reads it.

The sample programme has no slack at all (09:30-16:00, breaks and lunch pinned
with ``at``), which makes it a sharp test: every minute lost before a pinned
time shows up there, and every minute won is absorbed by it.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from facilitate.agenda import Agenda, load_agenda, parse_agenda
from facilitate.catchup import MAX_SHRINK
from facilitate.events import (
    Event,
    SegmentChanged,
    SegmentRestarted,
    SessionEnded,
    SessionStarted,
    TimeAdjusted,
    TimerPaused,
    TimerStarted,
)
from facilitate.reducer import replay
from facilitate.schedule import (
    Pressure,
    Snapshot,
    display_seconds,
    format_slip,
    next_change_s,
    snapshot,
)
from facilitate.state import SessionState

ROOT = Path(__file__).parent.parent
TZ = timezone(timedelta(hours=1), "BST")


def at(hhmm: str, seconds: float = 0) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return datetime(2025, 6, 12, hours, minutes, tzinfo=TZ) + timedelta(seconds=seconds)


@pytest.fixture(scope="module")
def day() -> Agenda:
    return load_agenda(ROOT / "src" / "facilitate" / "agendas" / "sample-programme.toml")


def index(agenda: Agenda, seg_id: str) -> int:
    return next(s.index for s in agenda.segments if s.id == seg_id)


def state_of(agenda: Agenda, *events: Event) -> SessionState:
    opening = SessionStarted(at=at("09:20"), agenda_name=agenda.name, agenda_title=agenda.title)
    return replay(len(agenda.segments), [opening, *events])


def snap(agenda: Agenda, now: datetime, *events: Event) -> Snapshot:
    return snapshot(agenda, state_of(agenda, *events), now, TZ)


def local_hm(moment: datetime) -> str:
    return f"{moment.astimezone(TZ):%H:%M}"


def small(text: str, *, start: str | None = "09:00") -> Agenda:
    head = f'[agenda]\ntitle = "Small"\n{f"start = {start!r}" if start else ""}\n\n'
    return parse_agenda(head + text, file="small.toml", name="small")


# --- formatting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slip", "text"),
    [
        (0, "on time"),
        (29, "on time"),
        (-29, "on time"),
        (60, "1 min behind"),
        (600, "10 min behind"),
        (-300, "5 min ahead"),
        (3 * 3600, "180 min behind"),
    ],
)
def test_format_slip(slip: float, text: str) -> None:
    assert format_slip(slip) == text


# --- levels --------------------------------------------------------------------------------------


def test_ready_before_the_start(day: Agenda) -> None:
    s = snap(day, at("09:25"))
    assert s.level == "ready"
    assert not s.running
    assert s.remaining_s == 30 * 60
    assert s.elapsed_s == 0
    assert local_hm(s.segments[0].forecast_start) == "09:30"
    assert local_hm(s.planned_end) == "16:00"
    assert local_hm(s.forecast_end) == "16:00"
    assert s.slip_s == 0
    assert s.pressure is None


def test_ready_after_moving_on_while_paused(day: Agenda) -> None:
    s = snap(
        day,
        at("10:05"),
        TimerStarted(at=at("09:30")),
        TimerPaused(at=at("10:00")),
        SegmentChanged(at=at("10:01"), segment=1, reason="next"),
    )
    assert s.current == 1
    assert s.level == "ready"
    assert s.remaining_s == 10 * 60


@pytest.mark.parametrize(
    ("seconds_in", "level"),
    [
        (0, "normal"),
        (30 * 60 - 121, "normal"),
        (30 * 60 - 120, "warning"),
        (30 * 60 - 0.5, "warning"),
        (30 * 60 + 0.5, "overtime"),
        (45 * 60, "overtime"),
    ],
)
def test_warning_at_two_minutes_then_overtime(day: Agenda, seconds_in: float, level: str) -> None:
    s = snap(day, at("09:30", seconds_in), TimerStarted(at=at("09:30")))
    assert s.level == level
    assert s.remaining_s == pytest.approx(30 * 60 - seconds_in)
    assert s.overtime_s == pytest.approx(max(0, seconds_in - 30 * 60))


def test_warning_time_set_in_the_agenda() -> None:
    agenda = small('[[segment]]\ntitle = "A"\nduration = 20\nwarning = 5\n')
    started = TimerStarted(at=at("09:00"))
    assert snap(agenda, at("09:14", 59), started).level == "normal"
    assert snap(agenda, at("09:15"), started).level == "warning"


def test_warning_level_holds_while_paused(day: Agenda) -> None:
    s = snap(day, at("11:00"), TimerStarted(at=at("09:30")), TimerPaused(at=at("09:59")))
    assert not s.running
    assert s.level == "warning"
    assert s.remaining_s == 60


def test_a_zero_minute_segment_is_a_marker(day: Agenda) -> None:
    close = index(day, "close")
    s = snap(
        day,
        at("16:02"),
        TimerStarted(at=at("09:30")),
        SegmentChanged(at=at("16:00"), segment=close),
    )
    assert s.level == "marker"
    assert s.planned_s == 0


def test_adding_time_to_a_marker_makes_it_a_countdown(day: Agenda) -> None:
    close = index(day, "close")
    s = snap(
        day,
        at("16:02"),
        TimerStarted(at=at("09:30")),
        SegmentChanged(at=at("16:00"), segment=close),
        TimeAdjusted(at=at("16:01"), segment=close, seconds=300),
    )
    assert s.level == "normal"
    assert s.remaining_s == 180


def test_ended(day: Agenda) -> None:
    s = snap(day, at("17:00"), TimerStarted(at=at("09:30")), SessionEnded(at=at("10:00")))
    assert s.level == "ended"
    assert s.ended
    assert s.pressure is None
    assert s.forecast_end == at("10:00")
    assert [t.status for t in s.segments[:2]] == ["done", "skipped"]


def test_taking_more_time_than_planned_floors_at_zero(day: Agenda) -> None:
    s = snap(
        day,
        at("09:31"),
        TimerStarted(at=at("09:30")),
        TimeAdjusted(at=at("09:30"), segment=0, seconds=-40 * 60),
    )
    assert s.planned_s == 0
    # A segment that ran and had all its time taken away is over time, not a marker.
    assert s.level == "overtime"
    assert s.overtime_s == 60


def test_restart_gives_the_full_time_back(day: Agenda) -> None:
    s = snap(
        day, at("09:50"), TimerStarted(at=at("09:30")), SegmentRestarted(at=at("09:45"), segment=0)
    )
    assert s.remaining_s == 25 * 60
    assert s.segments[0].actual_start == at("09:45")


# --- the forecast: fixed times keep their place while there is slack -----------------------------


def test_on_plan_every_segment_is_forecast_at_its_printed_time(day: Agenda) -> None:
    s = snap(day, at("09:45"), TimerStarted(at=at("09:30")))
    for timing in s.segments:
        assert timing.forecast_start == timing.planned_start, day.segments[timing.index].id
    assert local_hm(s.segments[index(day, "lunch")].forecast_start) == "12:30"


def test_lunch_keeps_its_time_while_there_is_slack(day: Agenda) -> None:
    # Registration finishes 10 minutes early: the morning runs ahead, the break absorbs it.
    s = snap(
        day,
        at("09:50"),
        TimerStarted(at=at("09:30")),
        SegmentChanged(at=at("09:50"), segment=1, reason="next"),
    )
    intro = s.segments[1]
    assert intro.slip_s == -600
    assert format_slip(intro.slip_s) == "10 min ahead"
    morning_break = s.segments[index(day, "morning-break")]
    assert local_hm(morning_break.forecast_start) == "11:20"
    assert morning_break.slip_s == 0
    assert s.segments[index(day, "lunch")].slip_s == 0
    assert s.slip_s == 0
    assert s.pressure is None


def test_fixed_times_slip_only_when_there_is_no_slack(day: Agenda) -> None:
    # Registration overruns by 10 minutes: with no slack, every pinned time slips.
    s = snap(
        day,
        at("10:10"),
        TimerStarted(at=at("09:30")),
        SegmentChanged(at=at("10:10"), segment=1, reason="next"),
    )
    for seg_id in ("morning-break", "lunch", "afternoon-break", "close"):
        assert s.segments[index(day, seg_id)].slip_s == 600, seg_id
    assert local_hm(s.segments[index(day, "lunch")].forecast_start) == "12:40"
    assert s.slip_s == 600
    assert format_slip(s.slip_s) == "10 min behind"


def test_slack_absorbs_part_of_a_later_overrun(day: Agenda) -> None:
    # 10 minutes won before the morning break cannot help lunch: the break holds at 11:20.
    # Activity 3 is then given 15 more minutes, so lunch slips by 15.
    s = snap(
        day,
        at("09:50"),
        TimerStarted(at=at("09:30")),
        SegmentChanged(at=at("09:50"), segment=1, reason="next"),
        TimeAdjusted(at=at("09:51"), segment=index(day, "activity-3"), seconds=900),
    )
    assert s.segments[index(day, "morning-break")].slip_s == 0
    assert s.segments[index(day, "lunch")].slip_s == 900
    # ...and the afternoon break, with no slack after lunch, slips the same.
    assert s.segments[index(day, "afternoon-break")].slip_s == 900


def test_a_paused_timer_pushes_the_forecast_as_time_passes(day: Agenda) -> None:
    events = (TimerStarted(at=at("09:30")), TimerPaused(at=at("09:40")))
    early = snap(day, at("09:40"), *events)
    late = snap(day, at("10:05"), *events)  # paused with 20 minutes to go, 25 minutes ago
    assert early.segments[index(day, "lunch")].slip_s == 0
    assert late.segments[index(day, "lunch")].slip_s == 25 * 60
    assert late.segments[0].forecast_end == at("10:25")


def test_being_early_for_a_fixed_segment_waits_for_its_time(day: Agenda) -> None:
    # Everything before lunch done by 12:20 with the timer paused: lunch still starts 12:30.
    s = snap(
        day,
        at("12:20"),
        TimerStarted(at=at("09:30")),
        TimerPaused(at=at("12:19")),
        SegmentChanged(at=at("12:20"), segment=index(day, "lunch")),
    )
    lunch = s.segments[index(day, "lunch")]
    assert lunch.status == "current"
    assert local_hm(lunch.forecast_start) == "12:30"
    assert local_hm(lunch.forecast_end) == "13:30"


def test_done_and_skipped_segments_show_what_happened(day: Agenda) -> None:
    s = snap(
        day,
        at("10:20"),
        TimerStarted(at=at("09:30")),
        SegmentChanged(at=at("10:00"), segment=2, reason="jump"),
    )
    done, skipped, current = s.segments[:3]
    assert (done.status, skipped.status, current.status) == ("done", "skipped", "current")
    assert (done.actual_start, done.actual_end) == (at("09:30"), at("10:00"))
    assert skipped.actual_start is None
    assert skipped.forecast_start == skipped.forecast_end == at("10:00")
    assert current.actual_start == at("10:00")
    assert current.elapsed_s == 20 * 60


def test_without_a_start_time_the_plan_runs_from_the_first_start() -> None:
    agenda = small(
        '[[segment]]\ntitle = "A"\nduration = 30\n\n[[segment]]\ntitle = "B"\nduration = 15\n',
        start=None,
    )
    s = snap(agenda, at("10:05"), TimerStarted(at=at("10:02")))
    assert [local_hm(t.planned_start) for t in s.segments] == ["10:02", "10:32"]
    assert s.slip_s == 0
    assert local_hm(s.planned_end) == "10:47"


# --- pressure: what to cut to get back to the next pinned time -----------------------------------


def check_pressure(agenda: Agenda, s: Snapshot) -> Pressure:
    """What every suggestion must be, whatever the situation."""
    pressure, current = s.pressure, s.current
    assert pressure is not None
    need = math.floor(pressure.overrun_s / 60 + 0.5) * 60  # the nearest whole minute
    taken = sum(c.cut_s for c in pressure.suggestions)
    left_out = sum(s.segments[i].planned_s for i in pressure.leave_out)
    # Breaks whose time has passed go first, whole; the cuts then add up to the rest.
    assert all(agenda.segments[i].kind == "break" for i in pressure.leave_out)
    assert taken + pressure.uncovered_s == max(0, need - left_out)
    target = pressure.segment
    assert agenda.segments[target].at is not None
    for cut in pressure.suggestions:
        seg = agenda.segments[cut.segment]
        assert current <= cut.segment < target
        assert cut.cut_s > 0
        assert cut.cut_s % 60 == 0, "suggest whole minutes"
        assert seg.kind != "break"
        assert seg.at is None or cut.segment == current
        half = s.segments[cut.segment].planned_s * MAX_SHRINK
        assert cut.cut_s <= math.floor(half / 60 + 0.5) * 60
    assert [c.segment for c in pressure.suggestions] == sorted(
        {c.segment for c in pressure.suggestions}
    )
    return pressure


def apply_cuts(agenda: Agenda, now: datetime, events: list[Event], pressure: Pressure) -> Snapshot:
    cuts = [TimeAdjusted(at=now, segment=c.segment, seconds=-c.cut_s) for c in pressure.suggestions]
    return snap(agenda, now, *events, *cuts)


def test_no_pressure_on_time_or_less_than_half_a_minute_late(day: Agenda) -> None:
    """Under half a minute late rounds to on time, everywhere; at half a minute the fixed
    time is a minute late, and the catch-up line says so with a minute to win back."""
    assert snap(day, at("09:45"), TimerStarted(at=at("09:30"))).pressure is None
    s = snap(day, at("10:00", 29), TimerStarted(at=at("09:30")))
    assert s.segments[index(day, "morning-break")].slip_s == 29
    assert s.pressure is None
    late = check_pressure(day, snap(day, at("10:00", 40), TimerStarted(at=at("09:30"))))
    assert late.need_s == 60 and sum(c.cut_s for c in late.suggestions) == 60


def test_pressure_suggests_cuts_that_win_back_the_fixed_time(day: Agenda) -> None:
    events: list[Event] = [
        TimerStarted(at=at("09:30")),
        SegmentChanged(at=at("10:10"), segment=1, reason="next"),
    ]
    s = snap(day, at("10:10"), *events)
    pressure = check_pressure(day, s)
    assert pressure.segment == index(day, "morning-break")
    assert pressure.overrun_s == 600
    assert pressure.uncovered_s == 0
    assert sum(c.cut_s for c in pressure.suggestions) == 600
    after = apply_cuts(day, at("10:10"), events, pressure)
    assert after.segments[index(day, "morning-break")].slip_s == 0
    assert after.segments[index(day, "lunch")].slip_s == 0
    assert after.pressure is None


def test_pressure_only_cuts_where_it_helps_after_a_break_with_slack(day: Agenda) -> None:
    """Minutes cut before a break that already has slack are absorbed by the break and
    win nothing for lunch: only segments between the break and lunch are worth cutting."""
    events: list[Event] = [
        TimerStarted(at=at("09:30")),
        TimeAdjusted(at=at("09:31"), segment=index(day, "activity-3"), seconds=15 * 60),
        SegmentChanged(at=at("09:45"), segment=1, reason="next"),
    ]
    s = snap(day, at("09:45"), *events)
    assert s.segments[index(day, "morning-break")].slip_s == 0
    pressure = check_pressure(day, s)
    assert pressure.segment == index(day, "lunch")
    assert pressure.overrun_s == 900
    after = apply_cuts(day, at("09:45"), events, pressure)
    assert after.segments[index(day, "lunch")].slip_s <= 0, [
        (day.segments[c.segment].id, c.cut_s) for c in pressure.suggestions
    ]
    assert all(c.segment > index(day, "morning-break") for c in pressure.suggestions)


def test_pressure_never_offers_the_current_segment_more_than_it_has_left(day: Agenda) -> None:
    concepts = index(day, "concepts-and-contexts")
    events: list[Event] = [
        TimerStarted(at=at("09:30")),
        SegmentChanged(at=at("10:10"), segment=concepts, reason="jump"),
        TimerPaused(at=at("10:38")),
    ]
    s = snap(day, at("10:50"), *events)  # 2 minutes left of concepts, paused, 10 min late
    pressure = check_pressure(day, s)
    for cut in pressure.suggestions:
        if cut.segment == concepts:
            assert cut.cut_s <= s.remaining_s


def test_current_segment_in_overtime_is_not_offered_a_cut(day: Agenda) -> None:
    s = snap(day, at("10:15"), TimerStarted(at=at("09:30")))  # registration 15 min over
    pressure = check_pressure(day, s)
    assert all(c.segment != 0 for c in pressure.suggestions)


def test_an_overrun_too_big_to_cut_reports_what_is_left(day: Agenda) -> None:
    s = snap(
        day,
        at("11:00"),
        TimerStarted(at=at("09:30")),
        SegmentChanged(at=at("11:00"), segment=1, reason="next"),
    )
    pressure = check_pressure(day, s)
    assert pressure.segment == index(day, "morning-break")
    assert pressure.overrun_s == 60 * 60
    assert pressure.uncovered_s > 0
    # Every candidate is offered all it can give before anything is left uncovered.
    offered = {c.segment: c.cut_s for c in pressure.suggestions}
    for seg_id in ("introductions", "concepts-and-contexts", "activity-1", "activity-2"):
        seg = day.segments[index(day, seg_id)]
        cap = math.floor(seg.duration_s * MAX_SHRINK / 60 + 0.5) * 60
        assert offered.get(seg.index, 0) == cap, seg_id


@pytest.mark.parametrize(("late_s", "cut_min"), [(200, 3), (210, 4), (229, 4)])
def test_overrun_is_won_back_to_the_nearest_minute(day: Agenda, late_s: int, cut_min: int) -> None:
    """3m20s late asks for 3 minutes (and the line says 3 min), 3m30s for 4: the cuts add
    up to the minutes the line says are at risk, never a minute more."""
    moved = at("10:00", late_s)
    s = snap(day, moved, TimerStarted(at=at("09:30")), SegmentChanged(at=moved, segment=1))
    pressure = check_pressure(day, s)
    assert pressure.overrun_s == late_s
    assert sum(c.cut_s for c in pressure.suggestions) == cut_min * 60


def test_fixed_times_are_on_the_local_day_not_the_utc_day() -> None:
    """In Sydney a 09:00 start is the previous day in UTC; lunch is still today at 12:30."""
    sydney = timezone(timedelta(hours=10))
    agenda = small(
        '[[segment]]\ntitle = "A"\nduration = "3h30m"\n\n[[segment]]\n'
        'title = "Lunch"\nduration = 30\nat = "12:30"\n'
    )
    morning = datetime(2025, 6, 12, 8, 50, tzinfo=sydney)
    state = replay(
        2,
        [
            SessionStarted(at=morning, agenda_name="small", agenda_title="Small"),
            TimerStarted(at=morning + timedelta(minutes=10)),
        ],
    )
    s = snapshot(agenda, state, morning + timedelta(minutes=20), sydney)
    lunch = s.segments[1]
    assert lunch.fixed
    assert lunch.planned_start == datetime(2025, 6, 12, 12, 30, tzinfo=sydney)
    assert lunch.slip_s == 0
    assert s.segments[0].planned_start == datetime(2025, 6, 12, 9, 0, tzinfo=sydney)


@pytest.mark.parametrize(
    ("remaining", "expected"),
    [
        (600.0, 1.0),  # 10:00 exactly: the next change (09:59) is a whole second away
        (599.25, 0.25),
        (0.5, 0.5),
        (0.0, 1.0),  # zero: the overtime count reaches +00:01 a second later
        (-0.25, 0.75),
        (-3.0, 1.0),
    ],
)
def test_the_tick_wakes_when_the_shown_countdown_next_changes(
    remaining: float, expected: float
) -> None:
    delay = next_change_s(remaining)
    assert delay == pytest.approx(expected)
    # Just before the delay the display is unchanged; just after, it has moved on.
    assert display_seconds(remaining - delay + 0.001) == display_seconds(remaining)
    assert display_seconds(remaining - delay - 0.001) != display_seconds(remaining)


# --- the catch-up line only talks about fixed times still ahead, and never cuts breaks ----------


def test_pressure_skips_a_fixed_time_already_past(day: Agenda) -> None:
    """Opened at 11:38 and started there: the 11:20 break is behind us, lunch is the target."""
    s = snap(day, at("11:40"), TimerStarted(at=at("11:38")))
    pressure = check_pressure(day, s)
    assert pressure.segment == index(day, "lunch")
    assert all(day.segments[c.segment].kind != "break" for c in pressure.suggestions)


def test_pressure_never_offers_a_protected_segment() -> None:
    agenda = small(
        '[[segment]]\ntitle = "A"\nduration = 30\n\n[[segment]]\ntitle = "B"\nduration = 30\n'
        'protect = true\n\n[[segment]]\ntitle = "C"\nduration = 30\n\n'
        '[[segment]]\ntitle = "Lunch"\nduration = 30\nat = "10:30"\nkind = "break"\n'
    )
    s = snapshot(agenda, state_of(agenda, TimerStarted(at=at("09:00"))), at("09:40"), TZ)
    pressure = check_pressure(agenda, s)
    assert [c.segment for c in pressure.suggestions] == [2]  # A is in overtime, B protected
