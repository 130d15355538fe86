"""Full-text search over notes, within one session or across many.

A query is split into words and a note matches when every word appears
(case-insensitively, as a substring) somewhere in its text, owner, group,
role, category or the title of its segment. The searchable text of each note
is folded once into a :class:`SearchIndex`, so typing a query re-scans plain
strings only: 10,000 notes answer in a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from facilitate.agenda import Agenda
from facilitate.state import Note, SessionState
from facilitate.store import LoadedSession


@dataclass(frozen=True)
class SearchHit:
    """One matching note and where it lives."""

    session_id: str
    note: Note
    segment_title: str


def query_words(query: str) -> tuple[str, ...]:
    """The words a query is made of, case-folded; an empty tuple matches everything."""
    return tuple(query.casefold().split())


def segment_title(agenda: Agenda, index: int) -> str:
    """The title of segment ``index``, or a placeholder for a note outside the agenda."""
    if 0 <= index < len(agenda.segments):
        return agenda.segments[index].title
    return f"segment {index + 1}"


def haystack(note: Note, seg_title: str) -> str:
    """Everything a search looks at for one note, folded to lower case."""
    parts = (note.text, note.owner, note.group, note.role, note.category, seg_title)
    return "\n".join(part for part in parts if part).casefold()


def matches(text: str, words: tuple[str, ...]) -> bool:
    """True when every word occurs in ``text`` (a :func:`haystack`)."""
    return all(word in text for word in words)


class SearchIndex:
    """The searchable text of every live note, built once and queried many times."""

    def __init__(self) -> None:
        self._entries: list[tuple[str, SearchHit]] = []

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, session_id: str, agenda: Agenda, state: SessionState) -> None:
        """Index one session's notes (deleted ones are left out), in journal order."""
        entries = self._entries
        for note in state.notes.values():
            if note.deleted:
                continue
            title = segment_title(agenda, note.segment)
            entries.append((haystack(note, title), SearchHit(session_id, note, title)))

    def search(self, query: str) -> list[SearchHit]:
        """Hits for notes containing every word of ``query``; all notes for an empty query."""
        words = query_words(query)
        if not words:
            return [hit for _, hit in self._entries]
        return [hit for text, hit in self._entries if matches(text, words)]


def index_sessions(sessions: Iterable[LoadedSession]) -> SearchIndex:
    index = SearchIndex()
    for loaded in sessions:
        index.add(loaded.id, loaded.agenda, loaded.state)
    return index


def search_session(loaded: LoadedSession, query: str) -> list[SearchHit]:
    """One-off search within a session (build a :class:`SearchIndex` to search repeatedly)."""
    return index_sessions([loaded]).search(query)


def search_sessions(sessions: Iterable[LoadedSession], query: str) -> list[SearchHit]:
    """One-off search across sessions, hits in the order the sessions are given."""
    return index_sessions(sessions).search(query)
