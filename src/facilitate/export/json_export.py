"""The raw, lossless JSON form of a session: the contract other tools read.

Nothing is summarised or escaped here: deleted notes stay (marked), times keep
their microseconds and offset, and key order is fixed so two exports of the
same session are byte-identical. ``docs/session.schema.json`` is the contract
in JSON Schema, and ``docs/exports.md`` says what each field means; a field
may be added within a version, never removed or changed in meaning.
"""

from __future__ import annotations

import json
from datetime import datetime, tzinfo
from typing import Any

from facilitate.agenda import Agenda
from facilitate.export.common import export_now
from facilitate.state import Attendance, Note, Observation, Panels, SessionState
from facilitate.store import LoadedSession, status_of
from facilitate.timing import timing_report

FORMAT_NAME = "facilitate-session"
FORMAT_VERSION = 1


def iso(moment: datetime | None, tz: tzinfo) -> str | None:
    return None if moment is None else moment.astimezone(tz).isoformat()


def session_data(session: LoadedSession, tz: tzinfo, now: datetime | None = None) -> dict[str, Any]:
    """The whole session as plain JSON-ready data, in the contract's key order."""
    agenda, state = session.agenda, session.state
    moment = export_now(state, now)
    report = timing_report(agenda, state, moment, tz)
    segments = []
    for seg, run, row in zip(agenda.segments, state.runs, report.rows, strict=True):
        segments.append(
            {
                "id": seg.id,
                "index": seg.index,
                "title": seg.title,
                "kind": seg.kind,
                "mode": seg.mode,
                "planned_start": iso(row.planned_start, tz),
                "planned_duration_s": seg.duration_s,
                "actual_start": iso(run.started_at, tz),
                "actual_end": iso(run.ended_at, tz),
                "actual_duration_s": round(row.actual_s or 0.0, 6),
                "adjust_s": run.adjust_s,
                # Added within version 1: the day as re-planned and agreed.
                "replanned_start": iso(run.replanned_start, tz),
                "replanned_duration_s": row.replanned_s,
                "agreed_duration_s": row.agreed_s,
                "dropped": row.status == "dropped",
            }
        )
    notes = sorted(state.notes.values(), key=lambda n: n.created)
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "session": {
            "id": session.id,
            "created": iso(state.created, tz),
            "ended": iso(state.ended_at, tz),
            "status": status_of(state, timekeeper=session.timekeeper),
        },
        "agenda": {"title": state.agenda_title or agenda.title, "name": agenda.name},
        "segments": segments,
        "notes": [_note(note, agenda, tz) for note in notes],
        "roles": dict(sorted(state.roles.items())),
        "roles_by_group": {
            group: dict(sorted(roles.items()))
            for group, roles in sorted(state.group_roles.items())
            if roles
        },
        "writers": dict(sorted(state.writers.items())),  # a note's writer -> who that is
        "attendance": _attendance(state.attendance),
        "panels": _panels(state.panels, agenda, tz),
        "observations": [
            {
                "segment": _segment_id(agenda, segment),
                "segment_title": _segment_title(agenda, segment),
                "group": group,
                "first": iso(seen.first_at, tz),
                "last": iso(seen.last_at, tz),
                **_marks(seen, tz),
            }
            for (segment, group), seen in state.panels.in_order()
        ],
        "reflections": [
            {
                "at": iso(r.at, tz),
                "segment": _segment_id(agenda, r.segment),
                "segment_title": _segment_title(agenda, r.segment),
                "rating": r.rating,
                "felt": r.felt,
                "change": r.change,
            }
            for r in state.reflections
        ],
        "plan": _plan(state, tz),  # added within version 1
    }


def render_json(session: LoadedSession, tz: tzinfo, now: datetime | None = None) -> str:
    return json.dumps(session_data(session, tz, now), ensure_ascii=False, indent=2) + "\n"


def _segment_id(agenda: Agenda, index: int | None) -> str | None:
    if index is None or not 0 <= index < len(agenda.segments):
        return None
    return agenda.segments[index].id


def _segment_title(agenda: Agenda, index: int | None) -> str | None:
    if index is None or not 0 <= index < len(agenda.segments):
        return None
    return agenda.segments[index].title


