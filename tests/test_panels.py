"""Observation panels: what the observer marks is in the journal at once and survives a
restart; the reflection dialog returns what was typed. Snapshots at 120x40 and 80x24."""

from __future__ import annotations

import asyncio
import functools
import io
from collections.abc import Callable, Coroutine, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.pilot import Pilot
from textual.widgets import Footer, Static

from apptools import burst
from facilitate.agenda.catalog import load_named
from facilitate.clock import FakeTimeSource, SessionClock
from facilitate.events import (
    Event,
    LifecycleStageMarked,
    MonologueTallied,
    QualityMarked,
    SegmentChanged,
    SessionStarted,
)
from facilitate.live import LiveSession
from facilitate.paths import Paths
from facilitate.reference import ReferenceModel, load_models
from facilitate.state import Observation, Panels
from facilitate.store import create_session, load_session
from facilitate.tui.dialogs.reflection import ReflectionResult, ReflectionScreen
from facilitate.tui.panels import (
    ChecklistPanel,
    LifecyclePanel,
    MobiusPanel,
    ObservationPanel,
)
from facilitate.tui.run.owner import SessionOwner

START = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)
WIDE, NARROW = (120, 40), (80, 24)
Size = tuple[int, int]
Snap = Callable[..., bool]


def open_live(tmp_path: Path, agenda_name: str, writer: str | None = "w1") -> LiveSession:
    paths = Paths(tmp_path, tmp_path)
    agenda, text = load_named(agenda_name, paths)
    sid, folder = create_session(paths, agenda, text, START, UTC)
    live = LiveSession(sid, folder, agenda, SessionClock(FakeTimeSource(START)), UTC, writer)
    if writer is not None:
        live.record(SessionStarted(at=live.now(), agenda_name=agenda.name,
                                   agenda_title=agenda.title))  # fmt: skip
    return live


@pytest.fixture
def models(tmp_path: Path) -> list[ReferenceModel]:
    found, problems = load_models(tmp_path / "models")
    assert problems == []
    return found


@pytest.fixture
def workshop(tmp_path: Path) -> Iterator[LiveSession]:
    live = open_live(tmp_path, "shared-solutions")
    yield live
    assert live.queue is not None
    live.queue.writer.close()


@pytest.fixture
def programme(tmp_path: Path) -> Iterator[LiveSession]:
    live = open_live(tmp_path, "sample-programme")
    yield live
    assert live.queue is not None
    live.queue.writer.close()


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test without an async pytest plugin (fixtures still resolve)."""

    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return wrapper


def on_disk(live: LiveSession) -> Panels:
    """The panel state a restarted app would see."""
    return load_session(live.id, live.folder).state.panels


def room(live: LiveSession, group: str | None = None) -> Observation:
    """What has been marked in the current segment, for the whole room (or ``group``)."""
    return live.state.panels.seen(live.state.current, group)


class PanelScreen(SessionOwner):
    """A stand-in for the run screen: the panel in a side column, and the real write path
    (the panel posts intents; this screen decides, records and tells the panel)."""

    def __init__(self, panel: ObservationPanel) -> None:
        super().__init__(panel.live)
        self.panel = panel
        self.written: list[tuple[Event, bool]] = []

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static("Timer and notes live here.", id="main")
            with Vertical(id="side"):
                yield self.panel
        yield Footer()

    def on_mount(self) -> None:
        self.panel.focus()

    def record(self, event: Event) -> None:
        self.written.append((event, self.live.record(event)))
        self.panel.revision = self.live.state.event_count


class PanelApp(App[None]):
    CSS = """
    #main { width: 1fr; padding: 1 2; }
    #side { width: 36; }
    PanelApp.-wide #side { width: 48; }
    """

    def __init__(self, panel: ObservationPanel, *, wide: bool = False) -> None:
        super().__init__()
        self.owner = PanelScreen(panel)
        if wide:
            self.add_class("-wide")

    def get_default_screen(self) -> PanelScreen:
        return self.owner

    @property
    def recorded(self) -> list[tuple[Event, bool]]:
        return self.owner.written


def changed_elsewhere(panel: ObservationPanel) -> None:
    """What the run screen does after poll() folded in another writer's event."""
    panel.revision = panel.live.state.event_count


def shown(panel: ObservationPanel) -> list[str]:
    """The panel's rows as plain text, whitespace collapsed."""
    texts = []
    for option in panel.option_list.options:
        console = Console(width=200, file=io.StringIO(), record=True)
        console.print(option.prompt)
        texts.append(" ".join(console.export_text().split()))
    return texts


# --- lifecycle ---------------------------------------------------------------------------


