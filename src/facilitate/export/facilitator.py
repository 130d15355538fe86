"""What only the facilitator's report holds: timing, checklists, observations, reflections."""

from __future__ import annotations

from datetime import tzinfo

from facilitate.agenda import Agenda
from facilitate.export.document import (
    Block,
    Bullets,
    Chart,
    Checklist,
    Facts,
    Heading,
    Line,
    Paragraph,
    Section,
    Span,
    Table,
    plain,
)
from facilitate.export.observations import observation_blocks
from facilitate.export.timing import TimingRow, length_text, over_text, timing_table
from facilitate.schedule import Snapshot
from facilitate.state import SessionState
from facilitate.store import LoadedSession, status_of
from facilitate.timing import TimingTotals


def facilitator_sections(session: LoadedSession, snap: Snapshot, tz: tzinfo) -> list[Section]:
    agenda, state = session.agenda, session.state
    every, totals = timing_table(agenda, state, snap, tz)
    # A marker such as "Close" that was never reached has nothing to report.
    rows = [r for r in every if r.ran or r.planned_s or r.agreed_s]
    sections = [
        Section(
            "timing",
            "Timing: planned, agreed and actual",
            (*_timing(rows, totals, snap, session.timekeeper, tz), *_plan_changes(state, tz)),
            True,
        ),
        _checklists(agenda, state),
    ]
    observed = observation_blocks(agenda, state, tz)
    if observed:
        sections.append(Section("observations", "Observations", tuple(observed), major=True))
    reflections = _reflections(agenda, state, tz)
    if reflections:
        sections.append(Section("reflections", "Reflections", reflections))
    about = (
        ("Session", plain(f"{session.id} ({status_of(state, timekeeper=session.timekeeper)})")),
        ("Agenda", plain(agenda.name)),
    )
    sections.append(Section("about", "About this report", (Facts(about),)))
    return [s for s in sections if s is not None]


def _actual(row: TimingRow, timekeeper: bool = True) -> str:
    if row.ran:
        # a clock left running by a process that has gone stopped at the last event
        still = " (running)" if timekeeper else " (interrupted)"
        return length_text(row.actual_s) + (still if row.running else "")
    if row.status == "dropped":
        return "left out"
    return "not run" if row.status in ("done", "skipped") else "—"


def _timing(
    rows: list[TimingRow], totals: TimingTotals, snap: Snapshot, timekeeper: bool, tz: tzinfo
) -> tuple[Block, ...]:
    replanned = any(r.replanned_s is not None for r in rows)
    header = (
        "Segment",
        "Start",
        "Planned",
        *(("Re-planned",) if replanned else ()),
        "Agreed",
        "Actual",
        "Over/under",
    )
    body: list[tuple[Line, ...]] = []
    for row in rows:
        over = over_text(row.over_s)
        re_cell = (plain(length_text(row.replanned_s) if row.replanned_s is not None else ""),)
        body.append(
            (
                plain(row.title),
                plain(f"{row.actual_start.astimezone(tz):%H:%M}" if row.actual_start else "—"),
                plain(length_text(row.planned_s)),
                *(re_cell if replanned else ()),
                plain(length_text(row.agreed_s)),
                plain(_actual(row, timekeeper)),
                (Span(over, "over" if over.startswith("+") else ""),),
            )
        )
    total = _totals(rows, totals, snap.ended, replanned)
    body += total
    numeric = (False, True, True, *((True,) if replanned else ()), True, True, True)
    said = (
        "Over/under compares what ran with the agreed length: the plan plus "
        "any minutes added or taken during the day."
    )
    if len(total) > 1:
        said += " The total is that of the segments that ran: one that never ran saved no time."
    note = Paragraph((Span(said, "muted"),))
    return (Table(header, tuple(body), numeric=numeric, grid=True), note, Chart(tuple(rows)))


def _totals(
    rows: list[TimingRow], totals: TimingTotals, ended: bool, replanned: bool
) -> list[tuple[Line, ...]]:
    """The total row: once the day has ended with segments that never ran, the total of
    those that ran (every column over the same rows, so actual minus agreed is the
    over/under) and a row for the rest; otherwise the whole day."""

    def line(label: str, planned: int, agreed: int, actual: str, over: str) -> tuple[Line, ...]:
        return (
            (Span(label, "strong"),),
            plain(""),
            plain(length_text(planned)),
            *((plain(""),) if replanned else ()),
            plain(length_text(agreed)),
            plain(actual),
            (Span(over, "over" if over[:1] == "+" else ""),),
        )

    verdict = over_text(totals.over_s) if ended else ""
    actual = length_text(totals.actual_s)
    not_run = [r for r in rows if not r.ran]
    if not (ended and not_run and totals.ran):
        return [line("Total", totals.planned_s, totals.agreed_s, actual, verdict)]
    ran = totals.ran
    return [
        line(
            f"Total of the {ran} that ran" if ran > 1 else "Total of the one that ran",
            totals.ran_planned_s,
            totals.ran_agreed_s,
            actual,
            verdict,
        ),
        line(
            f"Not run ({len(not_run)})",
            totals.planned_s - totals.ran_planned_s,
            totals.not_run_agreed_s,
            "—",
            "",
        ),
    ]


def _plan_changes(state: SessionState, tz: tzinfo) -> tuple[Block, ...]:
    """When the day's start was moved and each accepted re-plan, with its reason."""
    items: list[Line] = []
    day = state.day
    if day.start is not None and day.shift:
        moved = " and the fixed times with it" if day.shift_fixed else ""
        items.append(
            plain(f"The plan was moved to start at {day.start.astimezone(tz):%H:%M}{moved}.")
        )
    for replan in day.replans:
        items.append(
            (
                Span(f"Re-planned at {replan.at.astimezone(tz):%H:%M}: ", "strong"),
                Span(replan.reason),
            )
        )
    return (Bullets(tuple(items)),) if items else ()


def _checklists(agenda: Agenda, state: SessionState) -> Section | None:
    blocks: list[Block] = []
    for seg in agenda.segments:
        ticked = state.panels.checklists.get(seg.index, set())
        if not seg.checklist or not (ticked or state.runs[seg.index].started_at is not None):
            continue
        done = sum(1 for i in range(len(seg.checklist)) if i in ticked)
        blocks += [
            Heading(f"{seg.title}: {done} of {len(seg.checklist)} done"),
            Checklist(tuple((i in ticked, item) for i, item in enumerate(seg.checklist))),
        ]
    if not blocks:
        return None
    return Section("checklists", "Checklists", tuple(blocks))


def _reflections(agenda: Agenda, state: SessionState, tz: tzinfo) -> tuple[Block, ...]:
    blocks: list[Block] = []
    for r in state.reflections:
        if r.segment is not None and 0 <= r.segment < len(agenda.segments):
            title = agenda.segments[r.segment].title
        else:
            title = "The whole session"
        head = f"{title}, {r.at.astimezone(tz):%H:%M}"
        if r.rating is not None:
            head += f": {r.rating}/5 collaborative"
        blocks.append(Heading(head, 4))
        rows: list[tuple[str, Line]] = []
        if r.felt.strip():
            rows.append(("How it felt", plain(r.felt.strip())))
        if r.change.strip():
            rows.append(("What to change", plain(r.change.strip())))
        if rows:
            blocks.append(Facts(tuple(rows)))
    return tuple(blocks)
