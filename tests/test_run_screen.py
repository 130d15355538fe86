"""The facilitator's run screen driven by keys, on a fake clock: what the room would see.

Every test ends by checking that the journal on disk replays to the state the
screen shows, because a key that changed the screen but not the journal would
be lost on a crash.
"""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path

from textual.widgets import Label, OptionList

from apptools import (
    START,
    advance,
    count_bells,
    countdown,
    entry,
    event_types,
    footer_labels,
    live,
    make_app,
    notes_log,
    record_notifications,
    run_screen,
    same_state,
    segment_title,
    settle,
    sync,
    timer_classes,
    timer_status,
    topbar,
    topbar_on_screen,
    type_note,
)
from facilitate.tui.dialogs.choice import ChoiceScreen
from facilitate.tui.dialogs.confirm import ConfirmScreen
from facilitate.tui.run.screen import RunScreen

SIZE = (120, 40)
# sample-programme: registration 30 min, then introductions 10 min; warnings at 2 min.
REGISTRATION = "1. Registration and refreshment"
INTRODUCTIONS = "2. Introductions, agenda, resources and partnership scenarios"


@sync
async def test_a_new_session_opens_paused_on_the_first_segment_in_a_private_folder(
    tmp_path: Path,
) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, RunScreen)
        assert segment_title(app) == REGISTRATION
        assert countdown(app) == "30:00"
        assert timer_status(app) == "READY · space starts"
        assert "-ready" in timer_classes(app)
        assert "09:30" in topbar(app), "the wall clock comes from the session clock"
        assert "all saved" in topbar(app)
        folder = live(app).folder
        assert folder.parent == tmp_path / "sessions"
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert (folder / "agenda.toml").is_file()
        assert event_types(app) == ["SessionStarted"]
        same_state(app)


@sync
async def test_space_starts_pauses_and_resumes_the_countdown(tmp_path: Path) -> None:
    app, source = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await advance(pilot, app, source, 60)
        assert countdown(app) == "29:00"
        assert "-normal" in timer_classes(app)
        assert timer_status(app) == ""

        await pilot.press("space")
        await advance(pilot, app, source, 300)
        assert countdown(app) == "29:00", "a paused timer must not move"
        assert timer_status(app) == "PAUSED"
        assert "-paused" in timer_classes(app)

        await pilot.press("space")
        await advance(pilot, app, source, 30)
        assert countdown(app) == "28:30"
        assert event_types(app) == [
            "SessionStarted",
            "TimerStarted",
            "TimerPaused",
            "TimerStarted",
        ]
        same_state(app)


@sync
async def test_brackets_move_between_segments_and_arrows_never_do(tmp_path: Path) -> None:
    """Arrows are pressed by accident far more often than ] and [: they move the selection
    in lists, never the live session."""
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right", "left", "down", "up")
        await settle(pilot, app)
        assert segment_title(app) == REGISTRATION
        assert "SegmentChanged" not in event_types(app)
        await pilot.press("right_square_bracket")
        await settle(pilot, app)
        assert segment_title(app) == INTRODUCTIONS
        assert countdown(app) == "10:00"
        await pilot.press("left_square_bracket")
        await settle(pilot, app)
        assert segment_title(app) == REGISTRATION
        # Nothing before the first segment: [ there writes nothing.
        await pilot.press("left_square_bracket")
        await settle(pilot, app)
        assert segment_title(app) == REGISTRATION
        assert event_types(app).count("SegmentChanged") == 2
        same_state(app)


