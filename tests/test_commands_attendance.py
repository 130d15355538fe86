"""Who was there, the venue, the next meeting and the parking lot: decided in the core."""

from __future__ import annotations

from datetime import UTC, datetime

from commandworld import day
from facilitate import commands as c
from facilitate.agenda import Participant
from facilitate.events import NextMeetingSet, NoteParked, PersonRecorded, PersonRemoved, VenueSet


def test_a_person_gets_a_stable_id_and_can_be_corrected() -> None:
    d = day("shared-solutions")
    added = d.do(c.RecordPerson("  Priya   Shah ", "Riverside Council", "Chair"))
    assert isinstance(added, PersonRecorded)
    assert (added.person, added.name, added.attendance) == ("priya-shah", "Priya Shah", "present")
    fixed = d.do(
        c.RecordPerson("Priya Shah-Khan", "Riverside Council", "Chair", person="priya-shah")
    )
    assert isinstance(fixed, PersonRecorded) and fixed.person == "priya-shah"
    assert [p.name for p in d.state.attendance.people.values()] == ["Priya Shah-Khan"]
    assert d.decide(c.RecordPerson("Priya Shah-Khan", "Riverside Council", "Chair",
                                   person="priya-shah")) is None  # fmt: skip


def test_names_must_be_given_and_unique() -> None:
    d = day("shared-solutions")
    d.do(c.RecordPerson("Sam Jones"))
    assert d.decide(c.RecordPerson("   ")) == c.Refusal("A person needs a name.")
    assert d.decide(c.RecordPerson("sam jones")) == c.Refusal("sam jones is already on the list.")
    assert isinstance(d.decide(c.RecordPerson("Sam Jones", attendance="late")), c.Refusal)
    twin = d.do(c.RecordPerson("Sam-Jones"))  # another person whose id would clash
    assert isinstance(twin, PersonRecorded) and twin.person == "sam-jones-2"
    # the same name from another organisation is another person (QA 13 #5b)
    d.do(c.RecordPerson("Pat Lee", "NHS Leeds"))
    other = d.do(c.RecordPerson("Pat Lee", "Age UK"))
    assert isinstance(other, PersonRecorded) and other.person == "pat-lee-2"
    assert d.decide(c.RecordPerson("pat lee", "age uk")) == c.Refusal(
        "pat lee (age uk) is already on the list."
    )


def test_apologies_facilitators_and_removal() -> None:
    d = day("partnership-meeting")
    d.do(c.RecordPerson("Tom Reid", attendance="apologies"))
    d.do(c.RecordPerson("Grace Obi", "Partnership Academy", attendance="facilitator"))
    attendance = d.state.attendance
    assert [p.name for p in attendance.with_attendance("apologies")] == ["Tom Reid"]
    assert [p.name for p in attendance.with_attendance("facilitator")] == ["Grace Obi"]
    assert isinstance(d.do(c.RemovePerson("tom-reid")), PersonRemoved)
    assert "tom-reid" not in attendance.people
    assert d.decide(c.RemovePerson("tom-reid")) is None


def test_venue_and_next_meeting_with_uk_dates_and_no_meeting_in_the_past() -> None:
    d = day("shared-solutions", now=datetime(2025, 11, 27, 16, 0, tzinfo=UTC))
    d.do(c.RecordPerson("x"))  # the session's day comes from its first event
    assert isinstance(d.do(c.SetVenue("  Civic   Hall ")), VenueSet)
    assert d.state.attendance.venue == "Civic Hall"
    assert d.decide(c.SetVenue("Civic Hall")) is None
    meeting = d.do(c.SetNextMeeting("15/01/2026", "10:00"))
    assert isinstance(meeting, NextMeetingSet) and (meeting.date, meeting.time) == (
        "2026-01-15",
        "10:00",
    )
    assert d.decide(c.SetNextMeeting("2026-01-15", "10:00")) is None
    refused = d.decide(c.SetNextMeeting("31/02/2026"))
    assert isinstance(refused, c.Refusal) and "14/12/2026" in refused.reason
    assert isinstance(d.decide(c.SetNextMeeting("2026-01-15", "25:00")), c.Refusal)
    assert isinstance(d.decide(c.SetNextMeeting("", "10:00")), c.Refusal)
    past = d.decide(c.SetNextMeeting("01/11/2025"))
    assert isinstance(past, c.Refusal) and "before this one" in past.reason
    cleared = d.do(c.SetNextMeeting(""))
    assert isinstance(cleared, NextMeetingSet) and d.state.attendance.next_meeting == ""


def test_attendance_is_recorded_after_the_session_ended() -> None:
    d = day("partnership-meeting")
    d.do(c.End())
    assert isinstance(d.do(c.RecordPerson("Late Entry")), PersonRecorded)


def test_parking_notes_and_questions_but_not_decisions() -> None:
    d = day("partnership-meeting", at=1)
    question = d.note("q: Who funds the evaluation?")
    decision = d.note("d: Meet monthly")
    assert isinstance(d.do(c.ParkNote(question)), NoteParked)
    assert d.state.notes[question].parked
    assert d.decide(c.ParkNote(question)) is None
    assert isinstance(d.decide(c.ParkNote(decision)), c.Refusal)
    assert isinstance(d.decide(c.ParkNote("nobody-1")), c.Refusal)
    d.do(c.ParkNote(question, parked=False))
    assert not d.state.notes[question].parked


def test_the_dialog_form_offers_expected_people_unticked_and_its_changes_replay() -> None:
    d = day("shared-solutions")
    d.do(c.RecordPerson("Priya Shah", "Riverside Council"))
    d.do(c.RecordPerson("Kim Lee", attendance="apologies"))
    expected = [Participant("priya shah", "ignored"), Participant("Omar Farouk", "Forum", "User")]
    form = c.attendance_form(d.state.attendance, expected)
    assert [(r.name, r.attendance, r.person) for r in form.people] == [
        ("Priya Shah", "present", "priya-shah"),
        ("Kim Lee", "apologies", "kim-lee"),
        ("Omar Farouk", None, None),  # expected, not ticked
    ]
    assert c.attendance_changes(d.state.attendance, form) == []  # nothing changed
    omar = form.people[2]
    edited = c.AttendanceForm(
        "Civic Hall",
        "2030-01-02",
        "",
        (
            c.PersonRow("Kim Lee", "", "", None, "kim-lee"),  # untick: removed
            c.PersonRow("Priya Shah", "Riverside Council", "Chair", "present", "priya-shah"),
            c.PersonRow(omar.name, omar.organisation, omar.role, "present"),  # ticked
            c.PersonRow("Kim Lee", "Council", "", "facilitator"),  # the name, given again
        ),
    )
    intents = c.attendance_changes(d.state.attendance, edited)
    assert intents[0] == c.RemovePerson("kim-lee")  # removals first, so the name is free
    for intent in intents:
        assert not isinstance(d.do(intent), c.Refusal)
    people = d.state.attendance.people
    assert [(p.name, p.role, p.attendance) for p in people.values()] == [
        ("Priya Shah", "Chair", "present"),
        ("Omar Farouk", "User", "present"),
        ("Kim Lee", "", "facilitator"),
    ]
    assert (d.state.attendance.venue, d.state.attendance.next_meeting) == (
        "Civic Hall",
        "2030-01-02",
    )
