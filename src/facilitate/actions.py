"""Actions across sessions: who promised what, by when, and what is overdue.

Actions are notes of kind ``action`` in any session; this gathers the live
(not deleted) ones with their edits applied, and renders them as a Markdown
table, a CSV file or a plain terminal table. "Today" is passed in, never read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from facilitate.export import encodable
from facilitate.export.csv_export import csv_text, safe_cell
from facilitate.export.markdown import md_cell, md_table
from facilitate.store import LoadedSession
from facilitate.tables import render_table
from facilitate.text import terminal_text as terminal_text  # once defined here

ACTION_FORMATS = ("md", "csv", "table")


@dataclass(frozen=True)
class ActionItem:
    session_id: str
    agenda_title: str
    note_id: str
    text: str
    owner: str | None
    due: date | None  # None when no due date was given or it is not a YYYY-MM-DD date
    done: bool
    created: datetime
    segment_title: str
    due_text: str | None = None  # the due date as typed, shown when it is not a date

    def overdue(self, today: date) -> bool:
        return not self.done and self.due is not None and self.due < today

    def status(self, today: date) -> str:
        if self.done:
            return "done"
        return "OVERDUE" if self.overdue(today) else "open"

    @property
    def due_label(self) -> str:
        return self.due.isoformat() if self.due else (self.due_text or "")


def parse_due(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def collect_actions(sessions: Iterable[LoadedSession]) -> list[ActionItem]:
    """Every live action of every session: dated ones by due date first, then undated."""
    items = []
    for session in sessions:
        segments = session.agenda.segments
        title = session.state.agenda_title or session.agenda.title
        for note in session.state.live_notes():
            if note.kind != "action":
                continue
            items.append(
                ActionItem(
                    session_id=session.id,
                    agenda_title=title,
                    note_id=note.id,
                    text=note.text,
                    owner=note.owner,
                    due=parse_due(note.due),
                    done=note.done,
                    created=note.created,
                    segment_title=segments[note.segment].title
                    if 0 <= note.segment < len(segments)
                    else "",
                    due_text=note.due,
                )
            )
    items.sort(key=lambda i: (i.due is None, i.due or date.min, i.created, i.session_id))
    return items


def open_actions(items: Iterable[ActionItem]) -> list[ActionItem]:
    """What ``--open`` shows: the actions not yet done."""
    return [item for item in items if not item.done]


def render_actions(
    items: Iterable[ActionItem], fmt: str, today: date, *, width: int | None = None
) -> str:
    """The actions as ``md``, ``csv`` (BOM, CRLF; write with ``newline=""``) or ``table``
    (``width``: the terminal's, to wrap long actions; None for a pipe)."""
    items = list(items)
    if fmt == "md":
        return encodable(_markdown(items, today))
    if fmt == "csv":
        return encodable(_csv(items, today))
    if fmt == "table":
        return _table(items, today, width)
    raise ValueError(f"unknown actions format {fmt!r}: choose one of {', '.join(ACTION_FORMATS)}")


def _markdown(items: list[ActionItem], today: date) -> str:
    if not items:
        return "# Actions\n\nNo actions recorded.\n"
    rows = []
    for item in items:
        status = "**OVERDUE**" if item.overdue(today) else item.status(today)
        rows.append(
            [
                md_cell(item.due_label) or "—",
                md_cell(item.text),
                md_cell(item.owner) or "—",
                status,
                md_cell(item.agenda_title),
                md_cell(item.session_id),
            ]
        )
    header = ["Due", "Action", "Owner", "Status", "Agenda", "Session"]
    lines = [f"# Actions (as of {today.isoformat()})", "", *md_table(header, rows)]
    return "\n".join(lines) + "\n"


def _csv(items: list[ActionItem], today: date) -> str:
    header = [
        "due",
        "text",
        "owner",
        "done",
        "overdue",
        "created",
        "agenda",
        "segment",
        "session",
        "note_id",
    ]
    rows = [
        [
            safe_cell(item.due_label),
            safe_cell(item.text),
            safe_cell(item.owner),
            "yes" if item.done else "no",
            "yes" if item.overdue(today) else "no",
            item.created.isoformat(timespec="seconds"),
            safe_cell(item.agenda_title),
            safe_cell(item.segment_title),
            safe_cell(item.session_id),
            safe_cell(item.note_id),
        ]
        for item in items
    ]
    return csv_text(header, rows)


def _table(items: list[ActionItem], today: date, width: int | None = None) -> str:
    if not items:
        return "No actions.\n"
    header = ("DUE", "STATUS", "OWNER", "ACTION", "SESSION")
    rows = [
        (
            terminal_text(item.due_label) or "-",
            item.status(today),
            terminal_text(item.owner) or "-",
            terminal_text(item.text),
            terminal_text(item.session_id),
        )
        for item in items
    ]
    return render_table(header, rows, width=width)
