"""The run screen and the projector at every size: nothing cut without saying so.

The brief holds everything the agenda says about the segment and scrolls, saying how
much is left; the note box's text line and the countdown stay on screen down to
60x20; the projector's countdown fits, hours included, and shows the prompts but
never the facilitator's notes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widget import Widget

from apptools import (
    advance,
    big_digits_show,
    burst,
    live,
    make_app,
    make_paths,
    run_screen,
    settle,
    sync,
    text_of,
)
from facilitate.agenda.catalog import load_named
from facilitate.tui.app import FacilitateApp
from facilitate.tui.run.big_digits import BigDigits
from facilitate.tui.run.brief import Brief, brief_content
from facilitate.tui.run.projector import ProjectorScreen, fit_prompts
from facilitate.tui.run.sizes import AGENDA_AND_PANEL_FROM, AGENDA_FROM
from facilitate.tui.widgets.line import Line

ACTIVITY_1 = 3  # sample-programme: five long prompts, five topics, three feedback headings
LUNCH = 9  # sixty minutes: the countdown shows hours


def on_screen(widget: Widget, size: tuple[int, int]) -> bool:
    """The widget's whole region lies inside the terminal."""
    region = widget.region
    width, height = size
    return region.height > 0 and region.y >= 0 and region.bottom <= height and region.right <= width


async def go_to(pilot: object, app: FacilitateApp, segment: int) -> None:
    await pilot.press(*["right_square_bracket"] * segment)  # type: ignore[attr-defined]
    await settle(pilot, app)  # type: ignore[arg-type]


# --- the brief ------------------------------------------------------------------------


def test_the_brief_says_everything_the_agenda_says_and_notes_only_when_private() -> None:
    agenda, _ = load_named("sample-programme", make_paths(Path("/nonexistent")))
    segment = agenda.segments[ACTIVITY_1]
    shown = brief_content(segment, private=True).plain
    for text in (*segment.topics, *segment.prompts, *segment.feedback, segment.notes):
        assert text in shown
    assert "Activity · Pairs" in shown
    assert segment.notes not in brief_content(segment, private=False).plain


@sync
async def test_a_brief_longer_than_the_screen_says_how_much_more_and_b_scrolls_it(
    tmp_path: Path,
) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await go_to(pilot, app, ACTIVITY_1)
        brief = run_screen(app).query_one(Brief)
        assert brief.lines_below > 0
        assert brief.border_subtitle == f"↓ {brief.lines_below} more · b"
        await pilot.press("b")
        assert brief.has_focus
        await pilot.press("end")
        await settle(pilot, app)
        assert brief.lines_below == 0
        assert "more" not in brief.border_subtitle and "esc back" in brief.border_subtitle
        await pilot.press("escape")
        assert run_screen(app).log_widget.has_focus
        # At the end: nothing more below, but what is above is said (QA 13).
        assert brief.border_subtitle == f"↑ {round(brief.scroll_y)} above · b scrolls"


@sync
async def test_arrows_typed_together_in_the_brief_scroll_a_line_each(tmp_path: Path) -> None:
    """b, then Down three times at machine speed: three lines, not one (QA 12)."""
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await go_to(pilot, app, ACTIVITY_1)
        brief = run_screen(app).query_one(Brief)
        assert brief.lines_below >= 3
        await pilot.press("b")
        burst(app, "down", "down", "down")
        await settle(pilot, app)
        assert round(brief.scroll_y) == 3
        burst(app, "up", "up")
        await settle(pilot, app)
        assert round(brief.scroll_y) == 1
        burst(app, "pagedown", "pagedown")  # two pages, or the end
        await settle(pilot, app)
        page = brief.scrollable_content_region.height
        assert round(brief.scroll_y) == min(1 + 2 * page, round(brief.max_scroll_y))


@sync
async def test_a_scribe_sees_the_brief_without_the_facilitators_notes(tmp_path: Path) -> None:
    app, source = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        scribe, _ = make_app(tmp_path, mode="join", session="latest", source=source, writer_id="s")
        async with scribe.run_test(size=(120, 40)) as spilot:
            await settle(spilot, scribe)
            notes = live(app).agenda.segments[0].notes
            assert notes in text_of(run_screen(app).query_one("BriefText"))
            assert notes not in text_of(run_screen(scribe).query_one("BriefText"))
            assert "Checklist: 4 items" in text_of(run_screen(scribe).query_one("BriefText"))


