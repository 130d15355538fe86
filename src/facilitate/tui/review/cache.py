"""Every session replayed once (for search and actions), read again when its files change.

Nobody marks an entry stale: each session's entry remembers the size and
modification time of its journals, and :meth:`SessionCache.load_all` replays a
session again only when they differ (a review marked an action done, a scribe
wrote more), so screens never reach into each other to invalidate.
"""

from __future__ import annotations

import os
from pathlib import Path

from facilitate.errors import SessionError
from facilitate.journal import JOURNAL_PREFIX, JOURNAL_SUFFIX
from facilitate.paths import Paths
from facilitate.search import SearchIndex, index_sessions
from facilitate.store import LoadedSession, load_session, session_ids

Fingerprint = tuple[tuple[str, int, int], ...]


def fingerprint(folder: Path) -> Fingerprint:
    """The journals' names, sizes and modification times: what a replay depends on."""
    found = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith(JOURNAL_PREFIX) and name.endswith(JOURNAL_SUFFIX):
                    st = entry.stat()
                    found.append((name, st.st_size, st.st_mtime_ns))
    except OSError:
        return ()
    return tuple(sorted(found))


class SessionCache:
    """Replayed sessions by id, with a search index over all their notes."""

    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        self.loaded: dict[str, LoadedSession] | None = None
        self.index: SearchIndex | None = None
        self.problems: list[str] = []
        self._prints: dict[str, Fingerprint] = {}

    def load_all(self) -> None:
        """Blocking: call it from a thread worker."""
        loaded = dict(self.loaded or {})
        problems = []
        try:
            sids = session_ids(self.paths)
        except SessionError as exc:  # the sessions folder cannot be read
            sids, problems = [], [str(exc)]
        for sid in sids:
            folder = self.paths.sessions_dir / sid
            prints = fingerprint(folder)
            if sid in loaded and self._prints.get(sid) == prints:
                continue
            try:
                loaded[sid] = load_session(sid, folder, self.paths)
                self._prints[sid] = prints
            except (SessionError, OSError) as exc:
                problems.append(str(exc))
        ordered = {sid: loaded[sid] for sid in sids if sid in loaded}
        self.index = index_sessions(ordered.values())
        self.loaded, self.problems = ordered, problems

    def title(self, sid: str) -> str:
        loaded = (self.loaded or {}).get(sid)
        return f"{sid[:10]} {loaded.agenda.title if loaded else sid[16:]}"
