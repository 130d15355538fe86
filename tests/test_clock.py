"""Time shown on the day is the true time, whatever the machine does to its clocks.

A whole day of the bundled sample programme (09:30-16:00) is simulated with
:class:`FakeTimeSource`: segments run, pause and resume, minutes are added and
taken, the event loop is too busy to tick for 90 s, the laptop sleeps over
lunch, and the wall clock is stepped 5 minutes each way (the session clock
follows each step and the correction is journaled, as ``LiveSession`` does, so
the running segment neither gains nor loses the 5 minutes). At every simulated
second the countdown the app would show is compared with the truth, which this
file computes on its own from ``FakeTimeSource.true_now``, never from the
code under test.

Limits of a machine whose monotonic clock stops in suspend
(``counts_suspend=False``): the only sign of a sleep is that the wall clock
moved on while the monotonic clock did not. So

* a forward wall-clock jump seen with less than 1 s of monotonic progress since
  the previous reading looks exactly like a sleep and is taken as one
  (see ``test_limit_forward_jump_between_close_readings_reads_as_a_sleep``);
  corrections are therefore simulated with >= 1 s of monotonic progress
  between readings in that mode;
* a sleep is noticed only when the first reading after waking comes less than
  1 s (of monotonic time) after the last reading before it. The day below
  reads 0.25 s after waking, as an overdue UI timer does; an app that refreshes
  only once a second would miss some sleeps on such machines. Linux
  (CLOCK_BOOTTIME) and macOS (CLOCK_MONOTONIC) count suspend, so neither limit
  applies there.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest

from facilitate.agenda import Agenda, load_agenda
from facilitate.clock import FakeTimeSource, SessionClock, SystemTimeSource
from facilitate.events import (
    ClockCorrected,
    SegmentChanged,
    SegmentRestarted,
    SessionEnded,
    SessionStarted,
    TimeAdjusted,
    TimerPaused,
    TimerStarted,
)
from facilitate.reducer import apply
from facilitate.schedule import display_seconds, format_clock, snapshot
from facilitate.state import new_state

ROOT = Path(__file__).parent.parent
TZ = timezone(timedelta(hours=1), "BST")
DAY = date(2025, 6, 12)


def local(hhmm: str) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return datetime.combine(DAY, time(hours, minutes), tzinfo=TZ)


def seconds_between(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds()


# --- FakeTimeSource ------------------------------------------------------------------------------


def test_fake_time_source_needs_an_aware_start() -> None:
    with pytest.raises(ValueError):
        FakeTimeSource(datetime(2025, 6, 12, 9, 30))


def test_fake_time_source_moves_the_clocks_as_a_machine_does() -> None:
    source = FakeTimeSource(local("09:30"), counts_suspend=False)
    mono = source.monotonic()
    source.advance(10)
    assert source.true_now == local("09:30") + timedelta(seconds=10)
    assert source.wall() == source.true_now
    assert source.monotonic() == mono + 10
    source.suspend(600)  # real and wall time pass; a plain monotonic clock stops
    assert source.true_now == local("09:40") + timedelta(seconds=10)
    assert source.wall() == source.true_now
    assert source.monotonic() == mono + 10
    source.jump_wall(-300)  # the wall clock is set wrong; nothing really happens
    assert source.true_now == local("09:40") + timedelta(seconds=10)
    assert source.wall() == source.true_now - timedelta(minutes=5)


def test_system_time_source_gives_aware_utc_and_a_monotonic_clock() -> None:
    source = SystemTimeSource()
    assert source.wall().tzinfo is not None
    assert source.wall().utcoffset() == timedelta(0)
    first = source.monotonic()
    assert source.monotonic() >= first


# --- SessionClock: unit behaviour ----------------------------------------------------------------


@pytest.mark.parametrize("counts_suspend", [True, False])
def test_clock_starts_at_the_wall_time_and_follows_real_time(counts_suspend: bool) -> None:
    source = FakeTimeSource(local("09:30"), counts_suspend=counts_suspend)
    clock = SessionClock(source)
    assert clock.now() == local("09:30")
    for _ in range(100):
        source.advance(0.7)
        assert abs(seconds_between(source.true_now, clock.now())) < 1e-6


@pytest.mark.parametrize("counts_suspend", [True, False])
def test_suspend_over_lunch_is_counted(counts_suspend: bool) -> None:
    source = FakeTimeSource(local("12:30"), counts_suspend=counts_suspend)
    clock = SessionClock(source)
    source.advance(0.4)
    clock.now()
    source.suspend(55 * 60)
    source.advance(0.25)  # the first reading after waking: an overdue timer fires at once
    assert abs(seconds_between(source.true_now, clock.now())) < 1e-6
    source.advance(30)
    assert abs(seconds_between(source.true_now, clock.now())) < 1e-6


@pytest.mark.parametrize("counts_suspend", [True, False])
@pytest.mark.parametrize("jump_s", [4, -4, 2, -2])
def test_a_wall_clock_step_of_a_few_seconds_does_not_move_the_session_clock(
    counts_suspend: bool, jump_s: int
) -> None:
    source = FakeTimeSource(local("10:00"), counts_suspend=counts_suspend)
    clock = SessionClock(source)
    for _ in range(10):
        source.advance(1)
        clock.now()
    source.jump_wall(jump_s)
    for _ in range(10):  # >= 1 s of monotonic progress between readings (see module doc)
        source.advance(1)
        assert abs(seconds_between(source.true_now, clock.now())) < 1e-6
    assert clock.take_correction() is None
    assert clock.wall_now() == source.true_now + timedelta(seconds=jump_s)


@pytest.mark.parametrize("counts_suspend", [True, False])
@pytest.mark.parametrize("jump_s", [300, -300, 3600, -3600, 6, -6])
def test_a_wall_clock_correction_is_followed_and_reported_once(
    counts_suspend: bool, jump_s: int
) -> None:
    source = FakeTimeSource(local("10:00"), counts_suspend=counts_suspend)
    clock = SessionClock(source)
    for _ in range(10):
        source.advance(1)
        clock.now()
    source.jump_wall(jump_s)
    source.advance(1)
    assert seconds_between(source.wall(), clock.now()) == pytest.approx(0, abs=1e-6)
    assert clock.take_correction() == pytest.approx(jump_s)
    assert clock.take_correction() is None  # once
    for _ in range(10):  # and from then on it runs with the wall clock, nothing more to say
        source.advance(1)
        assert seconds_between(source.wall(), clock.now()) == pytest.approx(0, abs=1e-6)
    assert clock.take_correction() is None


def test_a_wall_clock_wrong_at_start_and_corrected_by_ntp_is_followed() -> None:
    """The laptop starts an hour fast (a dual-boot clock in local time) and NTP steps it
    back a minute later: from then on the session's times are the true ones."""
    source = FakeTimeSource(local("09:30"))
    source.jump_wall(3600)
    clock = SessionClock(source)
    assert seconds_between(source.true_now, clock.now()) == pytest.approx(3600)
    source.advance(60)
    source.jump_wall(-3600)
    source.advance(0.5)
    assert seconds_between(source.true_now, clock.now()) == pytest.approx(0, abs=1e-6)
    assert clock.take_correction() == pytest.approx(-3600)
    source.advance(3600)
    assert seconds_between(source.true_now, clock.now()) == pytest.approx(0, abs=1e-6)


