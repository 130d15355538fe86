"""Figures taken from a real terminal: first frame, CPU and memory while counting down, a
note typed into a long segment, and the review list and ``sessions`` at scale.

The apps run in detached 120x40 panes of a tmux server of our own (its own
socket, so nobody else's tmux sessions are touched; ``close`` ends it and
every pane in it). Commands run with ``TERM=xterm-256color`` and stderr left
alone: Textual draws on it.
"""

from __future__ import annotations

import os
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

from figures import Figure, report
from minimal_digits_app import MARKER

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
AGENDA = "shared-solutions"
RUN_READY = "READY"  # "READY · space starts" is drawn only once the run screen is up
CPU_OVER_MINIMAL = 0.2  # percentage points of one core
NEW_NOTE_MS = 50.0  # Enter to the new row on screen, whatever the segment holds
# --start now: the bench runs at any time of day, and a day opened far from its planned
# start would first ask how to time it.
OURS = [str(BIN / "facilitate"), "run", AGENDA, "--start", "now"]
MINIMAL = [sys.executable, str(HERE / "minimal_digits_app.py")]


class Tmux:
    def __init__(self) -> None:
        self.socket = f"facilitate-bench-{os.getpid()}"
        self._n = 0
        # Start the server now, so its start-up is not charged to the first measurement.
        self.run("new-session", "-d", "-s", "keep", "-x", "120", "-y", "40", "sleep 3600")

    def run(self, *args: str) -> str:
        cmd = ["tmux", "-L", self.socket, "-f", "/dev/null", *args]
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout

    def start(self, argv: list[str], data_dir: Path | None = None) -> str:
        self._n += 1
        name = f"b{self._n}"
        env = ["env", "TERM=xterm-256color"]
        if data_dir is not None:
            env.append(f"FACILITATE_DATA_DIR={data_dir}")
        command = shlex.join(env + argv)
        self.run("new-session", "-d", "-s", name, "-x", "120", "-y", "40", command)
        return name

    def screen(self, name: str) -> str:
        return self.run("capture-pane", "-t", name, "-p")

    def wait_for(
        self, name: str, text: str, timeout: float = 20.0, gone: bool = False, poll: float = 0.01
    ) -> bool:
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            if (text in self.screen(name)) != gone:
                return True
            time.sleep(poll)
        return False

    def pane_pid(self, name: str) -> int:
        return int(self.run("list-panes", "-t", name, "-F", "#{pane_pid}").split()[0])

    def kill(self, name: str) -> None:
        self.run("kill-session", "-t", name)

    def close(self) -> None:
        self.run("kill-server")


def first_frame(tmux: Tmux, text: str, argv: list[str], data_dir: Path | None = None) -> float:
    """Seconds from starting ``argv`` until ``text`` is on its screen (10 ms polls)."""
    t0 = time.perf_counter()
    name = tmux.start(argv, data_dir)
    seen = tmux.wait_for(name, text)
    took = time.perf_counter() - t0
    screen = tmux.screen(name)
    tmux.kill(name)
    if not seen:
        raise TimeoutError(f"{text!r} never showed; the screen was:\n{screen}")
    return took


def process_tree(pid: int) -> list[int]:
    pids = [pid]
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            kids = children.read_text().split()
        except OSError:
            continue
        for kid in kids:
            pids += process_tree(int(kid))
    return pids


def cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime: fields 14 and 15 of stat
    return total


def rss_mb(pids: list[int]) -> float:
    total_kb = 0
    for pid in pids:
        try:
            lines = Path(f"/proc/{pid}/status").read_text().splitlines()
        except OSError:
            continue
        total_kb += sum(int(line.split()[1]) for line in lines if line.startswith("VmRSS:"))
    return total_kb / 1024


def compile_bytecode() -> None:
    """Byte-compile facilitate first, as a wheel install has it (pip compiles on install).

    An editable install leaves compiling to the first import, and with
    PYTHONDONTWRITEBYTECODE set (as on this project's build machines) nothing is
    ever saved, so each start would compile all of our modules again while
    Textual's arrive compiled: the figure would time the compiler, not the app.
    """
    import compileall

    import facilitate

    compileall.compile_dir(Path(facilitate.__file__).parent, quiet=1)


