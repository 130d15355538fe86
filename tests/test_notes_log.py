"""The notes log with a long segment: a new note is added to it, not drawn again whole.

With thousands of notes in the current segment, rebuilding every row for each new note
took over a second. Here a segment holds a few hundred notes (enough to tell "one row
built" from "every row built" without slowing the suite; ``make bench`` times 10,000 in
a real terminal) and every test reads what the person sees: the rows, the one in view,
the highlighted one.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Region
from textual.pilot import Pilot

import facilitate.tui.run.notes_log as notes_log_module
from apptools import (
    START,
    burst,
    entry,
    live,
    log_lines,
    make_app,
    notes_log,
    run_screen,
    settle,
    sync,
    type_note,
)
from facilitate.events import NoteDeleted, NoteEdited, SegmentChanged
from facilitate.journal import JournalIO
from facilitate.state import Note
from facilitate.tui.app import FacilitateApp
from sessionfactory import Scripted, start_session

SEGMENT = 2  # sample-programme's "Concepts and Contexts": it suggests the lifecycle panel
MANY = 300
KINDS = ("note", "decision", "action", "question")


def busy_day(tmp_path: Path, notes: int = MANY) -> Scripted:
    """A day on sample-programme, in the segment that opens a panel, with ``notes`` notes."""
    day = start_session(tmp_path, "sample-programme", start=START, writer="earlier")
    day.record(SegmentChanged, segment=SEGMENT, reason="jump")
    day.wait(1)  # a scribe's note goes under the segment current when Enter was pressed
    for n in range(notes):
        day.note(KINDS[n % len(KINDS)], f"earlier note {n:03d}")
    return day


def on_screen(app: FacilitateApp) -> list[str]:
    """The log's lines as drawn now, border and scroll position included."""
    log = notes_log(app)
    strips = log.render_lines(Region(0, 0, *log.outer_size))
    return [strip.text for strip in strips]


def newest_in_view(app: FacilitateApp, text: str) -> None:
    """The log is on its newest note: highlighted, and drawn just above the bottom border."""
    log = notes_log(app)
    assert log.highlighted == log.option_count - 1
    lines = on_screen(app)
    assert text in lines[-2], f"{text!r} is not the last line in view: {lines}"


def count_rows_built(monkeypatch: pytest.MonkeyPatch) -> list[Note]:
    built: list[Note] = []
    real = notes_log_module.note_line

    def counting(note: Note, *args: Any, **kwargs: Any) -> Any:
        built.append(note)
        return real(note, *args, **kwargs)

    monkeypatch.setattr(notes_log_module, "note_line", counting)
    return built


async def opened(pilot: Pilot[Any], app: FacilitateApp) -> None:
    """The first frame, the panel the segment suggests, and the tick's redraw."""
    for _ in range(3):
        await pilot.pause()
    await settle(pilot, app)


@sync
async def test_a_new_note_in_a_long_segment_builds_its_own_row_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    day = busy_day(tmp_path)
    app, _ = make_app(tmp_path, mode="join", session="latest", source=day.source)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot, app)
        before = list(notes_log(app).options)
        built = count_rows_built(monkeypatch)
        await type_note(pilot, app, "q: who signs it off?")
        assert [note.text for note in built] == ["who signs it off?"]
        assert list(notes_log(app).options)[:MANY] == before, "the earlier rows were kept"
        assert len(log_lines(app)) == MANY + 1
        newest_in_view(app, "QUESTION who signs it off?")
        assert f"{MANY + 1} shown" in str(notes_log(app).border_subtitle)


@pytest.mark.parametrize("mode", ["join", "resume"])
@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
@sync
async def test_the_log_opens_on_the_newest_note(
    tmp_path: Path, mode: str, size: tuple[int, int]
) -> None:
    """Its lines re-wrap when the suggested panel opens beside it after the first frame: the
    newest note stays the one in view (it used to end up hundreds of lines above it)."""
    day = busy_day(tmp_path)
    app, _ = make_app(tmp_path, mode=mode, session="latest", source=day.source)
    async with app.run_test(size=size) as pilot:
        await opened(pilot, app)
        if size[0] >= 110:
            assert run_screen(app).query("#side *"), "the suggested panel is open"
        newest_in_view(app, f"earlier note {MANY - 1:03d}")
        await pilot.resize_terminal(100, 30)
        await opened(pilot, app)
        newest_in_view(app, f"earlier note {MANY - 1:03d}")


