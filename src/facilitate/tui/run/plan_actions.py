"""The day's plan on the run screen: how a late (or early) start is timed, and re-planning.

The question about the start is asked once, when the day starts more than ten
minutes away from the agenda's ``start`` (on opening a late session, or at the
first space); ``n`` proposes a re-plan of the rest of the day at any time. The
rules are the core's (``commands.plan``, ``replan``); this turns them into
dialogs and records what the facilitator accepts. A segment that asks for a
reflection reminds the facilitator as it ends; ``w`` opens it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from facilitate import commands
from facilitate.commands.plan import planned_start
from facilitate.events import DayStartChosen, PlanChanged
from facilitate.minutes import clock, minutes
from facilitate.tui.run.owner import Outcome
from facilitate.tui.run.side import SideScreen

if TYPE_CHECKING:
    from facilitate.tui.dialogs.reflection import ReflectionResult

START_CHOICES = (
    commands.ChooseStart(shift=True),
    commands.ChooseStart(shift=True, shift_fixed=True),
    commands.ChooseStart(shift=False),
)


def _hhmm(moment: datetime, tz: tzinfo) -> str:
    return clock(moment, tz)  # the nearest minute, as the minutes beside it are counted


class PlanScreen(SideScreen):
    control: bool
    hide_lateness = False  # on the projector opened with p (h there changes it)
    reflection_due: int | None = None  # a segment left that asks for a reflection
    # `run --start` moved the plan before the screen opened: propose a re-plan once it is
    # up, as answering the start question does (the app sets it).
    propose_on_open = False

    def on_mount(self) -> None:
        if self.propose_on_open and self.control and not self.live.read_only:
            self.call_after_refresh(self.replan, after_start=True)

    # -- the start, and the end --

    def quitting(self) -> Outcome:
        """The facilitator quits: a running clock stops now, journaled like any pause
        (``commands.Quit``), so the session reads as paused from this moment on, not as
        interrupted at its last note; ``resume`` carries on from here. What was recorded
        (None: the clock was not running, or it is not this terminal's to stop)."""
        if not self.control or self.live.read_only:
            return None
        return self.execute(commands.Quit(), quiet=True)

    def ask_start(self, then: Callable[[], object] | None = None) -> bool:
        """Ask how to time the day when it starts well away from its planned start.
        True when the question is on screen (``then`` runs once it is answered)."""
        world = self.world()
        away = commands.start_question(world)
        planned = planned_start(world)
        if not self.control or self.live.read_only or away is None or planned is None:
            return False
        from facilitate.tui.dialogs.choice import ChoiceScreen

        off = abs(minutes(away.total_seconds()))
        later = away.total_seconds() > 0
        question = (
            f"The plan starts at {_hhmm(planned, world.tz)} and it is "
            f"{_hhmm(world.now, world.tz)}, {off} min {'later' if later else 'earlier'}. "
            "How should the day be timed?"
        )
        ahead = [
            seg.title
            for seg in world.agenda.segments
            if seg.at is not None and seg.at > world.now.astimezone(world.tz).time()
        ]
        pinned = ", ".join(ahead[:3]) + ("..." if len(ahead) > 3 else "")
        keeps = f"{pinned} keep their clock times" if ahead else "every fixed time has passed"
        items = [
            f"Start the plan now ({keeps})",
            "Shift the whole plan to now, fixed times too",
            f"Keep the planned times (the day is {off} min {'behind' if later else 'ahead'})",
        ]

        def chosen(index: int | None) -> None:
            if index is None or index < 0:
                return
            outcome = self.execute(START_CHOICES[index])
            if not isinstance(outcome, DayStartChosen):
                return
            if then is not None:
                then()
            if outcome.shift:
                self.replan(after_start=True)

        self.open_dialog(ChoiceScreen(question, items), chosen)
        return True

    # -- re-planning --

    def action_replan(self) -> None:
        self.replan()

    def replan(self, *, after_start: bool = False) -> None:
        """Propose a re-plan of the rest of the day; after a start is moved, only when the
        moved plan misses a fixed time."""
        from facilitate.replan import as_is, propose
        from facilitate.tui.dialogs.replan import (
            ReplanAnswer,
            ReplanScreen,
            default_reason,
            replan_headline,
        )

        world = self.world()
        if world.ended:
            self.notify(commands.ENDED.reason, severity="warning")
            return
        agenda, state, now, tz = world.agenda, world.state, world.now, world.tz
        before = as_is(agenda, state, now, tz)
        proposal = propose(agenda, state, now, tz)
        if after_start and not proposal.changed:
            # From the start chosen (run --start 21:00 at 20:33), not from the moment asked.
            met = "every fixed time ahead is met" if proposal.fixed else "no fixed time is ahead"
            self.notify(f"The plan now runs from {_hhmm(proposal.begins, tz)}; {met}.")
            return
        reason = default_reason(agenda, before, tz)
        if after_start:
            reason = f"late start: {reason}" if reason else "late start"

        def answered(answer: ReplanAnswer | None) -> None:
            if answer is None:
                return
            intent = commands.Replan(answer.lengths, answer.dropped, answer.reason)
            if isinstance(self.execute(intent), PlanChanged):
                self.notify("Re-planned: the agenda shows the new times.", timeout=4)

        headline = replan_headline(agenda, before, proposal, tz)
        dialog = ReplanScreen(
            agenda, state, now, tz, proposal, headline=headline, reason=reason, before=before
        )
        self.open_dialog(dialog, answered)

    # -- the projector --

    def action_projector(self) -> None:
        from facilitate.tui.run.projector import ProjectorScreen

        def closed(hide: bool | None) -> None:
            if hide is not None:
                self.hide_lateness = hide

        screen = ProjectorScreen(self.live, follow=False, hide_lateness=self.hide_lateness)
        self.open_dialog(screen, closed)

    # -- reflection: at the end of a segment that asks for it, or w --

    def action_reflect(self) -> None:
        """w: reflect on the segment that asked for it as it ended, else the current one
        (or the whole session once it has ended)."""
        due, self.reflection_due = self.reflection_due, None
        ended = self.live.state.ended_at is not None
        self.reflect(None if ended else due if due is not None else self.live.state.current)

    def reflect(self, segment: int | None) -> None:
        """Ask the facilitator and observer how collaborative it felt, then journal it."""
        if self.live.read_only:
            return
        title = None if segment is None else self.live.agenda.segments[segment].title

        def done(result: ReflectionResult | None) -> None:
            if result is not None:
                self.execute(commands.Reflect(segment, result.rating, result.felt, result.change))

        from facilitate.tui.dialogs.reflection import ReflectionScreen

        self.open_dialog(ReflectionScreen(title), done)
