"""The app's hold on the session whose timer it drives: the lock and the lease.

:class:`ControlKeeper` takes control through :func:`facilitate.control.take_control`,
renews the lease every few seconds on a worker thread (a slow network disk must
not stall the countdown), and steps down if another machine took over while
this one was not renewing (a laptop asleep past the lapse): the run screen then
follows the session as a scribe's would, and says so.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from functools import partial
from pathlib import Path
from typing import Any

from textual.app import App
from textual.screen import ModalScreen, Screen
from textual.timer import Timer

from facilitate.clock import SessionClock
from facilitate.control import RENEW_EVERY_S, Control, Holder, read_lease, take_control

Call = Callable[..., Any]


def _direct(callback: Call, *args: Any, **kwargs: Any) -> Any:
    return callback(*args, **kwargs)


class ControlKeeper:
    def __init__(self, app: App[Any], clock: SessionClock, tz: tzinfo, writer_id: str) -> None:
        self.app = app
        self.clock, self.tz = clock, tz
        self.me = Holder.here(writer_id)
        self._control: Control | None = None
        self._timer: Timer | None = None
        self._failing = False

    @property
    def held(self) -> bool:
        return self._control is not None

    def take(self, folder: Path, sid: str, *, take_over: bool = False) -> None:
        """Take control of ``folder`` (raises ControlRefused, TakeOverNeeded or OSError)."""
        self.drop()
        now = self.clock.now()
        control = take_control(folder, sid, self.me, now, self.tz, take_over=take_over)
        self._control = control
        if control.warning:
            self.app.notify(control.warning, severity="warning", timeout=20, markup=False)
        if self.app.is_running:
            self.start()

    def start(self) -> None:
        """Renew the lease every few seconds while control is held (from the app's mount)."""
        if self._control is not None and self._timer is None:
            self._timer = self.app.set_interval(RENEW_EVERY_S, self._renew_in_background)

    def renew_soon(self) -> None:
        """Renew now, on a worker thread (a session folder was put back: its lock and lease
        went with it, and another ``resume`` must not get in before the next renewal)."""
        if self._control is not None and self.app.is_running:
            self._renew_in_background()

    def _renew_in_background(self) -> None:
        self.app.run_worker(
            partial(self.renew_now, self.app.call_from_thread),
            thread=True,
            exclusive=True,
            group="control",
        )

    def renew_now(self, call: Call = _direct) -> bool:
        """Renew the lease now (blocking); False when another process took control over.
        ``call`` runs what the screen must do on the app's thread (from a worker thread,
        ``app.call_from_thread``)."""
        control = self._control
        if control is None:
            return False
        try:
            kept = control.renew(self.clock.now())
        except OSError as exc:
            if not self._failing:
                self._failing = True
                call(
                    self.app.notify,
                    f"Could not renew control of the session ({exc.strerror or exc}); "
                    "retrying. Another laptop may take over if this goes on for a minute.",
                    severity="warning",
                    markup=False,
                )
            return True
        self._failing = False
        if not kept:
            call(self.step_down)
        return kept

    def step_down(self) -> None:
        """Another process controls the session now: stop driving its timer, keep the notes."""
        control = self._control
        if control is None:
            return
        lease = read_lease(control.folder)
        where = lease.holder.machine if lease else "another terminal"
        self._stop_timer()
        control.lock.release()  # the lease is theirs now: leave it alone
        self._control = None
        from facilitate.tui.run.screen import RunScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, RunScreen) and screen.control:
                screen.control = False
                screen.refresh_bindings()
                screen.render_state()
        self.app.notify(
            f"{where} took over control of this session. This screen now follows it as a "
            "scribe's would: notes still save, the timer is theirs.",
            severity="warning",
            timeout=30,
            markup=False,
        )

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def drop(self) -> None:
        """Give control up: the lease goes, the lock is released."""
        self._stop_timer()
        control, self._control = self._control, None
        if control is not None:
            control.release()


class AskFirst(Screen[None]):
    """A blank first screen that asks a question and hands the answer on (resume asking
    whether to take a session over, before any session is open)."""

    def __init__(self, dialog: ModalScreen[bool], answered: Callable[[bool | None], None]) -> None:
        super().__init__()
        self.dialog, self.answered = dialog, answered

    def on_mount(self) -> None:
        self.app.push_screen(self.dialog, self.answered)