@pytest.mark.parametrize("counts_suspend", [True, False])
def test_backward_jump_between_close_readings_is_a_correction(counts_suspend: bool) -> None:
    source = FakeTimeSource(local("10:00"), counts_suspend=counts_suspend)
    clock = SessionClock(source)
    source.advance(0.5)
    clock.now()
    source.jump_wall(-300)
    source.advance(0.1)
    assert seconds_between(source.wall(), clock.now()) == pytest.approx(0, abs=1e-6)
    assert clock.take_correction() == pytest.approx(-300)


def test_limit_forward_jump_between_close_readings_reads_as_a_sleep() -> None:
    """Documented limit: without a suspend-aware clock, a +5 min step seen with less than
    1 s of monotonic progress cannot be told from 5 minutes asleep, and is taken as one
    (a sleep is time that passed: nothing to correct, nothing to say)."""
    source = FakeTimeSource(local("10:00"), counts_suspend=False)
    clock = SessionClock(source)
    source.advance(0.5)
    clock.now()
    source.jump_wall(300)
    source.advance(0.1)
    assert seconds_between(source.true_now, clock.now()) == pytest.approx(300, abs=1e-6)
    assert clock.take_correction() is None


def test_with_a_suspend_aware_clock_the_same_jump_is_a_correction() -> None:
    source = FakeTimeSource(local("10:00"), counts_suspend=True)
    clock = SessionClock(source)
    source.advance(0.5)
    clock.now()
    source.jump_wall(300)
    source.advance(0.1)
    assert seconds_between(source.wall(), clock.now()) == pytest.approx(0, abs=1e-6)
    assert clock.take_correction() == pytest.approx(300)


