"""What a re-plan does with fixed times gone by, breaks and minutes, checked the way a
facilitator reads the screen: the sample programme opened late on a hand-moved clock,
through the real commands and reducer, no screen.

- A fixed time that has passed is no target anywhere: not marked, not chased by the
  catch-up line, not made a new fixed time by an accepted re-plan.
- A break whose slot has gone by before the day can reach it is kept whole or left out,
  never shortened, and it goes before any teaching time.
- Every minute is the nearest minute of the exact seconds: the catch-up line, the
  proposal and the forecast clock times agree, and the cuts add up to what they claim.
- The agenda's Plan column never runs backwards; the chosen start is the one shown.
"""

from __future__ import annotations

from datetime import datetime, time

import pytest

from commandworld import T0, Day, agenda
from facilitate.commands import ChooseStart, DayStart, Next, Refusal, Replan, Toggle
from facilitate.events import PlanChanged, SessionStarted
from facilitate.minutes import clock, minutes
from facilitate.replan import Proposal, as_is, propose
from facilitate.schedule import snapshot

SAMPLE = agenda("sample-programme")
IDS = [s.id for s in SAMPLE.segments]
REGISTRATION, INTRO, CONCEPTS = 0, IDS.index("introductions"), IDS.index("concepts-and-contexts")
COFFEE, LUNCH = IDS.index("morning-break"), IDS.index("lunch")
BREAKS = {s.index for s in SAMPLE.segments if s.kind == "break"}


def at(hhmm: str, seconds: int = 0) -> datetime:
    hours, mins = map(int, hhmm.split(":"))
    return T0.replace(hour=hours, minute=mins, second=seconds)


def opened(when: str, seconds: int = 0) -> Day:
    d = Day(SAMPLE, now=at(when, seconds))
    d.record(SessionStarted(at=d.now, agenda_name=SAMPLE.name, agenda_title=SAMPLE.title))
    return d


def proposal_of(d: Day) -> Proposal:
    return propose(d.agenda, d.state, d.now, d.tz)


def accept(d: Day, proposal: Proposal, reason: str = "late start") -> None:
    assert isinstance(d.do(Replan(proposal.lengths, proposal.dropped, reason)), PlanChanged)


# --- fixed times gone by --------------------------------------------------------------


def test_a_fixed_time_gone_by_is_no_target_and_an_accepted_re_plan_does_not_re_fix_it() -> None:
    """11:25, planned times kept: the 11:20 coffee's time has passed though its slot has
    not ended. It is not marked fixed; the catch-up line and the proposal both aim at
    lunch and both leave the coffee out. Kept anyway by the facilitator, its new time is
    an ordinary slot: a minute later it is still no fixed time and no target."""
    d = opened("11:25")
    d.do(ChooseStart(shift=False))
    snap = snapshot(d.agenda, d.state, d.now, d.tz)
    assert not snap.segments[COFFEE].fixed and not snap.segments[REGISTRATION].fixed
    assert snap.segments[LUNCH].fixed
    proposal = proposal_of(d)
    assert snap.pressure is not None and snap.pressure.segment == LUNCH
    assert proposal.fixed[0].segment == LUNCH
    assert {REGISTRATION, COFFEE} <= proposal.dropped
    assert set(snap.pressure.leave_out) == {REGISTRATION, COFFEE}  # the line says the same
    lengths = dict(proposal.lengths)
    lengths[COFFEE] = 10 * 60
    assert isinstance(d.do(Replan(lengths, proposal.dropped - {COFFEE}, "late start")), PlanChanged)
    d.do(Toggle())
    d.later(1)
    after = snapshot(d.agenda, d.state, d.now, d.tz)
    coffee = after.segments[COFFEE]
    assert coffee.planned_start > at("12:00")  # its re-planned slot, after the teaching
    assert not coffee.fixed
    again = proposal_of(d)
    assert COFFEE not in {f.segment for f in again.fixed}
    # Keeping the coffee makes lunch late: the line and n say so alike, about 12:30 (not
    # the 12:40 the accepted plan admitted), and both would leave the coffee out.
    late = as_is(d.agenda, d.state, d.now, d.tz).late
    line = after.pressure
    assert late is not None and line is not None
    assert (line.segment, line.at) == (late.segment, late.at) == (LUNCH, at("12:30"))
    assert minutes(line.overrun_s) == minutes(late.late_s) > 0
    assert line.leave_out == (COFFEE,) and COFFEE in again.dropped


# --- breaks whose time has passed -----------------------------------------------------


def test_starting_at_10_45_leaves_registration_out_whole_and_starts_with_the_teaching() -> None:
    d = opened("10:45")
    d.do(ChooseStart())
    proposal = proposal_of(d)
    first = proposal.items[0]
    assert first.segment == REGISTRATION and first.lapsed and first.dropped  # not 15 of 30
    assert INTRO not in proposal.dropped
    accept(d, proposal)
    assert d.state.current == INTRO and not d.state.running


def test_run_start_11_05_keeps_the_introductions_and_leaves_registration_out() -> None:
    """``--start 11:05`` at 10:49: the plan begins at 11:05 (the proposal says so), and
    registration, whose 09:30 slot is long gone, is left out before any teaching is."""
    d = opened("10:49")
    d.do(DayStart(time(11, 5)).intent(d.now, d.tz))
    proposal = proposal_of(d)
    assert proposal.begins == at("11:05") == proposal.items[0].start
    assert REGISTRATION in proposal.dropped
    assert INTRO not in proposal.dropped
    assert proposal.late is None  # the 11:20 break, still ahead, is met


