"""Exports of a finished (or running) session: Markdown minutes, a CSV of notes, raw JSON.

Every exporter is a pure function of the loaded session, a time zone and "now";
none reads the clock. When no ``now`` is given, the latest instant the session
itself recorded stands in for it, so exporting the same session twice gives the
same bytes, even while it is still running.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from facilitate.export.common import encodable, export_now, latest_instant
from facilitate.store import LoadedSession

FORMATS = ("md", "csv", "json")


def render(fmt: str, session: LoadedSession, tz: tzinfo, now: datetime | None = None) -> str:
    """The session as text in ``fmt`` (one of :data:`FORMATS`).

    CSV text starts with a byte-order mark and uses CRLF line ends: write it
    with ``encoding="utf-8", newline=""`` so Excel reads it as UTF-8.
    """
    if fmt == "md":
        from facilitate.export.markdown import render_markdown

        text = render_markdown(session, tz, now)
    elif fmt == "csv":
        from facilitate.export.csv_export import render_csv

        text = render_csv(session, tz)
    elif fmt == "json":
        from facilitate.export.json_export import render_json

        text = render_json(session, tz, now)
    else:
        raise ValueError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    return encodable(text)


__all__ = ["FORMATS", "encodable", "export_now", "latest_instant", "render"]
