"""The CSV export opens cleanly in a spreadsheet and can never run a formula."""

from __future__ import annotations

import csv
import io
from datetime import UTC
from pathlib import Path

import pytest

from facilitate.events import NoteAdded
from facilitate.export import render_text as render
from facilitate.export.csv_export import COLUMNS, safe_cell
from facilitate.store import LoadedSession
from sessionfactory import HOSTILE_TEXT, assert_golden, build_sample_session, start_session


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> LoadedSession:
    return build_sample_session(tmp_path_factory.mktemp("sample"))


def rows_of(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def test_matches_golden_file(sample: LoadedSession) -> None:
    assert_golden("partnership-meeting.csv", render("csv", sample, UTC))


def test_bom_crlf_and_header(sample: LoadedSession) -> None:
    text = render("csv", sample, UTC)
    assert text.startswith("\ufeffcreated,segment,kind,text,group,role,owner,due,category,done,"
                           "edited,note_id,written_by,owner_name,parked\r\n")  # fmt: skip
    assert text.endswith("\r\n")
    # Every record ends in CRLF; the bare LFs left are inside the quoted multi-line note.
    assert text.count("\r\n") == len(rows_of(text)) + 1
    assert text.replace("\r\n", "").count("\n") == HOSTILE_TEXT.count("\n")


def test_one_row_per_live_note_with_edits(sample: LoadedSession) -> None:
    rows = rows_of(render("csv", sample, UTC))
    assert len(rows) == len(sample.state.live_notes()) == 13
    texts = [r["text"] for r in rows]
    assert "Mistyped note, deleted" not in texts
    assert "Who funds the evaluation, and for how long?" in texts
    question = rows[texts.index("Who funds the evaluation, and for how long?")]
    assert question["edited"] == "2025-03-04T09:27:00+00:00"
    assert question["segment"] == "Partnership meeting"


def test_quotes_commas_and_newlines_survive_a_round_trip(sample: LoadedSession) -> None:
    rows = rows_of(render("csv", sample, UTC))
    assert HOSTILE_TEXT in [r["text"] for r in rows]
    assert "Meet monthly, chaired by the partnership facilitator" in [r["text"] for r in rows]


def test_actions_say_whether_done(sample: LoadedSession) -> None:
    rows = rows_of(render("csv", sample, UTC))
    done = {r["text"]: r["done"] for r in rows if r["kind"] == "action"}
    assert done == {"Circulate draft terms of reference": "no", "Share the baseline survey": "yes",
                    "Book a room for the next meeting": "no"}  # fmt: skip
    assert {r["done"] for r in rows if r["kind"] != "action"} == {""}


@pytest.mark.parametrize(
    "lead", ["=", "+", "-", "@", "\t", "\r"], ids=["equals", "plus", "minus", "at", "tab", "cr"]
)
def test_formula_starts_are_defused(tmp_path: Path, lead: str) -> None:
    day = start_session(tmp_path)
    payload = f'{lead}HYPERLINK("http://evil.test","click")'
    day.record(NoteAdded, kind="action", text=payload, segment=0, group=payload, role=payload,
               owner=payload, due=payload, category=payload)  # fmt: skip
    (row,) = rows_of(render("csv", day.load(), UTC))
    # a lone CR, which writes over the line on a terminal, is shown as U+FFFD (test_cli_edges)
    expected = "'" + payload.replace("\r", "\ufffd")
    for column in ("text", "group", "role", "owner", "due", "category"):
        assert row[column] == expected, column


def test_segment_titles_are_defused_too(tmp_path: Path) -> None:
    agenda = '[agenda]\ntitle = "T"\n[[segment]]\ntitle = "=1+1"\nduration = 5\n'
    day = start_session(tmp_path, "evil", agenda_text=agenda)
    day.record(NoteAdded, kind="note", text="fine", segment=0)
    (row,) = rows_of(render("csv", day.load(), UTC))
    assert row["segment"] == "'=1+1"
    assert row["text"] == "fine"


def test_harmless_text_and_our_timestamps_are_untouched() -> None:
    assert safe_cell("Budget - agreed = yes") == "Budget - agreed = yes"
    assert safe_cell("") == "" and safe_cell(None) == ""
    assert COLUMNS[0] == "created"


def test_empty_session_has_just_the_header(tmp_path: Path) -> None:
    text = render("csv", start_session(tmp_path).load(), UTC)
    assert text == "\ufeff" + ",".join(COLUMNS) + "\r\n"


def test_each_row_says_who_wrote_it_by_name_where_the_scribe_gave_one(
    sample: LoadedSession,
) -> None:
    writer = next(iter(sample.state.live_notes())).writer
    assert rows_of(render("csv", sample, UTC))[0]["written_by"] == writer
    sample.state.writers[writer] = "Sam Jones"
    assert {r["written_by"] for r in rows_of(render("csv", sample, UTC))} == {"Sam Jones"}
