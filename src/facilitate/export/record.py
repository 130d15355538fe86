"""The day segment by segment: each segment's notes, its groups' notes and reports, and its
feedback by category.

A group's report is feedback filed under a category named after a group (stage D
of Shared Solutions reports back from the groups of stage C): it goes under that
group's name in the segment where it was given, exactly like the notes the same
group made earlier. Feedback in any other category goes under the category, in
the agenda's order (the evaluation's four colours, the learning log's headings,
the closing postcards); feedback with no category stays with the segment's notes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from facilitate.agenda import Agenda, Segment
from facilitate.export.document import Block, Bullets, Heading, Line, Paragraph, Section, Span
from facilitate.state import Note

KIND_LABELS = {
    "feedback": "Feedback",
    "question": "Question",
    "decision": "Decision",
    "action": "Action",
}


def where(
    agenda: Agenda, note: Note, names: Mapping[str, str], *, segment: bool = True
) -> tuple[Span, ...]:
    """Where a note was made, as a muted suffix: segment, group, the role it was made as,
    and who typed it when that scribe gave a name."""
    parts = []
    if segment and 0 <= note.segment < len(agenda.segments):
        parts.append(agenda.segments[note.segment].title)
    if note.group:
        parts.append(note.group)
    if note.category and segment:
        parts.append(note.category)
    if note.role:
        parts.append(f"as {note.role}")
    if note.writer in names:
        parts.append(f"by {names[note.writer]}")
    return (Span(f" ({', '.join(parts)})", "muted"),) if parts else ()


def ordered(preferred: Iterable[str], present: Iterable[str]) -> list[str]:
    """``present`` in the agenda's order first, then any others alphabetically."""
    wanted = set(present)
    first = list(dict.fromkeys(p for p in preferred if p in wanted))
    return first + sorted(wanted - set(first))


def record_section(agenda: Agenda, notes: list[Note], names: Mapping[str, str]) -> Section | None:
    """Every segment with something recorded in it, in the agenda's order; ``names`` says
    who typed a note (writer id -> name) where a scribe gave one."""
    groups = {g for s in agenda.segments for g in s.groups}
    blocks: list[Block] = []
    for seg in agenda.segments:
        mine = [n for n in notes if n.segment == seg.index]
        if mine:
            blocks += _segment(seg, mine, groups, names)
    stray = [n for n in notes if not 0 <= n.segment < len(agenda.segments)]
    if stray:
        blocks += [Heading("Other notes"), Bullets(tuple(_item(n, names) for n in stray))]
    if not blocks:
        return None
    return Section("record", "The day, segment by segment", tuple(blocks), major=True)


def group_of(note: Note, groups: set[str]) -> str | None:
    """The group a note belongs under: its own, or the group whose report it is."""
    if note.group:
        if note.kind == "feedback" and note.category and note.category not in groups:
            return None  # filed under a category: the group shows beside it
        return note.group
    if note.kind == "feedback" and note.category in groups:
        return note.category
    return None


def _segment(
    seg: Segment, notes: list[Note], groups: set[str], names: Mapping[str, str]
) -> list[Block]:
    out: list[Block] = [Heading(seg.title)]
    if seg.groups:
        out.append(Paragraph((Span(f"{seg.mode_label}: {', '.join(seg.groups)}", "muted"),)))
    by_group = {n.id: group_of(n, groups) for n in notes}
    general = [
        n for n in notes if by_group[n.id] is None and not (n.kind == "feedback" and n.category)
    ]
    if general:
        out.append(Bullets(tuple(_item(n, names) for n in general)))
    preferred = [*seg.groups, *seg.feedback]
    for group in ordered(preferred, (g for g in by_group.values() if g)):
        items = [n for n in notes if by_group[n.id] == group]
        out += [Heading(group, 4), Bullets(tuple(_item(n, names, group=False) for n in items))]
    categorised = [n for n in notes if by_group[n.id] is None and n.kind == "feedback"]
    for category in ordered(seg.feedback, (n.category for n in categorised if n.category)):
        items = [n for n in categorised if n.category == category]
        out += [Heading(category, 4), Bullets(tuple(_item(n, names, label=False) for n in items))]
    return out


def _item(note: Note, names: Mapping[str, str], *, group: bool = True, label: bool = True) -> Line:
    head: tuple[Span, ...] = ()
    if label and note.kind != "note" and not (note.kind == "feedback" and not group):
        head = (Span(f"{KIND_LABELS.get(note.kind, note.kind.capitalize())}: ", "strong"),)
    found = [
        note.group if group else None,
        f"as {note.role}" if note.role else None,
        f"by {names[note.writer]}" if note.writer in names else None,
    ]
    extra = [x for x in found if x]
    tail = (Span(f" ({', '.join(extra)})", "muted"),) if extra else ()
    return (*head, Span(note.text), *tail)