@pytest.mark.parametrize("counts_suspend", [True, False])
def test_a_busy_loop_that_skips_ticks_loses_nothing(counts_suspend: bool) -> None:
    source = FakeTimeSource(local("10:00"), counts_suspend=counts_suspend)
    clock = SessionClock(source)
    clock.now()
    source.advance(90)  # no reading at all for 90 s
    assert abs(seconds_between(source.true_now, clock.now())) < 1e-6


def test_a_wrong_wall_clock_at_start_is_a_constant_offset_not_a_drift() -> None:
    source = FakeTimeSource(local("09:30"))
    source.jump_wall(-3)  # the laptop is 3 seconds slow when the app starts
    clock = SessionClock(source)
    start = clock.now()
    source.jump_wall(3)  # NTP fixes it mid-morning: too small to be worth following
    source.advance(3600)
    assert seconds_between(start, clock.now()) == pytest.approx(3600, abs=1e-6)


@pytest.mark.parametrize("counts_suspend", [True, False])
def test_nothing_accumulates_over_a_day_of_fractional_readings(counts_suspend: bool) -> None:
    source = FakeTimeSource(local("09:00"), counts_suspend=counts_suspend)
    clock = SessionClock(source)
    for _ in range(8 * 3600 * 3):  # three readings a second for eight hours
        source.advance(1 / 3)
        clock.now()
    # The fake's own truth must not drift from the time that really passed...
    assert source.true_now == local("09:00") + timedelta(hours=8)
    # ...nor the session clock from the truth.
    assert abs(seconds_between(source.true_now, clock.now())) < 1e-3


# --- a whole day, checked every second -----------------------------------------------------------


