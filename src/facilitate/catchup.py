"""How time is won back before a fixed time: the one rule the catch-up line and the
re-plan share, so that the line under the clock and ``n`` never disagree.

The segments between the last fixed time and the one at risk are the *window*.
What is needed is the lateness to the nearest minute (``minutes``). It is won:

1. first from breaks whose time has passed (``gone``: the day reaches them after
   their slot has ended), latest first, each left out whole: a break is kept whole or
   left out, never shortened, and teaching time comes before a break that is over;
2. then from the flexible segments (not breaks, not protected), in proportion to
   what each has (the current one only from what it has left), at most half each, in
   whole minutes that add up to what is needed;
3. and, only in a re-plan, by leaving out the latest flexible segments when halving is
   not enough (the catch-up line then says so and points to the re-plan).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from facilitate.minutes import MINUTE_S

MAX_SHRINK = 0.5  # at most this share of a flexible segment's time is taken


@dataclass(frozen=True)
class Candidate:
    """One segment of a window, as the day now stands."""

    segment: int
    length_s: int  # its agreed length
    room_s: float  # what it could give: all of it, or what the current one has left
    flexible: bool  # not a break, not protected
    gone: bool = False  # a break whose slot has ended before the day can reach it
    droppable: bool = True  # not the current segment once begun


@dataclass
class Plan:
    """What to take from a window: minutes from some, others left out."""

    cuts: dict[int, int] = field(default_factory=dict)
    dropped: list[int] = field(default_factory=list)  # in the order they were given up
    uncovered_s: int = 0  # still needed when everything allowed is taken


def win_back(need_s: int, window: Sequence[Candidate], *, may_drop: bool) -> Plan:
    """Win ``need_s`` (whole minutes) in ``window``: passed breaks first, then shorten in
    proportion, then (``may_drop``) leave out the latest flexible segments."""
    plan = Plan()
    need = need_s
    for cand in reversed(window):
        if need <= 0:
            break
        if cand.gone and cand.droppable and cand.length_s > 0:
            plan.dropped.append(cand.segment)
            need -= cand.length_s
    if need <= 0:
        return plan
    out = set(plan.dropped)
    flexible = [c for c in window if c.flexible and c.length_s > 0 and c.segment not in out]
    while True:
        room = {c.segment: c.room_s for c in flexible}
        droppable = [c for c in flexible if c.droppable]
        if not may_drop or need <= sum(caps(room).values()) or not droppable:
            plan.cuts = share(need, room)
            plan.uncovered_s = max(0, need - sum(plan.cuts.values()))
            return plan
        last = droppable[-1]
        plan.dropped.append(last.segment)
        flexible.remove(last)
        need -= last.length_s
        if need <= 0:
            return plan


def share(need: int, room: Mapping[int, float]) -> dict[int, int]:
    """Cuts in whole minutes in proportion to ``room``, summing to ``need`` where they can,
    none above :data:`MAX_SHRINK` of its room (largest remainders get the spare minutes)."""
    most = caps(room)
    total = sum(room.values())
    if total <= 0 or need <= 0:
        return {}
    exact = {i: need * r / total for i, r in room.items()}
    cuts = {i: min(most[i], int(exact[i] // MINUTE_S) * MINUTE_S) for i in room}
    spare = min(need, sum(most.values())) - sum(cuts.values())
    by_remainder = sorted(room, key=lambda i: (-(exact[i] - cuts[i]), i))
    while spare >= MINUTE_S:
        moved = False
        for i in by_remainder:
            if spare >= MINUTE_S and cuts[i] + MINUTE_S <= most[i]:
                cuts[i] += MINUTE_S
                spare -= MINUTE_S
                moved = True
        if not moved:
            break
    return {i: cut for i, cut in cuts.items() if cut > 0}


def caps(room: Mapping[int, float]) -> dict[int, int]:
    """The most taken from each: :data:`MAX_SHRINK` of its room, to the nearest whole
    minute (half a 15-minute segment is 8 minutes), never more than it has."""
    return {
        i: min(
            int(r // MINUTE_S) * MINUTE_S,
            math.floor(r * MAX_SHRINK / MINUTE_S + 0.5) * MINUTE_S,
        )
        for i, r in room.items()
    }
