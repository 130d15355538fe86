"""Exports of a finished (or running) session: Markdown minutes, a CSV of notes, raw JSON.

Every exporter is a pure function of the loaded session, a time zone and "now";
none reads the clock. When no ``now`` is given, the latest instant the session
itself recorded stands in for it, so exporting the same session twice gives the
same bytes, even while it is still running.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from facilitate.state import SessionState
from facilitate.store import LoadedSession

FORMATS = ("md", "csv", "json")

# What "now" is for a session that has recorded no instant at all (never started).
_NO_INSTANT = datetime(1970, 1, 1, tzinfo=UTC)


def latest_instant(state: SessionState) -> datetime | None:
    """The last moment the state knows of: a running segment is counted up to here."""
    return state.last_at


def export_now(state: SessionState, now: datetime | None) -> datetime:
    """The explicit ``now``, else the session's latest instant."""
    return now or latest_instant(state) or _NO_INSTANT


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


def encodable(text: str) -> str:
    """``text`` that always encodes as UTF-8: a lone surrogate (a stray byte a terminal
    passed through, kept by the journal as ``\\udcxx``) becomes U+FFFD instead of
    making the export fail when it is saved."""
    if text.isascii():
        return text
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


__all__ = ["FORMATS", "encodable", "export_now", "latest_instant", "render"]