@sync
async def test_lifecycle_marks_stage_and_ticks_traits_durably(
    programme: LiveSession, models: list[ReferenceModel]
) -> None:
    panel = LifecyclePanel(programme, models)
    app = PanelApp(panel)
    async with app.run_test(size=NARROW) as pilot:
        title = panel.query_one(".panel-title", Static)
        assert "Preparation to Fulfilment" in str(title.render())
        await pilot.press("enter")  # the cursor starts on the first stage
        await pilot.press("down", "down", "x")  # the second sign of Preparation
        await pilot.press("v")
        assert "Forming to Flying" in str(title.render())
        await pilot.press("down", "down", "down", "down", "down", "enter")  # Frustration
        await pilot.pause()
    seen = room(programme)
    assert seen.lifecycle_stage == {
        "lifecycle-pdif": "Preparation",
        "lifecycle-forming": "Frustration",
    }
    assert seen.lifecycle_traits == {
        "lifecycle-pdif": {("Preparation", "Expected results are written down")}
    }
    assert on_disk(programme) == programme.state.panels
    assert [type(event).__name__ for event, _ in app.recorded] == [
        "LifecycleStageMarked", "LifecycleTraitTicked", "LifecycleStageMarked",
    ]  # fmt: skip
    assert all(durable for _, durable in app.recorded)


@sync
async def test_lifecycle_enter_again_unmarks_and_unticks(
    programme: LiveSession, models: list[ReferenceModel]
) -> None:
    app = PanelApp(LifecyclePanel(programme, models))
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("enter", "down", "enter")
        await pilot.press("enter", "up", "enter")
        await pilot.pause()
    assert room(programme).lifecycle_stage == {}
    assert room(programme).lifecycle_traits == {"lifecycle-pdif": set()}
    assert on_disk(programme).seen(0, None).lifecycle_stage == {}


@sync
async def test_lifecycle_reopens_on_the_model_in_use_after_resume(
    programme: LiveSession, models: list[ReferenceModel]
) -> None:
    programme.record(LifecycleStageMarked(at=programme.now(), model="lifecycle-initiating",
                                          stage="Doing", segment=0))  # fmt: skip
    programme.state = load_session(programme.id, programme.folder).state
    panel = LifecyclePanel(programme, models)
    async with PanelApp(panel).run_test(size=NARROW):
        assert "Initiating to Following through" in str(
            panel.query_one(".panel-title", Static).render()
        )
        assert "Now: Doing" in str(panel.query_one(".panel-detail", Static).render())


@sync
async def test_panel_refreshes_when_another_writer_changes_the_state(
    programme: LiveSession, models: list[ReferenceModel]
) -> None:
    panel = MobiusPanel(programme, models)
    async with PanelApp(panel).run_test(size=NARROW) as pilot:
        assert shown(panel)[0] == "Mutual understanding —"
        # What the run screen does after poll() folded in a scribe's event:
        programme.record(QualityMarked(at=programme.now(), quality="Mutual understanding",
                                       state="missing"))  # fmt: skip
        changed_elsewhere(panel)
        await pilot.pause()
        assert shown(panel)[0] == "Mutual understanding missing"


@sync
async def test_panels_without_models_say_so_and_record_nothing(programme: LiveSession) -> None:
    for panel, says in (
        (LifecyclePanel(programme, []), "No lifecycle models are loaded."),
        (MobiusPanel(programme, []), "No Mobius model is loaded."),
    ):
        async with PanelApp(panel).run_test(size=NARROW) as pilot:
            await pilot.press("enter", "x", "v", "B", "backspace")
            await pilot.pause()
            assert shown(panel) == [says]
    assert programme.state.panels == Panels()


# --- mobius ------------------------------------------------------------------------------


@sync
async def test_mobius_cycles_qualities_and_tallies_talk(
    programme: LiveSession, models: list[ReferenceModel]
) -> None:
    panel = MobiusPanel(programme, models)
    app = PanelApp(panel)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("enter")
        assert room(programme).qualities == {"Mutual understanding": "present"}
        await pilot.press("enter", "enter")
        assert room(programme).qualities == {"Mutual understanding": "missing"}
        await pilot.press("enter", "down", "x", "x")
        assert room(programme).qualities == {"Possibility": "developing"}
        await pilot.press("B", "B", "P", "W", "C", "D", "D")
        await pilot.press("backspace")  # the last tally (dialogue) is highlighted: take it back
        await pilot.pause()
        assert "Listening to understand" in str(panel.query_one(".panel-detail", Static).render())
    assert room(programme).tallies == {
        "blame": 2, "praise": 1, "worry": 1, "claim": 1, "dialogue": 1,
    }  # fmt: skip
    assert on_disk(programme) == programme.state.panels
    last = app.recorded[-1][0]
    assert isinstance(last, MonologueTallied)
    assert (last.name, last.delta) == ("dialogue", -1)


