"""``make bench``: the performance figures the issues set targets for, printed, not asserted.

1. first frame of ``facilitate run`` vs a minimal Textual Digits clock (tmux),
2. CPU and memory while a segment counts down (tmux), and a resize of the run
   screen drawn in one frame (headless),
3. enter-to-durable latency of a note (in-process, and through the run screen), and a
   note typed into a segment of 10,000 notes until it is on screen (tmux),
4. replay of a 10,000-note session, 5. review (that session; 1,000 sessions), with
   the review list and ``facilitate sessions`` also timed in a real terminal, and
   ``facilitate sessions`` on one journal as big as the reader reads (time, peak RSS),
6. exports of that session.

Each figure is printed as it is measured, with a profile hint when it misses
its target, then all of them in one table. Figures depend on the machine and
on what else runs on it: compare runs on the same machine. Everything is
written under a temporary folder that is removed at the end.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import headless
import terminal
from figures import Figure, percentile, print_table, profile_hint, report, timed
from generate import make_busy_segment, make_heavy_journal, make_session, make_sessions

from facilitate.agenda.catalog import load_named
from facilitate.clock import system_clock
from facilitate.events import NoteAdded, SessionStarted
from facilitate.export import FORMATS, render
from facilitate.journal import reader
from facilitate.live import LiveSession
from facilitate.paths import Paths
from facilitate.store import create_session, list_sessions, load_session

REPS = 5  # first-frame runs of each app
CPU_WINDOW_S = 30.0  # one clock tick is 0.03% of a core: fine enough for a 0.2-point target
NOTES_DURABLE = 2000
NOTES_TUI = 200
CHECKS = 1000  # journal checks, as the run screen makes one a tick
BIG = 10_000  # notes in the big session
MANY = 1000  # short sessions besides it
HEAVY_RSS_MB = 256.0  # a journal at the read limit must not need more to be listed


def bench_terminal(scratch: Path) -> None:
    if not shutil.which("tmux"):
        print("tmux not found: no first-frame or CPU figures")
        return
    tmux = terminal.Tmux()
    try:
        ratio = terminal.bench_startup(tmux, scratch, REPS)
        terminal.bench_imports()
        if ratio.verdict == "OVER":
            headless.startup_profile(scratch / "startup-profile")
        cpu = terminal.bench_cpu(tmux, scratch, CPU_WINDOW_S)
        if cpu.verdict == "OVER":
            headless.countdown_hint(scratch / "cpu-hint")
        bench_resize(scratch / "resize")
    except TimeoutError as exc:
        report(Figure("terminal figures", None, "", note=str(exc)))
    finally:
        tmux.close()


def bench_resize(root: Path) -> None:
    """The run screen resized across its layouts (Pilot, headless): frames until the new
    layout is drawn as it settles, and how long after the resize that frame came."""
    print("Resize of the run screen (Pilot, headless), across its layouts:")
    try:
        found = asyncio.run(headless.resize_frames(root))
    except Exception as exc:
        report(Figure("resize: frames to the new layout", None, "frames", note=repr(exc)))
        return
    worst = max(found, key=lambda f: (f[1], f[2]))
    each = "; ".join(f"{name}: {frames} in {ms:.0f} ms" for name, frames, ms in found)
    report(Figure("resize: frames to the new layout", worst[1], "frames", 1, True, each))
    slowest = max(ms for _, _, ms in found)
    report(Figure("resize: ms to that frame", slowest, "ms", note="slowest of the resizes"))


def took_ms(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def bench_durable(scratch: Path) -> None:
    print(f"Enter-to-durable: LiveSession.record (apply, append, fsync), {NOTES_DURABLE} notes:")
    root = scratch / "durable"
    paths = Paths(root, root)
    agenda, text = load_named(terminal.AGENDA, paths)
    clock = system_clock()
    sid, folder = create_session(paths, agenda, text, clock.now(), UTC)
    took: list[float] = []
    with LiveSession(sid, folder, agenda, clock, UTC, "bench") as live:
        live.record(
            SessionStarted(at=live.now(), agenda_name=agenda.name, agenda_title=agenda.title)
        )
        for n in range(NOTES_DURABLE):
            t0 = time.perf_counter()
            saved = live.record(NoteAdded(at=live.now(), kind="note", text=f"note {n}", segment=0))
            took.append((time.perf_counter() - t0) * 1000)
            if not saved:
                report(Figure("note durable", None, "ms", note=str(live.last_error)))
                return
        checks = [took_ms(live.verify) * 1000 for _ in range(CHECKS)]
    report(Figure("note durable p50 (LiveSession.record)", percentile(took, 50), "ms"))
    what = f"each tick: is the journal gone, replaced or cut? ({NOTES_DURABLE} notes in it)"
    report(Figure("journal check p50 (LiveSession.verify)", percentile(checks, 50), "µs", 100))
    report(
        Figure("journal check p99 (LiveSession.verify)", percentile(checks, 99), "ms", note=what)
    )
    report(Figure("note durable p99 (LiveSession.record)", percentile(took, 99), "ms"))
    print(f"Enter-to-durable through the run screen (Pilot, headless), {NOTES_TUI} notes:")
    try:
        took = asyncio.run(headless.tui_notes(scratch / "tui-notes", NOTES_TUI))
    except Exception as exc:  # a benchmark says what broke and goes on
        report(Figure("note durable (enter in run screen)", None, "ms", note=repr(exc)))
        return
    tenth = len(took) // 10
    first, last = statistics.median(took[:tenth]), statistics.median(took[-tenth:])
    trend = f"median of the first {tenth}: {first:.1f} ms, of the last {tenth}: {last:.1f} ms"
    report(Figure("note durable p50 (enter in run screen)", percentile(took, 50), "ms", note=trend))
    report(Figure("note durable p99 (enter in run screen)", percentile(took, 99), "ms"))


def bench_new_note(scratch: Path) -> None:
    """A note typed into a segment of 10 notes and one of 10,000, in a real terminal."""
    if not shutil.which("tmux"):
        print("tmux not found: no figures for a note typed into a long segment")
        return
    tmux = terminal.Tmux()
    try:
        for notes in (10, BIG):
            root = scratch / f"segment-{notes}"
            make_busy_segment(Paths(root, root), notes)
            terminal.bench_new_note(tmux, root, notes)
    except TimeoutError as exc:
        report(Figure("new note in a long segment", None, "ms", note=str(exc)))
    finally:
        tmux.close()


def bench_scale(scratch: Path) -> None:
    root = scratch / "scale"
    paths = Paths(root, root)
    t0 = time.perf_counter()
    make_sessions(paths, MANY)
    sid, folder = make_session(paths, BIG, datetime(2026, 1, 5, 9, 30, tzinfo=UTC))
    made = time.perf_counter() - t0
    print(f"Scale: {MANY} short sessions + one with {BIG:,} notes (made in {made:.1f} s):")
    loaded = load_session(sid, folder)
    if len(loaded.state.notes) != BIG or loaded.warnings:
        raise RuntimeError(f"generated session is wrong: {len(loaded.state.notes)} notes")

    def replay() -> object:
        return load_session(sid, folder)

    def listing() -> object:
        return list_sessions(paths)

    replay_fig = report(Figure(f"replay {BIG:,}-note session", timed(replay), "s", 1.0))
    if replay_fig.verdict == "OVER":
        profile_hint(replay)
    list_name = f"list {MANY + 1:,} sessions (list_sessions)"
    list_fig = report(Figure(list_name, timed(listing), "s", 1.0))
    if list_fig.verdict == "OVER":
        profile_hint(listing)
    bench_review(paths, sid)
    bench_terminal_scale(root, MANY + 1)
    bench_heavy_journal(scratch / "heavy", folder)
    for fmt in FORMATS:
        took = timed(lambda fmt=fmt: render(fmt, loaded, UTC), reps=2)  # type: ignore[misc]
        report(Figure(f"export {fmt}, {BIG:,} notes", took, "s"))


def bench_heavy_journal(root: Path, source: Path) -> None:
    """``facilitate sessions`` on one journal as big as the reader reads (its summary gone,
    so it is replayed): wall time and the peak memory of the process."""
    paths = Paths(root, root)
    make_heavy_journal(paths, source, reader.MAX_JOURNAL_BYTES)
    limit = reader.MAX_JOURNAL_BYTES // 2**20
    print(f"`facilitate sessions` on a journal of {limit} MB (the read limit):")
    argv = [str(terminal.BIN / "facilitate"), "--data-dir", str(root), "sessions"]
    t0 = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    took = time.perf_counter() - t0
    child.returncode = os.waitstatus_to_exitcode(status)
    peak = usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)  # bytes / KB
    note = f"exit {child.returncode}" if child.returncode else "start to exit"
    report(Figure(f"sessions: {limit} MB journal, time", took, "s", note=note))
    report(Figure(f"sessions: {limit} MB journal, peak RSS", peak, "MB", HEAVY_RSS_MB))


def bench_terminal_scale(data_dir: Path, count: int) -> None:
    """The review list and `facilitate sessions` as a person sees them, in tmux."""
    if not shutil.which("tmux"):
        print("tmux not found: no terminal figures for the review list or `sessions`")
        return
    tmux = terminal.Tmux()
    try:
        terminal.bench_review_list(tmux, data_dir, count)
        terminal.bench_sessions_command(tmux, data_dir, count)
    except TimeoutError as exc:
        report(Figure("terminal scale figures", None, "", note=str(exc)))
    finally:
        tmux.close()


def bench_review(paths: Paths, sid: str) -> None:
    """The review screens as a user opens them; Markdown minutes stand in if there are none."""
    folder = paths.sessions_dir / sid
    if importlib.util.find_spec("facilitate.tui.review.session") is None:

        def proxy() -> object:
            return render("md", load_session(sid, folder), UTC)

        note = "no review screen yet: load + Markdown minutes as a proxy"
        if report(Figure("open big session", timed(proxy), "s", 1.0, note=note)).verdict == "OVER":
            profile_hint(proxy)
        return
    from facilitate.tui.review.session import SessionReviewScreen
    from facilitate.tui.review.sessions import SessionListScreen

    today, clock = datetime.now(UTC).date(), system_clock()
    screens = (
        (
            f"review: open {BIG:,}-note session",
            lambda: SessionReviewScreen(paths, sid, UTC, today, clock),
            lambda screen: bool(screen.shown),  # the notes table is filled
        ),
        (
            f"review: list {MANY + 1:,} sessions",
            lambda: SessionListScreen(paths, UTC, today, clock),
            lambda screen: bool(screen.infos),  # the sessions table is filled
        ),
    )
    for name, make, ready in screens:
        try:
            took = asyncio.run(headless.open_screen(make, ready))
        except Exception as exc:
            report(Figure(name, None, "s", note=repr(exc)))
            continue
        figure = report(Figure(name, took, "s", 1.0, note="push to table filled, Pilot"))
        if figure.verdict == "OVER":  # (the load runs in a worker thread: not in the profile)
            profile_hint(partial(asyncio.run, headless.open_screen(make, ready)))


def main() -> int:
    started = time.perf_counter()
    cpus = os.cpu_count()
    print(
        f"facilitate benchmarks · Python {sys.version.split()[0]} · {sys.platform} · {cpus} CPUs\n"
    )
    scratch = Path(tempfile.mkdtemp(prefix="facilitate-bench-"))
    try:
        bench_terminal(scratch)
        bench_durable(scratch)
        bench_new_note(scratch)
        bench_scale(scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print_table()
    print(f"\nmake bench took {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
