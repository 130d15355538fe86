"""What the minutes say, and to whom: checked on days built through the command layer.

The partnership's minutes carry nothing internal; the facilitator's report adds
timing, checklists, observations and reflections. Each format is read back the
way its reader would: the Word file with python-docx, the web page with the
standard library's HTML parser, the e-mail text as it stands.
"""

from __future__ import annotations

import json
import re
import zipfile
from datetime import UTC, datetime
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest

from docxread import open_docx, outline, tables
from facilitate.events import PlanChanged, event_from_record, format_instant
from facilitate.export import DOCUMENTS, render, render_text
from facilitate.journal import read_session
from facilitate.reducer import replay
from facilitate.store import LoadedSession
from minutesdays import odd_text, partnership_meeting, shared_solutions
from sessionfactory import build_sample_session, start_session

DOCS = Path(__file__).resolve().parent.parent / "docs"
INTERNAL = (
    "Promise anonymity",  # a checklist point left unticked
    "Pay users their incentives",
    "collaborative",  # a reflection's rating
    "More time for group H",  # a reflection
    "2025-11-27-0925",  # the session id
    "skipped",
    "not run",
    "Timing",
    "Checklist",
    "Observations",
)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> LoadedSession:
    return shared_solutions(tmp_path_factory.mktemp("shared"))


@pytest.fixture(scope="module")
def meeting(tmp_path_factory: pytest.TempPathFactory) -> LoadedSession:
    return partnership_meeting(tmp_path_factory.mktemp("meeting"))


@pytest.fixture(scope="module")
def odd(tmp_path_factory: pytest.TempPathFactory) -> LoadedSession:
    return odd_text(tmp_path_factory.mktemp("odd"))


def words(session: LoadedSession, fmt: str, audience: str = "partnership") -> str:
    if fmt == "docx":
        return outline(render("docx", session, UTC, audience=audience))
    return render_text(fmt, session, UTC, audience=audience)


@pytest.mark.parametrize("fmt", DOCUMENTS)
def test_the_partnership_gets_nothing_internal(shared: LoadedSession, fmt: str) -> None:
    minutes = words(shared, fmt)
    for internal in INTERNAL:
        assert internal not in minutes, internal
    report = words(shared, fmt, "facilitator")
    for internal in ("Promise anonymity", "More time for group H", "2025-11-27-0925-shared"):
        assert internal in report, internal


@pytest.mark.parametrize("fmt", DOCUMENTS)
def test_who_where_and_when_next(shared: LoadedSession, fmt: str) -> None:
    minutes = words(shared, fmt)
    for expected in ("Thursday 27 November 2025", "Riverside Community Centre, Hall 2",
                     "Asha Patel", "Omar Farouk", "Kim Lee",
                     "Thursday 15 January 2026, 10:00"):  # fmt: skip
        assert expected in minutes, expected
    assert "Apologies" in minutes and "Facilitators" in minutes


def test_group_reports_sit_under_the_stage_they_were_given_in(shared: LoadedSession) -> None:
    md = words(shared, "md")
    day = md[md.index("## The day, segment by segment") :]
    stage_d = day[day.index("### D. Sharing the learning") : day.index("### E. ")]
    assert "#### Users A\n\n- Waiting times and no updates are the biggest issue" in stage_d
    stage_c = day[day.index("### C. Mapping") : day.index("### D. ")]
    assert "#### Users B\n\n- we felt listened to for once" in stage_c  # an f: note in C
    stage_i = day[day.index("### I. Final") :]
    assert "#### One thing that should change\n\n- Answer the phone after 5pm" in stage_i
    assert "## Feedback" not in md and "Uncategorised" not in md
    assert not re.search(r"^### \d+\. [A-I]\. ", md, re.M)  # no double numbering


def test_questions_parking_lot_and_decisions_with_their_segment(shared: LoadedSession) -> None:
    md = words(shared, "md")
    assert "## Open questions\n\n- Who decides the repairs budget? *(C. Mapping out the " \
           "issues, Staff A)*" in md  # fmt: skip
    assert "## Parking lot\n\n- **Question:** Could the panel visit other estates?" in md
    assert "- Repairs updates are the first shared priority *(D. Sharing the learning)*" in md


def test_markdown_has_no_escape_that_would_show(shared: LoadedSession) -> None:
    md = words(shared, "md")
    assert "Phone line rings out after 5pm [checked by scribe 2]" in md
    assert "\\" not in md


def test_docx_actions_table_has_full_owner_names(shared: LoadedSession) -> None:
    data = render("docx", shared, UTC)
    actions = next(t for t in tables(data) if t[0][:3] == ["#", "Action", "Owner"])
    assert [row[1:5] for row in actions[1:]] == [
        ["Draft a one-page repairs charter", "Priya Shah", "Fri 12 Dec 2025", "Open"],
        ["Set up the first panel meeting", "Dana Hughes", "Thu 15 Jan 2026", "Open"],
        ["Circulate these minutes to everyone", "Asha Patel", "Fri 28 Nov 2025", "Done"],
    ]
    document = open_docx(data)
    assert document.core_properties.title.startswith("Shared Solutions")
    assert document.core_properties.author == ""  # not "python-docx"
    headings = [p.text for p in document.paragraphs if p.style and p.style.name == "Heading 1"]
    assert headings[:4] == ["Who was there", "Decisions", "Actions", "The day, segment by segment"]