def bench_startup(tmux: Tmux, scratch: Path, reps: int) -> Figure:
    compile_bytecode()
    print(f"First frame in a 120x40 tmux pane, {reps} alternating runs each (+1 warm-up):")
    ours: list[float] = []
    base: list[float] = []
    for rep in range(reps + 1):
        a = first_frame(tmux, RUN_READY, OURS, scratch / f"startup-{rep}")
        b = first_frame(tmux, MARKER, MINIMAL)
        if rep:  # the first pair only warms the disk cache and the bytecode
            ours.append(a)
            base.append(b)
    ours_s, base_s = statistics.median(ours), statistics.median(base)
    pairs = ", ".join(f"{a:.2f}/{b:.2f}" for a, b in zip(ours, base, strict=True))
    report(Figure("first frame: facilitate run shared-solutions", ours_s, "s", note="median"))
    report(Figure("first frame: minimal Digits app", base_s, "s", note="median"))
    return report(Figure("first frame ratio", ours_s / base_s, "x", 1.3, True, f"runs: {pairs}"))


def bench_imports() -> None:
    """Import cost in a fresh interpreter: the part of startup that no screen can speed up."""
    for module in ("textual.app", "facilitate.tui.app"):
        code = f"import time; t=time.perf_counter(); import {module}; print(time.perf_counter()-t)"
        times = []
        for _ in range(3):
            done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
            if done.returncode == 0:
                times.append(float(done.stdout))
        if times:
            report(Figure(f"import {module}", min(times), "s", note="best of 3"))


def bench_cpu(tmux: Tmux, scratch: Path, window_s: float) -> Figure:
    print(f"CPU over {window_s:g} s while a segment counts down (space pressed, 3 s settle):")
    ours = tmux.start(OURS, scratch / "cpu")
    base = tmux.start(MINIMAL)
    try:
        if not (tmux.wait_for(ours, RUN_READY) and tmux.wait_for(base, MARKER)):
            raise TimeoutError("an app did not start")
        tmux.run("send-keys", "-t", ours, "Space")
        if not tmux.wait_for(ours, RUN_READY, timeout=5, gone=True):
            raise TimeoutError("space did not start the timer")
        time.sleep(3)
        trees = {k: process_tree(tmux.pane_pid(k)) for k in (ours, base)}
        t0, s0 = {k: cpu_ticks(p) for k, p in trees.items()}, time.perf_counter()
        time.sleep(window_s)
        t1, s1 = {k: cpu_ticks(p) for k, p in trees.items()}, time.perf_counter()
        rss = {k: rss_mb(p) for k, p in trees.items()}
    finally:
        tmux.kill(ours)
        tmux.kill(base)
    hz = os.sysconf("SC_CLK_TCK")
    cpu = {k: 100 * (t1[k] - t0[k]) / hz / (s1 - s0) for k in trees}
    step = f"one clock tick = {100 / hz / (s1 - s0):.2f}%"
    report(Figure("CPU counting down: minimal Digits app", cpu[base], "%", note=step))
    # At most 0.2 percentage points above the minimal app measured beside it.
    limit = cpu[base] + CPU_OVER_MINIMAL
    note = f"target: the minimal app's + {CPU_OVER_MINIMAL:g} points; {step}"
    figure = report(Figure("CPU counting down: facilitate", cpu[ours], "%", limit, True, note))
    report(Figure("RSS counting down: facilitate", rss[ours], "MB", 80.0))
    report(Figure("RSS: minimal Digits app", rss[base], "MB"))
    return figure


# --- scale, as a person in a terminal sees it ------------------------------------------------

REVIEW = [str(BIN / "facilitate"), "review"]
SESSIONS_DONE = "SESSIONS-LISTED"  # printed after `facilitate sessions` returns


def _forget_listing(sessions_dir: Path) -> None:
    """As on a first run after an upgrade: no listing cache yet."""
    (sessions_dir / ".sessions-cache.json").unlink(missing_ok=True)


def _make_stale(sessions_dir: Path) -> None:
    """Journals newer than their summaries, as after a crash, a scribe's late note, or a
    backup restored with fresh modification times: every summary must be distrusted."""
    later = time.time_ns()
    for journal in sessions_dir.glob("*/journal-*.jsonl"):
        os.utime(journal, ns=(later, later))


def _make_fresh(sessions_dir: Path) -> None:
    """Every summary newer than its journals, as a session that was quit normally leaves it."""
    later = time.time_ns()
    for summary in sessions_dir.glob("*/summary.toml"):
        os.utime(summary, ns=(later, later))


def _prepare(sessions_dir: Path, step: str) -> None:
    if step in ("cold", "stale"):
        _forget_listing(sessions_dir)
    if step == "cold":
        _make_fresh(sessions_dir)
    if step == "stale":
        _make_stale(sessions_dir)


