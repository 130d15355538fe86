"""Markdown minutes: complete, readable, and impossible to break with what people type."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from facilitate.events import (
    LifecycleStageMarked,
    LifecycleTraitTicked,
    MonologueTallied,
    NoteAdded,
    QualityMarked,
    ReflectionRecorded,
    RoleAssigned,
    SegmentChanged,
    SessionEnded,
    TimerStarted,
)
from facilitate.export import render_text as render
from facilitate.export.document import Span
from facilitate.export.markdown import md_cell, md_line
from facilitate.store import LoadedSession
from sessionfactory import HOSTILE_TEXT, assert_golden, build_sample_session, start_session


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> LoadedSession:
    return build_sample_session(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def minutes(sample: LoadedSession) -> str:
    return render("md", sample, UTC)


def section(text: str, title: str) -> str:
    """The body of one ``## title`` section."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"no section {title!r}"
    return match.group(1)


def test_matches_golden_file(minutes: str) -> None:
    assert_golden("partnership-meeting.md", minutes)


def test_header_names_the_day_without_internal_lines(minutes: str) -> None:
    assert minutes.startswith("# Activity 5: Partnership meeting role-play\n\n*Minutes*\n")
    assert "- **Date:** Tuesday 4 March 2025, 09:00–10:20\n" in minutes
    assert "2025-03-04-0858" not in minutes and "(ended)" not in minutes


def test_roles_decisions_and_actions(minutes: str) -> None:
    roles = section(minutes, "Who was there")
    assert "| Partnership facilitator | Asha Patel |" in roles
    assert "Individual member" not in roles  # assigned, then cleared
    assert "- Meet monthly, chaired by the partnership facilitator *(Partnership meeting, " \
           "Group 1)*" in section(minutes, "Decisions")  # fmt: skip
    actions = section(minutes, "Actions")
    assert "| 2 | Share the baseline survey | Dr Bo Chen | Tue 11 Mar 2025 | Done | " \
           "Partnership meeting |" in actions  # fmt: skip


def test_notes_by_segment_and_group_without_deleted(minutes: str) -> None:
    day = section(minutes, "The day, segment by segment")
    assert day.index("### Partnership meeting") < day.index("#### Group 2")
    assert "Who funds the evaluation, and for how long?" in section(minutes, "Open questions")
    assert "Who funds the evaluation?" not in minutes
    assert "Mistyped" not in minutes
    assert "Meet monthly" not in day


def test_feedback_by_category_in_agenda_order_under_its_segment(minutes: str) -> None:
    day = section(minutes, "The day, segment by segment")
    feedback = day[day.index("### Group feedback") :]
    heads = re.findall(r"^#### (.*)$", feedback, re.M)
    assert heads == ["What encouraged us", "What discouraged us", "What we would do differently"]
    assert "- Jargon from the academic *(Group 2)*" in feedback
    assert "- **Feedback:** The room was too warm" in feedback
    assert "Uncategorised" not in minutes


def test_facilitator_report_adds_timing_checklists_observations_reflections(
    sample: LoadedSession,
) -> None:
    report = render("md", sample, UTC, audience="facilitator")
    timing = section(report, "Timing: planned, agreed and actual")
    assert "| Partnership meeting | 09:12 | 30m | 35m | 37m | **+2m** |" in timing
    assert "| **Total** |  | 1h10m | 1h15m | 1h18m | **+3m** |" in timing
    checklists = section(report, "Checklists")
    assert "### Allocate the roles: 2 of 4 done" in checklists
    assert "- [ ] Everyone knows who is playing which role" in checklists
    seen = section(report, "Observations")
    assert "- **Present:** Mutual understanding" in seen and "| Blame | 2 |" in seen
    reflections = section(report, "Reflections")
    assert "#### Reflection in role, 09:55: 3/5 collaborative" in reflections
    assert "- **What to change:** Give each role two minutes first" in reflections
    assert "- **Session:** 2025-03-04-0858-partnership-meeting (ended)" in report


def test_running_session_and_skipped_segment(tmp_path: Path) -> None:
    day = start_session(tmp_path)
    day.record(TimerStarted)
    day.wait(5)
    day.record(SegmentChanged, segment=2, reason="jump")
    day.wait(3)
    day.record(NoteAdded, kind="note", text="latest", segment=2)
    report = render("md", day.load(), UTC, audience="facilitator")
    timing = section(report, "Timing: planned, agreed and actual")
    assert "| Partnership meeting | — | 30m | 30m | not run |  |" in timing
    assert "| Reflection in role | 09:03 | 15m | 15m | 3m (running) |  |" in timing
    assert timing.strip().splitlines()[1].startswith("| --- ")
    assert "| **Total** |  | 1h10m | 1h10m | 8m |  |" in timing  # no verdict before the end
    assert "from 08:58" in report
    minutes = render("md", day.load(), UTC)
    assert "not run" not in minutes and "skipped" not in minutes and "running" not in minutes
    day.wait(14)  # 17 minutes into a 15-minute segment: the overrun shows while it runs
    day.record(NoteAdded, kind="note", text="later", segment=2)
    assert "| 17m (running) | **+2m** |" in render("md", day.load(), UTC, audience="facilitator")


