"""Minutes of a session in Markdown, for people to read, print or paste into a report.

Everything a participant typed is escaped (:func:`md_lines`, :func:`md_cell`), so a
note full of ``|``, ``#``, ``*`` or a leading ``-`` shows as typed and cannot
turn into a heading, a list, a link or a broken table. Deleted notes are left out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import datetime, tzinfo

from facilitate.agenda import Agenda, format_duration
from facilitate.events import NOTE_KINDS, QUALITY_STATES, TALLIES
from facilitate.export.common import export_now
from facilitate.schedule import Snapshot, snapshot
from facilitate.state import Note, SessionState
from facilitate.store import LoadedSession, status_of

# Characters with a meaning anywhere in a line (CommonMark + GFM tables/strikethrough).
_SPECIALS = re.compile(r"([\\`*_\[\]<>|#~])")
# "&" only matters where it would start an entity such as "&amp;" or "&#35;".
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# Markers that start a block when they open a line: bullets, setext underlines, "1." / "1)".
_BULLET = re.compile(r"^[-+=]")
_ORDERED = re.compile(r"^(\d+)([.)])")


# --- escaping ------------------------------------------------------------------------------


def md_escape_line(line: str) -> str:
    """One line of user text, made inert: it renders exactly as typed."""
    line = line.replace("\x00", "\ufffd").replace("\t", " ").strip()
    line = _SPECIALS.sub(r"\\\1", line)
    line = _ENTITY.sub(r"\\&", line)
    line = _BULLET.sub(r"\\\g<0>", line)
    return _ORDERED.sub(r"\1\\\2", line)


def md_lines(text: str) -> list[str]:
    """User text as escaped lines, without leading or trailing blank lines."""
    lines = [
        md_escape_line(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def md_inline(text: str) -> str:
    """User text on one line (headings, lists of names): line breaks become spaces."""
    return " ".join(line for line in md_lines(text) if line)


def md_cell(text: str | None) -> str:
    """User text inside a table cell: also safe for ``|``, with line breaks as ``<br>``."""
    return "<br>".join(md_lines(text or ""))


def md_item(lines: list[str], prefix: str = "- ") -> list[str]:
    """A list item of already escaped lines, kept apart by hard breaks (a trailing ``\\``)."""
    lines = lines or [""]
    indent = " " * len(prefix)
    out = [prefix + lines[0]] + [indent + line for line in lines[1:]]
    return [line + "\\" for line in out[:-1]] + [out[-1]]


def md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A GFM table; cells must already be escaped with :func:`md_cell`."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


# --- the document --------------------------------------------------------------------------


def render_markdown(session: LoadedSession, tz: tzinfo, now: datetime | None = None) -> str:
    agenda, state = session.agenda, session.state
    snap = snapshot(agenda, state, export_now(state, now), tz)
    notes = sorted(state.live_notes(), key=lambda n: n.created)
    out = [f"# {md_inline(state.agenda_title or agenda.title)}", ""]
    out += _header(session, snap, tz)
    out += _roles_and_groups(agenda, state, notes)
    out += _timing(agenda, state, snap, tz)
    names = state.writers
    out += _decisions(agenda, [n for n in notes if n.kind == "decision"], names)
    out += _actions(agenda, [n for n in notes if n.kind == "action"])
    out += _notes(
        agenda, [n for n in notes if n.kind not in ("decision", "action", "feedback")], names
    )
    out += _feedback(agenda, [n for n in notes if n.kind == "feedback"], names)
    out += _observations(agenda, state)
    out += _reflections(agenda, state, tz)
    return "\n".join(out).rstrip("\n") + "\n"


def _clock(moment: datetime, tz: tzinfo) -> str:
    return f"{moment.astimezone(tz):%H:%M}"


def _header(session: LoadedSession, snap: Snapshot, tz: tzinfo) -> list[str]:
    state = session.state
    starts = [run.started_at for run in state.runs if run.started_at is not None]
    first = min(starts) if starts else state.created or snap.now
    local = first.astimezone(tz)
    when = f"{local:%A} {local.day} {local:%B %Y}"
    zone = f" ({local.tzname()})" if local.tzname() else ""
    if not starts:
        when += " (not started)"
    elif state.ended_at is not None:
        when += f", {_clock(first, tz)}–{_clock(state.ended_at, tz)}{zone}"
    else:
        when += f", from {_clock(first, tz)}{zone}"
    return [
        f"- **Date:** {when}",
        f"- **Agenda:** {md_inline(session.agenda.name)}",
        f"- **Session:** {md_inline(session.id)} ({status_of(state)})",
        "",
    ]


def _ordered(preferred: Iterable[str], present: Iterable[str]) -> list[str]:
    """``present`` in the agenda's order first, then any others alphabetically."""
    wanted = set(present)
    first = list(dict.fromkeys(p for p in preferred if p in wanted))
    return first + sorted(wanted - set(first))