class Day:
    """Drives a session through the clock and keeps its own account of the truth."""

    def __init__(self, agenda: Agenda, source: FakeTimeSource) -> None:
        self.agenda = agenda
        self.source = source
        self.clock = SessionClock(source)
        self.offset = seconds_between(source.true_now, self.clock.now())
        self.state = new_state(len(agenda.segments))
        n = len(agenda.segments)
        # The truth, from true_now only.
        self.current = 0
        self.elapsed = [0.0] * n
        self.adjust = [0] * n
        self.started = [False] * n
        self.since: datetime | None = None
        self.ended = False
        self.checks = 0
        self.worst = 0.0
        self.levels: set[str] = set()
        self.corrections: list[float] = []
        self.record(SessionStarted, agenda_name=agenda.name, agenda_title=agenda.title)

    # -- actions: one event for the app, the same fact for the truth --

    def session_now(self) -> datetime:
        """The clock's "now", after journaling a correction it noticed (as LiveSession does)."""
        now = self.clock.now()
        offset = self.clock.take_correction()
        if offset is not None:
            apply(self.state, ClockCorrected(at=now, offset_s=offset))
            self.corrections.append(offset)
        return now

    def record(self, event_type: type, **fields: object) -> None:
        apply(self.state, event_type(at=self.session_now(), **fields))

    @property
    def now(self) -> datetime:
        return self.source.true_now

    def _bank(self) -> None:
        if self.since is not None:
            self.elapsed[self.current] += seconds_between(self.since, self.now)
            self.since = self.now

    def start(self) -> None:
        self.record(TimerStarted)
        self.since = self.now
        self.started[self.current] = True

    def pause(self) -> None:
        self.record(TimerPaused)
        self._bank()
        self.since = None

    def next(self) -> None:
        self.record(SegmentChanged, segment=self.current + 1, reason="next")
        self._bank()
        self.current += 1
        if self.since is not None:
            self.started[self.current] = True

    def add(self, minutes: int) -> None:
        self.record(TimeAdjusted, segment=self.current, seconds=minutes * 60)
        self.adjust[self.current] += minutes * 60

    def restart(self) -> None:
        self.record(SegmentRestarted, segment=self.current)
        self.elapsed[self.current] = 0.0
        if self.since is not None:
            self.since = self.now
        else:
            self.started[self.current] = False

    def end(self) -> None:
        self.record(SessionEnded)
        self._bank()
        self.since = None
        self.ended = True

    # -- time passing --

    def until(self, hhmm: str) -> None:
        """Tick once a second (as the UI does) until the true local time is ``hhmm``."""
        target = local(hhmm)
        while self.now < target:
            self.source.advance(min(1.0, seconds_between(self.now, target)))
            self.check()

    def busy(self, seconds: float) -> None:
        self.source.advance(seconds)  # the event loop was busy: no reading at all
        self.check()

    def sleep(self, seconds: float) -> None:
        self.source.suspend(seconds)
        self.source.advance(0.25)  # the overdue timer fires as soon as the machine wakes
        self.check()

    def jump(self, seconds: float) -> None:
        self.source.jump_wall(seconds)

    # -- the check --

    def true_elapsed(self) -> float:
        run = self.elapsed[self.current]
        if self.since is not None:
            run += seconds_between(self.since, self.now)
        return run

    def true_remaining(self) -> float:
        seg = self.agenda.segments[self.current]
        planned = max(0, seg.duration_s + self.adjust[self.current])
        return planned - self.true_elapsed()

    def true_level(self) -> str | None:
        """The level a facilitator should see, or None within 1 s of a threshold."""
        seg = self.agenda.segments[self.current]
        remaining = self.true_remaining()
        if self.ended:
            return "ended"
        if seg.duration_s + self.adjust[self.current] <= 0:
            return "marker"
        if not self.started[self.current] and self.since is None:
            return "ready"
        if min(abs(remaining), abs(remaining - seg.warning_s)) < 1:
            return None
        if remaining <= 0:
            return "overtime"
        return "warning" if remaining <= seg.warning_s else "normal"

    def check(self) -> None:
        snap = snapshot(self.agenda, self.state, self.session_now(), TZ)
        truth = self.true_remaining()
        shown = display_seconds(snap.remaining_s)
        where = f"at {self.now.astimezone(TZ):%H:%M:%S} in {self.current}"
        assert snap.current == self.current, where
        assert abs(shown - truth) <= 1, f"{where}: shows {shown}, truly {truth:.2f}"
        assert abs(snap.elapsed_s - self.true_elapsed()) < 1, where
        assert snap.running == (self.since is not None), where
        level = self.true_level()
        if level is not None:
            assert snap.level == level, f"{where}: level {snap.level}, truly {level}"
            self.levels.add(level)
        self.worst = max(self.worst, abs(snap.remaining_s - truth))
        self.checks += 1


@pytest.fixture(scope="module")
def programme() -> Agenda:
    return load_agenda(ROOT / "src" / "facilitate" / "agendas" / "sample-programme.toml")


