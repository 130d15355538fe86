"""In-process probes of the real screens with Textual's Pilot (headless, 120x40).

Used for what a terminal cannot time precisely (a note typed and entered, a
review screen filling its table) and to explain a slow terminal figure: where
startup goes, and which widgets redraw while the timer counts down.
"""

from __future__ import annotations

import asyncio
import cProfile
import itertools
import os
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import Any

from figures import print_profile
from textual.app import App
from textual.widget import Widget

import facilitate.tui
from facilitate.agenda.catalog import load_named
from facilitate.commands import DayStart
from facilitate.paths import Paths
from facilitate.tui.app import FacilitateApp

AGENDA = "shared-solutions"
SIZE = (120, 40)


def run_app(root: Path) -> FacilitateApp:
    """``facilitate run shared-solutions --start now`` with its data in ``root`` (the day
    starts now: opened far from its planned 09:30 it would first ask how to time it)."""
    paths = Paths(root, root)
    agenda, text = load_named(AGENDA, paths)
    return FacilitateApp(
        paths, "run", agenda=agenda, agenda_text=text, bell=False, tz=UTC, start=DayStart()
    )


class Host(App[None]):
    """A bare app with the real stylesheet, to push one review screen onto."""

    CSS_PATH = str(Path(facilitate.tui.__file__).parent / "facilitate.tcss")


async def tui_notes(root: Path, count: int) -> list[float]:
    """Milliseconds from pressing enter in the note box until the journal's fsync returned."""
    app = run_app(root)
    synced: list[float] = []
    real_fsync = os.fsync

    def timed_fsync(fd: Any) -> None:
        real_fsync(fd)
        synced.append(time.perf_counter())

    took: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        entry: Any = app.screen.query_one("#entry")
        os.fsync = timed_fsync
        try:
            for n in range(count):
                entry.value = f"d: decision number {n}"
                synced.clear()
                t0 = time.perf_counter()
                await pilot.press("enter")
                if synced:
                    took.append((synced[0] - t0) * 1000)
        finally:
            os.fsync = real_fsync
        saved = len(app.live.state.notes) if app.live else 0
        if saved != count or len(took) != count:
            raise RuntimeError(f"{count} notes entered, {saved} in the state, {len(took)} synced")
    return took


async def open_screen(make: Callable[[], Any], ready: Callable[[Any], bool]) -> float:
    """Seconds from pushing a screen until ``ready(screen)`` holds (polled every 10 ms)."""
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        screen = make()
        t0 = time.perf_counter()
        await app.push_screen(screen)
        while not ready(screen):
            if time.perf_counter() - t0 > 60:
                raise TimeoutError("the screen was not ready after 60 s")
            await pilot.pause(0.01)
        return time.perf_counter() - t0


def startup_profile(root: Path) -> None:
    """cProfile of the run screen's start, headless: app, session folder, compose, first paint."""

    async def start() -> None:
        async with run_app(root).run_test(size=SIZE) as pilot:
            await pilot.pause()

    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.runcall(asyncio.run, start())
    print(f"    headless start of the run screen: {time.perf_counter() - t0:.3f} s under cProfile")
    print_profile(prof)


def countdown_hint(root: Path, seconds: float = 5.0) -> None:
    """Which widgets redraw, and which updates force a full re-layout, while counting down."""
    render_ms: defaultdict[str, float] = defaultdict(float)
    renders: Counter[str] = Counter()
    layouts: Counter[str] = Counter()
    real_render, real_refresh = Widget.render_lines, Widget.refresh

    def label(widget: Widget) -> str:
        return f"{type(widget).__name__}#{widget.id}" if widget.id else type(widget).__name__

    def render_lines(self: Widget, crop: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return real_render(self, crop)
        finally:
            render_ms[label(self)] += (time.perf_counter() - t0) * 1000
            renders[label(self)] += 1

    def refresh(self: Widget, *regions: Any, layout: bool = False, **kw: Any) -> Any:
        if layout:
            outer, inner, _ = traceback.extract_stack(limit=3)
            layouts[f"{label(self)}: {inner.name}() from {outer.name}()"] += 1
        return real_refresh(self, *regions, layout=layout, **kw)

    async def count_down() -> float:
        async with run_app(root).run_test(size=SIZE) as pilot:
            await pilot.press("space")
            await pilot.pause(0.5)
            render_ms.clear()
            renders.clear()
            layouts.clear()
            cpu0 = time.process_time()
            await pilot.pause(seconds)
            return 100 * (time.process_time() - cpu0) / seconds

    Widget.render_lines, Widget.refresh = render_lines, refresh  # type: ignore[method-assign]
    try:
        cpu = asyncio.run(count_down())
    finally:
        Widget.render_lines, Widget.refresh = real_render, real_refresh  # type: ignore[method-assign]
    print(f"    headless countdown: {cpu:.1f}% of a core; redraws over {seconds:g} s:")
    for name, ms in sorted(render_ms.items(), key=lambda item: -item[1])[:6]:
        print(f"      {ms:7.1f} ms  {renders[name]:>4} redraws  {name}")
    print(f"    updates that forced a full re-layout over {seconds:g} s:")
    for name, n in layouts.most_common(8):
        print(f"      {n:>4}  {name}")


RESIZES = ((120, 40), (80, 24), (60, 20), (200, 60), (120, 40))


async def resize_frames(root: Path) -> list[tuple[str, int, float]]:
    """For each resize of the run screen (crossing its layouts): how many frames were drawn
    until one showed the new layout as it finally settles, and how long that took.

    Every frame the app draws is captured as it is drawn (``export_screenshot``, which
    renders what the compositor holds at that moment; frames held back by a batch are
    not drawn, so not counted); the last one, once the app is idle, is the settled
    layout. One frame means the resize was redrawn within one frame: no frame of the
    old layout at the new size, nothing fixed up afterwards. The time runs from the
    resize until that frame, less the time spent capturing frames.
    """
    app = run_app(root)
    frames: list[tuple[float, str]] = []
    real_display = App._display
    capturing = [0.0]  # seconds spent capturing frames: not the app's time

    def display(self: App[Any], screen: Any, renderable: Any) -> None:
        held = self._batch_count > 0  # held back (App.delay_update): nothing is drawn
        real_display(self, screen, renderable)
        if renderable is not None and self is app and not held:
            drawn = time.perf_counter() - capturing[0]
            t0 = time.perf_counter()
            frames.append((drawn, self.export_screenshot()))
            capturing[0] += time.perf_counter() - t0

    found: list[tuple[str, int, float]] = []
    App._display = display  # type: ignore[method-assign]
    try:
        async with app.run_test(size=RESIZES[0]) as pilot:
            await pilot.pause(0.3)
            for before, after in itertools.pairwise(RESIZES):
                frames.clear()
                capturing[0] = 0.0
                t0 = time.perf_counter()
                await pilot.resize_terminal(*after)
                await pilot.pause(0.3)
                settled = app.export_screenshot()
                first_good = next(
                    (n for n, (_, shot) in enumerate(frames) if shot == settled), None
                )
                name = f"{before[0]}x{before[1]} to {after[0]}x{after[1]}"
                if first_good is None:
                    found.append((name, len(frames) + 1, float("nan")))
                else:
                    ms = (frames[first_good][0] - t0) * 1000
                    found.append((name, first_good + 1, ms))
    finally:
        App._display = real_display  # type: ignore[method-assign]
    return found