def _note(note: Note, agenda: Agenda, tz: tzinfo) -> dict[str, Any]:
    return {
        "id": note.id,
        "kind": note.kind,
        "text": note.text,
        "created": iso(note.created, tz),
        "writer": note.writer,
        "segment": _segment_id(agenda, note.segment),
        "segment_title": _segment_title(agenda, note.segment),
        "group": note.group,
        "role": note.role,
        "owner": note.owner,
        "due": note.due,
        "category": note.category,
        "edited": iso(note.edited, tz),
        "deleted": note.deleted,
        "done": note.done,
        "parked": note.parked,
    }


def _attendance(attendance: Attendance) -> dict[str, Any]:
    """People in the order they were first recorded; the next meeting, or null."""
    next_meeting = None
    if attendance.next_meeting:
        next_meeting = {
            "date": attendance.next_meeting,
            "time": attendance.next_meeting_time or None,
        }
    return {
        "venue": attendance.venue or None,
        "people": [
            {
                "id": p.id,
                "name": p.name,
                "organisation": p.organisation,
                "role": p.role,
                "attendance": p.attendance,
            }
            for p in attendance.people.values()
        ],
        "next_meeting": next_meeting,
    }


def _panels(panels: Panels, agenda: Agenda, tz: tzinfo) -> dict[str, Any]:
    """The whole session's marks in one (the stage and qualities marked last, every sign
    ticked, tallies added up), beside each segment's checklist; ``observations`` has them
    per segment and group, with their times."""
    whole = Observation()
    for _, seen in panels.in_order():
        whole.lifecycle_stage.update(seen.lifecycle_stage)
        for model, traits in seen.lifecycle_traits.items():
            whole.lifecycle_traits.setdefault(model, set()).update(traits)
        whole.qualities.update(seen.qualities)
        for name, count in seen.tallies.items():
            whole.tallies[name] = whole.tallies.get(name, 0) + count
    marks = _marks(whole, tz)
    del marks["mobius"]["tally_times"]
    return {**marks, "checklists": _checklists(panels, agenda)}


def _marks(seen: Observation, tz: tzinfo) -> dict[str, Any]:
    models = sorted(set(seen.lifecycle_stage) | {m for m, t in seen.lifecycle_traits.items() if t})
    lifecycle = {
        model: {
            "stage": seen.lifecycle_stage.get(model),
            "traits": [list(pair) for pair in sorted(seen.lifecycle_traits.get(model, ()))],
        }
        for model in models
    }
    return {
        "lifecycle": lifecycle,
        "mobius": {
            "qualities": dict(sorted(seen.qualities.items())),
            "tallies": dict(sorted(seen.tallies.items())),
            "tally_times": {
                name: [iso(at, tz) for at in times]
                for name, times in sorted(seen.tally_times.items())
                if times
            },
        },
    }


def _checklists(panels: Panels, agenda: Agenda) -> dict[str, list[dict[str, Any]]]:
    """Every checklist item of every segment, ticked or not; ticks the agenda no longer has
    (an index past its list) are kept with ``item: null`` rather than dropped."""
    result: dict[str, list[dict[str, Any]]] = {}
    indices = sorted({s.index for s in agenda.segments if s.checklist} | set(panels.checklists))
    for index in indices:
        items = agenda.segments[index].checklist if 0 <= index < len(agenda.segments) else ()
        ticked = panels.checklists.get(index, set())
        rows: list[dict[str, Any]] = [
            {"index": i, "item": text, "checked": i in ticked} for i, text in enumerate(items)
        ]
        rows += [
            {"index": i, "item": None, "checked": True}
            for i in sorted(ticked)
            if not 0 <= i < len(items)
        ]
        result[_segment_id(agenda, index) or str(index)] = rows
    return result


def _plan(state: SessionState, tz: tzinfo) -> dict[str, Any]:
    """When the day was started, if it was moved, and each accepted re-plan with its reason."""
    day = state.day
    return {
        "start": iso(day.start, tz),
        "shifted": day.shift,
        "fixed_times_shifted": day.shift_fixed,
        "replans": [
            {
                "at": iso(r.at, tz),
                "reason": r.reason,
                "lengths_s": {str(i): length for i, length in sorted(r.lengths.items())},
                "dropped": sorted(r.dropped),
            }
            for r in day.replans
        ],
    }