@sync
async def test_edit_delete_and_filter_in_a_long_segment(tmp_path: Path) -> None:
    day = busy_day(tmp_path)
    app, _ = make_app(tmp_path, mode="join", session="latest", source=day.source)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot, app)
        log = notes_log(app)
        # Up to the third newest note and edit it: that row changes, no other.
        await pilot.press("escape", "up", "up", "e", "end", *" (fixed)", "enter")
        await settle(pilot, app)
        lines = log_lines(app)
        assert "earlier note 297 (fixed) (edited)" in lines[297]
        assert [line for n, line in enumerate(lines) if n != 297] == [
            f"09:31 {kind} earlier note {n:03d}"
            for n, kind in enumerate(
                ("note", "DECISION", "ACTION", "QUESTION")[n % 4] for n in range(MANY)
            )
            if n != 297
        ]
        # The highlight stayed on the edited note; a new note does not take it away.
        assert log.highlighted == 297
        await type_note(pilot, app, "a new note")
        assert log.highlighted == 297 and len(log_lines(app)) == MANY + 1
        # Delete it: its row goes, the one after it takes the highlight.
        await pilot.press("escape", "x", "y")
        await settle(pilot, app)
        assert not any("earlier note 297" in line for line in log_lines(app))
        assert len(log_lines(app)) == MANY and f"{MANY} shown" in str(log.border_subtitle)
        # Filter by kind and back: all rows again, on the newest.
        await pilot.press("escape", "t")
        await settle(pilot, app)
        assert log.kind_filter == "decision"
        assert all("DECISION" in line for line in log_lines(app))
        assert len(log_lines(app)) == MANY // 4 - 1  # 297 was a decision
        for _ in range(5):
            await pilot.press("t")
        await settle(pilot, app)
        assert log.kind_filter == "all" and len(log_lines(app)) == MANY
        newest_in_view(app, "a new note")


@sync
async def test_another_terminals_notes_edits_and_deletions_show(tmp_path: Path) -> None:
    day = busy_day(tmp_path)
    app, _ = make_app(tmp_path, mode="join", session="latest", source=day.source)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot, app)
        first, second = list(live(app).state.notes)[:2]
        day.note("note", "from the other terminal")
        day.record(NoteEdited, note_id=first, kind="note", text="first, reworded")
        day.record(NoteDeleted, note_id=second)
        day.note("decision", "and one more")
        run_screen(app).tick()
        await settle(pilot, app)
        lines = log_lines(app)
        assert "first, reworded (edited)" in lines[0]
        assert not any("earlier note 001" in line for line in lines)
        assert "from the other terminal" in lines[-2]
        newest_in_view(app, "DECISION and one more")


@sync
async def test_a_note_filed_back_into_this_segment_takes_its_place(tmp_path: Path) -> None:
    day = start_session(tmp_path, "sample-programme", start=START, writer="earlier")
    early = day.note("note", "taken in the first segment", segment=0)
    day.record(SegmentChanged, segment=SEGMENT, reason="jump")
    day.wait(1)
    for n in range(3):
        day.note("note", f"here {n}")
    app, _ = make_app(tmp_path, mode="join", session="latest", source=day.source)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot, app)
        day.record(
            NoteEdited,
            note_id=early,
            kind="note",
            text="belongs here after all",
            segment=SEGMENT,
            group=None,
            role=None,
        )
        run_screen(app).tick()
        await settle(pilot, app)
        texts = [line.split(" ", 1)[1] for line in log_lines(app)]
        here = [f"note here {n}" for n in range(3)]
        assert texts == ["note belongs here after all (edited)", *here]


def failing_writes(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """The disk is full until the returned function is called."""

    def full(self: JournalIO, fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(JournalIO, "write", full)
    return monkeypatch.undo


@sync
async def test_a_note_waiting_for_the_disk_says_so_until_it_is_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    day = busy_day(tmp_path)
    app, _ = make_app(tmp_path, mode="join", session="latest", source=day.source)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot, app)
        await type_note(pilot, app, "saved at once")
        disk_back = failing_writes(monkeypatch)
        await type_note(pilot, app, "waits for the disk")
        assert "waits for the disk UNSAVED" in log_lines(app)[-1]
        assert "UNSAVED" not in log_lines(app)[-2]
        disk_back()
        for _ in range(2):  # the screen retries every other tick
            run_screen(app).tick()
        await settle(pilot, app)
        assert "UNSAVED" not in log_lines(app)[-1]
        assert not live(app).pending
        newest_in_view(app, "waits for the disk")
        assert entry(app).has_focus


@sync
async def test_a_full_disk_says_so_once_not_once_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA 16: while the disk was full, a toast per note piled up and hid the quit
    question's buttons. It is said once (the top bar counts what waits), and again only
    after all was saved and a write fails anew."""
    from apptools import record_notifications

    day = busy_day(tmp_path)
    app, _ = make_app(tmp_path, mode="join", session="latest", source=day.source)
    seen = record_notifications(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot, app)
        disk_back = failing_writes(monkeypatch)
        for n in range(5):
            await type_note(pilot, app, f"waits {n}")
        assert len([m for m in seen if m.startswith("Not saved yet")]) == 1
        disk_back()
        for _ in range(2):  # the screen retries every other tick
            run_screen(app).tick()
        await settle(pilot, app)
        assert not live(app).pending
        failing_writes(monkeypatch)
        await type_note(pilot, app, "waits again")
        assert len([m for m in seen if m.startswith("Not saved yet")]) == 2


@sync
async def test_moving_up_and_editing_typed_at_once_edit_the_note_moved_to(tmp_path: Path) -> None:
    """The log's moving keys act as they arrive, like e: "escape up e" in one burst
    edits the note above the newest, not the newest (seen by hand in tmux)."""
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        for text in ("first", "second", "third"):
            await type_note(pilot, app, text)
        burst(app, "escape", "up", "up", "e", "end", *" (fixed)", "enter")
        for _ in range(4):
            await pilot.pause()
        texts = [n.text for n in live(app).state.notes.values()]
        assert texts == ["first (fixed)", "second", "third"]