# --- layouts --------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40), (200, 60)])
@sync
async def test_the_countdown_and_the_note_line_are_on_screen_at_every_size(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await go_to(pilot, app, ACTIVITY_1)
        screen = run_screen(app)
        assert on_screen(screen.query_one("#countdown"), size)
        assert on_screen(screen.capture.entry, size)
        assert on_screen(screen.query_one(Brief), size)
        # The lifecycle panel opened two segments back: beside the countdown where the
        # agenda column keeps its room too (from 132 columns); below that folded until it
        # has the keyboard: to the agenda's bottom edge where the agenda is shown (from
        # 110), else to a line under the countdown.
        folded = size[0] < AGENDA_AND_PANEL_FROM
        assert screen.query_one("#side").display == (not folded)
        agenda_shown = screen.query_one("#agenda").display
        assert agenda_shown == (size[0] >= AGENDA_FROM)
        on_agenda = folded and agenda_shown
        assert screen.query_one("#panel-line").display == (folded and not on_agenda)
        edge = screen.query_one("#agenda").border_subtitle
        assert (edge is not None and edge.startswith("Lifecycle (l)")) == on_agenda, edge
        nownext = screen.query_one("#nownext")
        assert nownext.display == (not agenda_shown)
        if nownext.display:
            assert "› 09:45 Activity 2" in text_of(nownext)  # forecast: it starts now


@sync
async def test_resizing_moves_between_layouts_without_losing_the_note_line(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        for size in ((80, 24), (60, 20), (200, 60), (120, 40)):
            await pilot.resize_terminal(*size)
            await settle(pilot, app)
            screen = run_screen(app)
            assert on_screen(screen.capture.entry, size), size
            assert screen.has_class("-compact") == (size[0] < 70)
            assert screen.has_class("-low") == (size[1] < 30)


# --- the projector --------------------------------------------------------------------


def projector(app: FacilitateApp) -> ProjectorScreen:
    screen = app.screen
    assert isinstance(screen, ProjectorScreen)
    return screen


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40), (200, 60)])
@sync
async def test_an_hour_long_countdown_fits_the_projector(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    app, _ = make_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        await go_to(pilot, app, LUNCH)
        await pilot.press("p")
        await settle(pilot, app)
        digits = projector(app).query_one(BigDigits)
        assert digits.text == "1:00:00"
        assert big_digits_show(digits, "1:00:00")
        drawn = text_of(digits).splitlines()
        assert all(len(line.rstrip()) <= digits.size.width for line in drawn)
        assert sum("█" in line for line in drawn) >= 5  # block digits, not plain text


DAY = """
[agenda]
title = "Short day"
start = "09:30"

[[segment]]
title = "Pairs"
duration = 10
prompts = ["What worked well?", "What would you change?"]
notes = "Watch the time: the room runs long here."

[[segment]]
title = "Plenary"
duration = 10
"""


@sync
async def test_the_projector_shows_prompts_never_notes_and_h_hides_lateness(
    tmp_path: Path,
) -> None:
    (tmp_path / "day.toml").write_text(DAY)
    app, source = make_app(tmp_path, str(tmp_path / "day.toml"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        await advance(pilot, app, source, 15 * 60)  # 5 minutes over: the day is late
        await pilot.press("p")
        await settle(pilot, app)
        screen = projector(app)
        prompts = text_of(screen.query_one("#proj-prompts"))
        assert prompts == "? What worked well?\n? What would you change?"
        for line in screen.query(Line):
            assert "Watch the time" not in text_of(line)  # the facilitator's notes
        assert "5 min behind" in text_of(screen.query_one("#proj-next"))
        await pilot.press("h")
        await settle(pilot, app)
        # 5 min behind: its forecast time would tell the room, so none is shown.
        assert text_of(screen.query_one("#proj-next")) == "Next: Plenary"
        await pilot.press("escape", "escape")  # back, then from the note box to the keys
        await pilot.press("p")  # the choice holds when the view is opened again
        await settle(pilot, app)
        assert "behind" not in text_of(projector(app).query_one("#proj-next"))


@sync
async def test_a_projector_terminal_can_keep_lateness_off_the_room(tmp_path: Path) -> None:
    app, source = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        await advance(pilot, app, source, 40 * 60)
        follower = FacilitateApp(
            make_paths(tmp_path),
            "projector",
            session="latest",
            clock=app.clock,
            tz=app.tz,
            hide_lateness=True,
        )
        async with follower.run_test(size=(60, 20)) as fpilot:
            await settle(fpilot, follower)
            shown = text_of(projector(follower).query_one("#proj-next"))
            assert shown.startswith("Next: Introductions") and "behind" not in shown


def test_prompts_that_do_not_fit_say_how_many_are_left_out() -> None:
    prompts = ("A short one?", "A much longer prompt that wraps over two lines here?", "C?")
    assert fit_prompts(prompts, 30, 10) == [
        "? A short one?",
        "? A much longer prompt that",
        "  wraps over two lines here?",
        "? C?",
    ]
    assert fit_prompts(prompts, 30, 3) == ["? A short one?", "(+2 more prompts)"]
    assert fit_prompts(prompts, 30, 0) == []


@sync
async def test_a_segment_can_keep_its_prompts_off_the_projector(tmp_path: Path) -> None:
    day = tmp_path / "day.toml"
    day.write_text(
        '[agenda]\ntitle = "W"\n\n[[segment]]\ntitle = "A"\nduration = 5\n'
        'prompts = ["For the facilitator only"]\nprojector_prompts = false\n\n'
        '[[segment]]\ntitle = "B"\nduration = 5\nprompts = ["For the room"]\n'
    )
    app, _ = make_app(tmp_path, str(day))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await settle(pilot, app)
        assert projector(app).query_one("#proj-prompts").display is False
        brief = app.screen_stack[-2].query_one("BriefText")  # the run screen under it
        assert "For the facilitator only" in text_of(brief)
        await pilot.press("escape", "escape", "right_square_bracket", "p")
        await settle(pilot, app)
        assert text_of(projector(app).query_one("#proj-prompts")) == "? For the room"


def test_the_brief_says_what_is_above_once_scrolled() -> None:
    from facilitate.tui.run.brief import more_hint

    assert more_hint(4, focused=False) == "↓ 4 more · b"
    assert more_hint(4, focused=True, above=3) == "↑ 3 above · ↓ 4 more · esc back"
    assert more_hint(0, focused=True, above=7) == "↑ 7 above · ↑↓ scroll · esc back"
    assert more_hint(0, focused=False, above=7) == "↑ 7 above · b scrolls"
