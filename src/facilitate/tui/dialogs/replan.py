"""The re-plan, segment by segment: see the proposal, change it, accept or reject it.

The proposal comes from the core (``replan.propose``); every change the facilitator
makes is forecast again with ``replan.evaluate``, so the fixed times line always
says whether lunch and the close are met. Accepting hands back the lengths, the
segments left out and the reason; the run screen records it (``commands.Replan``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from facilitate.agenda import Agenda, format_duration
from facilitate.minutes import clock, minutes
from facilitate.replan import Item, Proposal, evaluate, may_leave_out
from facilitate.state import SessionState
from facilitate.tui.key_order import KeyOrderApp
from facilitate.tui.keys import REPLAN, bindings
from facilitate.tui.widgets.line import Line
from facilitate.tui.widgets.row_table import Cell, RowTable

COLUMNS = (("Start", 6), ("Segment", None), ("Agreed", 8), ("New", 8), ("", 13))
STEP_S = 60
COMPACT_BELOW = 32  # rows: below this the box drops its padding and margins to fit
# The keys of the rows: any other letter typed on them is the start of the reason.
ROW_KEYS = {name for key in REPLAN for name in key.keys.split(",")}
ROWS_HINT = (
    "↑↓ segment · + - a minute, > < five · d leave out / put back · p the proposal "
    "again · tab: the reason · enter accepts · esc rejects"
)
REASON_HINT = (
    "type why the day is re-planned · ↑↓ look through the rows · tab: change them "
    "(+ - > < d p) · enter accepts · esc rejects"
)
# In the reason, these keys move the rows' highlight: the proposal can be read while typing.
LOOK_KEYS = {
    "up": ("move", -1),
    "down": ("move", 1),
    "pageup": ("page", -1),
    "pagedown": ("page", 1),
}


@dataclass(frozen=True)
class ReplanAnswer:
    lengths: dict[int, int]
    dropped: frozenset[int]
    reason: str


def outcome_text(agenda: Agenda, proposal: Proposal, tz: tzinfo) -> str:
    """Each fixed time ahead: met, or how late this plan reaches it (markup)."""
    parts = []
    for fixed in proposal.fixed:
        title = agenda.segments[fixed.segment].title
        at = hhmm(fixed.at, tz)
        late = minutes(fixed.late_s)
        if late:
            when = hhmm(fixed.forecast, tz)
            parts.append(f"[b $error]{title} {when}, {late} min late[/]")
        else:
            parts.append(f"[$success]{title} {at} ✓[/]")
    end = f"day ends {hhmm(proposal.end, tz)}"
    return " · ".join([*parts, end])


def replan_headline(agenda: Agenda, before: Proposal, proposal: Proposal, tz: tzinfo) -> str:
    """Why a re-plan is proposed and what it does, in a sentence or two."""
    late = before.late
    if late is None:
        if not before.fixed:
            return "No fixed time lies ahead: change lengths as the room agrees."
        first = before.fixed[0]
        ready = max(item.end for item in before.items if item.segment < first.segment)
        spare = max(0, minutes((first.at - ready).total_seconds()))
        title = agenda.segments[first.segment].title
        return f"Every fixed time ahead is met ({spare} min to spare before {title})."
    title = agenda.segments[late.segment].title
    text = f"{title} at {hhmm(late.at, tz)} is forecast {minutes(late.late_s)} min late."
    # What the facilitator loses: a break whose time has gone by is over, not lost.
    left_out, shortened = len(proposal.left_out), len(proposal.shortened)
    lost = f"{format_duration(proposal.lost_s)} lost in all"
    if left_out:
        also = f" and {shortened} shortened" if shortened else ""
        text += (
            f" Shortening by at most half is not enough: {left_out} segment"
            f"{'s' if left_out > 1 else ''} left out{also}, {lost}."
        )
    elif shortened:
        text += (
            f" {shortened} flexible segment{'s are' if shortened > 1 else ' is'} shortened "
            f"in proportion, {lost}; breaks ahead are kept."
        )
    over = [
        f"{passed_names(agenda, passed)} {what}"
        for dropped, what in ((True, "left out"), (False, "shortened"))
        if (passed := proposal.cut(dropped=dropped, lapsed=True))
    ]
    if over:
        text += f" Already over: {'; '.join(over)}."
    still = proposal.late
    if still is not None:
        missed = agenda.segments[still.segment].title
        text += f" Even so, {missed} cannot be met: {minutes(still.late_s)} min late."
    return text


def passed_names(agenda: Agenda, segments: frozenset[int]) -> str:
    """Breaks by title and planned time: "Refreshment break (11:20) and Lunch (12:30)"."""
    names = []
    for i in sorted(segments):
        seg = agenda.segments[i]
        names.append(seg.title + (f" ({seg.at:%H:%M})" if seg.at is not None else ""))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def default_reason(agenda: Agenda, before: Proposal, tz: tzinfo) -> str:
    late = before.late
    if late is None:
        return ""
    title = agenda.segments[late.segment].title
    return f"{title} at {hhmm(late.at, tz)} was forecast {minutes(late.late_s)} min late"


def hhmm(moment: datetime, tz: tzinfo) -> str:
    return clock(moment, tz)  # the nearest minute, as every minute of the day is said


class ReplanScreen(ModalScreen[ReplanAnswer | None]):
    """Rows are the rest of the day; + and - change the highlighted one, d leaves it out."""

    BINDINGS = bindings(REPLAN)

    def __init__(
        self,
        agenda: Agenda,
        state: SessionState,
        now: datetime,
        tz: tzinfo,
        proposal: Proposal,
        *,
        headline: str,
        reason: str,
        before: Proposal | None = None,
    ) -> None:
        super().__init__(classes="dialog")
        self.agenda, self.state, self.now, self.tz = agenda, state, now, tz
        self.proposed = proposal
        self.proposal = proposal
        self.headline, self.reason = headline, reason
        self.before = before  # the day as it stands: the headline follows the changes made
        self.lengths = dict(proposal.lengths)
        self.dropped = set(proposal.dropped)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box replan-box"):
            yield Label(
                f"Re-plan the rest of the day from {hhmm(self.proposed.begins, self.tz)}",
                classes="dialog-question",
            )
            yield Label(self.headline, id="replan-headline", markup=False)
            yield RowTable(COLUMNS, id="replan-rows")
            yield Line(id="replan-outcome")
            # Typing adds to the suggested reason (it is not selected, so not replaced).
            yield Input(
                self.reason,
                placeholder="why the day is re-planned",
                id="replan-reason",
                select_on_focus=False,
            )
            yield Label(f"[dim]{ROWS_HINT}[/]", classes="replan-keys")

    def on_mount(self) -> None:
        table = self.query_one(RowTable)
        table.set_rows([str(item.segment) for item in self.proposal.items], self._row)
        self._show()
        # The keyboard starts in the reason: a sentence typed at once is the reason, and
        # only a Tab to the rows makes + - > < d p change the plan.
        self.set_focus(self.query_one("#replan-reason", Input))

    def on_descendant_focus(self) -> None:
        """The keys line says what the keys do where the keyboard is now."""
        reason = isinstance(self.focused, Input)
        hint = REASON_HINT if reason else ROWS_HINT
        self.query_one(".replan-keys", Label).update(f"[dim]{hint}[/]")

    def on_key(self, event: events.Key) -> None:
        """In the reason, the arrows and page keys move the rows' highlight. A letter that
        is none of the rows' keys, typed on the rows, starts the reason:
        a sentence typed there is not taken as keys (its "d" leaving a segment out). The
        keys typed with it, already on their way to the rows, follow it into the box."""
        if isinstance(self.focused, Input) and event.key in LOOK_KEYS:
            event.stop()
            event.prevent_default()
            action, step = LOOK_KEYS[event.key]
            table = self.query_one(RowTable)
            table.action_move(step) if action == "move" else table.action_page(step)
            return
        if not event.is_printable or event.character is None:
            return
        if isinstance(self.focused, Input):  # (the box takes its own: this came via the rows)
            event.stop()
            event.prevent_default()
            if isinstance(self.app, KeyOrderApp):
                self.app.hand_back(event)
            return
        if not isinstance(self.focused, RowTable) or event.character == " ":
            return
        if event.key in ROW_KEYS:
            return
        event.stop()
        event.prevent_default()
        box = self.query_one("#replan-reason", Input)
        self.set_focus(box)
        box.cursor_position = len(box.value)
        if box.value and not box.value.endswith((" ", ";", ",", ".", ":")):
            box.insert_text_at_cursor("; ")  # after the suggested reason, not glued to it
        box.insert_text_at_cursor(event.character)

    def on_resize(self) -> None:
        self.set_class(self.size.height < COMPACT_BELOW, "-compact")
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        """Give the rows what the screen has left once the headline, the fixed times, the
        reason and the keys are shown: the rows scroll, the rest is always in sight."""
        box = self.query_one(".replan-box")
        table = self.query_one(RowTable)
        limit = box.styles.max_height
        room = self.size.height if limit is None else int(limit.resolve(self.size, self.size))
        room -= box.styles.gutter.height
        others = sum(w.outer_size.height for w in box.children if w is not table)
        rows = max(3, room - others - table.styles.margin.height)
        table.styles.max_height = rows

    # -- drawing --

    def _item(self, segment: int) -> Item:
        return next(item for item in self.proposal.items if item.segment == segment)

    def _row(self, key: str) -> list[Cell]:
        item = self._item(int(key))
        seg = self.agenda.segments[item.segment]
        start = f"{hhmm(item.start, self.tz)}{'@' if item.fixed else ''}"
        before = "left out" if item.was_dropped else format_duration(item.before_s)
        if item.dropped:
            after = Text("left out", style="bold")
        else:
            after = Text(format_duration(item.after_s), style="bold" if item.changed else "")
        if item.lapsed:
            note = "time passed"  # a break whose slot has gone by: kept whole or left out
        elif item.segment == self.state.current:
            note = f"now {max(0, minutes(item.after_s - item.elapsed_s))}m left"
        elif not seg.flexible:
            note = "break" if seg.kind == "break" else "protected"
        else:
            note = ""
        return [start, seg.title, before, after, note]

    def _show(self) -> None:
        self.proposal = evaluate(
            self.agenda, self.state, self.now, self.tz, self.lengths, self.dropped
        )
        self.query_one(RowTable).refresh_rows()
        if self.before is not None:
            headline = replan_headline(self.agenda, self.before, self.proposal, self.tz)
            self.query_one("#replan-headline", Label).update(headline)
        self.query_one("#replan-outcome", Line).text = outcome_text(
            self.agenda, self.proposal, self.tz
        )
        self.call_after_refresh(self._fit)  # the fixed times may take more or fewer lines

    # -- changing the proposal --

    def _highlighted(self) -> int | None:
        key = self.query_one(RowTable).cursor_key
        return None if key is None else int(key)

    def action_adjust(self, seconds: int) -> None:
        segment = self._highlighted()
        if segment is None:
            return
        if segment in self.dropped:
            self.dropped.discard(segment)
        self.lengths[segment] = max(0, self.lengths[segment] + seconds)
        if self.lengths[segment] == 0 and may_leave_out(self.state, self.now, segment):
            self.dropped.add(segment)  # no time at all is leaving it out: say so
        self._show()

    def action_drop(self) -> None:
        segment = self._highlighted()
        if segment is None:
            return
        if not may_leave_out(self.state, self.now, segment):
            self.notify("The current segment has begun: shorten it with -.")
            return
        if segment in self.dropped:
            self.dropped.discard(segment)
            if self.lengths[segment] == 0:
                self.lengths[segment] = self.agenda.segments[segment].duration_s
        else:
            self.dropped.add(segment)
        self._show()

    def action_proposal(self) -> None:
        self.lengths = dict(self.proposed.lengths)
        self.dropped = set(self.proposed.dropped)
        self._show()

    # -- answering --

    @on(RowTable.Selected)
    def _selected(self) -> None:
        self.action_accept()

    @on(Input.Submitted, "#replan-reason")
    def _reason_entered(self) -> None:
        self.action_accept()

    def action_accept(self) -> None:
        reason = self.query_one("#replan-reason", Input).value.strip()
        if not reason:
            self.notify("Say why the day is re-planned: it goes in the report.")
            self.set_focus(self.query_one("#replan-reason", Input))
            return
        kept = {i: length for i, length in self.lengths.items() if i not in self.dropped}
        self.dismiss(ReplanAnswer(kept, frozenset(self.dropped), reason))

    def action_reject(self) -> None:
        self.dismiss(None)