@sync
async def test_keys_in_a_burst_act_on_the_row_the_keys_before_them_reached(
    programme: LiveSession, models: list[ReferenceModel]
) -> None:
    app = PanelApp(MobiusPanel(programme, models))
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        burst(app, "down", "enter", "down", "down", "x", "up", "enter")
        for _ in range(6):
            await pilot.pause()
    assert room(programme).qualities == {
        "Possibility": "present",
        "Capability": "present",
        "Commitment": "present",
    }


@sync
async def test_mobius_backspace_never_takes_a_tally_below_zero(
    programme: LiveSession, models: list[ReferenceModel]
) -> None:
    app = PanelApp(MobiusPanel(programme, models))
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("W", "backspace", "backspace", "up", "backspace")
        await pilot.pause()
    assert room(programme).tallies == {"worry": 0}
    assert [type(event).__name__ for event, _ in app.recorded] == ["MonologueTallied"] * 2


# --- checklist ---------------------------------------------------------------------------


@sync
async def test_checklist_ticks_the_current_segments_items(
    workshop: LiveSession, models: list[ReferenceModel]
) -> None:
    panel = ChecklistPanel(workshop, models)
    async with PanelApp(panel).run_test(size=NARROW) as pilot:
        assert "A. Introduction" in str(panel.query_one(".panel-title", Static).render())
        await pilot.press("enter", "down", "down", "x", "down", "x", "x")
        await pilot.pause()
        assert shown(panel)[0] == "[x] Welcome everyone and thank them for coming"
        assert "2 of 8 done" in str(panel.query_one(".panel-detail", Static).render())
        workshop.record(SegmentChanged(at=workshop.now(), segment=3, reason="next"))  # the break
        changed_elsewhere(panel)
        await pilot.pause()
        assert "Break" in str(panel.query_one(".panel-title", Static).render())
        assert shown(panel)[0].startswith("No checklist for this segment.")
        assert "checklist = [" not in shown(panel)[0]  # authoring help is for the docs
        await pilot.press("enter", "x")  # nothing to tick: nothing recorded
    assert workshop.state.panels.checklists == {0: {0, 2}}
    assert on_disk(workshop).checklists == {0: {0, 2}}


@sync
async def test_read_only_view_records_nothing(tmp_path: Path, models: list[ReferenceModel]) -> None:
    live = open_live(tmp_path, "shared-solutions", writer=None)
    app = PanelApp(ChecklistPanel(live, models))
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert "read-only" in " ".join(str(n.message) for n in app._notifications)
        assert app.recorded == []
    assert live.state.panels.checklists == {}
    assert app.recorded == []


# --- reflection --------------------------------------------------------------------------


class ReflectionApp(App[None]):
    def __init__(self, title: str | None) -> None:
        super().__init__()
        self.title_for = title
        self.results: list[ReflectionResult | None] = []

    def compose(self) -> ComposeResult:
        yield Static("The run screen is behind this dialog.")

    def on_mount(self) -> None:
        self.push_screen(ReflectionScreen(self.title_for), self.results.append)


@sync
async def test_reflection_returns_rating_and_answers() -> None:
    app = ReflectionApp("C. Mapping out the issues")
    async with app.run_test(size=NARROW) as pilot:
        assert "Reflection: C. Mapping out the issues" in str(
            app.screen.query_one("#reflection-title", Static).render()
        )
        await pilot.press("right", "right", "right", "right", "enter")  # arrows, then on
        await pilot.press(*"users spoke first", "enter", *"more mixed groups", "enter")
        await pilot.pause()
    assert app.results == [ReflectionResult(4, "users spoke first", "more mixed groups")]


@sync
async def test_after_a_rating_digit_the_words_typed_next_answer_the_next_question() -> None:
    app = ReflectionApp(None)
    async with app.run_test(size=NARROW) as pilot:
        # One burst, as a fast typist sends it: the 2 in the answer is text, not a rating.
        burst(app, "5", *"Good energy all day, 2 groups gelled", "ctrl+s")
        for _ in range(4):
            await pilot.pause()
    assert app.results == [ReflectionResult(5, "Good energy all day, 2 groups gelled", "")]


@sync
async def test_reflection_escape_cancels_and_empty_save_stays_open() -> None:
    app = ReflectionApp(None)
    async with app.run_test(size=NARROW) as pilot:
        assert "the whole session" in str(app.screen.query_one("#reflection-title").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReflectionScreen) and app.results == []
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


