"""Following a live session folder by polling, for a projector or a second terminal."""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from facilitate import osfs
from facilitate.files import kind_of, read_range
from facilitate.journal.format import Record, encode_record, is_journal_name, reason
from facilitate.journal.merge import merge_records, origin
from facilitate.journal.reader import parse_lines


@dataclass
class _Tail:
    identity: tuple[int, int]
    offset: int = 0  # bytes consumed; always just after a "\n"
    lines: int = 0  # lines consumed, for warning line numbers


_MOST = 16 * 1024 * 1024  # read per file per poll: a huge journal is read over several polls


def _digest(record: Record) -> bytes:
    return hashlib.blake2b(encode_record(record), digest_size=16).digest()


class JournalFollower:
    """Follows a live session folder by polling, for a projector or a second terminal.

    ``poll`` returns the records completed since the last poll, across all journal
    files (including writers that joined since), sorted by the merge key. A line
    still being written is left until its "\\n" arrives. ``warnings`` accumulates.
    A file that shrank or was replaced is re-read, skipping records already returned.
    """

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._tails: dict[str, _Tail] = {}
        # (writer, seq) of each record returned: where it was read and a digest of it
        self._numbers: dict[tuple[str, int], tuple[tuple[Path, int], object]] = {}
        self._reported: set[str] = set()
        self.warnings: list[str] = []

    @property
    def folder(self) -> Path:
        return self._folder

    def consumed(self) -> dict[str, int]:
        """The bytes read so far of each journal, by file name: what the records returned
        cover (a summary names them, so it is not believed once a journal has grown)."""
        return {name: tail.offset for name, tail in self._tails.items()}

    def poll(self) -> list[Record]:
        return [record for _, record in self.poll_with_origins()]

    def poll_with_origins(self) -> list[tuple[str, Record]]:
        """As :meth:`poll`, each record with the ``path:line`` it was read from."""
        fresh: list[tuple[Path, int, Record]] = []
        try:
            with os.scandir(self._folder) as it:
                entries = sorted((e for e in it if is_journal_name(e.name)), key=lambda e: e.name)
        except OSError:
            return []  # no folder (yet, or any more): nothing new to show
        for entry in entries:
            try:
                st = entry.stat()
            except OSError:
                continue  # vanished between listing and stat
            if not stat.S_ISREG(st.st_mode):
                kind = kind_of(st.st_mode)
                self._warn_once(f"{entry.path}: is {kind}, not a journal file; not read")
                continue
            tail = self._tails.get(entry.name)
            identity = osfs.entry_identity(entry, st)
            if tail is None or tail.identity != identity or st.st_size < tail.offset:
                tail = self._tails[entry.name] = _Tail(identity)
            if st.st_size == tail.offset:
                continue  # the cheap, common case: nothing new
            path = Path(entry.path)
            try:
                data = read_range(path, tail.offset, min(st.st_size - tail.offset, _MOST))
            except OSError as exc:
                self._warn_once(f"{path}: could not read ({reason(exc)})")
                continue
            records, warnings, consumed, nlines = parse_lines(
                data, path, tail.lines + 1, at_eof=False
            )
            tail.offset += consumed
            tail.lines += nlines
            for warning in warnings:
                self._warn_once(warning)
            fresh.extend((path, lineno, record) for lineno, record in records)
        merge_warnings: list[str] = []
        merged = merge_records(fresh, merge_warnings, self._numbers, _digest)
        for warning in merge_warnings:
            self._warn_once(warning)
        return [(origin(path, lineno), record) for path, lineno, record in merged]

    def _warn_once(self, warning: str) -> None:
        if warning not in self._reported:
            self._reported.add(warning)
            self.warnings.append(warning)