@sync
async def test_plus_minus_adjust_a_minute_and_angle_brackets_five(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        shown = []
        for key in ("plus", "equals_sign", "minus", "greater_than_sign", "less_than_sign"):
            await pilot.press(key)
            await settle(pilot, app)
            shown.append(countdown(app))
        assert shown == ["31:00", "32:00", "31:00", "36:00", "31:00"]
        snap = live(app).snapshot()
        assert snap.planned_s == 31 * 60
        assert event_types(app).count("TimeAdjusted") == 5
        same_state(app)


@sync
async def test_taking_time_away_stops_at_zero_planned(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket")  # introductions: 10 minutes
        for _ in range(3):
            await pilot.press("less_than_sign")
        await settle(pilot, app)
        assert countdown(app) == "00:00"
        assert live(app).snapshot().planned_s == 0
        assert event_types(app).count("TimeAdjusted") == 2  # the third had nothing to take
        same_state(app)


@sync
async def test_g_opens_a_segment_list_and_a_digit_jumps_there(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("5")
        await settle(pilot, app)
        assert segment_title(app) == "5. Activity 2: Opportunities and challenges"

        await pilot.press("g")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot, app)
        assert segment_title(app) == "5. Activity 2: Opportunities and challenges"

        # Beyond nine: move the highlight and press enter.
        await pilot.press("g")
        await pilot.pause()
        menu = app.screen.query_one(OptionList)
        assert menu.highlighted == 4, "the list opens on the current segment"
        await pilot.press("down", "down", "down", "down", "down", "down", "enter")
        await settle(pilot, app)
        assert segment_title(app) == "11. Influencing and Negotiation"
        assert event_types(app).count("SegmentChanged") == 2
        same_state(app)


@sync
async def test_r_restarts_the_segment_only_after_yes(tmp_path: Path) -> None:
    app, source = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await advance(pilot, app, source, 125)
        assert countdown(app) == "27:55"

        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot, app)
        assert countdown(app) == "27:55", "n keeps the time run so far"
        assert "SegmentRestarted" not in event_types(app)
        assert entry(app).has_focus, "after a dialog the keyboard is the note box's"

        await pilot.press("escape", "r")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot, app)
        assert countdown(app) == "30:00"
        assert event_types(app)[-1] == "SegmentRestarted"
        same_state(app)


@sync
async def test_warning_then_overtime_counts_up_with_a_plus(tmp_path: Path) -> None:
    app, source = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(
            "right_square_bracket", "space"
        )  # introductions, 10 minutes, warning at 2
        await advance(pilot, app, source, 7 * 60 + 59)
        assert countdown(app) == "02:01"
        assert "-normal" in timer_classes(app)

        await advance(pilot, app, source, 1)
        assert countdown(app) == "02:00"
        assert "-warning" in timer_classes(app)
        assert timer_status(app) == "WARNING · time nearly up"

        await advance(pilot, app, source, 2 * 60 + 7)
        assert countdown(app) == "+00:07"
        assert "-overtime" in timer_classes(app)
        assert "-warning" not in timer_classes(app)
        assert timer_status(app) == "OVERTIME"

        await advance(pilot, app, source, 60)
        assert countdown(app) == "+01:07"
        same_state(app)


