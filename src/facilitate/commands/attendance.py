"""Who was there: people ticked present, apologies, facilitators, the venue, the next meeting.

Recorded during the day (command palette) or that evening (review); a session
that has ended still takes them, since minutes are written after the day.
:func:`attendance_changes` turns what the attendance dialog holds into the
intents that would make the session say the same, so the dialog records
nothing itself and every rule is tested here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from facilitate.agenda import Participant, parse_clock, slugify
from facilitate.commands.base import Intent, Outcome, Refusal, World
from facilitate.events import (
    ATTENDANCE,
    NextMeetingSet,
    NoteParked,
    PersonRecorded,
    PersonRemoved,
    VenueSet,
)
from facilitate.state import Attendance, Person

_UK_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def _tidy(text: str) -> str:
    return " ".join(text.split())


def _new_id(name: str, people: dict[str, Person]) -> str:
    base = slugify(name) if slugify(name) != "segment" else "person"
    candidate, n = base, 2
    while candidate in people:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


@dataclass(frozen=True)
class RecordPerson:
    """Add someone to the day's list (``person`` None) or change their entry."""

    name: str
    organisation: str = ""
    role: str = ""
    attendance: str = "present"
    person: str | None = None

    def decide(self, world: World) -> Outcome:
        name, organisation, role = _tidy(self.name), _tidy(self.organisation), _tidy(self.role)
        if not name:
            return Refusal("A person needs a name.")
        if self.attendance not in ATTENDANCE:
            return Refusal(f"Attendance is one of {', '.join(ATTENDANCE)}.")
        people = world.state.attendance.people
        others = [p for p in people.values() if p.id != self.person]
        # Two people may share a name; their organisations tell them apart.
        same = (name.casefold(), organisation.casefold())
        if any((p.name.casefold(), p.organisation.casefold()) == same for p in others):
            where = f" ({organisation})" if organisation else ""
            return Refusal(f"{name}{where} is already on the list.")
        if self.person is None:
            person = _new_id(name, people)
        elif self.person not in people:
            return Refusal("That person is no longer on the list.")
        else:
            person = self.person
            now = people[person]
            if (now.name, now.organisation, now.role, now.attendance) == (
                name,
                organisation,
                role,
                self.attendance,
            ):
                return None
        return PersonRecorded(
            at=world.now,
            person=person,
            name=name,
            organisation=organisation,
            role=role,
            attendance=self.attendance,
        )


@dataclass(frozen=True)
class RemovePerson:
    person: str

    def decide(self, world: World) -> Outcome:
        if self.person not in world.state.attendance.people:
            return None
        return PersonRemoved(at=world.now, person=self.person)


@dataclass(frozen=True)
class SetVenue:
    venue: str

    def decide(self, world: World) -> Outcome:
        venue = _tidy(self.venue)
        if venue == world.state.attendance.venue:
            return None
        return VenueSet(at=world.now, venue=venue)


def parse_meeting_date(text: str) -> date:
    """``2026-12-14`` or, as people in the UK write it, ``14/12/2026``."""
    text = text.strip()
    uk = _UK_DATE.match(text)
    try:
        if uk:
            day, month, year = (int(g) for g in uk.groups())
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"cannot read the date {text!r}: write it as 2026-12-14 or 14/12/2026"
        ) from None


@dataclass(frozen=True)
class SetNextMeeting:
    """When the partnership meets next (an empty date clears it)."""

    date: str
    time: str = ""

    def decide(self, world: World) -> Outcome:
        state = world.state.attendance
        if not self.date.strip():
            if self.time.strip():
                return Refusal("Give the next meeting's date as well as its time.")
            return None if not state.next_meeting else NextMeetingSet(at=world.now, date="")
        try:
            when = parse_meeting_date(self.date)
            at = f"{parse_clock(self.time):%H:%M}" if self.time.strip() else ""
        except ValueError as exc:
            return Refusal(str(exc).replace("clock time", "time"))
        day = _session_day(world)
        if when < day:
            return Refusal(f"The next meeting cannot be before this one ({day:%d/%m/%Y}).")
        if (when.isoformat(), at) == (state.next_meeting, state.next_meeting_time):
            return None
        return NextMeetingSet(at=world.now, date=when.isoformat(), time=at)


def _session_day(world: World) -> date:
    moment: datetime = world.state.created or world.now
    return moment.astimezone(world.tz).date()


@dataclass(frozen=True)
class ParkNote:
    """Put a note or question in the parking lot (or, with False, take it out)."""

    note_id: str
    parked: bool = True

    def decide(self, world: World) -> Outcome:
        note = world.state.notes.get(self.note_id)
        if note is None or note.deleted:
            return Refusal("That note is no longer there (deleted, or never saved).")
        if note.kind in ("decision", "action"):
            return Refusal(f"A {note.kind} is settled: park notes and questions.")
        if note.parked == self.parked:
            return None
        return NoteParked(at=world.now, note_id=note.id, parked=self.parked)


# --- what the attendance dialog asks for ------------------------------------------------------


@dataclass(frozen=True)
class PersonRow:
    """One line of the dialog: someone recorded (``person``) or offered; ``attendance`` None
    means not there (an entry that existed is removed)."""

    name: str
    organisation: str = ""
    role: str = ""
    attendance: str | None = "present"
    person: str | None = None


@dataclass(frozen=True)
class AttendanceForm:
    venue: str
    next_date: str
    next_time: str
    people: tuple[PersonRow, ...]


def attendance_form(attendance: Attendance, expected: Iterable[Participant] = ()) -> AttendanceForm:
    """The dialog's starting point: everyone recorded, then anyone the agenda expects who is
    not on the list yet (offered unticked)."""
    rows = [
        PersonRow(p.name, p.organisation, p.role, p.attendance, p.id)
        for p in attendance.people.values()
    ]
    names = {p.name.casefold() for p in attendance.people.values()}
    rows += [
        PersonRow(p.name, p.organisation, p.role, None)
        for p in expected
        if p.name.casefold() not in names
    ]
    return AttendanceForm(
        attendance.venue, attendance.next_meeting, attendance.next_meeting_time, tuple(rows)
    )


def attendance_changes(attendance: Attendance, form: AttendanceForm) -> list[Intent]:
    """The intents that make ``attendance`` say what ``form`` says: removals first, so a
    name taken off one line can be given to another."""
    intents: list[Intent] = []
    kept = {r.person for r in form.people if r.person is not None and r.attendance is not None}
    intents += [RemovePerson(pid) for pid in attendance.people if pid not in kept]
    for row in form.people:
        if row.attendance is None:
            continue
        now = attendance.people.get(row.person) if row.person is not None else None
        if now is not None and (now.name, now.organisation, now.role, now.attendance) == (
            _tidy(row.name),
            _tidy(row.organisation),
            _tidy(row.role),
            row.attendance,
        ):
            continue
        person = row.person if now is not None else None
        intents.append(RecordPerson(row.name, row.organisation, row.role, row.attendance, person))
    if _tidy(form.venue) != attendance.venue:
        intents.append(SetVenue(form.venue))
    if (form.next_date.strip(), form.next_time.strip()) != (
        attendance.next_meeting,
        attendance.next_meeting_time,
    ):
        intents.append(SetNextMeeting(form.next_date, form.next_time))
    return intents