def test_session_never_started(tmp_path: Path) -> None:
    text = render("md", start_session(tmp_path).load(), UTC)
    assert "(not started)" in text
    assert section(text, "Decisions").strip() == "None recorded."
    assert "## The day" not in text and "## Observations" not in text


# --- escaping: only what would change the rendering -------------------------------------------


@pytest.mark.parametrize(("typed", "escaped"), [
    ("# heading", "\\# heading"),
    ("#3 on the list", "#3 on the list"),
    ("- item", "\\- item"),
    ("-5 degrees", "-5 degrees"),
    ("+ item", "\\+ item"),
    ("* item", "\\* item"),
    ("1. first", "1\\. first"),
    ("1.5 hours", "1.5 hours"),
    ("2) second", "2\\) second"),
    ("> quote", "\\> quote"),
    ("a > b", "a > b"),
    ("===", "\\==="),
    ("---", "\\---"),
    ("=SUM(A1)", "=SUM(A1)"),
    ("```python", "\\`\\`\\`python"),
    ("one `tick", "one `tick"),
    ("~~~", "\\~\\~\\~"),
    ("about ~5", "about ~5"),
    ("a | b", "a | b"),
    ("|---|---|", "\\|---\\|---\\|"),
    ("*bold* _it_ <b>", "\\*bold\\* \\_it\\_ \\<b>"),
    ("2 * 3 and snake_case", "2 * 3 and snake_case"),
    ("a < b", "a < b"),
    ("[checked by scribe 2]", "\\[checked by scribe 2]"),
    ("see [checked by scribe 2] here", "see [checked by scribe 2] here"),
    ("a [link](u)", "a \\[link](u)"),
    ("&amp; & R&D", "\\&amp; & R&D"),
    ("ends with \\", "ends with \\\\"),
    ("C:\\Users\\me", "C:\\Users\\me"),
    ("plain words, kept.", "plain words, kept."),
])  # fmt: skip
def test_escape_only_what_would_render(typed: str, escaped: str) -> None:
    assert md_line((Span(typed),)) == [escaped]


def test_table_cells_keep_one_line() -> None:
    assert md_cell("a|b\nc\r\nd") == "a\\|b<br>c<br>d"
    assert md_cell("\n\nx\n\n") == "x"
    assert md_cell(None) == ""


H = {
    "title": "# Minutes *of* | doom <script>",
    "seg1": "- | allocate_roles *",
    "seg2": "1. The `meeting` [x](y)",
    "group1": "| Group 1 |",
    "group2": "> Group #2",
    "role": "*Role* | _x_",
    "person": "=Eve <img src=x> & co",
    "check": "[x] <b>ticked</b> | yes",
    "category": "## Category | *",
    "quality": "Q|*uality*",
    "tally": "-|tally|",
    "model": "#model|",
    "stage": "*stage*",
    "trait": "+ trait | `t`",
    "owner": "@owner|",
    "due": "<2025>|",
    "note": HOSTILE_TEXT + "\n\n+ plus\n---\n| a | b |\n|---|---|\nends \\",
    "felt": "* felt\n***\n<!-- comment -->",
}


def hostile_minutes(tmp_path: Path, change: Callable[[str], str]) -> str:
    """A session with every user-typed field set to ``change(hostile string)``."""
    t = {key: change(value) for key, value in H.items()}
    agenda: dict[str, Any] = {
        "agenda": {"title": t["title"]},
        "segment": [
            {"id": "one", "title": t["seg1"], "duration": 10, "groups": [t["group1"], t["group2"]],
             "roles": [t["role"]], "checklist": [t["check"]]},
            {"id": "two", "title": t["seg2"], "duration": 20, "feedback": [t["category"]]},
        ],
    }  # fmt: skip
    day = start_session(tmp_path, "hostile", agenda_text=tomli_w.dumps(agenda))
    day.record(RoleAssigned, role=t["role"], person=t["person"])
    day.record(TimerStarted)
    for kind in ("note", "question", "decision", "action", "feedback"):
        day.note(kind, t["note"], group=t["group1"], role=t["role"], owner=t["owner"],
                 due=t["due"], category=t["category"])  # fmt: skip
    day.note("note", t["note"], group=t["group2"])
    day.record(QualityMarked, quality=t["quality"], state="present")
    day.record(MonologueTallied, name=t["tally"], delta=1)
    day.record(LifecycleStageMarked, model=t["model"], stage=t["stage"])
    day.record(LifecycleTraitTicked, model=t["model"], stage=t["stage"], trait=t["trait"],
               checked=True)  # fmt: skip
    day.record(ReflectionRecorded, segment=0, rating=2, felt=t["felt"], change=t["note"])
    day.wait(12)
    day.record(SessionEnded)
    return render("md", day.load(), UTC, audience="facilitator")


