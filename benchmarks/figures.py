"""Figures with their targets, printed as they come and as one table at the end."""

from __future__ import annotations

import cProfile
import pstats
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Figure:
    name: str
    value: float | None  # None: could not be measured (see note)
    unit: str
    limit: float | None = None  # the target: value < limit (<= when inclusive); None: info
    inclusive: bool = False
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.value is None:
            return "FAILED"
        if self.limit is None:
            return "info"
        ok = self.value <= self.limit if self.inclusive else self.value < self.limit
        return "PASS" if ok else "OVER"

    @property
    def target(self) -> str:
        if self.limit is None:
            return "-"
        return f"{'≤' if self.inclusive else '<'} {round(self.limit, 3):g} {self.unit}"

    def shown(self) -> str:
        if self.value is None:
            return "-"
        digits = 3 if self.unit in ("s", "x") else 1 if self.unit in ("ms", "MB") else 2
        if self.unit == "frames":
            digits = 0
        return f"{self.value:.{digits}f} {self.unit}"


FIGURES: list[Figure] = []


def report(figure: Figure) -> Figure:
    FIGURES.append(figure)
    extra = f"  ({figure.note})" if figure.note else ""
    print(f"  {figure.name}: {figure.shown()}  [{figure.verdict}]{extra}", flush=True)
    return figure


def print_table() -> None:
    rows = [(f.name, f.shown(), f.target, f.verdict) for f in FIGURES]
    header = ("figure", "measured", "target", "")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    rule = "  ".join("-" * w for w in widths)
    print("\n" + "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip())
    print(rule)
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    print(rule)
    missed = [f.name for f in FIGURES if f.verdict in ("OVER", "FAILED")]
    print("all targets met" if not missed else f"{len(missed)} missed: {'; '.join(missed)}")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile: p99 of 2,000 samples is the 20th slowest."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(fn: Callable[[], object], reps: int = 3) -> float:
    """Best of ``reps`` seconds (after the first run the data is in the page cache)."""
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


IDLE = re.compile(r"select|epoll|_thread.lock|\bsleep\b")


def print_profile(prof: cProfile.Profile, top: int = 8, ours: str = "facilitate/") -> None:
    """The functions with the most own time (idle waits left out), then our own code by
    cumulative time: together they say where the time goes and who asked for it."""
    stats = pstats.Stats(prof)
    rows = [(key, value) for key, value in stats.stats.items()]  # type: ignore[attr-defined]

    def name(key: tuple[str, int, str]) -> str:
        path = Path(key[0])
        where = f"{path.parent.name}/{path.name}" if key[1] else key[0]
        return f"{where}:{key[1]}({key[2]})"

    busy = [r for r in rows if not IDLE.search(name(r[0]))]
    print(f"    profile, own time (top {top}):")
    for key, (_, nc, tt, ct, _) in sorted(busy, key=lambda r: -r[1][2])[:top]:
        print(f"      {tt * 1000:7.1f} ms own {ct * 1000:7.1f} ms cum {nc:>7} calls  {name(key)}")
    mine = [r for r in rows if ours in r[0][0].replace("\\", "/")]
    if mine:
        print(f"    profile, {ours}* by cumulative time (top {top // 2}):")
        for key, (_, nc, _, ct, _) in sorted(mine, key=lambda r: -r[1][3])[: top // 2]:
            print(f"      {ct * 1000:7.1f} ms cum {nc:>7} calls  {name(key)}")


def profile_hint(fn: Callable[[], object], top: int = 8) -> None:
    prof = cProfile.Profile()
    prof.runcall(fn)
    print_profile(prof, top)
