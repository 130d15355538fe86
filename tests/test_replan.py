"""Re-planning the rest of the day, over simulated days, against an independent calculation.

Each day is the sample programme (or a small agenda) run through the real commands
and reducer on a hand-moved clock. A proposal is checked two ways that do not use
the code under test: the cuts against the proportional share worked out here by
hand (OnlyT's rule: each flexible segment gives in proportion to its length), and
the day itself, simulated to the end by running every segment for exactly its
agreed length and pressing ``]``, waiting for a fixed time when early. The fixed
times must then start at their clock time, or as late as the proposal said.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from commandworld import T0, Day, agenda, day
from facilitate.agenda import Agenda, parse_agenda
from facilitate.commands import (
    ChooseStart,
    GoTo,
    Next,
    Previous,
    Refusal,
    Replan,
    Toggle,
    start_question,
)
from facilitate.events import DayStartChosen, PlanChanged, SegmentChanged, SessionStarted
from facilitate.replan import MAX_SHRINK, Proposal, as_is, propose, share
from facilitate.schedule import snapshot

SAMPLE = agenda("sample-programme")


def at(hhmm: str) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return T0.replace(hour=hours, minute=minutes)


def index(a: Agenda, seg_id: str) -> int:
    return next(s.index for s in a.segments if s.id == seg_id)


def opened(a: Agenda = SAMPLE, when: str = "09:30") -> Day:
    d = Day(a, now=at(when))
    d.record(SessionStarted(at=d.now, agenda_name=a.name, agenda_title=a.title))
    return d


def run_to(d: Day, seg_id: str, when: str) -> None:
    """The clock has run since 09:30; at ``when`` the facilitator moves to ``seg_id``."""
    d.do(Toggle())
    d.now = at(when)
    d.record(SegmentChanged(at=d.now, segment=index(d.agenda, seg_id), reason="jump"))


def accept(d: Day, proposal: Proposal, reason: str = "behind") -> PlanChanged:
    outcome = d.do(Replan(proposal.lengths, proposal.dropped, reason))
    assert isinstance(outcome, PlanChanged), outcome
    return outcome


def simulate(d: Day) -> dict[int, datetime]:
    """Run the rest of the day as agreed, with no forecast: each segment for exactly its
    agreed length, then ], waiting for a fixed time when early. When each one started."""
    starts: dict[int, datetime] = {}
    if not d.state.running:
        d.do(Toggle())
    while True:
        i = d.state.current
        run = d.state.runs[i]
        starts[i] = run.started_at or d.now
        left = run.agreed_s(d.agenda.segments[i].duration_s) - d.state.elapsed(i, d.now)
        d.now += timedelta(seconds=max(0.0, left))
        later = [j for j in range(i + 1, len(d.agenda.segments)) if not d.state.runs[j].dropped]
        if not later:
            return starts
        fixed = d.agenda.segments[later[0]].at
        if fixed is not None:
            d.now = max(d.now, d.now.replace(hour=fixed.hour, minute=fixed.minute, second=0))
        assert isinstance(d.do(Next()), SegmentChanged)


def expected_cuts(need_min: int, lengths_min: dict[int, float]) -> dict[int, float]:
    """The proportional share, worked out by hand: need x length / total length."""
    total = sum(lengths_min.values())
    return {i: need_min * length / total for i, length in lengths_min.items()}


# --- the share ------------------------------------------------------------------------


def test_share_is_proportional_in_whole_minutes_and_adds_up() -> None:
    cuts = share(35 * 60, {1: 600, 2: 1800, 3: 900, 4: 1500})
    assert sum(cuts.values()) == 35 * 60
    for i, exact in expected_cuts(35, {1: 10, 2: 30, 3: 15, 4: 25}).items():
        assert abs(cuts[i] / 60 - exact) < 1
    assert all(cut % 60 == 0 for cut in cuts.values())


def test_share_never_takes_more_than_half() -> None:
    cuts = share(60 * 60, {1: 600, 2: 1200})
    assert cuts == {1: 300, 2: 600}  # 15 of the 60 needed is all that half gives
    lengths = (600, 1200)
    assert all(cut <= n * MAX_SHRINK for cut, n in zip(cuts.values(), lengths, strict=True))


# --- simulated days -------------------------------------------------------------------


def test_a_late_start_leaves_out_registration_before_it_takes_teaching_time() -> None:
    """Started 35 minutes late and shifted: registration's 09:30 slot has gone, so it is
    left out whole (never halved) before any teaching gives a minute; the 5 minutes still
    missing come from the morning in proportion; the break and lunch are on time, and the
    day begins with the introductions."""
    d = opened(when="10:05")
    assert start_question(d.world) == timedelta(minutes=35)
    assert isinstance(d.do(ChooseStart()), DayStartChosen)
    assert start_question(d.world) is None  # asked once
    proposal = propose(d.agenda, d.state, d.now, d.tz)
    assert proposal.dropped == {0} and proposal.items[0].lapsed
    assert proposal.left_out == frozenset()  # registration is over, not lost
    morning = {index(SAMPLE, s): SAMPLE.segments[index(SAMPLE, s)].duration_s / 60 for s in
               ("introductions", "concepts-and-contexts", "activity-1", "activity-2")}  # fmt: skip
    cuts = {i: (SAMPLE.segments[i].duration_s - proposal.lengths[i]) / 60 for i in morning}
    # 10:05 + 80 minutes of teaching is 11:25: 5 minutes to win back for the 11:20 break.
    assert sum(cuts.values()) == 5 and proposal.lost_s == 5 * 60
    for i, exact in expected_cuts(5, morning).items():
        assert abs(cuts[i] - exact) < 1, (SAMPLE.segments[i].id, cuts[i], exact)
    for item in proposal.items:
        if item.segment > 5:
            assert item.after_s == item.before_s, SAMPLE.segments[item.segment].id
    assert proposal.late is None
    accept(d, proposal, "late start")
    assert d.state.current == index(SAMPLE, "introductions")  # the day begins there
    assert not d.state.running
    starts = simulate(d)
    assert 0 not in starts and starts[1] == at("10:05")
    assert starts[index(SAMPLE, "morning-break")] == at("11:20")
    assert starts[index(SAMPLE, "lunch")] == at("12:30")
    assert d.now == at("16:00")


CONTENT = [s.index for s in SAMPLE.segments if s.kind != "break" and s.duration_s > 0]


@pytest.mark.parametrize("keep", [False, True])
def test_late_in_the_morning_passed_breaks_go_before_teaching_time(keep: bool) -> None:
    """At 11:38 (planned times kept or shifted), registration and the 11:20 coffee have
    gone by: both are left out, whole, and the teaching before lunch is shortened and
    only then thinned, latest first. Lunch is met; no break sits just before it."""
    d = opened(when="11:38")
    d.do(ChooseStart(shift=not keep))
    proposal = propose(d.agenda, d.state, d.now, d.tz)
    coffee, lunch = index(SAMPLE, "morning-break"), index(SAMPLE, "lunch")
    assert {0, coffee} <= proposal.dropped  # over, whole: never halved
    kept = [i for i in CONTENT if i < lunch and i not in proposal.dropped]
    assert len(kept) >= 3  # the teaching of the morning is not all gone
    assert all(proposal.lengths[i] * 2 >= SAMPLE.segments[i].duration_s for i in kept)
    assert proposal.late is None
    items = {item.segment: item for item in proposal.items}
    assert not items[0].fixed and not items[coffee].fixed  # 09:30 and 11:20 are not kept
    accept(d, proposal, "late start")
    starts = simulate(d)
    assert starts[lunch] == at("12:30") and d.now == at("16:00")


def test_starting_at_two_keeps_teaching_and_leaves_out_lunch_and_the_morning_coffee() -> None:
    """At 14:00 every break before 15:00 has gone by: lunch and the morning coffee are left
    out, not the teaching; the 15:00 break and the close are met."""
    d = opened(when="14:00")
    d.do(ChooseStart())
    proposal = propose(d.agenda, d.state, d.now, d.tz)
    assert {index(SAMPLE, "lunch"), index(SAMPLE, "morning-break")} <= proposal.dropped
    kept = [i for i in CONTENT if i not in proposal.dropped]
    assert sum(proposal.lengths[i] for i in kept) >= 60 * 60  # two hours, one of teaching
    assert proposal.late is None
    accept(d, proposal, "started after lunch")
    starts = simulate(d)
    assert starts[index(SAMPLE, "afternoon-break")] == at("15:00")
    assert d.now == at("16:00")


@pytest.mark.parametrize("when", ["10:05", "11:38", "14:00"])
def test_what_a_re_plan_takes_counts_teaching_not_breaks_whose_time_has_passed(when: str) -> None:
    """A break whose slot has gone by is over, not lost: the proposal tells it apart from
    the segments the facilitator loses, and counts the minutes lost from those alone."""
    d = opened(when=when)
    d.do(ChooseStart())
    proposal = propose(d.agenda, d.state, d.now, d.tz)
    breaks = {s.index for s in SAMPLE.segments if s.kind == "break"}
    # Worked out here: the breaks whose agenda slot ended before now (registration not
    # yet begun counts: the clock has not run).
    gone = {
        i
        for i in breaks
        if (slot := SAMPLE.segments[i].at) is not None
        and at(f"{slot:%H:%M}") + timedelta(seconds=SAMPLE.segments[i].duration_s) <= d.now
    }
    assert proposal.left_out == proposal.dropped - gone
    assert not proposal.left_out & breaks, "only breaks still ahead would count, and are kept"
    assert proposal.cut(dropped=True, lapsed=True) == proposal.dropped & gone
    lost = sum(
        SAMPLE.segments[i].duration_s - (0 if i in proposal.dropped else proposal.lengths[i])
        for i in CONTENT
        if i >= d.state.current
    )
    assert proposal.lost_s == lost
    assert proposal.shortened == {
        i
        for i in CONTENT
        if i not in proposal.dropped and proposal.lengths[i] < SAMPLE.segments[i].duration_s
    }


def test_a_passed_break_accepted_in_a_re_plan_does_not_become_a_new_fixed_time() -> None:
    """Planned times kept at 11:38, the proposal edited to keep the 11:20 coffee (now at
    12:18 or so): it is no fixed time, so the catch-up line does not chase it."""
    d = opened(when="11:38")
    d.do(ChooseStart(shift=False))
    coffee = index(SAMPLE, "morning-break")
    proposal = propose(d.agenda, d.state, d.now, d.tz)
    lengths = dict(proposal.lengths)
    lengths[coffee] = 10 * 60
    assert isinstance(
        d.do(Replan(lengths, proposal.dropped - {coffee}, "keep coffee")), PlanChanged
    )
    d.do(Toggle())
    d.later(5)
    snap = snapshot(d.agenda, d.state, d.now, d.tz)
    assert not snap.segments[coffee].fixed and not snap.segments[0].fixed
    assert snap.pressure is None or snap.pressure.segment != coffee
    again = propose(d.agenda, d.state, d.now, d.tz)
    assert coffee not in {f.segment for f in again.fixed}


def test_a_lost_half_hour_before_lunch_takes_half_of_each_segment_before_it() -> None:
    """The break ran to 12:00, not 11:30: the three segments before lunch (60 minutes in
    30) each give half, in whole minutes, and lunch starts at 12:30."""
    d = opened()
    run_to(d, "climate-for-change", "12:00")
    before = as_is(d.agenda, d.state, d.now, d.tz)
    assert before.late is not None and before.late.segment == index(SAMPLE, "lunch")
    assert before.late.late_s == 30 * 60
    proposal = propose(d.agenda, d.state, d.now, d.tz)
    stretch = {index(SAMPLE, s): SAMPLE.segments[index(SAMPLE, s)].duration_s / 60
               for s in ("climate-for-change", "activity-3", "activity-4")}  # fmt: skip
    cuts = {i: (SAMPLE.segments[i].duration_s - proposal.lengths[i]) / 60 for i in stretch}
    assert sum(cuts.values()) == 30
    for i, exact in expected_cuts(30, stretch).items():
        assert abs(cuts[i] - exact) < 1
    assert proposal.dropped == frozenset() and proposal.late is None
    accept(d, proposal, "the break ran long")
    starts = simulate(d)
    assert starts[index(SAMPLE, "lunch")] == at("12:30")
    assert starts[index(SAMPLE, "close")] == at("16:00")


def test_more_than_half_lost_leaves_out_the_latest_segment_before_lunch() -> None:
    """At 12:15 with 45 minutes of work left before a 12:30 lunch, halving is not enough:
    Activity 4 (the latest) is left out and Activity 3 gives the other 10 minutes."""
    d = opened()
    run_to(d, "activity-3", "12:15")
    proposal = propose(d.agenda, d.state, d.now, d.tz)
    assert proposal.dropped == {index(SAMPLE, "activity-4")}
    assert proposal.lengths[index(SAMPLE, "activity-3")] == 15 * 60
    accept(d, proposal)
    assert d.state.runs[index(SAMPLE, "activity-4")].dropped
    starts = simulate(d)
    assert index(SAMPLE, "activity-4") not in starts  # ] went past it
    assert starts[index(SAMPLE, "lunch")] == at("12:30")


SMALL = """
[agenda]
title = "Small"
start = "09:00"

