"""The projector and the scribe's terminal follow the facilitator's session.

Two apps run side by side on one fake clock and one session folder, as two
terminals would on the day; a follower folds in the other's events on its tick.
"""

from __future__ import annotations

from pathlib import Path

from apptools import (
    advance,
    big_digits_show,
    countdown,
    event_types,
    live,
    log_lines,
    make_app,
    segment_title,
    settle,
    sync,
    text_of,
    topbar,
    type_note,
)
from facilitate.tui.app import FacilitateApp
from facilitate.tui.run.big_digits import BigDigits
from facilitate.tui.run.projector import ProjectorScreen
from facilitate.tui.run.screen import RunScreen

SIZE = (120, 40)


def projector(app: FacilitateApp) -> ProjectorScreen:
    screen = app.screen
    assert isinstance(screen, ProjectorScreen), f"expected the projector, got {screen!r}"
    return screen


def shown(app: FacilitateApp, widget_id: str) -> str:
    return text_of(projector(app).query_one(f"#{widget_id}"))


def digits(app: FacilitateApp) -> BigDigits:
    return projector(app).query_one(BigDigits)


def tick(app: FacilitateApp) -> None:
    """What the follower's next tick does: fold in the folder's new events and redraw."""
    screen = app.screen
    assert isinstance(screen, ProjectorScreen | RunScreen)
    live(app).poll()
    screen.render_state()


@sync
async def test_p_opens_the_projector_in_the_same_app_and_escape_comes_back(
    tmp_path: Path,
) -> None:
    app, source = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await advance(pilot, app, source, 65)
        await pilot.press("p")
        await pilot.pause()
        assert shown(app, "proj-title") == "Registration and refreshment"
        assert big_digits_show(digits(app), "28:55")
        assert shown(app, "proj-next").startswith(
            "Next: Introductions, agenda, resources and partnership scenarios at 10:00"
        )

        await advance(pilot, app, source, 60)
        assert big_digits_show(digits(app), "27:55")
        assert not big_digits_show(digits(app), "28:55")

        await pilot.press("escape")
        await settle(pilot, app)
        assert isinstance(app.screen, RunScreen)
        assert countdown(app) == "27:55"
        assert event_types(app) == ["SessionStarted", "TimerStarted"], "the view writes nothing"


@sync
async def test_the_projector_shows_warning_overtime_and_paused(tmp_path: Path) -> None:
    app, source = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket", "space", "p")
        await advance(pilot, app, source, 8 * 60 + 30)
        box = projector(app).query_one("#projector")
        assert box.has_class("-warning")
        assert shown(app, "proj-status") == "WARNING · time nearly up"
        await advance(pilot, app, source, 2 * 60)
        assert box.has_class("-overtime")
        assert big_digits_show(digits(app), "+00:30")
        assert shown(app, "proj-status") == "OVERTIME"

        await pilot.press("p")  # p toggles back too; the keyboard is the note box's again
        await pilot.press("escape", "space", "p")
        await pilot.pause()
        assert projector(app).query_one("#projector").has_class("-paused")
        assert shown(app, "proj-status") == "PAUSED · OVERTIME"


@sync
async def test_a_projector_terminal_follows_the_facilitator_within_one_tick(
    tmp_path: Path,
) -> None:
    app, source = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        follower, _ = make_app(
            tmp_path, mode="projector", session="latest", source=source, writer_id=None
        )
        async with follower.run_test(size=(80, 24)) as fpilot:
            assert follower.live is not None and follower.live.read_only
            assert shown(follower, "proj-status") == "WAITING · the facilitator starts the clock"

            await pilot.press("space")
            await type_note(pilot, app, "a note the room never sees")
            await advance(pilot, app, source, 65)
            tick(follower)
            await fpilot.pause()
            assert shown(follower, "proj-title") == "Registration and refreshment"
            assert big_digits_show(digits(follower), "28:55")
            assert shown(follower, "proj-status") == ""
            assert [n.text for n in live(follower).state.notes.values()] == [
                "a note the room never sees"
            ]
            assert "note the room" not in str(digits(follower).render())

            await pilot.press("escape", "right_square_bracket")
            await settle(pilot, app)
            tick(follower)
            await fpilot.pause()
            assert shown(follower, "proj-title") == segment_title(app).split(". ", 1)[1]
            assert big_digits_show(digits(follower), countdown(app))

            # Escape on a projector terminal closes it; the session goes on.
            await fpilot.press("escape")
            await fpilot.pause()
        assert follower.return_value in (None, 0)
        assert isinstance(app.screen, RunScreen)


