"""What every exporter shares: the session's own "now", and text that always encodes."""

from __future__ import annotations

from datetime import UTC, datetime

from facilitate.state import SessionState

# What "now" is for a session that has recorded no instant at all (never started).
_NO_INSTANT = datetime(1970, 1, 1, tzinfo=UTC)


def latest_instant(state: SessionState) -> datetime | None:
    """The last moment the state knows of: a running segment is counted up to here."""
    return state.last_at


def export_now(state: SessionState, now: datetime | None) -> datetime:
    """The explicit ``now``, else the session's latest instant (its creation when nothing
    was recorded)."""
    return now or latest_instant(state) or state.created or _NO_INSTANT


def encodable(text: str) -> str:
    """``text`` that always encodes as UTF-8: a lone surrogate (a stray byte a terminal
    passed through, kept by the journal as ``\\udcxx``) becomes U+FFFD instead of
    making the export fail when it is saved."""
    if text.isascii():
        return text
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
