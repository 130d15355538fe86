"""Whole days for the minutes' golden files, built the way the app builds them.

Every change is an intent decided by the core (``facilitate.commands``) against
the session as it stands, then recorded through a real :class:`LiveSession` on a
fake clock, exactly as the run screen and review do: no journal is written by
hand. Three days: the bundled Shared Solutions agenda run from 09:30 to the
close, the bundled Activity 5 partnership meeting, and a short day of odd text
(formulas, pipes, asterisks, angle brackets, right-to-left text, emoji and a
2,000-character note) in an agenda whose own titles are odd too.
Import it as ``from minutesdays import ...`` (pytest puts ``tests/`` on sys.path).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from facilitate import commands as c
from facilitate.commands import CaptureContext, Intent, World
from facilitate.events import Event, NoteAdded
from facilitate.store import LoadedSession
from sessionfactory import Scripted, start_session


class CommandDay:
    """A session driven only by intents, as a facilitator and scribe would drive it."""

    def __init__(self, day: Scripted) -> None:
        self.day = day
        self.live = day.live

    def do(self, intent: Intent) -> Event | None:
        """Decide and record; a refusal here is a mistake in the script, so it fails."""
        outcome = intent.decide(World(self.live.agenda, self.live.state, self.live.now(), UTC))
        assert not isinstance(outcome, c.Refusal), f"{intent}: {outcome.reason}"
        if outcome is not None:
            assert self.live.record(outcome), "not saved"
        return outcome

    def note(
        self, raw: str, *, group: str | None = None, role: str | None = None,
        category: str | None = None,
    ) -> str:  # fmt: skip
        before = set(self.live.state.notes)
        outcome = self.do(c.AddNote(raw, CaptureContext(group, role, category)))
        assert isinstance(outcome, NoteAdded)
        (note_id,) = set(self.live.state.notes) - before
        return note_id

    def wait(self, minutes: float) -> None:
        self.day.wait(minutes)

    def next(self, minutes_after: float = 0) -> None:
        self.do(c.Next())
        self.wait(minutes_after)

    def attendance(self, rows: list[c.PersonRow], venue: str, date: str, time: str) -> None:
        """What the attendance dialog sends when saved."""
        form = c.AttendanceForm(venue, date, time, tuple(rows))
        for intent in c.attendance_changes(self.live.state.attendance, form):
            self.do(intent)

    def finish(self) -> LoadedSession:
        self.live.save_summary()
        self.day.close()
        return self.day.load()


def shared_solutions(root: Path) -> LoadedSession:
    """Thursday 27 November 2025, 09:30 to 16:04, users and staff of a repairs service."""
    d = CommandDay(start_session(root, "shared-solutions",
                                 start=datetime(2025, 11, 27, 9, 25, tzinfo=UTC)))  # fmt: skip
    P = c.PersonRow
    d.attendance(
        [
            P("Asha Patel", "Partnership Academy", "Lead facilitator", "facilitator"),
            P("Bo Chen", "Partnership Academy", "Process observer", "facilitator"),
            P("Priya Shah", "Riverside Council", "Repairs service manager"),
            P("Sam Jones", "Riverside Tenants' Forum", "Service user"),
            P("Dana Hughes", "Riverside Council", "Repairs officer"),
            P("Omar Farouk", "Riverside Tenants' Forum", "Service user"),
            P("Kim Lee", "Riverside Council", "Commissioner", "apologies"),
        ],
        "Riverside Community Centre, Hall 2",
        "",
        "",
    )
    d.wait(5)
    d.do(c.Toggle())  # 09:30 A. Introduction
    for item in (0, 1, 2, 3, 4, 6):
        d.do(c.TickChecklist(0, item))
    d.wait(17)
    d.next(3)  # 09:47 B. Ice breaker
    d.note("Most pairs found they shared a worry about damp")
    d.do(c.TickChecklist(1, 0))
    d.do(c.TickChecklist(1, 1))
    d.wait(22)
    d.next(5)  # 10:12 C. Mapping out the issues, in user and staff groups
    d.note("Repairs take weeks and nobody says when they will come", group="Users A")
    d.note("Phone line rings out after 5pm [checked by scribe 2]", group="Users A")
    d.note("f: we felt listened to for once", group="Users B")
    d.note("Staff are stretched across three estates", group="Staff A")
    d.note("q: Who decides the repairs budget?", group="Staff A")
    d.note("Tenants do not see the job queue we see", group="Staff B")
    for item in (0, 1, 2, 3):
        d.do(c.TickChecklist(2, item))
    d.wait(40)
    d.next(2)  # 11:02 Break (fixed at 11:00)
    d.wait(13)
    d.next(2)  # 11:17 D. Sharing the learning: each group reports back
    d.note("Waiting times and no updates are the biggest issue", category="Users A")
    d.note("The out-of-hours line is hard to reach", category="Users B")
    d.note("Too few staff for the number of homes", category="Staff A")
    d.note("Tenants and staff both want one shared job list", category="Staff B")
    d.note("d: Repairs updates are the first shared priority")
    d.wait(33)
    d.next(3)  # 11:52 E. Exploring aspirations, in mixed groups
    d.note("A text message when a repair is booked and when it is done", group="Mixed 1")
    d.note("a: Draft a one-page repairs charter @Priya due:2025-12-12", group="Mixed 2")
    d.note("Quarterly open meeting at the community centre", group="Mixed 3")
    d.wait(35)
    d.next(6)  # 12:33 Lunch (fixed at 12:30)
    d.wait(39)
    d.next(2)  # 13:14 F. Targets and indicators
    d.do(c.Adjust(5))  # the room asked for five more minutes on the targets
    d.note("The national target of 28 days for routine repairs felt far too long")
    typo = d.note("Reactoins were mixed")
    d.do(c.EditNote(typo, "Reactions to the local targets were mixed"))
    wrong = d.note("Note typed in the wrong segment")
    d.do(c.DeleteNote(wrong))
    d.wait(43)
    d.next(1)  # 13:58 G. Own priorities, in user and staff groups
    d.note("Every repair gets a date within two days", group="Users A")
    d.note("Fix it right first time", group="Staff B")
    d.wait(33)
    d.next(2)  # 14:33 Break (fixed at 14:30)
    d.wait(13)
    d.next(1)  # 14:47 H. Shared priorities: each mixed group reports back
    d.note("Updates by text at booking and completion", category="Mixed 1")
    d.note("A joint users and staff panel that meets every quarter", category="Mixed 2")
    d.note("Publish the repairs times every month", category="Mixed 3")
    d.note("d: A joint users-staff repairs panel will meet every quarter")
    d.note("a: Set up the first panel meeting @Dana due:2026-01-15")
    sent = d.note("a: Circulate these minutes to everyone @Asha due:2025-11-28")
    d.wait(62)
    d.next(1)  # 15:50 I. Final things and wrapping up
    d.note("Answer the phone after 5pm", category="One thing that should change")
    d.note("Tell us when you are coming", category="One thing that should change")
    d.note("Good to be in the same room as staff", category="Final comments")
    d.note("Sam, Omar and Dana", category="Want to stay involved")
    park = d.note("q: Could the panel visit other estates?")
    d.do(c.ParkNote(park))
    for item in (0, 1, 2, 3, 4, 5):
        d.do(c.TickChecklist(11, item))
    d.wait(14)
    d.do(c.End())  # 16:05
    d.do(c.Reflect(None, 4, "Users and staff listened to each other", "More time for group H"))
    d.do(c.SetActionDone(sent, True))
    d.attendance(
        [c.PersonRow(p.name, p.organisation, p.role, p.attendance, p.id)
         for p in d.live.state.attendance.people.values()],
        "Riverside Community Centre, Hall 2",
        "15/01/2026",
        "10:00",
    )  # fmt: skip
    return d.finish()


def partnership_meeting(root: Path) -> LoadedSession:
    """Activity 5 on Tuesday 4 March 2025, 09:00 to 10:16, three groups of five roles."""
    d = CommandDay(start_session(root, "partnership-meeting",
                                 start=datetime(2025, 3, 4, 8, 58, tzinfo=UTC)))  # fmt: skip
    for role, person in (
        ("Partnership facilitator", "Asha Patel"),
        ("Academic", "Dr Bo Chen"),
        ("Community representative", "Siân Jones"),
    ):
        d.do(c.AssignRole(role, person))
    d.attendance(
        [
            c.PersonRow("Grace Obi", "Partnership Academy", "Facilitator", "facilitator"),
            c.PersonRow("Asha Patel", "County Public Health", "Group 1"),
            c.PersonRow("Dr Bo Chen", "Northgate University", "Group 1"),
            c.PersonRow("Siân Jones", "Valley Community Trust", "Group 2"),
            c.PersonRow("Tom Reid", "County Council", "", "apologies"),
        ],
        "Training room, County Hall",
        "2025-04-01",
        "",
    )
    d.wait(2)
    d.do(c.Toggle())  # 09:00 Allocate the roles
    d.note("Group 1 drew lots for roles", group="Group 1")
    d.do(c.TickChecklist(0, 0))
    d.do(c.TickChecklist(0, 1))
    d.wait(12)
    d.next(3)  # 09:12 Partnership meeting
    d.note("Asked for baseline data before agreeing targets", group="Group 1", role="Academic")
    d.note("q: Who funds the evaluation?", group="Group 2")
    d.note("d: Meet monthly, chaired by the partnership facilitator", group="Group 1")
    d.note("a: Circulate draft terms of reference @Asha due:2025-03-18")
    survey = d.note("a: Share the baseline survey @Bo due:2025-03-11")
    d.note("a: Book a room for the next meeting")
    d.do(c.SetActionDone(survey, True))
    for quality in ("Mutual understanding", "Commitment", "Commitment"):
        d.do(c.CycleQuality(quality))
    for name in ("blame", "blame", "worry", "dialogue", "dialogue", "dialogue"):
        d.do(c.Tally(name))
    d.do(c.MarkStage("lifecycle-forming", "Frustration"))
    d.do(c.TickTrait("lifecycle-forming", "Frustration", "Partners compete for credit and control"))
    d.do(c.TickChecklist(1, 0))
    d.do(c.TickChecklist(1, 2))
    d.wait(10)
    d.do(c.Adjust(5))
    d.wait(22)
    d.next(0)  # 09:47 Reflection in role
    d.note("Felt like a token seat at the table", group="Group 3")
    d.wait(13)
    d.next(0)  # 10:00 Group feedback
    d.do(c.Reflect(2, 3, "Rushed: the academic dominated", "Give each role two minutes first"))
    d.note("A clear chair kept us moving", category="What encouraged us")
    d.note("Jargon from the academic", category="What discouraged us")
    d.note("Agree ground rules first", category="What we would do differently")
    d.note("f: The room was too warm")
    d.wait(16)
    d.do(c.End())  # 10:16
    return d.finish()


ODD_AGENDA = """
[agenda]
title = "Odd text | *budget* <review> =SUM(A1:A9)"
start = "10:00"