CASES = {
    "cold": "no listing cache yet",
    "warm": "listing cache warm",
    "stale": "summaries stale, no cache",
    "stale-warm": "summaries stale, cache warm",
}


def bench_review_list(tmux: Tmux, data_dir: Path, count: int, reps: int = 3) -> None:
    """``facilitate review`` in a 120x40 pane until its list shows ``count`` sessions."""
    print(f"Review list of {count:,} sessions in a 120x40 tmux pane:")
    ready = f"{count} sessions in"
    for step in ("cold", "warm", "stale", "stale-warm"):
        took = []
        for _ in range(reps if step.endswith("warm") else 1):
            _prepare(data_dir / "sessions", step)
            took.append(first_frame(tmux, ready, REVIEW, data_dir))
        note = f"start to '{ready}' on screen, median of {len(took)}"
        report(Figure(f"review list: {CASES[step]}", statistics.median(took), "s", 1.0, note=note))


def bench_sessions_command(tmux: Tmux, data_dir: Path, count: int, reps: int = 3) -> None:
    """``facilitate sessions`` printing to the pane, until the shell's next command runs."""
    print(f"`facilitate sessions` with {count:,} sessions in a tmux pane:")
    script = (
        f"FACILITATE_DATA_DIR={shlex.quote(str(data_dir))} "
        f"{shlex.quote(str(BIN / 'facilitate'))} sessions; echo {SESSIONS_DONE}; sleep 60"
    )
    for step in ("stale", "stale-warm", "cold", "warm"):
        took = []
        for _ in range(reps if step.endswith("warm") else 1):
            _prepare(data_dir / "sessions", step)
            took.append(first_frame(tmux, SESSIONS_DONE, ["sh", "-c", script]))
        note = f"start to its last line on screen, median of {len(took)}"
        report(Figure(f"sessions: {CASES[step]}", statistics.median(took), "s", 1.0, note=note))


# --- a note typed into a busy segment ----------------------------------------------------------

JOIN = [str(BIN / "facilitate"), "join", "latest"]


def _type_and_time(tmux: Tmux, name: str, text: str, shown: int) -> float:
    """Type ``text`` into the note box, then press Enter: milliseconds until the log's
    count says ``shown`` (the count and the new row are drawn in the same frame)."""
    tmux.run("send-keys", "-t", name, "-l", text)
    if not tmux.wait_for(name, text, timeout=10):
        raise TimeoutError(f"{text!r} never showed in the note box:\n{tmux.screen(name)}")
    t0 = time.perf_counter()
    tmux.run("send-keys", "-t", name, "Enter")
    if not tmux.wait_for(name, f" {shown} shown", timeout=30, poll=0.002):
        raise TimeoutError(f"the log never said {shown} shown:\n{tmux.screen(name)}")
    return (time.perf_counter() - t0) * 1000


def bench_new_note(tmux: Tmux, data_dir: Path, notes: int, reps: int = 15) -> Figure:
    """A scribe's terminal (``join``, which types from the start) on a segment holding
    ``notes`` notes: each note is typed, then the time runs from Enter until the new row
    is on screen. The screen is read every 2 ms or so (a ``capture-pane`` takes 2-5 ms).
    One note first, not counted: the app finishes opening (the panel the segment
    suggests) while it is typed."""
    print(f"A new note with {notes:,} notes in the segment, in a 120x40 tmux pane:")
    t0 = time.perf_counter()
    name = tmux.start(JOIN, data_dir)
    took: list[float] = []
    try:
        if not tmux.wait_for(name, f" {notes} shown", timeout=60):
            raise TimeoutError(f"the log never showed {notes} notes:\n{tmux.screen(name)}")
        opened = time.perf_counter() - t0
        _type_and_time(tmux, name, "warming up", notes + 1)
        for n in range(reps):
            took.append(_type_and_time(tmux, name, f"timed note {n:03d}", notes + n + 2))
    finally:
        tmux.kill(name)
    report(Figure(f"join: open a segment of {notes:,} notes", opened, "s", note="to the log drawn"))
    ordered = sorted(took)
    spread = f"p90 {ordered[int(0.9 * (reps - 1))]:.0f} ms, worst {ordered[-1]:.0f} ms"
    note = f"enter to the new row on screen; median of {reps}; {spread}"
    name = f"new note, {notes:,} in the segment"
    return report(Figure(name, statistics.median(took), "ms", NEW_NOTE_MS, note=note))
