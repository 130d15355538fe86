"""``facilitate`` with no arguments: pick an agenda to run, or a session to resume."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import OptionList

from apptools import (
    advance,
    countdown,
    live,
    log_lines,
    make_app,
    option_texts,
    plain,
    record_notifications,
    segment_title,
    settle,
    sync,
    type_note,
)
from facilitate.tui.app import FacilitateApp
from facilitate.tui.launcher import LauncherScreen
from facilitate.tui.run.screen import RunScreen

SIZE = (120, 40)
BUNDLED = (
    "case-study-perspectives",
    "partnership-meeting",
    "sample-programme",
    "session-evaluation",
    "shared-solutions",
)
MY_DAY = """\
[agenda]
title = "Our own away day"

[[segment]]
title = "Check in"
duration = 20

[[segment]]
title = "Plan the year"
duration = 40
"""


async def listed(pilot: Pilot[Any], app: FacilitateApp) -> None:
    """The launcher lists agendas and sessions in a worker: wait for it, then its message."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def menu(app: FacilitateApp) -> OptionList:
    assert isinstance(app.screen, LauncherScreen)
    return app.screen.query_one("#launcher-options", OptionList)


async def choose(pilot: Pilot[Any], app: FacilitateApp, words: str) -> None:
    """Move the highlight to the first option containing ``words`` and press enter."""
    texts = option_texts(menu(app))
    target = next(i for i, text in enumerate(texts) if words in text)
    for _ in range(len(texts)):  # down skips headings and separators, as for a user
        if menu(app).highlighted == target:
            break
        await pilot.press("down" if (menu(app).highlighted or 0) < target else "up")
    assert menu(app).highlighted == target
    await pilot.press("enter")
    await settle(pilot, app)


def write_agendas(tmp_path: Path) -> None:
    folder = tmp_path / "agendas"
    folder.mkdir()
    (folder / "my-day.toml").write_text(MY_DAY, encoding="utf-8")
    (folder / "broken.toml").write_text('[agenda]\ntitle = "Half written"\n', encoding="utf-8")


@sync
async def test_the_launcher_lists_bundled_and_user_agendas(tmp_path: Path) -> None:
    write_agendas(tmp_path)
    app, _ = make_app(tmp_path, mode="launcher")
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot, app)
        texts = option_texts(menu(app))
        assert texts[0] == "Start a new session"
        for name in BUNDLED:
            assert any(f"{name} · " in text for text in texts), name
        (mine,) = [t for t in texts if "my-day" in t]
        assert mine.strip() == "Our own away day  my-day · 2 segments · 1h · yours"
        (broken,) = [t for t in texts if "broken" in t]
        assert "cannot be used" in broken
        assert "Resume a session" not in texts, "nothing to resume yet"
        assert str(tmp_path / "agendas") in str(app.screen.query_one("#launcher-hint").render())


@sync
async def test_odd_file_names_are_shown_as_text_never_as_markup_or_terminal_codes(
    tmp_path: Path,
) -> None:
    write_agendas(tmp_path)
    for odd in ("osc\x1b]0;PWNED\x07x", "esc\x1b[2Jname", "mk[bold]x"):
        (tmp_path / "agendas" / f"{odd}.toml").write_text(MY_DAY, encoding="utf-8")
    app, _ = make_app(tmp_path, mode="launcher")
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot, app)
        texts = option_texts(menu(app))
        assert not any("\x1b" in t or "\x07" in t for t in texts)
        assert any("mk[bold]x · 2 segments" in t for t in texts), "a name is not markup"
        assert any("esc\ufffd[2Jname · 2 segments" in t for t in texts)  # ESC shown as �


@sync
async def test_enter_on_an_agenda_starts_it_on_the_run_screen(tmp_path: Path) -> None:
    write_agendas(tmp_path)
    app, _ = make_app(tmp_path, mode="launcher")
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot, app)
        await choose(pilot, app, "my-day")
        assert isinstance(app.screen, RunScreen)
        assert segment_title(app) == "1. Check in"
        assert countdown(app) == "20:00"
        assert live(app).agenda.name == "my-day"
        assert (live(app).folder / "agenda.toml").read_text(encoding="utf-8") == MY_DAY


@sync
async def test_a_broken_agenda_says_why_and_starts_nothing(tmp_path: Path) -> None:
    write_agendas(tmp_path)
    app, _ = make_app(tmp_path, mode="launcher")
    toasts = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot, app)
        await choose(pilot, app, "broken")
        assert isinstance(app.screen, LauncherScreen)
        assert app.live is None
        assert any("broken.toml" in t and "segment" in t for t in toasts)
        assert not (tmp_path / "sessions").exists() or not any((tmp_path / "sessions").iterdir())


@sync
async def test_unfinished_sessions_are_offered_for_resume(tmp_path: Path) -> None:
    first, source = make_app(tmp_path, "session-evaluation")
    async with first.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await type_note(pilot, first, "d: keep the learning log")
        await advance(pilot, first, source, 120)
        unfinished = live(first).id
        await pilot.press("ctrl+q")
    done, _ = make_app(tmp_path, "shared-solutions", source=source)
    async with done.run_test(size=SIZE) as pilot:
        await pilot.press("E", "y")
        await settle(pilot, done)
        ended = live(done).id
        await pilot.press("ctrl+q")
    assert done.live is not None and done.live.state.ended_at is not None

    source.advance(600)  # quitting stopped the first one's clock: these minutes do not count
    app, _ = make_app(tmp_path, mode="launcher", source=source, writer_id="w2")
    async with app.run_test(size=SIZE) as pilot:
        await listed(pilot, app)
        texts = option_texts(menu(app))
        assert "Resume a session" in texts
        assert any(unfinished in t for t in texts)
        assert not any(ended in t for t in texts), "an ended session is for review, not resume"
        await choose(pilot, app, unfinished)
        assert isinstance(app.screen, RunScreen)
        assert live(app).id == unfinished
        assert countdown(app) == "13:00", "the clock stopped when the facilitator quit"
        assert log_lines(app) == ["09:30 DECISION keep the learning log"]
        await pilot.press("space")  # resume takes control of the timer
        assert live(app).state.running


@sync
async def test_q_quits_the_launcher(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, mode="launcher")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_value in (None, 0)
    assert not app.is_running


@sync
async def test_at_60x20_the_title_and_the_hint_wrap_rather_than_being_cut(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, mode="launcher")
    async with app.run_test(size=(60, 20)) as pilot:
        await listed(pilot, app)
        for part in ("#launcher-title", "#launcher-hint"):
            label = app.screen.query_one(part)
            said = plain(label.render())
            shown = " ".join(label.render_line(y).text for y in range(label.size.height))
            assert "".join(shown.split()) == "".join(said.split()), part  # nothing cut
            assert label.region.right <= 60
