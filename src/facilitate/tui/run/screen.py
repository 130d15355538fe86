"""The run screen: agenda, big countdown, notes and side panels, all driven by events.

Keys and widget messages become command intents; :meth:`RunScreen.execute`
asks the core to decide (``facilitate.commands``) and records the event, the
only write path there is. The screen then renders from the reduced state:
attributes go down to the widgets, messages come up. The tick reads "now",
folds in other terminals' events and wakes just after the countdown's next
second turns over.
"""

from __future__ import annotations

from typing import Any

from textual import events, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical

from facilitate import commands
from facilitate.agenda import format_duration
from facilitate.events import (
    Event,
    SegmentChanged,
    SegmentRestarted,
    SessionEnded,
    TimerPaused,
    TimerStarted,
)
from facilitate.live import LiveSession
from facilitate.schedule import Snapshot, next_change_s
from facilitate.tui.keys import RUN, Key, bindings
from facilitate.tui.run.agenda_list import AgendaList
from facilitate.tui.run.brief import Brief, BriefAndNotes
from facilitate.tui.run.capture import CaptureBar
from facilitate.tui.run.keeper import KeeperWatch
from facilitate.tui.run.layout import LayoutScreen
from facilitate.tui.run.notes_log import LogView, NotesLog
from facilitate.tui.run.owner import Outcome
from facilitate.tui.run.side import PanelFactory
from facilitate.tui.run.timer_face import FLASH_S, TimerFace, ZeroWatch, level_classes
from facilitate.tui.run.topbar import (
    PressureLine,
    TopBar,
    now_next_text,
    pressure_text,
    topbar_text,
)
from facilitate.tui.widgets.keybar import KeyBar
from facilitate.tui.widgets.line import Bar

# Dialogs, the projector and the reflection form are imported when first used: none is
# in the first frame, and importing them would delay it.

# Ticks only decide when to look; what is shown is always computed from "now".
TICK_MAX_S = 1.0
TICK_MARGIN_S = 0.02
RETRY_EVERY_TICKS = 2
SUMMARY_EVERY_TICKS = 30
TIMER_EVENTS = (TimerStarted, TimerPaused, SegmentChanged, SegmentRestarted, SessionEnded)
TIMER_ACTIONS = {key.name for key in RUN if key.timer}
# Everything the run screen's own keys do: while a note is typed, those keys are text.
SCREEN_ACTIONS = {key.name for key in RUN} - {"leave_entry"}
# In a side panel (or the brief) only these of the screen's keys apply; the rest are the
# panel's own, or nothing: never the timer, a dialog or a note.
PANEL_ACTIONS = {"panel", "help", "leave_panel"}
BRIEF_ACTIONS = {"brief", "help", "leave_panel"}
# These act on the highlighted note of the log, so only while the log has the keyboard.
LOG_ACTIONS = {"edit_note", "delete_note"}


def tick_delay(snap: Snapshot) -> float:
    """Wake just after the shown countdown next changes (or once a second while paused)."""
    if not snap.running:
        return TICK_MAX_S
    return next_change_s(snap.remaining_s, most=TICK_MAX_S) + TICK_MARGIN_S


def clock_corrected_text(offset_s: float) -> str:
    way = "forward" if offset_s > 0 else "back"
    return (
        f"The computer's clock was put {format_duration(abs(offset_s))} {way}. Times from "
        "now on follow it; notes already saved keep theirs, and the timer is unchanged."
    )