def _letters(value: str) -> str:
    """The same shape (line breaks, spaces) in plain letters, unique per hostile string."""
    letter = "abcdefghijklmnopqrstuvwxyz"[list(H.values()).index(value)]
    return re.sub(r"\S", letter, value)


def test_user_text_cannot_change_the_structure(tmp_path: Path) -> None:
    """Hostile and plain text of the same shape give the same tables, columns and lines."""
    hostile = hostile_minutes(tmp_path / "h", lambda s: s)
    plain = hostile_minutes(tmp_path / "p", _letters)

    def shape(text: str) -> list[tuple[str, int]]:
        # Per line outside the chart's code block: how it starts (its markup) and, in a
        # table row, its unescaped pipes.
        text = re.sub(r"^```\n.*?^```$", "```", text, flags=re.M | re.S)
        return [(line[:2] if line[:1] in "#|-" else "",
                 len(re.findall(r"(?<!\\)\|", line)) if line.startswith("|") else 0)
                for line in text.splitlines()]  # fmt: skip

    assert shape(hostile) == shape(plain)
    for line in hostile.splitlines():
        if line.startswith("#"):
            assert re.match(r"#{1,4} \S", line)
    header = "| # | Action | Owner | Due | Status | Raised in |"
    rows = section(hostile, "Actions").splitlines()
    assert rows[rows.index(header) + 2].count(" | ") == 5


def test_hostile_text_renders_as_typed_through_a_markdown_parser(tmp_path: Path) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    parser = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"])
    hostile = hostile_minutes(tmp_path / "h", lambda s: s)
    plain = hostile_minutes(tmp_path / "p", _letters)

    def tokens(text: str) -> list[tuple[str, str]]:
        out = []
        for token in parser.parse(text):
            out.append((token.type, token.tag))
            out += [(child.type, child.tag) for child in token.children or ()]
        return out

    # Same token structure: no link, image, HTML, code, quote, rule or heading came from text.
    assert tokens(hostile) == tokens(plain)
    kinds = {kind for kind, _ in tokens(hostile)}
    children = [c for t in parser.parse(hostile) if t.type == "inline" for c in t.children or ()]
    html = {c.content for c in children if c.type == "html_inline"}
    assert html <= {"<br>"}  # ours, between the lines of a table cell
    assert not kinds & {"link_open", "image", "html_block", "code_inline",
                        "code_block", "blockquote_open", "hr", "s_open",
                        "ordered_list_open"}  # fmt: skip
    assert [t.info for t in parser.parse(hostile) if t.type == "fence"] == [""]  # the chart

    def shown(token: Any) -> str:
        parts = {"hardbreak": "\n", "softbreak": "\n"}
        return "".join(parts.get(c.type, c.content) for c in token.children or ())

    texts = [shown(t) for t in parser.parse(hostile) if t.type == "inline"]
    typed_lines = "\n".join(line.strip() for line in H["note"].split("\n") if line.strip())
    assert typed_lines in texts  # the note, line by line, exactly as typed
    assert H["title"] in texts
    for key in ("seg1", "group1", "group2", "check", "category", "person"):
        assert any(H[key] in text for text in texts), key
    # What pastes into an e-mail: the note's own words show without a backslash added.
    assert "Budget: £5k *if* agreed | see" not in hostile  # the emphasis had to be escaped
    assert "=cmd|' /C calc'!A0" in hostile  # nothing there would render, so nothing escaped


def test_note_for_a_segment_the_agenda_lacks_is_not_lost(tmp_path: Path) -> None:
    day = start_session(tmp_path)
    day.record(NoteAdded, kind="note", text="from a longer agenda", segment=9)
    session = day.load()
    notes = section(render("md", session, UTC), "The day, segment by segment")
    assert "### Other notes\n\n- from a longer agenda\n" in notes
    assert ",note,from a longer agenda," in render("csv", session, UTC)


def test_a_session_with_nothing_recorded_is_dated_when_it_was_created(tmp_path: Path) -> None:
    """A session folder whose journal was never written (the app stopped between making
    the folder and its first record) is dated by its creation, not 1 January 1970."""
    from facilitate.agenda.catalog import load_named
    from facilitate.paths import Paths
    from facilitate.store import create_session, load_session

    paths = Paths(tmp_path, tmp_path)
    agenda, text = load_named("sample-programme", paths)
    created = datetime(2026, 3, 9, 18, 45, tzinfo=UTC)
    sid, folder = create_session(paths, agenda, text, created, UTC)
    minutes = render("md", load_session(sid, folder, paths), UTC)
    assert "Monday 9 March 2026 (not started)" in minutes
    assert "1970" not in minutes