[[segment]]
id = "one"
title = "# Heading? no: 1. a [link](x) & co"
duration = 20
mode = "separate-groups"
groups = ["שלום group", "Café 🎉 *stars*"]
feedback = ["[x] ticked?", "|pipes|"]

[[segment]]
id = "two"
title = "Close <script>alert(1)</script>"
duration = 0
"""

LONG_SENTENCES = (
    "The partnership agreed that everyone should see the same figures before the next meeting",
    "Staff said the current report takes two days to prepare by hand",
    "Users asked for plain words instead of codes such as KPI-7 and R&M/2",
    "Nobody wanted another spreadsheet, but a shared one would replace three",
)


def long_note() -> str:
    """A note of exactly 2,000 characters, in lines, as a scribe pastes meeting notes."""
    text, i = "", 0
    while len(text) < 2000:
        text += LONG_SENTENCES[i % len(LONG_SENTENCES)] + (".\n" if i % 3 == 2 else ". ")
        i += 1
    return text[:2000]


def odd_text(root: Path) -> LoadedSession:
    """Everything a scribe might paste that a document format could choke on."""
    day = start_session(root, "odd-text", agenda_text=ODD_AGENDA,
                        start=datetime(2025, 6, 2, 9, 58, tzinfo=UTC))  # fmt: skip
    d = CommandDay(day)
    d.attendance(
        [
            c.PersonRow("יעל כהן", "עמותת שכונה", "יושבת ראש"),
            c.PersonRow("Zoë <Ops> O'Neil", "R&D | *Lab*", '=HYPERLINK("x")', "facilitator"),
            c.PersonRow("李明 🌟", "", "", "apologies"),
        ],
        'Room <b>4</b> & Hall | "North"',
        "2025-06-30",
        "09:30",
    )
    d.wait(2)
    d.do(c.Toggle())
    d.note("=cmd|' /C calc'!A0", group="שלום group")
    d.note("+1 for *this* and **that** and _under_ and snake_case and 2 * 3", group="שלום group")
    d.note("<img src=x onerror=alert(1)> & &amp; a < b > c", group="Café 🎉 *stars*")
    d.note(
        "- not a list\n# not a heading\n1. not numbered\n> not a quote\n---\n| a | b |\n|---|---|"
    )
    d.note("مرحبا بالجميع: the meeting opened in Arabic 👋🏽")
    d.note("Emoji only: 🎉🎉🎉 👩🏽‍💻 🇬🇧")
    d.note(
        "f: `code` and ~~strike~~ and [a link](http://x.test) and \\backslash\\", category="|pipes|"
    )
    d.note("f: [checked by scribe 2] fine", category="[x] ticked?")
    d.note("d: Budget | *approved* <for> =2025 spend")
    d.note("a: Send the figures and the <team> list @Zoë due:2025-06-09")
    d.note(long_note(), group="Café 🎉 *stars*")
    park = d.note("q: ¿Quién paga? | who pays?")
    d.do(c.ParkNote(park))
    d.wait(21)
    d.next(0)
    d.do(c.End())
    d.do(c.Reflect(0, 2, "Tense | *very*", "<less> =talk"))
    return d.finish()