def window_of(proposal: Proposal, segment: int) -> int:
    """The fixed time ahead that a segment runs before (its window), or -1 after the last."""
    return next((f.segment for f in proposal.fixed if f.segment > segment), -1)


@pytest.mark.parametrize("keep", [False, True])
@pytest.mark.parametrize("when", ["09:45", "10:05", "10:45", "11:25", "11:38", "13:00", "14:40"])
def test_a_passed_break_is_kept_whole_or_left_out_and_teaching_comes_first(
    when: str, keep: bool
) -> None:
    """Whatever the start: no break is ever shortened, and no break whose time has passed
    is kept while teaching before the same fixed time is shortened or left out."""
    d = opened(when)
    d.do(ChooseStart(shift=not keep))
    proposal = proposal_of(d)
    for item in proposal.items:
        if item.segment in BREAKS:
            assert item.after_s in (0, item.before_s), (IDS[item.segment], when)
    lost_in = {
        window_of(proposal, i.segment)
        for i in proposal.items
        if i.segment not in BREAKS and i.after_s < i.before_s
    }
    for item in proposal.items:
        if item.lapsed and not item.dropped:
            assert window_of(proposal, item.segment) not in lost_in, (IDS[item.segment], when)


# --- one rounding rule ----------------------------------------------------------------


def test_a_break_a_minute_late_asks_for_one_minute_from_one_segment() -> None:
    """At 09:31 the day is a minute behind: one minute at risk, won back with one minute,
    not "-1m, -1m"."""
    d = opened("09:31", 5)
    snap = snapshot(d.agenda, d.state, d.now, d.tz)
    assert snap.pressure is not None and minutes(snap.pressure.overrun_s) == 1
    assert [c.cut_s for c in snap.pressure.suggestions] == [60]


def test_the_minutes_late_are_the_minutes_lost_when_shortening_is_enough() -> None:
    """Registration ran to 10:06:18: the break is forecast 6 min late (6m18s) and the
    proposal takes 6 minutes, not 7; accepted, the break is met to the nearest minute."""
    d = opened("09:30")
    d.do(Toggle())
    d.now = at("10:06", 18)
    d.do(Next())
    before = as_is(d.agenda, d.state, d.now, d.tz)
    assert before.late is not None and minutes(before.late.late_s) == 6
    proposal = proposal_of(d)
    assert proposal.lost_s == 6 * 60 and not proposal.dropped
    accept(d, proposal, "registration ran long")
    assert as_is(d.agenda, d.state, d.now, d.tz).late is None


# --- the Plan column and the chosen start ---------------------------------------------


def test_the_plan_column_never_runs_backwards_after_a_second_re_plan() -> None:
    """Late start re-planned at 10:45; the facilitator moves on early and re-plans again
    during Concepts. What ran before the second re-plan is listed at its real start,
    so the column reads down in time order to the current segment."""
    d = opened("10:45")
    d.do(ChooseStart())
    accept(d, proposal_of(d))
    d.do(Toggle())
    d.later(1)
    d.do(Next())  # Concepts at 10:46, well before its planned time
    assert d.state.current == CONCEPTS
    d.later(1)
    lengths = dict(proposal_of(d).lengths)
    lengths[CONCEPTS] += 2 * 60  # the room is keen: two minutes more
    assert isinstance(d.do(Replan(lengths, frozenset(), "running ahead")), PlanChanged)
    snap = snapshot(d.agenda, d.state, d.now, d.tz)
    shown = [t.shown_start for t in snap.segments[: d.state.current + 1]]
    listed = [moment for moment in shown if moment is not None]
    assert listed == sorted(listed), [clock(m, d.tz) for m in listed]
    assert snap.segments[INTRO].shown_start == at("10:45")  # when it really ran
    assert shown[REGISTRATION] is None  # left out: it never ran


def test_the_start_chosen_with_run_start_is_where_the_plan_begins() -> None:
    d = opened("20:33")
    d.do(DayStart(time(21, 0)).intent(d.now, d.tz))
    proposal = proposal_of(d)
    assert proposal.begins == at("21:00")
    assert snapshot(d.agenda, d.state, d.now, d.tz).segments[0].forecast_start == at("21:00")
    shifted = opened("10:49")
    shifted.do(DayStart(time(11, 0), shift_fixed=True).intent(shifted.now, shifted.tz))
    assert proposal_of(shifted).begins == at("11:00")
    assert not proposal_of(shifted).changed  # everything moved by 90 minutes: all met


def test_only_a_current_segment_not_yet_begun_can_be_left_out() -> None:
    """Leaving out registration before it begins starts the day at the introductions;
    once the clock has run on it, it can only be shortened; and something must be left."""
    d = opened("10:45")
    d.do(ChooseStart())
    proposal = proposal_of(d)
    everything = frozenset(range(len(IDS)))
    assert isinstance(d.decide(Replan({}, everything, "no day")), Refusal)
    begun = opened("10:45")
    begun.do(ChooseStart())
    begun.do(Toggle())
    begun.later(1)
    refused = begun.decide(Replan(proposal.lengths, proposal.dropped, "late start"))
    assert refused == Refusal(
        "The current segment has begun: shorten it instead of leaving it out."
    )
    accept(d, proposal)
    assert d.state.current == INTRO and d.state.runs[REGISTRATION].dropped