[[segment]]
title = "Opening"
duration = 60

[[segment]]
title = "Keynote"
duration = 30
protect = true

[[segment]]
title = "Tea"
duration = 15
kind = "break"

[[segment]]
title = "Groups"
duration = 20

[[segment]]
title = "Close"
duration = 0
at = "11:05"
"""


def small() -> Agenda:
    return parse_agenda(SMALL, file="small.toml", name="small")


def test_a_fixed_close_that_cannot_be_met_says_how_late_it_will_be() -> None:
    """Starting at 10:15, 125 minutes of work are left for 50: the protected keynote and
    the tea break keep theirs; Groups is left out, Opening (running) gives half, and the
    close is 25 minutes late, as the simulated day confirms."""
    a = small()
    d = opened(a, "10:15")
    d.do(ChooseStart())
    proposal = propose(a, d.state, d.now, d.tz)
    assert proposal.lengths[0] == 30 * 60
    assert proposal.lengths[1] == 30 * 60 and proposal.lengths[2] == 15 * 60
    assert proposal.dropped == {3}
    late = proposal.late
    assert late is not None and late.segment == 4 and late.late_s == 25 * 60
    accept(d, proposal, "late start")
    assert simulate(d)[4] == at("11:30")


def test_protected_segments_and_breaks_are_never_shortened_or_left_out() -> None:
    """Opening ran 25 minutes over. The protected keynote (now running) and the tea break
    keep every minute even though the close is then 5 minutes late; Groups, the only
    flexible segment, is left out because half of it is not enough."""
    a = small()
    d = opened(a, "09:00")
    d.do(Toggle())
    d.later(85)
    d.do(Next())  # the keynote at 10:25
    proposal = propose(a, d.state, d.now, d.tz)
    assert proposal.lengths[1] == 30 * 60 and proposal.lengths[2] == 15 * 60
    assert proposal.dropped == {3}
    assert proposal.late is not None and proposal.late.late_s == 5 * 60
    accept(d, proposal)
    assert simulate(d)[4] == at("11:10")


def test_on_time_nothing_changes_and_accepting_it_is_refused() -> None:
    d = opened()
    d.do(Toggle())
    d.later(20)
    proposal = propose(d.agenda, d.state, d.now, d.tz)
    assert not proposal.changed and proposal.late is None
    assert d.decide(Replan(proposal.lengths, proposal.dropped, "check")) == Refusal(
        "That is the plan as it stands: nothing to change."
    )


# --- the commands ---------------------------------------------------------------------


def test_a_re_plan_needs_a_reason_and_changes_only_what_is_still_ahead() -> None:
    d = opened()
    run_to(d, "climate-for-change", "12:00")
    proposal = propose(d.agenda, d.state, d.now, d.tz)
    assert isinstance(d.decide(Replan(proposal.lengths, proposal.dropped, "  ")), Refusal)
    assert isinstance(d.decide(Replan({0: 60}, frozenset(), "x")), Refusal)  # done already
    assert isinstance(d.decide(Replan({}, frozenset({d.state.current}), "x")), Refusal)
    event = accept(d, proposal, "  the break   ran long ")
    assert event.reason == "the break ran long"
    assert event.segments == list(range(d.state.current, len(SAMPLE.segments)))
    assert d.state.day.replans[-1].reason == "the break ran long"


def test_the_re_planned_day_is_the_new_plan_it_is_measured_against() -> None:
    d = opened()
    run_to(d, "climate-for-change", "12:00")
    before = snapshot(d.agenda, d.state, d.now, d.tz)
    assert before.segments[index(SAMPLE, "activity-3")].slip_s == 30 * 60
    accept(d, propose(d.agenda, d.state, d.now, d.tz))
    after = snapshot(d.agenda, d.state, d.now, d.tz)
    for seg_id in ("activity-3", "activity-4", "lunch", "close"):
        assert after.segments[index(SAMPLE, seg_id)].slip_s == 0, seg_id
    assert after.pressure is None
    assert after.agenda_end == at("16:00") == after.planned_end


def test_choosing_the_start_keeps_or_shifts_the_plan_and_fixed_times() -> None:
    for choice, intro, lunch, break_pinned in (
        (ChooseStart(shift=False), "10:00", "12:30", False),
        (ChooseStart(), "12:08", "12:30", False),
        (ChooseStart(shift_fixed=True), "12:08", "14:38", True),
    ):
        d = opened(when="11:38")
        assert isinstance(d.do(choice), DayStartChosen)
        snap = snapshot(d.agenda, d.state, d.now, d.tz)
        assert snap.segments[1].planned_start == at(intro), choice
        assert snap.segments[index(SAMPLE, "lunch")].planned_start == at(lunch), choice
        # 11:20 is gone by 11:38: unless the fixed times move too, that break is no longer
        # pinned (keeping the planned times cannot bring 11:20 back).
        assert snap.segments[index(SAMPLE, "morning-break")].fixed == break_pinned


def test_the_question_is_asked_only_far_from_the_planned_start_and_before_it_runs() -> None:
    assert start_question(opened(when="09:35").world) is None
    assert start_question(opened(when="09:15").world) == timedelta(minutes=-15)
    d = opened(when="11:38")
    d.do(Toggle())
    assert start_question(d.world) is None  # the day has started: re-plan instead
    assert isinstance(d.decide(ChooseStart()), Refusal)
    no_start = day("partnership-meeting")
    assert start_question(no_start.world) is None  # plans from now anyway


def test_next_and_previous_skip_what_a_re_plan_left_out() -> None:
    d = opened()
    run_to(d, "activity-3", "12:15")
    accept(d, propose(d.agenda, d.state, d.now, d.tz))
    assert d.do(Next()) == SegmentChanged(at=d.now, segment=index(SAMPLE, "lunch"), reason="next")
    back = d.do(Previous())
    assert back == SegmentChanged(at=d.now, segment=index(SAMPLE, "activity-3"), reason="previous")


@pytest.mark.parametrize("when", ["10:05", "11:38", "13:00", "15:10"])
def test_whatever_the_start_accepting_the_proposal_meets_what_it_promised(when: str) -> None:
    """For any start, the day simulated after accepting reaches each fixed time exactly
    when the proposal said: on time, or as late as it admitted."""
    d = opened(when=when)
    d.do(ChooseStart())
    proposal = propose(d.agenda, d.state, d.now, d.tz)
    promised = {f.segment: max(f.at, f.forecast) for f in proposal.fixed}
    if proposal.changed:
        accept(d, proposal)
    starts = simulate(d)
    for segment, moment in promised.items():
        assert starts[segment] == moment, (SAMPLE.segments[segment].id, when)


def test_going_to_a_left_out_segment_puts_it_back_with_its_length() -> None:
    """g to a segment the re-plan left out: it runs for the agenda's length (not 0:00 and
    overtime at once) and the next re-plan sees it as part of the day again."""
    d = opened()
    run_to(d, "activity-3", "12:15")
    accept(d, propose(d.agenda, d.state, d.now, d.tz))
    four = index(SAMPLE, "activity-4")
    assert d.state.runs[four].dropped
    assert isinstance(d.do(GoTo(four)), SegmentChanged)
    snap = snapshot(d.agenda, d.state, d.now, d.tz)
    assert snap.planned_s == SAMPLE.segments[four].duration_s
    assert snap.level == "normal" and snap.remaining_s == 20 * 60
    assert not d.state.runs[four].dropped
