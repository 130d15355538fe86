"""Markdown minutes: complete, readable, and impossible to break with what people type."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC
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
from facilitate.export import render
from facilitate.export.markdown import md_cell, md_escape_line, md_lines
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


def test_header_names_the_day_and_agenda(minutes: str) -> None:
    assert minutes.startswith("# Activity 5: Partnership meeting role-play\n")
    assert "- **Date:** Tuesday 4 March 2025, 09:00–10:20 (UTC)\n" in minutes
    assert "- **Agenda:** partnership-meeting\n" in minutes


def test_timing_table_marks_overruns(minutes: str) -> None:
    rows = [line for line in section(minutes, "Timing").splitlines() if line.startswith("| ")]
    assert rows[3] == ("| 2 | Partnership meeting | 09:10 | 30m (+5m agreed) | 09:12 | 37m "
                       "| **+7m** |")  # fmt: skip
    assert rows[4].endswith("| 12m | -3m |")
    assert rows[-1] == "|  | **Total** | 09:00 | 1h10m | 09:00 | 1h18m | **+8m** |"


def test_roles_decisions_and_actions(minutes: str) -> None:
    roles = section(minutes, "Roles and groups")
    assert "| Partnership facilitator | Asha Patel |" in roles
    assert "Individual member" not in roles  # assigned, then cleared
    assert "Groups: Group 1, Group 2, Group 3" in roles
    assert "- Meet monthly, chaired by the partnership facilitator *(Partnership meeting, " \
           "Group 1)*" in section(minutes, "Decisions")  # fmt: skip
    actions = section(minutes, "Actions")
    assert "| Share the baseline survey | Dr Bo Chen | 2025-03-11 | yes | Partnership meeting |" \
        in actions  # fmt: skip


def test_notes_grouped_by_segment_and_group_without_deleted(minutes: str) -> None:
    notes = section(minutes, "Notes")
    assert notes.index("### 2. Partnership meeting") < notes.index("#### Group 2")
    assert "- **Question:** Who funds the evaluation, and for how long?" in notes
    assert "Who funds the evaluation?" not in minutes
    assert "Mistyped" not in minutes
    assert "Decisions" not in notes and "Meet monthly" not in notes


def test_feedback_by_category_in_agenda_order(minutes: str) -> None:
    feedback = section(minutes, "Feedback")
    heads = re.findall(r"^### (.*)$", feedback, re.M)
    assert heads == ["What encouraged us", "What discouraged us", "What we would do differently",
                     "Uncategorised"]  # fmt: skip
    assert "- Jargon from the academic *(Group 2)*" in feedback


def test_observations_and_reflections(minutes: str) -> None:
    seen = section(minutes, "Observations")
    assert "- **lifecycle-forming:** Frustration\n  - Forming: Enthusiasm" in seen
    assert "Hidden agendas" not in seen  # ticked, then unticked
    assert "- **Present:** Mutual understanding\n- **Developing:** Commitment\n" \
           "- **Missing:** Acknowledgement" in seen  # fmt: skip
    assert "| Blame | 2 |" in seen and "| Dialogue | 3 |" in seen
    assert "- [x] The partnership facilitator chairs\n- [ ] The scribe records" in seen
    reflections = section(minutes, "Reflections")
    assert "- **Reflection in role**, 09:55: 3/5 collaborative\\\n" \
           "  How it felt: Rushed: the academic dominated\\\n" in reflections  # fmt: skip
    assert "- **Whole session**, 10:18: 4/5 collaborative" in reflections


def test_running_session_and_skipped_segment(tmp_path: Path) -> None:
    day = start_session(tmp_path)
    day.record(TimerStarted)
    day.wait(5)
    day.record(SegmentChanged, segment=2, reason="jump")
    day.wait(3)
    day.record(NoteAdded, kind="note", text="latest", segment=2)
    text = render("md", day.load(), UTC)
    timing = section(text, "Timing")
    assert "| 2 | Partnership meeting | 09:08 | 30m | — | — | skipped |" in timing
    assert "| 3 | Reflection in role | 09:38 | 15m | 09:03 | 3m (running) |  |" in timing
    assert timing.strip().splitlines()[-1].endswith("| 8m |  |")  # no total verdict before the end
    assert "(running)" in text and "from 08:58 (UTC)" in text
    day.wait(14)  # 17 minutes into a 15-minute segment: the overrun shows while it runs
    day.record(NoteAdded, kind="note", text="later", segment=2)
    assert "| 17m (running) | **+2m** |" in render("md", day.load(), UTC)


def test_session_never_started(tmp_path: Path) -> None:
    text = render("md", start_session(tmp_path).load(), UTC)
    assert "(not started)" in text
    assert section(text, "Decisions").strip() == "None recorded."
    assert "## Notes" not in text and "## Observations" not in text


# --- escaping ------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "escaped"), [
    ("# heading", "\\# heading"),
    ("- item", "\\- item"),
    ("+ item", "\\+ item"),
    ("1. first", "1\\. first"),
    ("2) second", "2\\) second"),
    ("> quote", "\\> quote"),
    ("===", "\\==="),
    ("---", "\\---"),
    ("```python", "\\`\\`\\`python"),
    ("~~~", "\\~\\~\\~"),
    ("a | b", "a \\| b"),
    ("*bold* _it_ [l](u) <b>", "\\*bold\\* \\_it\\_ \\[l\\](u) \\<b\\>"),
    ("&amp; & R&D", "\\&amp; & R&D"),
    ("ends with \\", "ends with \\\\"),
    ("    indented code", "indented code"),
    ("plain words, kept.", "plain words, kept."),
])  # fmt: skip
def test_escape_line(typed: str, escaped: str) -> None:
    assert md_escape_line(typed) == escaped


def test_table_cells_keep_one_line() -> None:
    assert md_cell("a|b\nc\r\nd") == "a\\|b<br>c<br>d"
    assert md_lines("\n\nx\n\n") == ["x"]


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
    return render("md", day.load(), UTC)


def _letters(value: str) -> str:
    """The same shape (line breaks, spaces) in plain letters, unique per hostile string."""
    letter = "abcdefghijklmnopqrstuvwxyz"[list(H.values()).index(value)]
    return re.sub(r"\S", letter, value)


def test_user_text_cannot_change_the_structure(tmp_path: Path) -> None:
    """Hostile and plain text of the same shape give the same tables, columns and lines."""
    hostile = hostile_minutes(tmp_path / "h", lambda s: s)
    plain = hostile_minutes(tmp_path / "p", _letters)

    def shape(text: str) -> list[tuple[str, int]]:
        # Per line: how it starts (first 2 chars of markup) and its count of unescaped pipes.
        return [(line[:2] if line[:1] in "#|-" else "", len(re.findall(r"(?<!\\)\|", line)))
                for line in text.splitlines()]  # fmt: skip

    assert shape(hostile) == shape(plain)
    for line in hostile.splitlines():
        if line.startswith("#"):
            assert re.match(r"#{1,4} \S", line) and not re.match(r"#{1,4} [#>\-+=|]", line)
    header = "| Action | Owner | Due | Done | Segment |"
    rows = section(hostile, "Actions").splitlines()
    assert rows[rows.index(header) + 2].count(" | ") == 4


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
    assert html == {"<br>"}  # ours, between the lines of a table cell
    assert not kinds & {"link_open", "image", "html_block", "code_inline",
                        "code_block", "fence", "blockquote_open", "hr", "s_open",
                        "ordered_list_open"}  # fmt: skip

    def shown(token: Any) -> str:
        parts = {"hardbreak": "\n", "softbreak": "\n"}
        return "".join(parts.get(c.type, c.content) for c in token.children or ())

    texts = [shown(t) for t in parser.parse(hostile) if t.type == "inline"]
    typed_lines = "\n".join(line.strip() for line in H["note"].split("\n"))
    assert typed_lines in texts  # the note, line by line, exactly as typed
    assert H["title"] in texts
    for key in ("seg1", "group1", "group2", "check", "category", "person"):
        assert any(H[key] in text for text in texts), key


def test_note_for_a_segment_the_agenda_lacks_is_not_lost(tmp_path: Path) -> None:
    day = start_session(tmp_path)
    day.record(NoteAdded, kind="note", text="from a longer agenda", segment=9)
    session = day.load()
    notes = section(render("md", session, UTC), "Notes")
    assert "### Other\n\n- from a longer agenda\n" in notes
    assert ",note,from a longer agenda," in render("csv", session, UTC)
