"""Room on the run screen: the brief is whole from 120x40 up, side panels never crowd out
the countdown, the brief and the note line.

From 120x40 up the brief takes the height it needs and the notes log the rest, down to
the log's minimum; on smaller screens it scrolls and says how much more there is. A side
panel goes beside the countdown only where the main column keeps its room (the agenda
column gives way to it first); on a narrow screen it folds to one line until its key
gives it the keyboard.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from apptools import live, make_app, make_paths, run_screen, settle, sync, text_of
from facilitate.agenda.catalog import load_named
from facilitate.paths import bundled_agendas_dir
from facilitate.tui.app import FacilitateApp
from facilitate.tui.run.brief import Brief, brief_content
from facilitate.tui.run.screen import RunScreen
from facilitate.tui.run.sizes import MAIN_LEAST

BUNDLED = sorted(path.stem for path in bundled_agendas_dir().glob("*.toml"))
LOG_LEAST = 5  # rows: the notes log's edges and three notes (#log's min-height)
LONG_BRIEF = str(Path(__file__).parent / "agendas" / "long-brief.toml")


def brief(app: FacilitateApp) -> Brief:
    return run_screen(app).query_one(Brief)


def cut_short(screen: RunScreen) -> str | None:
    """How the brief falls short of "whole, in just the room it needs" (None: it does not)."""
    shown = screen.query_one(Brief)
    room, needs = shown.scrollable_content_region.height, shown.virtual_size.height
    if shown.lines_below or "more" in (shown.border_subtitle or ""):
        return f"cut: {shown.lines_below} more lines"
    if room != needs:
        return f"{room} rows for {needs} lines"
    return None


async def next_segment(pilot: object, app: FacilitateApp) -> None:
    await pilot.press("right_square_bracket")  # type: ignore[attr-defined]
    await settle(pilot, app)  # type: ignore[arg-type]


# --- the brief ------------------------------------------------------------------------


@pytest.mark.parametrize("agenda", BUNDLED)
@sync
async def test_at_120x40_every_bundled_brief_is_whole_and_the_log_has_the_rest(
    tmp_path: Path, agenda: str
) -> None:
    """Every segment, walked with ] as a facilitator would (the panels the agenda suggests
    open as they come): the brief is whole, no taller than it needs, and the notes log
    below it keeps at least its minimum."""
    app, _ = make_app(tmp_path, agenda)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        problems = []
        for index, segment in enumerate(live(app).agenda.segments):
            if index:
                await next_segment(pilot, app)
            screen = run_screen(app)
            log = screen.log_widget
            assert screen.live.state.current == index
            if (short := cut_short(screen)) is not None:
                problems.append(f"{segment.title}: {short}")
            if log.outer_size.height < LOG_LEAST:
                problems.append(f"{segment.title}: the log has {log.outer_size.height} rows")
            if log.region.bottom > screen.capture.region.y:
                problems.append(f"{segment.title}: the log runs under the note box")
        assert problems == []


@sync
async def test_a_brief_too_long_for_120x40_leaves_the_log_its_minimum_and_says_more(
    tmp_path: Path,
) -> None:
    app, _ = make_app(tmp_path, LONG_BRIEF)
    async with app.run_test(size=(120, 40)) as pilot:
        await next_segment(pilot, app)
        assert brief(app).lines_below > 0
        assert brief(app).border_subtitle == f"↓ {brief(app).lines_below} more · b"
        assert run_screen(app).log_widget.outer_size.height == LOG_LEAST
        await pilot.resize_terminal(200, 60)  # more room: the brief takes it, not the log
        await settle(pilot, app)
        assert run_screen(app).log_widget.outer_size.height == LOG_LEAST


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
@sync
async def test_on_small_screens_a_long_brief_still_scrolls_with_its_more_mark(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        for _ in range(3):  # Activity 1: five long prompts
            await next_segment(pilot, app)
        below = brief(app).lines_below
        assert below > 0 and brief(app).border_subtitle == f"↓ {below} more · b"
        screen = run_screen(app)
        assert screen.capture.entry.region.bottom <= size[1] - 1  # the note line, above the keys
        assert screen.log_widget.outer_size.height >= 3  # the log keeps a row of notes


def test_short_lists_take_a_line_each_prompts_one_each() -> None:
    """Topics, feedback headings and roles are short names: one line of them each, so a
    brief fits; prompts are questions, one to a line."""
    agenda, _ = load_named("partnership-meeting", make_paths(Path("/nonexistent")))
    segment = agenda.segments[0]
    assert segment.roles
    lines = brief_content(segment, private=True).plain.splitlines()
    assert f"Roles: {' · '.join(segment.roles)}" in lines


def test_a_break_names_no_group_mode() -> None:
    """Registration, coffee and lunch have no group work: "Break", never "Break · Plenary"
    (the projector's rule, ``Segment.room_mode``)."""
    from facilitate.tui.run.projector import mode_text

    agenda, _ = load_named("sample-programme", make_paths(Path("/nonexistent")))
    for segment in agenda.segments:
        first = brief_content(segment, private=True).plain.splitlines()[0]
        if segment.kind == "break":
            assert first == "Break" and mode_text(segment) == "", segment.title
        else:
            assert segment.mode_label in first, segment.title


@sync
async def test_during_a_break_the_brief_says_break(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert text_of(run_screen(app).query_one("BriefText")).splitlines()[0] == "Break"


# --- side panels ----------------------------------------------------------------------


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
@sync
async def test_on_a_small_screen_a_panel_folds_to_a_line_unless_it_has_the_keyboard(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    """Registration's checklist at 60x20 and 80x24: c gives it the keyboard beside the
    countdown; escape folds it to one line saying how many are done, and the countdown,
    the brief and the note line have the whole width again."""
    width, height = size
    app, _ = make_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        screen = run_screen(app)
        side, main = screen.query_one("#side"), screen.query_one("#main")
        await pilot.press("c")
        await settle(pilot, app)
        assert side.display and screen.in_side(screen.focused), "in use: beside the clock"
        await pilot.press("x")  # tick the first item
        await pilot.press("escape")
        await settle(pilot, app)
        assert not side.display and main.size.width == width
        line = screen.query_one("#panel-line")
        assert line.display and text_of(line) == "Checklist (c): 1 of 4 done"
        for part in ("#countdown", "#brief"):
            assert screen.query_one(part).region.right <= width
        entry = screen.capture.entry.region
        assert entry.width >= width - 2 and entry.bottom <= height - 1
        await pilot.press("c")  # its key again: the keyboard, and beside the clock
        await settle(pilot, app)
        assert side.display and not line.display


@sync
async def test_at_80x24_a_suggested_panel_opens_folded_and_its_key_unfolds_it(
    tmp_path: Path,
) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await next_segment(pilot, app)
        await next_segment(pilot, app)  # Concepts and Contexts suggests the lifecycle panel
        screen = run_screen(app)
        line = screen.query_one("#panel-line")
        assert line.display and not screen.query_one("#side").display
        assert text_of(line).startswith("Lifecycle (l): ")
        assert "no stage marked" in text_of(line)
        await pilot.press("l")
        await settle(pilot, app)
        assert screen.query_one("#side").display and screen.in_side(screen.focused)


@pytest.mark.parametrize("width", [120, 200])
@sync
async def test_on_a_wide_screen_a_panel_sits_beside_the_clock_and_the_agenda_makes_room(
    tmp_path: Path, width: int
) -> None:
    """At 200 columns agenda, countdown and panel all fit. At 120 a suggested panel folds
    to the agenda column's bottom edge (the day's forecast stays in view, the brief loses
    no row); given the keyboard it opens beside the clock, the agenda column giving way to
    the now-and-next line so the brief keeps its width, and escape folds it again."""
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(width, 40)) as pilot:
        await next_segment(pilot, app)
        await next_segment(pilot, app)
        screen = run_screen(app)
        agenda = screen.query_one("#agenda")
        assert not screen.query_one("#panel-line").display
        assert agenda.display
        if width == 120:
            assert not screen.query_one("#side").display
            assert str(agenda.border_subtitle).startswith("Lifecycle (l):")
            await pilot.press("escape", "l")  # from the note box to the keys; the panel
            await settle(pilot, app)
        assert screen.query_one("#side").display
        assert screen.query_one("#main").size.width >= MAIN_LEAST
        assert agenda.display == (width == 200)
        assert screen.query_one("#nownext").display == (width == 120)
        await pilot.press("escape")  # back where the keyboard was: the panel folds again
        await settle(pilot, app)
        assert agenda.display  # back as it was
        assert screen.query_one("#side").display == (width == 200)


@sync
async def test_a_checklist_with_nothing_to_tick_folds_and_gives_the_agenda_back(
    tmp_path: Path,
) -> None:
    """Shared Solutions at 120x40: its stages suggest the checklist, folded to the agenda
    column's edge; in the break there is nothing to tick, and the edge says so."""
    app, _ = make_app(tmp_path, "shared-solutions")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        screen = run_screen(app)
        agenda = screen.query_one("#agenda")
        assert not screen.query_one("#side").display and agenda.display
        assert str(agenda.border_subtitle).startswith("Checklist (c):")
        for _ in range(3):  # to the break
            await next_segment(pilot, app)
        assert live(app).agenda.segments[live(app).state.current].kind == "break"
        assert not screen.query_one("#side").display and agenda.display
        assert agenda.outer_size.width == 62, "the agenda column at its full width"
        assert agenda.border_subtitle == "Checklist (c): none for this segment"
        assert not screen.query_one("#panel-line").display
        await next_segment(pilot, app)  # D has a checklist again
        assert str(agenda.border_subtitle).startswith("Checklist (c):")
        assert agenda.border_subtitle != "Checklist (c): none for this segment"