@sync
async def test_p_on_a_projector_terminal_keeps_it_open_and_q_closes_it(tmp_path: Path) -> None:
    """On the run screen p toggles the view; on the projecting laptop it must not close it."""
    app, source = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        follower, _ = make_app(
            tmp_path, mode="projector", session="latest", source=source, writer_id=None
        )
        async with follower.run_test(size=(80, 24)) as fpilot:
            await fpilot.press("p")
            await fpilot.pause()
            assert follower.is_running
            assert isinstance(follower.screen, ProjectorScreen)
            await fpilot.press("q")
            await fpilot.pause()
            assert not follower.is_running


@sync
async def test_a_scribe_joins_adds_notes_and_cannot_drive_the_timer(tmp_path: Path) -> None:
    app, source = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await advance(pilot, app, source, 30)
        scribe, _ = make_app(tmp_path, mode="join", session="latest", source=source, writer_id="s")
        async with scribe.run_test(size=SIZE) as spilot:
            await settle(spilot, scribe)
            assert topbar(scribe).startswith("scribe ·")
            assert countdown(scribe) == countdown(app) == "29:30"

            # Timer keys do nothing for the scribe, and write nothing.
            await spilot.press("space", "right_square_bracket", "plus", "E", "r", "g")
            await advance(spilot, scribe, source, 30)
            assert isinstance(scribe.screen, RunScreen)
            assert segment_title(scribe) == "1. Registration and refreshment"
            assert live(scribe).state.running

            await type_note(spilot, scribe, "d: the scribe heard this")
            tick(app)
            await settle(pilot, app)
            assert log_lines(app) == ["09:31 DECISION the scribe heard this"]

            # The facilitator moves on; the scribe's screen follows.
            await pilot.press("right_square_bracket")
            await settle(pilot, app)
            await spilot.press("escape")
            tick(scribe)
            await settle(spilot, scribe)
            assert segment_title(scribe) == segment_title(app)
            assert log_lines(scribe) == []
        writers = {e.writer for e in live(app).state.notes.values()}
        assert writers == {"s"}


@sync
async def test_the_room_sees_nothing_meant_for_the_facilitator(tmp_path: Path) -> None:
    """On the projector: no facilitator messages, no "Plenary" over a break, no forecast
    time for what is next while lateness is hidden, and after the end no frozen clock or
    prompts: the day's title and "Thank you"."""
    from textual.widgets._toast import Toast, ToastRack

    from facilitate import commands
    from facilitate.tui.run.screen import RunScreen

    app, source = make_app(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        runner = app.screen
        assert isinstance(runner, RunScreen)
        await pilot.press("space")
        await advance(pilot, app, source, 65)
        await pilot.press("p")
        await pilot.pause()
        assert shown(app, "proj-title") == "Registration and refreshment"
        assert shown(app, "proj-mode") == ""  # a break, not "Plenary"
        await pilot.press("h")
        await pilot.pause()
        assert shown(app, "proj-next") == (  # on time: its time tells the room nothing
            "Next: Introductions, agenda, resources and partnership scenarios at 10:00"
        )
        runner.notify("Re-planned: the agenda shows the new times.")
        await pilot.pause()
        toasts = projector(app).query_one(ToastRack).query(Toast)
        assert toasts and not any(toast.display for toast in toasts)
        runner.execute(commands.End())
        projector(app).render_state()
        await pilot.pause()
        assert shown(app, "proj-next") == "Thank you"
        assert not digits(app).display
        assert not projector(app).query_one("#proj-prompts").display
        assert shown(app, "proj-status") == ""
        assert shown(app, "proj-title") == live(app).agenda.title