def _roles_and_groups(agenda: Agenda, state: SessionState, notes: list[Note]) -> list[str]:
    roles = _ordered((r for s in agenda.segments for r in s.roles), state.roles)
    groups = _ordered(
        (g for s in agenda.segments for g in s.groups), (n.group for n in notes if n.group)
    )
    if not roles and not groups:
        return []
    out = ["## Roles and groups", ""]
    if roles:
        out += md_table(["Role", "Person"], [[md_cell(r), md_cell(state.roles[r])] for r in roles])
        out.append("")
    if groups:
        out += [f"Groups: {', '.join(md_inline(g) for g in groups)}", ""]
    return out


def _over(actual_s: float, planned_s: float) -> str:
    minutes = math.floor((actual_s - planned_s) / 60 + 0.5)
    if minutes == 0:
        return "on time"
    text = format_duration(abs(minutes) * 60)
    return f"**+{text}**" if minutes > 0 else f"-{text}"


def _timing(agenda: Agenda, state: SessionState, snap: Snapshot, tz: tzinfo) -> list[str]:
    rows = []
    for seg, timing in zip(agenda.segments, snap.segments, strict=True):
        adjust = state.runs[seg.index].adjust_s
        planned = format_duration(seg.duration_s)
        if adjust:
            planned += f" ({'+' if adjust > 0 else '-'}{format_duration(abs(adjust))} agreed)"
        started = timing.actual_start is not None
        actual = format_duration(timing.elapsed_s) if started else "—"
        if timing.status == "current" and state.running:
            actual += " (running)"
        in_progress = timing.status == "current" and not snap.ended
        if started and not (in_progress and timing.elapsed_s < seg.duration_s):
            diff = _over(timing.elapsed_s, seg.duration_s)  # in progress: only an overrun is news
        else:
            diff = "skipped" if timing.status in ("done", "skipped") else ""
        rows.append(
            [
                str(seg.index + 1),
                md_cell(seg.title),
                _clock(timing.planned_start, tz),
                planned,
                _clock(timing.actual_start, tz) if timing.actual_start else "—",
                actual,
                diff,
            ]
        )
    planned_total = sum(s.duration_s for s in agenda.segments)
    actual_total = sum(t.elapsed_s for t in snap.segments)
    starts = [t.actual_start for t in snap.segments if t.actual_start is not None]
    rows.append(
        [
            "",
            "**Total**",
            _clock(snap.segments[0].planned_start, tz),
            format_duration(planned_total),
            _clock(min(starts), tz) if starts else "—",
            format_duration(actual_total),
            _over(actual_total, planned_total) if starts and snap.ended else "",
        ]
    )
    header = ["#", "Segment", "Planned start", "Planned", "Actual start", "Actual", "Over/under"]
    return ["## Timing", "", *md_table(header, rows), ""]


def _where(agenda: Agenda, note: Note, names: Mapping[str, str]) -> str:
    parts = []
    if 0 <= note.segment < len(agenda.segments):
        parts.append(md_inline(agenda.segments[note.segment].title))
    if note.group:
        parts.append(md_inline(note.group))
    if note.role:
        parts.append(f"as {md_inline(note.role)}")
    if note.writer in names:
        parts.append(_by(note, names))
    return f" *({', '.join(parts)})*" if parts else ""


def _by(note: Note, names: Mapping[str, str]) -> str:
    """Who typed the note, when the writer gave a name (a browser scribe of serve)."""
    return f"by {md_inline(names[note.writer])}" if note.writer in names else ""


def _with_suffix(lines: list[str], suffix: str) -> list[str]:
    lines = lines or [""]
    return [*lines[:-1], lines[-1] + suffix]


def _decisions(agenda: Agenda, notes: list[Note], names: Mapping[str, str]) -> list[str]:
    if not notes:
        return ["## Decisions", "", "None recorded.", ""]
    out = ["## Decisions", ""]
    for note in notes:
        out += md_item(_with_suffix(md_lines(note.text), _where(agenda, note, names)))
    return [*out, ""]


def _actions(agenda: Agenda, notes: list[Note]) -> list[str]:
    if not notes:
        return ["## Actions", "", "None recorded.", ""]
    rows = [
        [
            md_cell(n.text),
            md_cell(n.owner) or "—",
            md_cell(n.due) or "—",
            "yes" if n.done else "no",
            md_cell(_segment_title(agenda, n.segment)),
        ]
        for n in notes
    ]
    return ["## Actions", "", *md_table(["Action", "Owner", "Due", "Done", "Segment"], rows), ""]


def _segment_title(agenda: Agenda, index: int) -> str:
    return agenda.segments[index].title if 0 <= index < len(agenda.segments) else ""


