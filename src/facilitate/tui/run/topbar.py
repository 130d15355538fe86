"""The line above everything: the time, the forecast end, whether all is saved, the title."""

from __future__ import annotations

from datetime import tzinfo

from rich.markup import escape

from facilitate.agenda import Agenda
from facilitate.live import LiveSession
from facilitate.minutes import clock, minutes
from facilitate.schedule import Snapshot, format_slip
from facilitate.tui.widgets.line import Bar, Line

CUTS_SHOWN = 3


def end_text(snap: Snapshot, tz: tzinfo) -> str:
    """When the day ends: forecast while it runs, the real time once it has ended."""
    end = clock(snap.forecast_end, tz)
    written = snap.agenda_end or snap.planned_end
    moved = minutes((written - snap.planned_end).total_seconds()) != 0
    if not snap.ended:
        text = f"ends {end} ({format_slip(snap.slip_s)}"
        return text + (f", re-planned from {clock(written, tz)})" if moved else ")")
    # Measured against the plan in force (the start chosen, the last re-plan), as the
    # forecast was while the day ran; the agenda's own close is named beside it.
    planned = snap.planned_end
    was = f" (re-planned from {clock(written, tz)})" if moved else ""
    off = minutes((snap.forecast_end - planned).total_seconds())
    if off == 0:
        return f"ended at {end}, as planned{was}"
    return (
        f"ended at {end}, {abs(off)} min {'after' if off > 0 else 'before'} "
        f"the planned {clock(planned, tz)}{was}"
    )


def now_next_text(agenda: Agenda, snap: Snapshot, tz: tzinfo) -> str:
    """The current segment's forecast times and what comes next: the agenda column's job
    when there is no room for it."""
    if snap.ended:
        return ""
    now = snap.segments[snap.current]
    text = f"▶ {clock(now.forecast_start, tz)}–{clock(now.forecast_end, tz)}"
    upcoming = [t for t in snap.segments[snap.current + 1 :] if t.status == "upcoming"]
    if not upcoming:
        return f"{text}   last segment"
    nxt = upcoming[0]
    late = "!" if minutes(nxt.slip_s) > 0 else ""
    at = f"{clock(nxt.forecast_start, tz)}{late}"
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
    """When a fixed time still ahead is at risk: which one, by how many minutes, and what
    wins them back (``catchup.win_back``, as the re-plan would): breaks whose time has
    passed to leave out, then the three biggest cuts, the rest added up, so the figures
    on the line add up to the minutes it says are at risk. ``brief``: without the cuts,
    for a short screen, where the whole of it would not fit (the re-plan has them)."""
    p = snap.pressure
    if p is None:
        return ""
    segs = agenda.segments
    at = clock(p.at, tz)
    text = f"{segs[p.segment].title} at {at}: {minutes(p.overrun_s)} min at risk."
    replan = " n re-plans the day." if control else ""
    if p.uncovered_s:
        return f"{text} Too much to win back by shortening.{replan}"
    if brief:
        return text + replan
    steps = [f"leave out {segs[i].title} (its time has passed)" for i in sorted(p.leave_out)]
    biggest = sorted(p.suggestions, key=lambda s: -s.cut_s)[:CUTS_SHOWN]
    steps += [
        f"{segs[s.segment].title} -{s.cut_s // 60}m"
        for s in sorted(biggest, key=lambda s: s.segment)
    ]
    rest = [s for s in p.suggestions if s not in biggest]
    if rest:
        more = sum(s.cut_s for s in rest) // 60
        steps.append(f"{len(rest)} more -{more}m")
    if steps:
        text += f" To catch up: {', '.join(steps)}."
    return text + replan


class TopBar(Bar):
    """One line; markup with the theme's error colour when something is not saved."""


class PressureLine(Line):
    """Hidden while nothing is at risk."""

    def watch_text(self, text: str) -> None:
        self.display = bool(text)
