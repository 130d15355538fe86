"""The line above everything: the time, the forecast end, whether all is saved, the title."""

from __future__ import annotations

import math

from rich.markup import escape

from facilitate.agenda import Agenda
from facilitate.live import LiveSession
from facilitate.schedule import Snapshot, format_slip
from facilitate.tui.widgets.line import Bar, Line


def topbar_text(live: LiveSession, snap: Snapshot, *, control: bool) -> str:
    tz = live.tz
    wall = live.clock.wall_now().astimezone(tz)  # HH:MM only: one change a minute
    forecast = f"ends {snap.forecast_end.astimezone(tz):%H:%M} ({format_slip(snap.slip_s)})"
    if live.pending:
        saved = (
            f"[b $error]NOT SAVED: {live.pending} waiting · "
            f"{escape(live.last_error or '')} · retrying[/]"
        )
    else:
        saved = "[dim]all saved[/]"
    who = "" if control else "[b]scribe[/] · "
    return f"{who}{wall:%H:%M}  {forecast}  {saved}  [b]{escape(live.agenda.title)}[/]"


def pressure_text(agenda: Agenda, snap: Snapshot) -> str:
    """When a fixed time is at risk: which one, by how much, and what to shorten."""
    p = snap.pressure
    if p is None:
        return ""
    segs = agenda.segments
    fixed = segs[p.segment]
    cuts = ", ".join(f"{segs[s.segment].title} -{s.cut_s // 60}m" for s in p.suggestions)
    at = f" at {fixed.at:%H:%M}" if fixed.at else ""
    text = f"{fixed.title}{at} is {math.ceil(p.overrun_s / 60)} min at risk."
    if cuts:
        text += f" To catch up: {cuts}."
    if p.uncovered_s:
        text += f" Still {p.uncovered_s // 60} min short."
    return text


class TopBar(Bar):
    """One line; markup with the theme's error colour when something is not saved."""


class PressureLine(Line):
    """Hidden while nothing is at risk."""

    def watch_text(self, text: str) -> None:
        self.display = bool(text)
