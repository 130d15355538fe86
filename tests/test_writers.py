"""Who wrote a note, the minutes so far, and the flash: what a browser view needs of the app.

The rule for a writer's name (trimmed, not empty, not too long) is the core's; a
served scribe's screen asks for it when it opens and records it; the exports show
it beside the notes. ``M`` hands over the minutes as they stand (written to a file
in a terminal; delivered to the browser when served, checked in ``test_serve``).
The projector flashes at zero like the run screen, for a room that hears no bell.
"""

from __future__ import annotations

import json
import stat
from datetime import UTC
from pathlib import Path

import pytest

from apptools import (
    advance,
    entry,
    journal_events,
    live,
    make_app,
    record_notifications,
    settle,
    sync,
    type_note,
)
from commandworld import day
from facilitate import commands
from facilitate.commands import Refusal
from facilitate.events import WriterNamed
from facilitate.export import render_text as render
from facilitate.reducer import replay
from facilitate.tui.dialogs.writer_name import WriterNameScreen
from facilitate.tui.run.projector import ProjectorScreen
from facilitate.tui.run.screen import RunScreen
from sessionfactory import START, start_session

SIZE = (120, 40)

# -- the rule --


def test_a_name_is_trimmed_and_recorded() -> None:
    outcome = day("sample-programme").decide(commands.NameWriter("  Sam   Patel "))
    assert isinstance(outcome, WriterNamed)
    assert outcome.name == "Sam Patel"


@pytest.mark.parametrize("name", ["", "   ", "x" * 61])
def test_an_empty_or_overlong_name_is_refused_with_a_reason(name: str) -> None:
    outcome = day("sample-programme").decide(commands.NameWriter(name))
    assert isinstance(outcome, Refusal)
    assert "name" in outcome.reason


def test_the_state_keeps_each_writers_latest_name() -> None:
    state = replay(
        2,
        [
            WriterNamed(at=START, writer="b1", seq=0, name="Sam"),
            WriterNamed(at=START, writer="b2", seq=0, name="Ola"),
            WriterNamed(at=START, writer="b1", seq=1, name="Sam Patel"),
            WriterNamed(at=START, writer="b2", seq=1, name=" "),
        ],
    )
    assert state.writers == {"b1": "Sam Patel"}


# -- the exports --


def test_minutes_and_json_show_who_wrote_a_note(tmp_path: Path) -> None:
    browser = start_session(tmp_path, writer="browser-1")
    browser.record(WriterNamed, name="Sam *Patel*")
    browser.note("decision", "Share one referral form")
    browser.note("note", "Budget holder unclear")
    browser.note("action", "Draft the referral form", owner="Ola")
    terminal = start_session(tmp_path / "other", writer="terminal")
    terminal.note("note", "Typed in a terminal")

    minutes = render("md", browser.load(), UTC)
    lines = minutes.splitlines()
    decision = next(line for line in lines if "Share one referral form" in line)
    assert decision.endswith(r"*(Allocate the roles, by Sam \*Patel\*)*"), decision
    note = next(line for line in lines if "Budget holder unclear" in line)
    assert note.endswith(r"*(by Sam \*Patel\*)*"), note
    action = next(line for line in lines if "Draft the referral form" in line)
    assert action.rstrip(" |").endswith(r"Allocate the roles, by Sam \*Patel\*"), action
    unnamed = render("md", terminal.load(), UTC)
    assert "by " not in next(x for x in unnamed.splitlines() if "Typed in a terminal" in x)

    data = json.loads(render("json", browser.load(), UTC))
    assert data["writers"] == {"browser-1": "Sam *Patel*"}
    assert {n["writer"] for n in data["notes"]} == {"browser-1"}


# -- the served scribe's screen --