@sync
async def test_the_bell_rings_once_when_the_countdown_reaches_zero(tmp_path: Path) -> None:
    app, source = make_app(tmp_path)
    bells = count_bells(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket", "space")
        await advance(pilot, app, source, 9 * 60)
        assert bells.count == 0
        source.advance(60)
        run_screen(app).render_state()  # the next tick, with no await in between:
        assert run_screen(app).has_class("-flash"), "the face flashes as the bell rings"
        assert bells.count == 1
        for _ in range(5):
            await advance(pilot, app, source, 30)
        assert bells.count == 1, "once per segment, not every tick"


@sync
async def test_no_bell_with_bell_false(tmp_path: Path) -> None:
    app, source = make_app(tmp_path, bell=False)
    bells = count_bells(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket", "space")
        await advance(pilot, app, source, 10 * 60 + 5)
        assert countdown(app) == "+00:05"
        assert bells.count == 0


@sync
async def test_no_bell_when_zero_passes_while_paused(tmp_path: Path) -> None:
    app, source = make_app(tmp_path)
    bells = count_bells(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket", "space")
        await advance(pilot, app, source, 9 * 60 + 30)
        await pilot.press("space")  # pause with 30 s left
        await pilot.press("minus")  # the room agrees to finish: now overtime, still paused
        await settle(pilot, app)
        assert countdown(app) == "+00:30"
        assert bells.count == 0


@sync
async def test_shift_e_ends_the_session_after_confirmation(tmp_path: Path) -> None:
    app, source = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await advance(pilot, app, source, 600)
        await pilot.press("E")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot, app)
        assert live(app).state.ended_at is None

        await pilot.press("escape", "E")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot, app)
        # The lead may open an end-of-day reflection over the run screen; close it if so.
        while not isinstance(app.screen, RunScreen):
            await pilot.press("escape")
            await settle(pilot, app)
        assert timer_status(app) == "SESSION ENDED"
        assert "-ended" in timer_classes(app)
        assert live(app).state.ended_at == START.replace(minute=40)

        await pilot.press("escape", "space", "right_square_bracket")  # a finished session stays
        await advance(pilot, app, source, 60)
        assert event_types(app)[-1] == "SessionEnded"
        summary = tomllib.loads((live(app).folder / "summary.toml").read_text())
        assert summary["session"]["status"] == "ended"
        same_state(app)


@sync
async def test_ctrl_q_quits_and_leaves_a_resumable_session(tmp_path: Path) -> None:
    app, source = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await advance(pilot, app, source, 90)
        folder = live(app).folder
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_value == 0
    summary = tomllib.loads((folder / "summary.toml").read_text())
    assert summary["session"]["status"] == "paused"  # quitting stops the clock (test_quit_pauses)
    assert summary["session"]["duration_s"] == 90


@sync
async def test_everything_pressed_is_in_the_journal_and_replays_to_the_same_screen(
    tmp_path: Path,
) -> None:
    app, source = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await advance(pilot, app, source, 600)
        await pilot.press("plus", "right_square_bracket")
        await advance(pilot, app, source, 120)
        await pilot.press("space")
        await advance(pilot, app, source, 60)
        await pilot.press("space", "greater_than_sign", "g")
        await pilot.pause()
        await pilot.press("4")
        await advance(pilot, app, source, 30)
        await pilot.press("escape", "r")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot, app)
        on_screen = countdown(app), segment_title(app)
        assert event_types(app) == [
            "SessionStarted",
            "TimerStarted",
            "TimeAdjusted",
            "SegmentChanged",
            "TimerPaused",
            "TimerStarted",
            "TimeAdjusted",
            "SegmentChanged",
            "SegmentRestarted",
        ]
        same_state(app)

    # A second process resuming from disk shows the same segment and countdown.
    again, _ = make_app(tmp_path, mode="resume", session="latest", source=source, writer_id="w2")
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot, again)
        assert (countdown(again), segment_title(again)) == on_screen
        assert live(again).state.runs == live(app).state.runs


