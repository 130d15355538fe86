"""The line above everything: the time, the forecast end, whether all is saved, the title."""

from __future__ import annotations

from datetime import tzinfo

from rich.markup import escape

from facilitate.agenda import Agenda
from facilitate.live import LiveSession
from facilitate.schedule import Snapshot, format_slip
from facilitate.tui.widgets.line import Bar, Line

CUTS_SHOWN = 3


def end_text(snap: Snapshot, tz: tzinfo) -> str:
    """When the day ends: forecast while it runs, the real time once it has ended."""
    end = f"{snap.forecast_end.astimezone(tz):%H:%M}"
    written = snap.agenda_end or snap.planned_end
    moved = abs((written - snap.planned_end).total_seconds()) >= 60
    if not snap.ended:
        text = f"ends {end} ({format_slip(snap.slip_s)}"
        return text + (f", re-planned from {written.astimezone(tz):%H:%M})" if moved else ")")
    # Measured against the plan in force (the start chosen, the last re-plan), as the
    # forecast was while the day ran; the agenda's own close is named beside it.
    planned = snap.planned_end
    was = f" (re-planned from {written.astimezone(tz):%H:%M})" if moved else ""
    minutes = round((snap.forecast_end - planned).total_seconds() / 60)
    if minutes == 0:
        return f"ended at {end}, as planned{was}"
    return (
        f"ended at {end}, {abs(minutes)} min {'after' if minutes > 0 else 'before'} "
        f"the planned {planned.astimezone(tz):%H:%M}{was}"
    )


def now_next_text(agenda: Agenda, snap: Snapshot, tz: tzinfo) -> str:
    """The current segment's forecast times and what comes next: the agenda column's job
    when there is no room for it."""
    if snap.ended:
        return ""
    now = snap.segments[snap.current]
    text = f"▶ {now.forecast_start.astimezone(tz):%H:%M}–{now.forecast_end.astimezone(tz):%H:%M}"
    upcoming = [t for t in snap.segments[snap.current + 1 :] if t.status == "upcoming"]
    if not upcoming:
        return f"{text}   last segment"
    nxt = upcoming[0]
    late = "!" if nxt.slip_s >= 60 else ""
    at = f"{nxt.forecast_start.astimezone(tz):%H:%M}{late}"
    return f"{text}   › {at} {agenda.segments[nxt.index].title}"


def topbar_text(live: LiveSession, snap: Snapshot, *, control: bool) -> str:
    tz = live.tz
    wall = live.clock.wall_now().astimezone(tz)  # HH:MM only: one change a minute
    forecast = end_text(snap, tz)
    if live.pending:
        saved = (
            f"[b $error]NOT SAVED: {live.pending} waiting · "
            f"{escape(live.last_error or '')} · retrying[/]"
        )
    else:
        saved = "[dim]all saved[/]"
    who = "" if control else "[b]scribe[/] · "
    return f"{who}{wall:%H:%M}  {forecast}  {saved}  [b]{escape(live.agenda.title)}[/]"


def pressure_text(
    agenda: Agenda, snap: Snapshot, tz: tzinfo, *, control: bool = True, brief: bool = False
) -> str:
    """When a fixed time still ahead is at risk: which one, by how much, and what to shorten
    (the three biggest cuts; a re-plan shows them all). ``brief``: without the cuts, for
    a short screen, where the whole of it would not fit (the re-plan has them)."""
    p = snap.pressure
    if p is None:
        return ""
    segs = agenda.segments
    at = snap.segments[p.segment].planned_start.astimezone(tz)
    # Minutes as the top bar and the re-plan count them (to the nearest), so one day
    # never reads "128 min behind" and "129 min at risk" at once.
    text = f"{segs[p.segment].title} at {at:%H:%M}: {round(p.overrun_s / 60)} min at risk."
    replan = " n re-plans the day." if control else ""
    biggest = sorted(p.suggestions, key=lambda s: -s.cut_s)[:CUTS_SHOWN]
    if p.uncovered_s:
        return f"{text} Too much to win back by shortening.{replan}"
    if brief:
        return text + replan
    if biggest:
        cuts = ", ".join(
            f"{segs[s.segment].title} -{s.cut_s // 60}m"
            for s in sorted(biggest, key=lambda s: s.segment)
        )
        more = len(p.suggestions) - len(biggest)
        text += f" To catch up: {cuts}{f' and {more} more' if more else ''}."
    return text + replan


class TopBar(Bar):
    """One line; markup with the theme's error colour when something is not saved."""


class PressureLine(Line):
    """Hidden while nothing is at risk."""

    def watch_text(self, text: str) -> None:
        self.display = bool(text)
