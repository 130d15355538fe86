"""The notes as a spreadsheet: one row per note, safe to open in Excel or LibreOffice.

RFC 4180 (CRLF, quoted where needed) with a UTF-8 byte-order mark, because
Excel otherwise guesses a legacy code page and mangles accents. Any cell a
participant typed that starts like a formula gets a leading ``'`` so the
spreadsheet shows it as text instead of running it (CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import tzinfo

from facilitate.export.minutes import owner_name
from facilitate.store import LoadedSession

BOM = "\ufeff"
COLUMNS = (
    "created",
    "segment",
    "kind",
    "text",
    "group",
    "role",
    "owner",
    "due",
    "category",
    "done",
    "edited",
    "note_id",
    "written_by",  # the name a scribe gave, else the terminal's writer id
    # added later, so at the end where a reader of the older columns does not see them move:
    "owner_name",  # the owner as the minutes name them (@Priya -> Priya Shah)
    "parked",  # yes: a note or question moved to the parking lot
)
# What makes Excel, LibreOffice or Google Sheets treat a cell as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str | None) -> str:
    """User text for a spreadsheet cell: never a formula, otherwise unchanged."""
    if not text:
        return ""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """CSV with BOM and CRLF; cells must already be made safe with :func:`safe_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return BOM + buffer.getvalue()


def render_csv(session: LoadedSession, tz: tzinfo) -> str:
    """One row per note that was not deleted, oldest first; edits applied."""
    segments = session.agenda.segments
    names = session.state.writers
    people = list(session.state.attendance.people.values())
    rows = []
    for note in sorted(session.state.live_notes(), key=lambda n: n.created):
        title = segments[note.segment].title if 0 <= note.segment < len(segments) else ""
        rows.append(
            [
                note.created.astimezone(tz).isoformat(timespec="seconds"),
                safe_cell(title),
                safe_cell(note.kind),
                safe_cell(note.text),
                safe_cell(note.group),
                safe_cell(note.role),
                safe_cell(note.owner),
                safe_cell(note.due),
                safe_cell(note.category),
                ("yes" if note.done else "no") if note.kind == "action" else "",
                note.edited.astimezone(tz).isoformat(timespec="seconds") if note.edited else "",
                safe_cell(note.id),
                safe_cell(names.get(note.writer, note.writer)),
                safe_cell(owner_name(note.owner, people)),
                "yes" if note.parked else "no",
            ]
        )
    return csv_text(COLUMNS, rows)