class RunScreen(LayoutScreen):
    KEYS: tuple[Key, ...] = RUN
    BINDINGS = bindings(RUN)

    def __init__(
        self,
        live: LiveSession,
        *,
        control: bool,
        bell: bool = True,
        panels: PanelFactory | None = None,
        ask_name: bool = False,
    ) -> None:
        super().__init__(live)
        self.ask_name = ask_name  # a browser scribe: who is writing, for the minutes
        self.panel_factory = panels  # builds a side panel when first opened
        self.control = control
        live.timekeeper = control  # its clock's corrections move the running segment's start
        self.bell_on = bell and live.agenda.bell
        self._ticks = 0
        self._zero = ZeroWatch()
        self._summary_events = -1
        self._segment_seen = live.state.current
        self._ended_seen = live.state.ended_at is not None
        self._from_palette = False
        self._shown = False
        # A scribe's terminal says when the facilitator's is gone (nobody keeps the time).
        self._keeper = None if control else KeeperWatch(live.folder)

    # -- layout --

    def compose(self) -> ComposeResult:
        yield TopBar(id="topbar")
        with Horizontal(id="body"):
            yield AgendaList(self.live.agenda, self.live.tz, id="agenda")
            with Vertical(id="main"):
                # Born with its level's classes, so the first frame needs no restyle.
                classes = " ".join(sorted(level_classes(self.live.snapshot())))
                yield TimerFace(id="timer", classes=classes)
                yield Bar(id="nownext", markup=False)
                yield PressureLine(id="pressure", markup=False)
                yield Bar(id="panel-line", markup=False)  # a panel folded on a narrow screen
                with BriefAndNotes(id="brief-and-notes"):
                    yield Brief(id="brief")
                    yield NotesLog(self.live.state, self.live.tz, id="log")
                yield CaptureBar(id="capture")
            yield Vertical(id="side")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        self.log_widget.border_title = "Notes"
        self.query_one("#agenda", AgendaList).border_title = self.live.agenda.title
        if not self.control:
            self.sub_title = "scribe view: the facilitator drives the timer"
        self.capture.segment = self.live.agenda.segments[self.live.state.current]
        # The suggested panel opens just after the first frame, which stays light.
        self.call_after_refresh(
            self.suggest_panel, self.live.agenda.segments[self.live.state.current].panel
        )
        self.call_after_refresh(self.save_summary)
        if self.ask_name:
            self.call_after_refresh(self.ask_writer_name)
        self.render_state()
        # A scribe's terminal types from the start; the facilitator's starts on its keys.
        self.set_focus(self.log_widget if self.control else self.capture.entry)
        self._schedule_tick(TICK_MAX_S)
        # A day opened well after its planned start: ask how to time it (once the screen
        # is up: the first frame stays light).
        away = commands.start_question(self.world())
        if away is not None and away.total_seconds() > 0:
            self.call_after_refresh(self.ask_start)

    def on_descendant_focus(self) -> None:
        """The keyboard moved (typing or keys): the clock's hint says what space does."""
        if self._shown:
            self.render_state()

    def on_screen_suspend(self) -> None:
        """A dialog or another view is over this screen: the footer says the keys are its."""
        self.query_one(KeyBar).show_keys()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Back from a dialog, the palette, the projector or the day's notes: the keyboard
        is the note box's (dialogs opened from here already moved it there)."""
        if self._shown and not self.in_side(self.focused):
            self.set_focus(self.capture.entry)
        self._shown = True
        self.query_one(KeyBar).show_keys()

    # -- the tick: time passes, other terminals write --

    def tick(self) -> None:
        self._ticks += 1
        self.live.poll()
        self.say_warnings()
        offset = self.live.clock_notice()
        if offset is not None:
            self.notify(clock_corrected_text(offset), timeout=12, markup=False)
        if self.live.pending and self._ticks % RETRY_EVERY_TICKS == 0:
            self.live.retry()
            self.saved_or_not()
        self.live.verify()  # a deleted folder or journal: put back and written again
        if self.say_repairs():
            self._summary_events = -1  # the summary may have gone with the folder
            self.save_summary()
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
        if snap.ended != self._ended_seen:
            self._ended_seen = snap.ended
            self.refresh_bindings()  # the timer keys do nothing now: the footer drops them
        away = self._keeper is not None and self._keeper.away()
        self.face.show(
            segment, snap, follower=not self.control, keeper_away=away, typing=self.typing
        )
        private = self.control or segment.notes_for_scribes
        self.brief.show(segment, private=private)
        self.now_next.text = now_next_text(live.agenda, snap, live.tz)
        self.agenda_list.show(snap, live.state.event_count)
        self.log_widget.view = LogView(
            snap.current, live.state.event_count, frozenset(live.unsaved_note_ids())
        )
        self.topbar.text = topbar_text(live, snap, control=self.control)
        self.pressure.text = pressure_text(
            live.agenda, snap, live.tz, control=self.control, brief=self.has_class("-low")
        )
        self.capture.today = live.now().astimezone(live.tz).date()
        self.capture.person = self.person_now()
        self.side_changed(live.state.event_count)  # the panels' revision; a folded line
        self._alert(snap)
        return snap

    def _alert(self, snap: Snapshot) -> None:
        """Bell and flash once when a running segment reaches zero."""
        if self._zero.crossed(snap):
            if self.bell_on:
                self.app.bell()
            self.add_class("-flash")
            self.set_timer(FLASH_S, lambda: self.remove_class("-flash"))

    def _on_segment_changed(self) -> None:
        segment = self.live.agenda.segments[self.live.state.current]
        self.capture.segment = segment
        kept, cleared = self.capture.context.for_segment(segment)
        if cleared:
            self.set_context(kept)
            self.notify(f"New segment: cleared {', '.join(cleared)}.", timeout=4)
        if segment.panel:
            self.suggest_panel(segment.panel)
        self.save_summary()

    # -- after every recorded event --

    def recorded(self, event: Event) -> None:
        self.render_state()
        if isinstance(event, TIMER_EVENTS):
            # `sessions`, the launcher and review read the summary: keep its status true.
            self.save_summary()

    def save_summary(self) -> None:
        """`sessions`, the launcher and review read the summary: rewrite it (on a worker
        thread: a slow or network disk must not stall the countdown) when anything changed."""
        revision = self.live.state.event_count
        if not self.control or revision == self._summary_events:
            return  # only the process that drives the timer writes the summary
        self._summary_events = revision
        self._write_summary(self.live.summary(), revision)

    @work(thread=True, group="summary")
    def _write_summary(self, data: dict[str, Any], revision: int) -> None:
        try:
            self.live.save_summary(data, revision=revision)
        except OSError as exc:
            self._summary_events = -1  # try again at the next change or tick
            why = f"Could not update summary.toml: {exc.strerror or exc}"
            self.app.call_from_thread(self.notify, why, severity="warning", markup=False)

    # -- who may press what --

    def allows(self, action: str) -> bool:
        """Timer controls are the facilitator's: a scribe's screen follows but cannot drive.
        Once the session has ended they do nothing, so they are not offered either."""
        if action not in TIMER_ACTIONS:
            return True
        return self.control and self.live.state.ended_at is None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Which of the screen's keys apply in the keyboard's mode. TYPING: none but escape
        (the box takes the rest as text, and an arrow typed ahead cannot move the timer).
        PANEL: l, m, c, ? and escape; BRIEF: b, ? and escape; the rest are theirs, or
        nothing. KEYS: all, timer keys for the facilitator only; edit and delete with a
        note highlighted."""
        if action not in SCREEN_ACTIONS | {"leave_entry"} or self._from_palette:
            return self.allows(action)
        mode = self.keyboard_mode
        if action == "leave_entry":
            return mode == "TYPING"
        if mode == "TYPING":
            return False
        if mode == "PANEL" and action not in PANEL_ACTIONS:
            return False
        if mode == "BRIEF" and action not in BRIEF_ACTIONS:
            return False
        if action == "leave_panel":
            return mode in ("PANEL", "BRIEF")
        if action in LOG_ACTIONS:
            log = self.focused
            return isinstance(log, NotesLog) and log.highlighted is not None
        return self.allows(action)

    async def run_from_palette(self, action: str) -> None:
        """The palette names a command outright: it runs even while the note box has focus."""
        self._from_palette = True
        try:
            await self.run_action(action)
        finally:
            self._from_palette = False

    # -- timer controls --

    def action_start_pause(self) -> None:
        if not self.ask_start(then=lambda: self.execute(commands.Toggle())):
            self.execute(commands.Toggle())

    def action_next(self) -> None:
        state = self.live.state
        leaving = self.live.agenda.segments[state.current]
        if state.ended_at is None and state.current + 1 >= state.segment_count:
            self.action_end_session()
            return
        if self.execute(commands.Next()) is not None and leaving.reflection:
            # Asked, not opened: a dialog that appeared on its own would take the words
            # a scribe types next (and read their digits as a rating).
            self.reflection_due = leaving.index
            self.notify(
                f"Time to reflect on '{leaving.title}': w when you are ready.",
                title="Reflection",
                timeout=10,
                markup=False,
            )

    def action_previous(self) -> None:
        self.execute(commands.Previous())

    def action_adjust(self, minutes: int) -> None:
        self.execute(commands.Adjust(minutes))

    def action_jump(self) -> None:
        from facilitate.tui.dialogs.choice import ChoiceScreen

        segments, runs = self.live.agenda.segments, self.live.state.runs
        titles = [s.title + (" (left out)" if runs[s.index].dropped else "") for s in segments]

        def chosen(index: int | None) -> None:
            if index is not None and index >= 0:
                self.execute(commands.GoTo(index))

        self.open_dialog(
            ChoiceScreen("Go to segment", titles, current=self.live.state.current), chosen
        )

    def action_restart(self) -> None:
        title = self.live.agenda.segments[self.live.state.current].title
        self.confirm(f"Restart '{title}' from zero?", "Restart", "Keep", commands.Restart())

    def action_end_session(self) -> None:
        def ended(event: Outcome) -> None:
            if isinstance(event, SessionEnded):
                self.reflection_due = None
                self.notify(
                    "The session has ended: w to reflect on the whole day.",
                    title="Reflection",
                    timeout=10,
                )

        self.confirm(
            "End the session now? Times stop here.", "End", "Not yet", commands.End(), ended
        )

    def action_brief(self) -> None:
        """b: the brief takes the keyboard to scroll (b or escape gives it back)."""
        brief = self.brief
        if brief.has_focus:
            self.action_leave_panel()
        else:
            if not self.in_side(self.focused):
                self._before_panel = self.focused
            self.set_focus(brief)

    # -- help --

    def action_help(self) -> None:
        from facilitate.tui.dialogs.help import HelpScreen

        self.open_dialog(HelpScreen(self.KEYS, self.allows))
