"""Dates on screen read the UK way, as the exports do (QA 13 #13): the review header, the
review tables and the run screen's notes log never show 2026-12-19."""

from __future__ import annotations

from datetime import UTC, date
from pathlib import Path

from facilitate.events import NoteAdded
from facilitate.notes import uk_date_text
from facilitate.state import Person, new_state
from facilitate.tui.review.common import due_cell
from facilitate.tui.review.head import attendance_line, note_detail
from facilitate.tui.run.notes_log import note_line
from sessionfactory import start_session


def test_the_helper_reads_iso_dates_and_leaves_other_text_alone() -> None:
    assert uk_date_text("2026-12-19") == "Sat 19/12/2026"
    assert uk_date_text("2026-12-19", weekday=False) == "19/12/2026"
    assert uk_date_text("next Friday") == "next Friday"
    assert uk_date_text(None) == ""


def test_review_header_and_table_and_notes_log_show_uk_dates(tmp_path: Path) -> None:
    state = new_state(1)
    state.attendance.people["sam"] = Person("sam", "Sam", "", "", "present")
    state.attendance.next_meeting, state.attendance.next_meeting_time = "2026-12-15", "10:00"
    assert attendance_line(state).endswith("next meeting Tue 15/12/2026 at 10:00")
    assert due_cell("2026-12-19", False, date(2026, 12, 1)).plain == "19/12/2026"
    day = start_session(tmp_path)
    day.record(NoteAdded, kind="action", text="Book the room", segment=0, due="2026-12-19")
    (note,) = day.load().state.notes.values()
    assert "due Sat 19/12/2026" in note_line(note, UTC).plain
    assert "due: Sat 19/12/2026" in note_detail(note).plain
    assert "2026-12-19" not in note_line(note, UTC).plain
