"""The minutes of a session, or the facilitator's report, as one :class:`Document`.

``partnership`` is what goes to the people who were there: title, date, venue,
facilitators, who came and who sent apologies, decisions, actions, the day
segment by segment (each group's report under the stage it was given in,
feedback by category), open questions, the parking lot and the next meeting.
Nothing internal: no checklists, observations, reflections, session ids or
timings. ``facilitator`` adds those after it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, tzinfo

from facilitate.agenda import Agenda
from facilitate.export.common import export_now
from facilitate.export.document import (
    AUDIENCES,
    Bullets,
    Document,
    Facts,
    Line,
    Paragraph,
    Section,
    Span,
    Table,
    plain,
)
from facilitate.export.record import record_section, where
from facilitate.schedule import Snapshot, snapshot
from facilitate.state import Note, Person, SessionState
from facilitate.store import LoadedSession

NONE_RECORDED = Paragraph(plain("None recorded."))


def build_document(
    session: LoadedSession, tz: tzinfo, now: datetime | None = None, audience: str = "partnership"
) -> Document:
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}: choose one of {', '.join(AUDIENCES)}")
    agenda, state = session.agenda, session.state
    snap = snapshot(agenda, state, export_now(state, now), tz)
    notes = sorted(state.live_notes(), key=lambda n: n.created)
    people = list(state.attendance.people.values())
    names = state.writers  # writer id -> the name a scribe gave
    sections = [
        Section("details", "", (Facts(_details(state, snap, tz)),)),
        _people_section(state, audience),
        _decisions(agenda, [n for n in notes if n.kind == "decision"], names),
        _actions(agenda, [n for n in notes if n.kind == "action"], people, names),
        record_section(
            agenda, [n for n in notes if n.kind not in _OWN_SECTION and not n.parked], names
        ),
        _listed("questions", "Open questions", agenda, _open_questions(notes), names),
        _listed("parking", "Parking lot", agenda, [n for n in notes if n.parked], names),
        _next_meeting(state),
    ]
    if audience == "facilitator":
        from facilitate.export.facilitator import facilitator_sections

        sections += facilitator_sections(session, snap, tz)
    title = state.agenda_title or agenda.title
    kind = "Minutes" if audience == "partnership" else "Facilitator's report"
    return Document(
        title=title,
        subtitle=kind,
        audience=audience,
        sections=tuple(s for s in sections if s is not None),
        created=state.created,
    )


_OWN_SECTION = ("decision", "action", "question")


def _open_questions(notes: list[Note]) -> list[Note]:
    return [n for n in notes if n.kind == "question" and not n.parked]


# --- dates and people ------------------------------------------------------------------------


def long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def due_text(due: str | None) -> str:
    """An ISO due date as people read it (``Tue 18 Mar 2025``); anything else as typed."""
    if not due:
        return ""
    try:
        day = date.fromisoformat(due)
    except ValueError:
        return due
    return f"{day:%a} {day.day} {day:%b %Y}"


def clock(moment: datetime, tz: tzinfo) -> str:
    return f"{moment.astimezone(tz):%H:%M}"


def _details(state: SessionState, snap: Snapshot, tz: tzinfo) -> tuple[tuple[str, Line], ...]:
    starts = [run.started_at for run in state.runs if run.started_at is not None]
    first = min(starts) if starts else state.created or snap.now
    when = long_date(first.astimezone(tz).date())
    if not starts:
        when += " (not started)"
    elif state.ended_at is not None:
        when += f", {clock(first, tz)}–{clock(state.ended_at, tz)}"
    else:
        when += f", from {clock(first, tz)}"
    rows: list[tuple[str, Line]] = [("Date", plain(when))]
    if state.attendance.venue:
        rows.append(("Venue", plain(state.attendance.venue)))
    facilitators = state.attendance.with_attendance("facilitator")
    if facilitators:
        label = "Facilitator" if len(facilitators) == 1 else "Facilitators"
        rows.append((label, plain("; ".join(_person(p) for p in facilitators))))
    return tuple(rows)


def _person(person: Person, *, role: bool = False) -> str:
    extra = [x for x in (person.organisation, person.role if role else "") if x]
    return f"{person.name} ({', '.join(extra)})" if extra else person.name


def _people_section(state: SessionState, audience: str) -> Section | None:
    present = state.attendance.with_attendance("present")
    apologies = state.attendance.with_attendance("apologies")
    blocks: list[Bullets | Paragraph | Table] = []
    if present:
        rows = tuple((plain(p.name), plain(p.organisation), plain(p.role)) for p in present)
        blocks.append(Table(("Present", "Organisation", "Role in the day"), rows))
    if apologies:
        blocks.append(
            Paragraph(
                (
                    Span("Apologies: ", "strong"),
                    Span("; ".join(_person(p, role=True) for p in apologies)),
                )
            )
        )
    roles = [(plain(r), plain(p)) for r, p in state.roles.items()]
    for group, named in state.group_roles.items():  # Activity 5: roles played per group
        roles += [(plain(f"{r} ({group})"), plain(p)) for r, p in named.items()]
    if roles:
        blocks.append(Table(("Roles played", "By"), tuple(roles)))
    if not blocks:
        if audience == "partnership" and not state.attendance.with_attendance("facilitator"):
            return None
        blocks.append(Paragraph(plain("Attendance not recorded.")))
    return Section("people", "Who was there", tuple(blocks))


# --- decisions, actions, questions ------------------------------------------------------------


def _decisions(agenda: Agenda, notes: list[Note], names: Mapping[str, str]) -> Section:
    if not notes:
        return Section("decisions", "Decisions", (NONE_RECORDED,))
    items = tuple((Span(n.text), *where(agenda, n, names)) for n in notes)
    return Section("decisions", "Decisions", (Bullets(items),))


def owner_name(owner: str | None, people: list[Person]) -> str:
    """The owner as the minutes name them: the full name of the one person on the day's list
    the scribe meant (``@Priya`` for Priya Shah, ``@Bo`` for Dr Bo Chen), else as typed."""
    if not owner:
        return ""
    wanted = owner.replace("_", " ").strip().casefold()
    exact = [p for p in people if p.name.casefold() == wanted]
    if exact:
        return exact[0].name
    named = [p for p in people if wanted in p.name.casefold().split()]
    return named[0].name if len(named) == 1 else owner


def action_text(note: Note) -> str:
    """The action without the ``@owner`` the scribe typed in it (the Owner column says it)."""
    if not note.owner:
        return note.text
    token = re.escape(note.owner)
    text = re.sub(rf'(?<![\w@])@(?:"{token}"|{token}(?![\w.\'-]*\w))', "", note.text)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(lines).strip() or note.text


def _actions(
    agenda: Agenda, notes: list[Note], people: list[Person], names: Mapping[str, str]
) -> Section:
    """The actions table; "Raised in" also says who typed it where that scribe gave a name."""
    if not notes:
        return Section("actions", "Actions", (NONE_RECORDED,))
    rows = tuple(
        (
            plain(str(i)),
            plain(action_text(n)),
            plain(owner_name(n.owner, people) or "—"),
            plain(due_text(n.due) or "—"),
            plain("Done" if n.done else "Open"),
            plain(
                _segment_title(agenda, n.segment)
                + (f", by {names[n.writer]}" if n.writer in names else "")
            ),
        )
        for i, n in enumerate(notes, start=1)
    )
    header = ("#", "Action", "Owner", "Due", "Status", "Raised in")
    return Section("actions", "Actions", (Table(header, rows, numeric=(True,)),))


def _segment_title(agenda: Agenda, index: int) -> str:
    return agenda.segments[index].title if 0 <= index < len(agenda.segments) else ""


def _listed(
    key: str, title: str, agenda: Agenda, notes: list[Note], names: Mapping[str, str]
) -> Section | None:
    if not notes:
        return None
    items = []
    for note in notes:
        label = (Span(f"{note.kind.capitalize()}: ", "strong"),) if key == "parking" else ()
        items.append((*label, Span(note.text), *where(agenda, note, names)))
    return Section(key, title, (Bullets(tuple(items)),))


def _next_meeting(state: SessionState) -> Section | None:
    attendance = state.attendance
    if not attendance.next_meeting:
        return None
    try:
        text = long_date(date.fromisoformat(attendance.next_meeting))
    except ValueError:
        text = attendance.next_meeting
    if attendance.next_meeting_time:
        text += f", {attendance.next_meeting_time}"
    return Section("next", "Next meeting", (Paragraph(plain(text)),))