@sync
async def test_the_save_state_stays_in_view_at_80_columns(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        shown = topbar_on_screen(app)
        assert "all saved" in shown
        assert "ends 16:00" in shown


@sync
async def test_help_and_the_timer_keys_stay_in_the_footer_at_80_columns(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await type_note(pilot, app, "a note, so edit and delete join the footer")
        await pilot.press("escape")
        await settle(pilot, app)
        shown = footer_labels(app, width=80)
        assert {"Help", "Start/Pause", "Next"} <= set(shown)


@sync
async def test_the_go_to_list_scrolls_so_its_hint_stays_on_a_24_row_screen(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)  # the sample programme has 17 segments
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("g")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ChoiceScreen)
        hint = next(
            label for label in dialog.query(Label) if "escape cancels" in str(label.render())
        )
        assert hint.region.height == 1 and hint.region.bottom <= 24
        await pilot.press("up")  # wraps to the last segment, scrolled into view
        await pilot.pause()
        choices = dialog.query_one(OptionList)
        assert choices.highlighted == 16
        assert choices.scroll_y > 0


@sync
async def test_l_opens_the_lifecycle_panel_and_escape_hands_keys_back_to_the_notes(
    tmp_path: Path,
) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("l")
        await settle(pilot, app)
        side = run_screen(app).query_one("#side")
        panel = side.query_one("#panel-lifecycle")
        assert side.display and panel.display
        assert app.focused is not None and panel in app.focused.ancestors_with_self
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.focused is notes_log(app)
        # Still open: at 120 columns folded to the agenda's edge, so the agenda stays.
        assert not side.display and panel.display
        edge = run_screen(app).query_one("#agenda").border_subtitle
        assert str(edge).startswith("Lifecycle (l):"), edge
        await pilot.press("l")  # from the notes: the open panel gets the keyboard back
        await settle(pilot, app)
        assert side.display and app.focused is not None
        assert panel in app.focused.ancestors_with_self
        await pilot.press("l")  # from inside it: closes it
        await settle(pilot, app)
        assert not side.display
        assert app.focused is notes_log(app)


@sync
async def test_the_progress_bar_fills_with_the_segment_and_moves_only_by_half_cells(
    tmp_path: Path,
) -> None:
    """The bar under the countdown shows how much of the segment has gone, in half cells;
    between two half cells a tick leaves it alone (it is not redrawn every second)."""
    from facilitate.tui.run.timer_face import SegmentProgress, bar_halves

    app, source = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape", "space")
        bar = run_screen(app).query_one("#progress", SegmentProgress)
        width = bar.size.width
        assert width > 20
        await advance(pilot, app, source, 15 * 60)  # half of the 30-minute registration
        line = bar.render_line(0)
        assert line.cell_length == width
        done = [s for s in line if s.style and s.style.color == bar.rich_style.color]
        filled = sum(len(s.text) for s in done)
        assert abs(filled - width / 2) <= 1, line.text
        seen = bar.progress
        # 30 minutes over ``width * 2`` half cells: well under one half cell in 5 seconds.
        assert 30 * 60 / (width * 2) > 5
        await advance(pilot, app, source, 5)
        if bar_halves(seen + 5 / 1800, width) == bar_halves(seen, width):
            assert bar.progress == seen, "the bar moved without a visible change"
        await advance(pilot, app, source, 15 * 60)
        full = bar.render_line(0)
        assert full.text == "━" * width, "a full bar at the segment's end"
        assert all(s.style and s.style.color == bar.rich_style.color for s in full)


@sync
async def test_a_damaged_line_in_a_scribes_journal_is_said_once_on_the_facilitators_screen(
    tmp_path: Path,
) -> None:
    """Another terminal's journal is read as it grows: a line that cannot be read is not
    left out of the minutes without a word; the toast names the file and line, once."""
    app, _ = make_app(tmp_path)
    seen = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        folder = live(app).folder
        scribe = folder / "journal-scribe1.jsonl"
        scribe.write_text('{"type": "note_added", "at": "not a time"\n')
        screen = run_screen(app)
        screen.tick()
        screen.tick()
        await pilot.pause()
        said = [m for m in seen if "journal-scribe1.jsonl:1" in m]
        assert len(said) == 1, seen
        assert "\x1b" not in said[0]


@sync
async def test_terminal_codes_in_a_journal_note_never_reach_the_terminal(tmp_path: Path) -> None:
    """QA 16: a note whose text and owner held escape codes (from another laptop's journal
    in a synced folder) set the window title and cleared the screen when the session was
    joined. Every cell the notes log draws is now free of control characters."""
    from textual.geometry import Region

    from facilitate.events import NoteAdded
    from sessionfactory import start_session

    day = start_session(tmp_path, "sample-programme")
    evil = "seg1 evil \x1b]0;PWNED\x07 \x1b[2J\x1b[31mRED\x1b[0m"
    day.record(NoteAdded, kind="action", text=evil, owner="\x1b]0;OWNER\x07Bob", segment=0)
    day.close()
    app, _ = make_app(tmp_path, mode="join", session=day.live.id, source=day.source)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        log = notes_log(app)
        drawn = log.render_lines(Region(0, 0, *log.outer_size))
        text = "".join(seg.text for strip in drawn for seg in strip)
        assert "RED" in text and "Bob" in text, text
        assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in text), repr(text)
        assert "\ufffd" in text  # visibly replaced, not silently dropped