@sync
async def test_reflection_ctrl_s_saves_from_any_field() -> None:
    app = ReflectionApp(None)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.press("tab", *"calm", "ctrl+s")
        await pilot.pause()
    assert app.results == [ReflectionResult(None, "calm", "")]


# --- snapshots ---------------------------------------------------------------------------


def marked(live: LiveSession) -> LiveSession:
    """A few observations already made, so snapshots show every kind of mark."""
    at = live.now()
    for event in (
        LifecycleStageMarked(at=at, model="lifecycle-pdif", stage="Development"),
        QualityMarked(at=at, quality="Mutual understanding", state="present"),
        QualityMarked(at=at, quality="Commitment", state="developing"),
        QualityMarked(at=at, quality="Acknowledgement", state="missing"),
        MonologueTallied(at=at, name="blame", delta=3),
        MonologueTallied(at=at, name="dialogue", delta=1),
    ):
        live.record(event)
    return live


async def _tick_two(pilot: Pilot[None]) -> None:
    await pilot.press("x", "down", "down", "x")


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
def test_snapshot_lifecycle(
    snap_compare: Snap, programme: LiveSession, models: list[ReferenceModel], size: Size
) -> None:
    app = PanelApp(LifecyclePanel(marked(programme), models), wide=size == WIDE)
    assert snap_compare(app, terminal_size=size, press=["down", "down", "x", "down"])


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
def test_snapshot_mobius(
    snap_compare: Snap, programme: LiveSession, models: list[ReferenceModel], size: Size
) -> None:
    app = PanelApp(MobiusPanel(marked(programme), models), wide=size == WIDE)
    assert snap_compare(app, terminal_size=size, press=["down", "down"])


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["120x40", "80x24"])
def test_snapshot_checklist(
    snap_compare: Snap, workshop: LiveSession, models: list[ReferenceModel], size: Size
) -> None:
    app = PanelApp(ChecklistPanel(workshop, models), wide=size == WIDE)
    assert snap_compare(app, terminal_size=size, run_before=_tick_two)


def test_snapshot_checklist_empty(
    snap_compare: Snap, workshop: LiveSession, models: list[ReferenceModel]
) -> None:
    workshop.record(SegmentChanged(at=workshop.now(), segment=3, reason="jump"))
    app = PanelApp(ChecklistPanel(workshop, models))
    assert snap_compare(app, terminal_size=NARROW)


def test_snapshot_reflection(snap_compare: Snap) -> None:
    async def answer(pilot: Pilot[None]) -> None:
        await pilot.press("3", *"good listening")

    app = ReflectionApp("Activity 5: Partnership meeting role-play")
    assert snap_compare(app, terminal_size=NARROW, run_before=answer)


# --- per group -----------------------------------------------------------------------------


@sync
async def test_a_panel_shows_and_marks_the_picked_groups_own_tallies(
    programme: LiveSession, models: list[ReferenceModel]
) -> None:
    """Three groups observed at once: each keeps its own count, the title says whose."""
    one, two = "Group 1 (scenario PS 1a)", "Group 2 (scenario PS 1b)"
    programme.record(SegmentChanged(at=programme.now(), segment=11, reason="jump"))  # the meeting
    panel = MobiusPanel(programme, models)
    panel.group = one
    app = PanelApp(panel)
    async with app.run_test(size=NARROW) as pilot:
        title = panel.query_one(".panel-title", Static)
        assert str(title.render()).endswith(f"· {one}")
        await pilot.press("B", "B")
        panel.group = two
        await pilot.pause()
        assert str(title.render()).endswith(f"· {two}")
        assert "Blame (B) 0" in shown(panel)
        await pilot.press("D")
        await pilot.pause()
        assert "Dialogue (D) 1" in shown(panel)
    assert room(programme, one).tallies == {"blame": 2}
    assert room(programme, two).tallies == {"dialogue": 1}
    assert room(programme).tallies == {}
    assert on_disk(programme) == programme.state.panels


@sync
async def test_a_panel_without_the_keyboard_says_which_key_gives_it(
    programme: LiveSession, models: list[ReferenceModel]
) -> None:
    panel = MobiusPanel(programme, models)
    app = PanelApp(panel)
    async with app.run_test(size=NARROW) as pilot:
        hint = panel.query_one(".panel-keys", Static)
        assert "esc back · m closes" in str(hint.render())
        app.owner.set_focus(None)
        await pilot.pause()
        assert str(hint.render()).startswith("m: use this panel · B P W C D tally from the notes")