@pytest.mark.parametrize("counts_suspend", [True, False], ids=["boottime", "plain-monotonic"])
def test_a_whole_day_of_the_sample_programme_shows_the_true_time(
    programme: Agenda, counts_suspend: bool
) -> None:
    source = FakeTimeSource(local("09:20"), counts_suspend=counts_suspend)
    day = Day(programme, source)
    ids = [s.id for s in programme.segments]

    day.until("09:30")  # ready: the countdown waits at 30:00
    day.start()  # registration
    day.until("10:00")
    day.next()  # introductions
    day.until("10:04")
    day.pause()  # a fire alarm test
    day.until("10:06")
    day.start()
    day.until("10:12")
    day.next()  # concepts and contexts
    day.until("10:20")
    day.add(5)
    day.until("10:30")
    day.busy(90)  # the screen was too busy to tick for 90 s
    day.until("10:47")
    day.next()  # activity 1
    day.add(-3)
    day.until("10:59")
    day.next()  # activity 2
    day.until("11:05")
    day.jump(300)  # the wall clock is stepped 5 minutes fast...
    day.until("11:15")
    day.jump(-300)  # ...and corrected back
    day.until("11:24")
    day.next()  # morning break
    day.until("11:34")
    day.next()  # climate for change
    day.until("11:50")  # one minute over: overtime
    day.next()  # activity 3
    day.until("12:00")
    day.restart()  # the groups were not ready
    day.until("12:25")
    day.next()  # activity 4
    day.until("12:45")
    day.next()  # lunch, 15 minutes late
    day.until("12:50")
    day.sleep(50 * 60)  # the lid is closed over lunch, the timer still running
    day.until("13:50")  # lunch overran by 5 minutes
    day.next()  # influencing and negotiation
    day.until("14:00")
    day.jump(-300)  # a correction the other way while running
    day.until("14:10")
    day.next()  # activity 5 meeting
    day.until("14:20")
    day.jump(300)  # (read >= 1 s after the jump: see the module docstring)
    day.until("14:50")
    day.next()  # activity 5 reflection
    day.until("15:15")
    day.next()  # afternoon break
    day.until("15:30")
    day.next()  # session feedback
    day.pause()
    day.until("15:31")
    day.start()
    day.until("15:50")
    day.next()  # learning log
    day.add(-5)
    day.until("16:10")
    day.next()  # close: a 0-minute marker
    assert ids[day.current] == "close"
    day.until("16:12")
    day.end()
    day.until("16:13")

    assert day.checks > 6 * 3600
    assert day.levels == {"ready", "normal", "warning", "overtime", "marker", "ended"}
    # Nothing accumulated: the session clock still agrees with the truth to the millisecond,
    assert abs(seconds_between(source.true_now, day.clock.now()) - day.offset) < 1e-3
    # and so does every segment's recorded time.
    assert day.corrections == pytest.approx([300, -300, -300, 300])
    final = day.session_now()
    for index in range(len(programme.segments)):
        assert abs(day.state.elapsed(index, final) - day.elapsed[index]) < 1e-3, ids[index]
    assert day.worst < 1e-3
    assert sum(day.elapsed) == pytest.approx(
        seconds_between(local("09:30"), local("16:12")) - 2 * 60 - 60 - 10 * 60, abs=1e-3
    )


def test_display_seconds_counts_down_then_up() -> None:
    assert display_seconds(600) == 600
    assert display_seconds(599.01) == 600  # 10:00 stays until a full second has gone
    assert display_seconds(599.0) == 599
    assert display_seconds(0.2) == 1
    assert display_seconds(0) == 0
    assert display_seconds(-0.5) == 0
    assert display_seconds(-1.0) == -1
    assert display_seconds(-61.9) == -61
    assert format_clock(display_seconds(599.5)) == "10:00"
    assert format_clock(-61) == "01:01"
    assert format_clock(3 * 3600 + 5) == "3:00:05"


def test_after_a_correction_the_plan_moves_with_the_clock_and_the_day_is_not_late() -> None:
    """The laptop was an hour slow when the day started 'now'; NTP puts it right: the
    day is exactly as on time as before, and the lengths run stay what they were."""
    from facilitate.events import DayStartChosen
    from facilitate.events.base import format_instant

    programme = load_agenda(ROOT / "src" / "facilitate" / "agendas" / "partnership-meeting.toml")
    slow = local("08:31")  # the wall clock's 09:31
    state = new_state(len(programme.segments))
    for event in (
        SessionStarted(at=slow, agenda_name=programme.name, agenda_title=programme.title),
        DayStartChosen(at=slow, start=format_instant(slow), shift=True),
        TimerStarted(at=slow),
        SegmentChanged(at=slow + timedelta(minutes=10), segment=1, reason="next"),
    ):
        apply(state, event)
    before = snapshot(programme, state, slow + timedelta(minutes=20), TZ)
    corrected = slow + timedelta(minutes=20, hours=1)
    apply(state, ClockCorrected(at=corrected, offset_s=3600))
    after = snapshot(programme, state, corrected, TZ)
    now_before, now_after = before.segments[1], after.segments[1]
    assert now_after.planned_start - now_before.planned_start == timedelta(hours=1)
    assert now_after.slip_s == now_before.slip_s == 0  # on time before, on time after
    assert after.remaining_s == pytest.approx(before.remaining_s)
    first = state.runs[0]
    assert first.started_at is not None and first.ended_at is not None
    assert first.ended_at - first.started_at == timedelta(minutes=10)