def _notes(agenda: Agenda, notes: list[Note], names: Mapping[str, str]) -> list[str]:
    if not notes:
        return []
    out = ["## Notes", ""]
    for seg in agenda.segments:
        mine = [n for n in notes if n.segment == seg.index]
        if not mine:
            continue
        out += [f"### {seg.index + 1}. {md_inline(seg.title)}", ""]
        ungrouped = [n for n in mine if not n.group]
        for note in ungrouped:
            out += _note_item(agenda, note, names)
        if ungrouped:
            out.append("")
        for group in _ordered(seg.groups, (n.group for n in mine if n.group)):
            out += [f"#### {md_inline(group)}", ""]
            for note in (n for n in mine if n.group == group):
                out += _note_item(agenda, note, names)
            out.append("")
    stray = [n for n in notes if not 0 <= n.segment < len(agenda.segments)]
    if stray:
        out += ["### Other", ""]
        for note in stray:
            out += _note_item(agenda, note, names)
        out.append("")
    return out


def _note_item(agenda: Agenda, note: Note, names: Mapping[str, str]) -> list[str]:
    lines = md_lines(note.text) or [""]
    if note.kind != "note":
        label = note.kind.capitalize() if note.kind in NOTE_KINDS else md_inline(note.kind)
        lines[0] = f"**{label}:** {lines[0]}"
    parts = [f"as {md_inline(note.role)}" if note.role else "", _by(note, names)]
    shown = ", ".join(p for p in parts if p)
    return md_item(_with_suffix(lines, f" *({shown})*" if shown else ""))


def _feedback(agenda: Agenda, notes: list[Note], names: Mapping[str, str]) -> list[str]:
    if not notes:
        return []
    out = ["## Feedback", ""]
    categories = _ordered(
        (c for s in agenda.segments for c in s.feedback), (n.category for n in notes if n.category)
    )
    for category in [*categories, None]:
        mine = [n for n in notes if n.category == category or (category is None and not n.category)]
        if not mine:
            continue
        out += [f"### {md_inline(category) if category else 'Uncategorised'}", ""]
        for note in mine:
            parts = [md_inline(note.group) if note.group else "", _by(note, names)]
            shown = ", ".join(p for p in parts if p)
            suffix = f" *({shown})*" if shown else ""
            out += md_item(_with_suffix(md_lines(note.text), suffix))
        out.append("")
    return out


def _observations(agenda: Agenda, state: SessionState) -> list[str]:
    panels = state.panels
    out: list[str] = []
    models = sorted(
        set(panels.lifecycle_stage) | {m for m, t in panels.lifecycle_traits.items() if t}
    )
    if models:
        out += ["### Partnership lifecycle", ""]
        for model in models:
            stage = panels.lifecycle_stage.get(model)
            shown = md_inline(stage) if stage else "no stage marked"
            out.append(f"- **{md_inline(model)}:** {shown}")
            for trait_stage, trait in sorted(panels.lifecycle_traits.get(model, ())):
                out += md_item([f"{md_inline(trait_stage)}: {md_inline(trait)}"], "  - ")
        out.append("")
    if panels.qualities:
        out += ["### Mobius qualities", ""]
        for quality_state in [
            *QUALITY_STATES,
            *sorted(set(panels.qualities.values()) - set(QUALITY_STATES)),
        ]:
            names = sorted(q for q, s in panels.qualities.items() if s == quality_state)
            if names:
                label = md_inline(quality_state.capitalize())
                out.append(f"- **{label}:** {', '.join(md_inline(n) for n in names)}")
        out.append("")
    if panels.tallies:
        names = [*TALLIES, *sorted(set(panels.tallies) - set(TALLIES))]
        rows = [[md_cell(n.capitalize()), str(panels.tallies.get(n, 0))] for n in names]
        out += ["### Monologue and dialogue", "", *md_table(["Tally", "Count"], rows), ""]
    checklists = []
    for seg in agenda.segments:
        ticked = panels.checklists.get(seg.index, set())
        if seg.checklist and (ticked or state.runs[seg.index].started_at is not None):
            checklists += [f"#### {seg.index + 1}. {md_inline(seg.title)}", ""]
            for i, item in enumerate(seg.checklist):
                checklists += md_item(md_lines(item), f"- [{'x' if i in ticked else ' '}] ")
            checklists.append("")
    if checklists:
        out += ["### Checklists", "", *checklists]
    return ["## Observations", "", *out] if out else []


def _reflections(agenda: Agenda, state: SessionState, tz: tzinfo) -> list[str]:
    if not state.reflections:
        return []
    out = ["## Reflections", ""]
    for r in state.reflections:
        title = _segment_title(agenda, r.segment) if r.segment is not None else ""
        head = f"**{md_inline(title) if title else 'Whole session'}**, {_clock(r.at, tz)}"
        if r.rating is not None:
            head += f": {r.rating}/5 collaborative"
        lines = [head]
        if r.felt.strip():
            felt = md_lines(r.felt)
            lines += [f"How it felt: {felt[0]}", *felt[1:]]
        if r.change.strip():
            change = md_lines(r.change)
            lines += [f"What to change: {change[0]}", *change[1:]]
        out += md_item(lines)
    return [*out, ""]
