"""Actions across sessions: what is open, what is overdue, in md, csv or a terminal table."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from rich.cells import cell_len

from facilitate.actions import (
    ActionItem,
    collect_actions,
    open_actions,
    render_actions,
    terminal_text,
)
from facilitate.events import ActionDone, NoteAdded, NoteDeleted, NoteEdited
from facilitate.store import LoadedSession
from sessionfactory import build_sample_session, start_session

TODAY = date(2025, 3, 14)  # after the survey's due date (11th), before the ToR's (18th)


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> list[LoadedSession]:
    """The sample day, and a second, later session with its own actions."""
    first = build_sample_session(tmp_path_factory.mktemp("one"))
    day = start_session(tmp_path_factory.mktemp("two"), "session-evaluation",
                        start=datetime(2025, 3, 10, 13, 0, tzinfo=UTC))  # fmt: skip
    day.note("action", "Write up the evaluation", owner="Bo", due="2025-03-12")
    day.note("action", "Send thanks to the venue")  # no owner, no due date
    gone = day.note("action", "Deleted action", due="2025-01-01")
    day.record(NoteDeleted, note_id=gone)
    fixed = day.note("action", "Teh typo", due="2025-03-20")
    day.record(NoteEdited, note_id=fixed, kind="action", text="The typo, fixed", owner="Al",
               due="2025-03-21")  # fmt: skip
    day.note("note", "not an action")
    return [first, day.load()]


@pytest.fixture(scope="module")
def items(sessions: list[LoadedSession]) -> list[ActionItem]:
    return collect_actions(sessions)


def test_collects_live_actions_of_every_session_by_due_date(items: list[ActionItem]) -> None:
    assert [(i.text, i.due) for i in items] == [
        ("Share the baseline survey", date(2025, 3, 11)),
        ("Write up the evaluation", date(2025, 3, 12)),
        ("Circulate draft terms of reference", date(2025, 3, 18)),
        ("The typo, fixed", date(2025, 3, 21)),  # the edit's text, owner and date
        ("Book a room for the next meeting", None),  # "next meeting" is not a date
        ("Send thanks to the venue", None),
    ]
    assert items[3].owner == "Al"
    assert items[4].due_text == "next meeting" and items[4].due_label == "next meeting"
    survey = items[0]
    assert survey.session_id == "2025-03-04-0858-partnership-meeting"
    assert survey.agenda_title == "Activity 5: Partnership meeting role-play"
    assert survey.segment_title == "Partnership meeting"
    assert survey.note_id.startswith("scribe-") and survey.done
    assert survey.created == datetime(2025, 3, 4, 9, 23, tzinfo=UTC)


def test_overdue_means_past_due_and_not_done(items: list[ActionItem]) -> None:
    by_text = {i.text: i for i in items}
    assert by_text["Write up the evaluation"].overdue(TODAY)
    assert not by_text["Share the baseline survey"].overdue(TODAY)  # done
    assert not by_text["Circulate draft terms of reference"].overdue(TODAY)
    assert not by_text["Write up the evaluation"].overdue(date(2025, 3, 12))  # due today
    assert not by_text["Send thanks to the venue"].overdue(TODAY)


def test_open_filter_drops_done_actions(items: list[ActionItem], tmp_path: Path) -> None:
    assert "Share the baseline survey" not in [i.text for i in open_actions(items)]
    assert len(open_actions(items)) == len(items) - 1
    day = start_session(tmp_path)
    note = day.note("action", "done later", segment=0)
    day.record(ActionDone, note_id=note, done=True)
    day.record(ActionDone, note_id=note, done=False)  # reopened
    assert [i.text for i in open_actions(collect_actions([day.load()]))] == ["done later"]


def test_table_for_the_terminal(items: list[ActionItem]) -> None:
    lines = render_actions(items, "table", TODAY).splitlines()
    assert lines[0].split() == ["DUE", "STATUS", "OWNER", "ACTION", "SESSION"]
    status_col = lines[0].index("STATUS")
    assert [line[status_col:].split()[0] for line in lines[1:]] == [
        "done", "OVERDUE", "open", "open", "open", "open"]  # fmt: skip
    assert lines[2] == ("2025-03-12    OVERDUE  Bo          Write up the evaluation"
                        "             2025-03-10-1300-session-evaluation")  # fmt: skip
    assert lines[6].startswith("-             open     -           Send thanks to the venue ")
    session_col = lines[0].index("SESSION")
    assert all(line[session_col - 2 : session_col] == "  " for line in lines)  # columns line up
    assert all(line[session_col:].startswith("2025-") for line in lines[1:])


def test_table_neutralises_terminal_escapes_and_line_breaks() -> None:
    assert terminal_text("red\x1b[31m\nnext\tline\x9b2J") == "red\ufffd[31m next line\ufffd2J"
    assert terminal_text(None) == ""
    assert terminal_text("caf\udce9 \u202eevil") == "caf\ufffd \ufffdevil"  # stray byte, bidi
    assert terminal_text("👩\u200d💻") == "👩\u200d💻"  # an emoji sequence stays whole


def test_table_aligns_wide_characters(tmp_path: Path) -> None:
    day = start_session(tmp_path)
    day.note("action", "会議室を予約する", owner="田中", segment=0)
    day.note("action", "Book room", owner="Al", segment=0)
    lines = render_actions(collect_actions([day.load()]), "table", TODAY).splitlines()
    # Each CJK character takes two terminal cells: SESSION still starts at one screen column.
    sid = "2025-03-04-0858-partnership-meeting"
    starts = {cell_len(line[: line.index(sid)]) for line in lines[1:]}
    assert starts == {cell_len(lines[0][: lines[0].index("SESSION")])}
    assert len(lines[1]) < len(lines[2])  # fewer characters, same width on screen


def test_markdown_marks_overdue_and_escapes(tmp_path: Path) -> None:
    day = start_session(tmp_path)
    day.note("action", "Fix | the *table*\n# now", owner="-Eve", due="2025-03-01", segment=0)
    text = render_actions(collect_actions([day.load()]), "md", TODAY)
    assert text.startswith("# Actions (as of 2025-03-14)\n")
    row = text.splitlines()[-1]
    cells = [cell.strip() for cell in row.split(" | ")]
    # In a table cell only | and emphasis would change the rendering: "#" and "-" are text.
    assert cells == ["| 2025-03-01", "Fix \\| the \\*table\\*<br># now", "-Eve", "**OVERDUE**",
                     "Activity 5: Partnership meeting role-play",
                     "2025-03-04-0858-partnership-meeting |"]  # fmt: skip


def test_csv_is_safe_for_spreadsheets(tmp_path: Path) -> None:
    day = start_session(tmp_path)
    day.note("action", "=HYPERLINK(\"http://evil.test\")", owner="@boss", due="2025-03-01",
             segment=0)  # fmt: skip
    text = render_actions(collect_actions([day.load()]), "csv", TODAY)
    assert text.startswith("\ufeffdue,text,owner,done,overdue,created,agenda,segment,session,")
    assert text.endswith("\r\n")
    (row,) = csv.DictReader(io.StringIO(text[1:], newline=""))
    assert row["text"] == '\'=HYPERLINK("http://evil.test")'
    assert row["owner"] == "'@boss"
    assert (row["due"], row["done"], row["overdue"]) == ("2025-03-01", "no", "yes")
    assert row["created"] == "2025-03-04T08:58:00+00:00"


def test_no_actions_and_unknown_format() -> None:
    assert render_actions([], "table", TODAY) == "No actions.\n"
    assert "No actions recorded." in render_actions([], "md", TODAY)
    assert render_actions([], "csv", TODAY).count("\r\n") == 1
    with pytest.raises(ValueError, match="unknown actions format 'xml'"):
        render_actions([], "xml", TODAY)


def test_actions_recorded_during_a_session_appear(tmp_path: Path) -> None:
    day = start_session(tmp_path)
    day.record(NoteAdded, kind="action", text="From the journal", segment=1, owner="Kim",
               due=" 2025-04-01 ")  # fmt: skip
    (item,) = collect_actions([day.load()])
    assert (item.text, item.owner, item.due) == ("From the journal", "Kim", date(2025, 4, 1))
    assert item.segment_title == "Partnership meeting"