@sync
async def test_a_served_scribe_is_asked_their_name_once_and_notes_carry_it(
    tmp_path: Path,
) -> None:
    app, source = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        scribe, _ = make_app(
            tmp_path, mode="join", session="latest", source=source, writer_id="b1", served=True
        )
        seen = record_notifications(scribe)
        async with scribe.run_test(size=SIZE) as spilot:
            await spilot.pause()
            assert isinstance(scribe.screen, WriterNameScreen), "asked before anything else"
            await spilot.press("enter")  # no name: told why, and asked again
            await spilot.pause()
            assert isinstance(scribe.screen, WriterNameScreen)
            assert any("Type your name" in s for s in seen)
            await spilot.press(*"Sam Patel", "enter")
            await spilot.pause()
            assert isinstance(scribe.screen, RunScreen)
            assert "Your notes show as Sam Patel in the minutes." in seen
            await type_note(spilot, scribe, "d: one referral form")
            assert live(scribe).state.writers == {"b1": "Sam Patel"}
            names = [e for e in journal_events(scribe) if isinstance(e, WriterNamed)]
            assert [(e.writer, e.name) for e in names] == [("b1", "Sam Patel")]

        # The facilitator's screen folds it in; their minutes name the scribe.
        await advance(pilot, app, source, 1)
        assert live(app).state.writers == {"b1": "Sam Patel"}


@sync
async def test_a_scribe_in_a_terminal_is_not_asked(tmp_path: Path) -> None:
    app, source = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        scribe, _ = make_app(tmp_path, mode="join", session="latest", source=source)
        async with scribe.run_test(size=SIZE) as spilot:
            await spilot.pause()
            assert isinstance(scribe.screen, RunScreen)


@sync
async def test_m_writes_the_minutes_so_far_owner_only_in_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    app, _ = make_app(tmp_path)
    seen = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await type_note(pilot, app, "d: agreed to meet monthly")
        await pilot.press("escape", "M")
        await pilot.pause()
        written = home / f"{live(app).id}-minutes.md"
        assert written.is_file()
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
        assert "agreed to meet monthly" in written.read_text(encoding="utf-8")
        assert any(s.startswith("Minutes so far written to") for s in seen)

        # While a note is typed, M is a letter, not the command.
        await pilot.press("i", "M")
        await pilot.pause()
        assert entry(app).value == "M"


@sync
async def test_a_failed_write_is_said_and_nothing_is_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "no-such-folder"))
    app, _ = make_app(tmp_path)
    seen = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("M")
        await pilot.pause()
        assert any(s.startswith("Minutes so far not written: the folder") for s in seen)


@sync
async def test_m_again_writes_a_new_file_and_never_replaces_one_edited_since(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    app, _ = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("M")
        await pilot.pause()
        (first,) = home.glob("*-minutes.md")
        first.write_text("HAND EDITS", encoding="utf-8")
        await pilot.press("M")
        await pilot.pause()
    assert first.read_text(encoding="utf-8") == "HAND EDITS"
    (again,) = home.glob("*-minutes-2.md")
    assert again.read_text(encoding="utf-8").startswith("# ")


# -- the flash at zero, on the projector too --


@sync
async def test_a_following_projector_flashes_once_when_the_countdown_reaches_zero(
    tmp_path: Path,
) -> None:
    app, source = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket", "space")  # a 10-minute segment
        follower, _ = make_app(
            tmp_path, mode="projector", session="latest", source=source, writer_id=None
        )
        async with follower.run_test(size=(80, 24)) as fpilot:
            screen = follower.screen
            assert isinstance(screen, ProjectorScreen)
            source.advance(9 * 60 + 59)
            live(follower).poll()
            screen.render_state()
            assert not screen.has_class("-flash")
            source.advance(2)
            screen.render_state()
            assert screen.has_class("-flash"), "time is up: the room sees it"
            await fpilot.pause()
            screen.remove_class("-flash")  # as its one-second timer does
            for _ in range(3):
                source.advance(30)
                screen.render_state()
            assert not screen.has_class("-flash"), "once per segment, not every tick"


@sync
async def test_a_projector_opened_on_a_segment_already_over_does_not_flash(
    tmp_path: Path,
) -> None:
    app, source = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket", "space")
        await advance(pilot, app, source, 11 * 60)
        follower, _ = make_app(
            tmp_path, mode="projector", session="latest", source=source, writer_id=None
        )
        async with follower.run_test(size=(80, 24)) as fpilot:
            await fpilot.pause()
            screen = follower.screen
            assert isinstance(screen, ProjectorScreen)
            source.advance(1)
            screen.render_state()
            assert not screen.has_class("-flash")
