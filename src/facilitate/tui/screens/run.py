"""The run screen: agenda, big countdown, notes and side panels, all driven by events.

Every key that changes something builds an event (see ``facilitate.commands.timer``)
and hands it to ``LiveSession.record``; the screen then re-renders from the
reduced state. A half-second tick reads "now", folds in other terminals'
events and refreshes only the widgets whose text changed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from facilitate.commands import timer as controls
from facilitate.events import (
    Event,
    ReflectionRecorded,
    SegmentChanged,
    SegmentRestarted,
    SessionEnded,
    TimerPaused,
    TimerStarted,
)
from facilitate.live import LiveSession
from facilitate.schedule import Snapshot, format_slip, next_change_s
from facilitate.tui.screens.capture import CaptureActions
from facilitate.tui.widgets.agenda_list import AgendaList
from facilitate.tui.widgets.note_entry import NoteEntry
from facilitate.tui.widgets.notes_log import NotesLog
from facilitate.tui.widgets.text import set_text
from facilitate.tui.widgets.timer_face import TimerFace, level_classes

if TYPE_CHECKING:
    from facilitate.reference import ReferenceModel
    from facilitate.tui.screens.reflection import ReflectionResult
    from facilitate.tui.widgets.panels import ObservationPanel

# Panels, dialogs and the reflection form are imported when first used: none is in the
# first frame, and importing them would delay it.

# Ticks only decide when to look; what is shown is always computed from "now".
TICK_MAX_S = 1.0
TICK_MARGIN_S = 0.02
RETRY_EVERY_TICKS = 2
SUMMARY_EVERY_TICKS = 30
TIMER_EVENTS = (TimerStarted, TimerPaused, SegmentChanged, SegmentRestarted, SessionEnded)
TIMER_ACTIONS = {"toggle", "next", "previous", "adjust", "jump", "restart", "end_session"}


def tick_delay(snap: Snapshot) -> float:
    """Wake just after the shown countdown next changes (or once a second while paused)."""
    if not snap.running:
        return TICK_MAX_S
    return next_change_s(snap.remaining_s, most=TICK_MAX_S) + TICK_MARGIN_S


class RunScreen(CaptureActions, Screen[None]):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        # Help first: the footer is cut at the right on a narrow terminal.
        Binding("question_mark", "help", "Help"),
        Binding("space", "toggle", "Start/Pause"),
        Binding("right,right_square_bracket", "next", "Next"),
        Binding("left,left_square_bracket", "previous", "Prev"),
        Binding("plus,equals_sign", "adjust(1)", "+1m"),
        Binding("minus", "adjust(-1)", "-1m"),
        Binding("greater_than_sign", "adjust(5)", "+5m", show=False),
        Binding("less_than_sign", "adjust(-5)", "-5m", show=False),
        Binding("g", "jump", "Go to", show=False),
        Binding("r", "restart", "Restart segment", show=False),
        Binding("E", "end_session", "End session", show=False),
        Binding("i", "focus_entry", "Note"),
        Binding("escape", "leave_entry", "Done typing"),
        Binding("t", "filter", "Filter notes", show=False),
        Binding("o", "pick_role", "Note as role", show=False),
        Binding("R", "assign_roles", "Assign roles", show=False),
        Binding("f", "pick_category", "Feedback category", show=False),
        Binding("0", "group(0)", "No group", show=False),
        *[Binding(str(n), f"group({n})", f"Group {n}", show=False) for n in range(1, 10)],
        Binding("l", "panel('lifecycle')", "Lifecycle"),
        Binding("m", "panel('mobius')", "Mobius"),
        Binding("c", "panel('checklist')", "Checklist"),
        Binding("w", "reflect", "Reflect", show=False),
        Binding("p", "projector", "Projector", show=False),
    ]

    def __init__(
        self,
        live: LiveSession,
        *,
        control: bool,
        bell: bool = True,
        models: Callable[[], Sequence[ReferenceModel]] = tuple,
    ) -> None:
        super().__init__()
        self.live = live
        self.models = models  # read when a panel first opens
        self.control = control
        self.bell_on = bell and live.agenda.bell
        self.group: str | None = None
        self.role: str | None = None
        self.category: str | None = None
        self.editing: str | None = None
        self._ticks = 0
        self._rang: set[tuple[int, str]] = set()
        self._last_level: tuple[int, str] | None = None
        self._summary_events = -1
        self._segment_seen = live.state.current
        self._from_palette = False

    # -- layout --

    def compose(self) -> ComposeResult:
        yield Static("", id="topbar")
        with Horizontal(id="body"):
            yield AgendaList(self.live.agenda, self.live.tz, id="agenda")
            with Vertical(id="main"):
                # Born with its level's classes, so the first frame needs no restyle.
                classes = " ".join(sorted(level_classes(self.live.snapshot())))
                yield TimerFace(id="timer", classes=classes)
                yield Static("", id="pressure")
                yield NotesLog(self.live.tz, id="log")
                yield Label("", id="entry-context")
                yield NoteEntry(
                    placeholder="i: type a note · d: decision · a: action @owner "
                    "due:friday · q: question · f: feedback",
                    id="entry",
                )
            yield Vertical(id="side")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#log", NotesLog).border_title = "Notes"
        self.query_one("#agenda", AgendaList).border_title = self.live.agenda.title
        if not self.control:
            self.sub_title = "scribe view: the facilitator drives the timer"
        # The suggested panel opens just after the first frame, which stays light.
        self.call_after_refresh(
            self.show_panel, self.live.agenda.segments[self.live.state.current].panel
        )
        self.call_after_refresh(self.save_summary)
        self.render_state()
        self.query_one("#log", NotesLog).focus()
        self._schedule_tick(TICK_MAX_S)

    # -- the tick: time passes, other terminals write --

    def tick(self) -> None:
        self._ticks += 1
        self.live.poll()
        if self.live.pending and self._ticks % RETRY_EVERY_TICKS == 0:
            self.live.retry()
        if self._ticks % SUMMARY_EVERY_TICKS == 0:
            self.save_summary()
        snap = self.render_state()
        self._schedule_tick(tick_delay(snap))

    def _schedule_tick(self, delay: float) -> None:
        """One timer at a time, woken just after the countdown's next second turns over."""
        self.set_timer(delay, self.tick, name="tick")

    def render_state(self) -> Snapshot:
        live = self.live
        snap = live.snapshot()
        segment = live.agenda.segments[snap.current]
        if snap.current != self._segment_seen:
            self._segment_seen = snap.current
            self._on_segment_changed()
        self.query_one(TimerFace).show(segment, snap)
        self.query_one(AgendaList).show(snap)
        self.query_one(NotesLog).show(live.state, snap.current, self.unsaved_note_ids())
        self._render_topbar(snap)
        self._render_pressure(snap)
        self._render_context()
        self._alert(snap)
        for panel in self.panels():
            panel.refresh_from_state()
        return snap

    def _render_topbar(self, snap: Snapshot) -> None:
        tz = self.live.tz
        wall = self.live.clock.wall_now().astimezone(tz)  # HH:MM only: one change a minute
        forecast = f"ends {snap.forecast_end.astimezone(tz):%H:%M} ({format_slip(snap.slip_s)})"
        if self.live.pending:
            saved = (
                f"[b $error]NOT SAVED: {self.live.pending} waiting · "
                f"{escape(self.live.last_error or '')} · retrying[/]"
            )
        else:
            saved = "[dim]all saved[/]"
        who = "" if self.control else "[b]scribe[/] · "
        set_text(
            self.query_one("#topbar", Static),
            f"{who}{wall:%H:%M}  {forecast}  {saved}  [b]{escape(self.live.agenda.title)}[/]",
            layout=False,
        )

    def _render_pressure(self, snap: Snapshot) -> None:
        pressure = self.query_one("#pressure", Static)
        p = snap.pressure
        if p is None:
            pressure.display = False
            return
        segs = self.live.agenda.segments
        fixed = segs[p.segment]
        cuts = ", ".join(f"{segs[s.segment].title} -{s.cut_s // 60}m" for s in p.suggestions)
        text = f"{fixed.title} at {fixed.at:%H:%M} is {math.ceil(p.overrun_s / 60)} min at risk."
        if cuts:
            text += f" To catch up: {cuts}."
        if p.uncovered_s:
            text += f" Still {p.uncovered_s // 60} min short."
        set_text(pressure, escape(text))
        pressure.display = True

    def _render_context(self) -> None:
        parts = []
        if self.editing:
            parts.append("[b]editing a note[/] (escape cancels)")
        parts.append(f"group: {escape(self.group)}" if self.group else "")
        parts.append(f"as: {escape(self.role)}" if self.role else "")
        parts.append(f"feedback: {escape(self.category)}" if self.category else "")
        segment = self.live.agenda.segments[self.live.state.current]
        if segment.groups and not self.group:
            parts.append("[dim]1-9 picks a group[/]")
        set_text(
            self.query_one("#entry-context", Label), "  ".join(p for p in parts if p), layout=False
        )

    def _alert(self, snap: Snapshot) -> None:
        """Bell and flash once when a running segment reaches zero."""
        key = (snap.current, snap.level)
        crossed = snap.level == "overtime" and self._last_level == (snap.current, "warning")
        crossed = crossed or (
            snap.level == "overtime" and self._last_level == (snap.current, "normal")
        )
        self._last_level = key
        if crossed and snap.running and key not in self._rang:
            self._rang.add(key)
            if self.bell_on:
                self.app.bell()
            self.add_class("-flash")
            self.set_timer(1.0, lambda: self.remove_class("-flash"))

    def _on_segment_changed(self) -> None:
        segment = self.live.agenda.segments[self.live.state.current]
        if self.group not in segment.groups:
            self.group = None
        if self.role not in segment.roles:
            self.role = None
        if self.category not in segment.feedback:
            self.category = None
        if segment.panel:
            self.show_panel(segment.panel)
        self.save_summary()

    def unsaved_note_ids(self) -> set[str]:
        queue = self.live.queue
        if queue is None or not queue.pending:
            return set()
        return {f"{r['writer']}-{r['seq']}" for r in queue.pending if r.get("type") == "note_added"}

    # -- writing --

    def record(self, event: Event | None) -> None:
        if event is None:
            return
        if not self.live.record(event):
            self.warn_unsaved()
        self.render_state()
        if isinstance(event, TIMER_EVENTS):
            # `sessions`, the launcher and review read the summary: keep its status true.
            self.save_summary()

    def warn_unsaved(self) -> None:
        self.notify(
            f"Not saved yet: {self.live.last_error}. Kept in memory; retrying.",
            severity="error",
            timeout=8,
        )

    def save_summary(self) -> None:
        if self.live.read_only or self.live.state.event_count == self._summary_events:
            return
        try:
            self.live.save_summary()
            self._summary_events = self.live.state.event_count
        except OSError as exc:
            self.notify(f"Could not update summary.toml: {exc.strerror or exc}", severity="warning")

    def allows(self, action: str) -> bool:
        """Timer controls are the facilitator's: a scribe's screen follows but cannot drive."""
        return self.control or action not in TIMER_ACTIONS

    @property
    def typing(self) -> bool:
        return isinstance(self.focused, NoteEntry)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While a note is being typed its keys are text: the footer shows only how to leave,
        and a key that slips past the box (an arrow typed ahead) cannot move the timer."""
        if action == "leave_entry":
            return self.typing
        if self.typing and not self._from_palette and action in SCREEN_ACTIONS:
            return False
        return self.allows(action)

    async def run_from_palette(self, action: str) -> None:
        """The palette names a command outright: it runs even while the note box has focus."""
        self._from_palette = True
        try:
            await self.run_action(action)
        finally:
            self._from_palette = False

    # -- timer controls --

    def action_toggle(self) -> None:
        self.record(controls.toggle(self.live.state, self.live.now()))

    def action_next(self) -> None:
        state = self.live.state
        leaving = self.live.agenda.segments[state.current]
        if state.current + 1 >= state.segment_count:
            self.action_end_session()
            return
        self.record(controls.next_segment(state, self.live.now()))
        if leaving.reflection:
            self.reflect(leaving.index)

    def action_previous(self) -> None:
        self.record(controls.previous_segment(self.live.state, self.live.now()))

    def action_adjust(self, minutes: int) -> None:
        planned = self.live.agenda.segments[self.live.state.current].duration_s
        self.record(controls.adjust(self.live.state, minutes, self.live.now(), planned))

    def action_jump(self) -> None:
        from facilitate.tui.screens import dialogs

        titles = [f"{s.title}" for s in self.live.agenda.segments]

        def chosen(index: int | None) -> None:
            if index is not None and index >= 0:
                self.record(controls.go_to(self.live.state, index, self.live.now()))

        self.app.push_screen(
            dialogs.ChoiceScreen("Go to segment", titles, current=self.live.state.current), chosen
        )

    def action_restart(self) -> None:
        from facilitate.tui.screens import dialogs

        title = self.live.agenda.segments[self.live.state.current].title

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.record(controls.restart(self.live.state, self.live.now()))

        self.app.push_screen(
            dialogs.ConfirmScreen(f"Restart '{title}' from zero?", "Restart", "Keep"), confirmed
        )

    def action_end_session(self) -> None:
        from facilitate.tui.screens import dialogs

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.record(controls.end_session(self.live.state, self.live.now()))
                self.save_summary()
                self.reflect(None)

        self.app.push_screen(
            dialogs.ConfirmScreen("End the session now? Times stop here.", "End", "Not yet"),
            confirmed,
        )

    def action_projector(self) -> None:
        from facilitate.tui.screens.projector import ProjectorScreen

        self.app.push_screen(ProjectorScreen(self.live, follow=False))

    # -- side panels and reflection --

    def panels(self) -> list[ObservationPanel]:
        """The side panels opened so far (each stays mounted once opened)."""
        return list(self.query_one("#side").children)  # type: ignore[arg-type]

    def show_panel(self, name: str | None) -> None:
        """One observation panel (or none) in the side column; the countdown stays."""
        side = self.query_one("#side")
        if name is not None and not side.query(f"#panel-{name}"):
            from facilitate.tui.widgets.panels import PANELS

            side.mount(PANELS[name](self.live, self.models(), id=f"panel-{name}"))
        side.display = name is not None
        self.query_one(AgendaList).set_compact(name is not None)
        for panel in self.panels():
            panel.display = panel.id == f"panel-{name}"

    def action_panel(self, name: str) -> None:
        """l / m / c open that panel and focus it; the same key again closes it."""
        side = self.query_one("#side")
        opened = side.query(f"#panel-{name}")
        if side.display and opened and opened.first().display:
            self.show_panel(None)
            self.query_one("#log", NotesLog).focus()
        else:
            self.show_panel(name)
            self.call_after_refresh(self.query_one(f"#panel-{name}").focus)

    def on_observation_panel_recorded(self, message: ObservationPanel.Recorded) -> None:
        if not message.durable:
            self.warn_unsaved()
        self.render_state()

    def action_reflect(self) -> None:
        """w: reflect on the current segment now (or on the session once it has ended)."""
        ended = self.live.state.ended_at is not None
        self.reflect(None if ended else self.live.state.current)

    def reflect(self, segment: int | None) -> None:
        """Ask the facilitator and observer how collaborative it felt, then journal it."""
        if self.live.read_only:
            return
        title = None if segment is None else self.live.agenda.segments[segment].title

        def done(result: ReflectionResult | None) -> None:
            if result is not None:
                self.record(
                    ReflectionRecorded(
                        at=self.live.now(),
                        segment=segment,
                        rating=result.rating,
                        felt=result.felt,
                        change=result.change,
                    )
                )

        from facilitate.tui.screens.reflection import ReflectionScreen

        self.app.push_screen(ReflectionScreen(title), done)

    def action_help(self) -> None:
        from facilitate.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))


# Everything the run screen's own keys do: while a note is typed, those keys are text.
SCREEN_ACTIONS = {
    binding.action.split("(")[0] for binding in RunScreen.BINDINGS if isinstance(binding, Binding)
} - {"leave_entry"}
