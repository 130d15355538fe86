"""The timing report: planned, re-planned, agreed and actual per segment, honest over/under.

A day of the sample programme loses half an hour at the morning break, is re-planned
at 12:00, runs on with a minute agreed in the room, and ends early. Every figure is
worked out here from what happened, not read back from the code under test.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from commandworld import T0, Day, agenda
from facilitate.commands import Adjust, End, Next, Replan, Toggle
from facilitate.events import PlanChanged, SegmentChanged, SessionStarted
from facilitate.export import render, render_text
from facilitate.replan import propose
from facilitate.timing import timing_report
from sessionfactory import start_session

SAMPLE = agenda("sample-programme")
CLIMATE, ACT3, ACT4, LUNCH = 6, 7, 8, 9


def at(hhmm: str) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return T0.replace(hour=hours, minute=minutes)


def the_day() -> Day:
    d = Day(SAMPLE, now=at("09:30"))
    d.record(SessionStarted(at=d.now, agenda_name=SAMPLE.name, agenda_title=SAMPLE.title))
    d.do(Toggle())
    d.now = at("12:00")  # the break ran to 12:00
    d.record(SegmentChanged(at=d.now, segment=CLIMATE, reason="jump"))
    proposal = propose(d.agenda, d.state, d.now, d.tz)
    assert isinstance(
        d.do(Replan(proposal.lengths, proposal.dropped, "break ran long")), PlanChanged
    )
    d.later(9)  # Climate: 9 minutes of the 7 agreed
    d.do(Next())
    d.do(Adjust(1))  # a minute more agreed for Activity 3: 14
    d.later(14)
    d.do(End())  # an early finish at 12:23
    return d


def test_each_row_shows_planned_re_planned_agreed_and_actual() -> None:
    d = the_day()
    report = timing_report(d.agenda, d.state, d.now, d.tz)
    climate, act3, act4 = report.rows[CLIMATE], report.rows[ACT3], report.rows[ACT4]
    assert (climate.planned_s, climate.replanned_s, climate.agreed_s) == (900, 420, 420)
    assert climate.actual_s == 540 and climate.over_s == 120  # 2 over what was agreed
    assert climate.planned_start == at("11:30") and climate.replanned_start == at("12:00")
    assert (act3.planned_s, act3.replanned_s, act3.agreed_s) == (1500, 780, 840)
    assert act3.adjusted_s == 60 and act3.over_s == 0
    assert act4.replanned_s == 600 and act4.status == "skipped" and act4.over_s is None
    assert report.rows[0].replanned_s is None  # before the re-plan: the plan stood
    assert [r.reason for r in report.replans] == ["break ran long"]
    assert report.ended_at == at("12:23")


def test_totals_are_against_what_was_agreed() -> None:
    d = the_day()
    totals = timing_report(d.agenda, d.state, d.now, d.tz).totals
    assert totals.planned_s == SAMPLE.total_planned_s
    agreed = sum(d.state.runs[i].agreed_s(s.duration_s) for i, s in enumerate(SAMPLE.segments))
    assert totals.agreed_s == agreed
    # Over/under adds up the rows that ran: registration 150 of 30 minutes (the clock ran
    # to 12:00 on it), Climate 9 of 7, Activity 3 14 of 14. What never ran has no row
    # figure, so its agreed minutes are not counted as time saved.
    assert totals.over_s == (120 + 2 + 0) * 60
    report = timing_report(d.agenda, d.state, d.now, d.tz)
    assert totals.over_s == sum(r.over_s for r in report.rows if r.over_s is not None)


def test_while_a_segment_runs_only_an_overrun_is_news() -> None:
    d = Day(SAMPLE, now=at("09:30"))
    d.do(Toggle())
    d.later(10)
    running = timing_report(d.agenda, d.state, d.now, d.tz).rows[0]
    assert running.running and running.over_s is None
    d.later(25)
    assert timing_report(d.agenda, d.state, d.now, d.tz).rows[0].over_s == 300


def test_the_facilitators_report_shows_the_re_plan_and_why(tmp_path: Path) -> None:
    day = start_session(tmp_path, "sample-programme", start=at("09:30"))
    for event in the_day().events[1:]:
        day.live.record(event)
    report = render_text("md", day.load(), UTC, audience="facilitator")
    timing = report.split("Timing", 1)[1]
    assert "| Segment | Start | Planned | Re-planned | Agreed | Actual | Over/under |" in timing
    assert "| Creating a Climate for Change | 12:00 | 15m | 7m | 7m | 9m | **+2m** |" in timing
    assert "| Activity 4: Experiences of organisational change | — | 20m | 10m | 10m |" in timing
    assert "**Re-planned at 12:00:** break ran long" in timing
    partnership = render_text("md", day.load(), UTC)
    assert "break ran long" not in partnership  # the room's minutes are not the day's timing


def test_the_json_export_carries_the_re_plan_and_keeps_to_the_schema(tmp_path: Path) -> None:
    import json

    import jsonschema

    day = start_session(tmp_path, "sample-programme", start=at("09:30"))
    for event in the_day().events[1:]:
        day.live.record(event)
    data = json.loads(render("json", day.load(), UTC))
    schema = json.loads((Path(__file__).parent.parent / "docs" / "session.schema.json").read_text())
    jsonschema.validate(data, schema)
    [replan] = data["plan"]["replans"]
    assert replan["reason"] == "break ran long" and replan["dropped"] == []
    assert replan["lengths_s"][str(CLIMATE)] == 420
    climate = data["segments"][CLIMATE]
    assert climate["planned_start"] == "2025-06-12T11:30:00+00:00"  # as the agenda has it
    assert climate["replanned_start"] == "2025-06-12T12:00:00+00:00"
    assert (climate["replanned_duration_s"], climate["agreed_duration_s"]) == (420, 420)


def test_a_segment_a_re_plan_left_out_says_so_in_the_report(tmp_path: Path) -> None:
    day = start_session(tmp_path, "sample-programme", start=at("09:30"))
    d = Day(SAMPLE, now=at("09:30"))
    d.record(SessionStarted(at=d.now, agenda_name=SAMPLE.name, agenda_title=SAMPLE.title))
    d.do(Toggle())
    d.now = at("12:15")  # more than half the time before lunch is gone
    d.record(SegmentChanged(at=d.now, segment=ACT3, reason="jump"))
    proposal = propose(d.agenda, d.state, d.now, d.tz)
    assert proposal.dropped == {ACT4}
    d.do(Replan(proposal.lengths, proposal.dropped, "no time for Activity 4"))
    d.later(15)
    d.do(End())
    for event in d.events[1:]:
        day.live.record(event)
    report = render_text("md", day.load(), UTC, audience="facilitator")
    assert (
        "| Activity 4: Experiences of organisational change | — | 20m | 0m | 0m | left out |"
        in (report)
    )
    assert "Activity 4: Experiences of …                                  left out" in report


def test_a_day_ended_early_totals_only_what_ran_and_says_what_did_not(tmp_path: Path) -> None:
    """Started at 09:31, registration cut to nothing, the introductions begun and the day
    ended a minute later: the total row is that of the two segments that ran (actual minus
    agreed is its over/under, as the rows say), and the fourteen never run have a row of
    their own instead of counting as six hours saved."""
    d = Day(SAMPLE, now=at("09:31"))
    d.record(SessionStarted(at=d.now, agenda_name=SAMPLE.name, agenda_title=SAMPLE.title))
    d.do(Toggle())
    d.do(Adjust(-30))  # registration: no time left
    d.later(0.5)
    d.do(Next())
    d.later(0.5)
    d.do(End())
    totals = timing_report(d.agenda, d.state, d.now, d.tz).totals
    assert (totals.ran, totals.ran_planned_s, totals.ran_agreed_s) == (2, 40 * 60, 10 * 60)
    assert totals.over_s == totals.actual_s - totals.ran_agreed_s == 60 - 10 * 60
    day = start_session(tmp_path, "sample-programme", start=at("09:31"))
    for event in d.events[1:]:
        day.live.record(event)
    timing = render_text("md", day.load(), UTC, audience="facilitator").split("Timing", 1)[1]
    assert "| Registration and refreshment | 09:31 | 30m | 0m | 0m30s | **+1m** |" in timing
    assert "| **Total of the 2 that ran** |  | 40m | 10m | 1m | -9m |" in timing
    assert "| **Not run (14)** |  | 5h50m | 5h50m | — |  |" in timing
    assert "-5h" not in timing and "-6h" not in timing
    assert "one that never ran saved no time" in timing