def test_docx_is_a_clean_reproducible_package(shared: LoadedSession) -> None:
    data = render("docx", shared, UTC, audience="facilitator")
    with zipfile.ZipFile(BytesIO(data)) as package:
        assert package.testzip() is None
        assert {i.date_time for i in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert "word/document.xml" in package.namelist()
    report = outline(data)
    assert "--- page ---\n[Heading 1] Timing: planned, agreed and actual" in report
    assert "#C62828" in report  # the chart's overrun, shaded in red


def test_docx_right_to_left_and_control_characters(odd: LoadedSession) -> None:
    report = outline(render("docx", odd, UTC))
    assert "(right to left) مرحبا بالجميع" in report
    assert "יעל כהן" in report


class Resources(HTMLParser):
    """Every place an HTML page could fetch something from, and the tags it opens."""

    def __init__(self) -> None:
        super().__init__()
        self.fetches: list[str] = []
        self.tags: list[str] = []
        self.images: list[str] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_style = tag == "style"
        for name, value in attrs:
            if name in ("src", "href", "srcset", "data", "poster", "action", "background"):
                if tag == "img" and name == "src" and (value or "").startswith("data:"):
                    self.images.append(value or "")
                else:
                    self.fetches.append(f"{tag} {name}={value}")
            if name == "style" and value and re.search(r"url\(|@import", value):
                self.fetches.append(f"{tag} style={value}")

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data


@pytest.mark.parametrize("audience", ["partnership", "facilitator"])
def test_html_is_self_contained(odd: LoadedSession, shared: LoadedSession, audience: str) -> None:
    for session in (odd, shared):
        page = Resources()
        page.feed(render_text("html", session, UTC, audience=audience))
        assert page.fetches == []
        assert "script" not in page.tags and "link" not in page.tags and "iframe" not in page.tags
        assert "url(" not in page.style and "@import" not in page.style
        assert "break-before: page" in page.style  # major sections start a printed page
        for image in page.images:
            svg = unquote(image.removeprefix("data:image/svg+xml,"))
            assert not re.search(r"(href|src)\s*=|url\(", svg)
        assert bool(page.images) == (audience == "facilitator")  # the timing chart


def test_html_escapes_what_people_typed_and_keeps_tables_pasteable(odd: LoadedSession) -> None:
    html = render_text("html", odd, UTC, audience="facilitator")
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>" not in html
    assert '<table border="1"' in html and 'style="border:1px solid' in html
    assert '<li dir="auto">مرحبا بالجميع' in html


def test_text_for_an_email_has_no_markdown(shared: LoadedSession, odd: LoadedSession) -> None:
    text = words(shared, "txt")
    assert not re.search(r"\*\*|^#|\\|^\|", text, re.M)
    assert "1. Draft a one-page repairs charter\n   Owner: Priya Shah" in text
    assert "<img src=x onerror=alert(1)> & &amp; a < b > c" in words(odd, "txt")  # as typed


def test_a_2000_character_note_arrives_whole(odd: LoadedSession) -> None:
    (note,) = [n for n in odd.state.notes.values() if len(n.text) == 2000]
    for fmt in ("md", "txt", "html", "docx"):
        flat = re.sub(r"\s+", " ", words(odd, fmt).replace("&amp;", "&").replace("<br>", " "))
        assert re.sub(r"\s+", " ", note.text).strip() in flat, fmt


def test_owner_token_leaves_the_action_text_and_names_are_completed(
    meeting: LoadedSession,
) -> None:
    md = words(meeting, "md")
    assert "| 1 | Circulate draft terms of reference | Asha Patel |" in md
    assert "| 2 | Share the baseline survey | Dr Bo Chen |" in md  # @Bo, one person of that name
    assert "@" not in md[md.index("## Actions") : md.index("## The day")]


def test_timing_over_under_is_against_the_agreed_length(meeting: LoadedSession) -> None:
    md = words(meeting, "md", "facilitator")
    assert "| Partnership meeting | 09:12 | 30m | 35m | 35m | on time |" in md


def test_the_replanned_column_appears_when_a_replan_exists(meeting: LoadedSession) -> None:
    """The meeting (30 minutes planned, 5 added) re-planned to 40 at 09:30: it ran 35,
    so it is 5 under what was agreed, with the plan and the re-plan beside it."""
    events = [event_from_record(r) for r in read_session(meeting.folder).records]
    at = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)
    replan = PlanChanged(
        at=at,
        writer="w",
        seq=999,
        reason="the room needs more time",
        segments=[1],
        lengths=[40 * 60],
        starts=[format_instant(datetime(2025, 3, 4, 9, 12, tzinfo=UTC))],
        dropped=[],
    )
    events = sorted([*events, replan], key=lambda e: e.at)
    state = replay(len(meeting.agenda.segments), events)
    replanned = LoadedSession(meeting.id, meeting.folder, meeting.agenda, state, [])
    md = words(replanned, "md", "facilitator")
    assert "| Segment | Start | Planned | Re-planned | Agreed | Actual | Over/under |" in md
    assert "| Partnership meeting | 09:12 | 30m | 40m | 40m | 35m | -5m |" in md
    assert "| Partnership meeting | 09:12 | 30m | 35m | 35m | on time |" in words(
        meeting, "md", "facilitator"
    )  # without the re-plan, no such column


def test_every_json_export_matches_the_published_schema(
    shared: LoadedSession, meeting: LoadedSession, odd: LoadedSession, tmp_path: Path
) -> None:
    schema = json.loads((DOCS / "session.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    running = start_session(tmp_path / "running")
    sessions: list[Any] = [shared, meeting, odd, build_sample_session(tmp_path / "sample"),
                           running.load()]  # fmt: skip
    for session in sessions:
        data = json.loads(render("json", session, UTC))
        errors = sorted(validator.iter_errors(data), key=str)
        assert not errors, f"{session.id}: {errors[0].message} at {list(errors[0].path)}"
    broken = json.loads(render("json", shared, UTC))
    broken["attendance"]["people"][0]["attendance"] = "maybe"
    assert not validator.is_valid(broken)  # the schema does say something
