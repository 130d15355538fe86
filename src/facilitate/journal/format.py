"""The journal's format: one JSON object per line, named ``journal-<writer>.jsonl``.

Shared by the writer and the readers: file names, the exact bytes of a record,
the order of a merged session, and the sentence for an OS error.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

JOURNAL_PREFIX = "journal-"
JOURNAL_SUFFIX = ".jsonl"
FILE_MODE = 0o600

Record = dict[str, Any]
MergeKey = tuple[str, str, int]

WRITER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


def journal_path(folder: Path, writer_id: str) -> Path:
    """Where ``writer_id`` journals; the id is checked so it cannot escape the folder."""
    if not WRITER_ID.fullmatch(writer_id):
        raise ValueError(f"unsafe journal writer id: {writer_id!r}")
    return folder / f"{JOURNAL_PREFIX}{writer_id}{JOURNAL_SUFFIX}"


def is_journal_name(name: str) -> bool:
    return (
        name.startswith(JOURNAL_PREFIX)
        and name.endswith(JOURNAL_SUFFIX)
        and len(name) > len(JOURNAL_PREFIX) + len(JOURNAL_SUFFIX)
    )


def encode_record(record: Record) -> bytes:
    """The exact bytes of one journal line, so a record can be checked before it is queued.

    Raises ``TypeError``/``ValueError`` for records JSON cannot hold. Text with lone
    surrogates (which UTF-8 cannot encode) falls back to ``\\uXXXX`` escapes rather than
    being refused, so even odd pasted text round-trips.
    """
    if not isinstance(record, dict):
        raise TypeError(f"a journal record must be a dict, not {type(record).__name__}")
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    try:
        return (text + "\n").encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(record, ensure_ascii=True, separators=(",", ":"), sort_keys=True)
        return (text + "\n").encode("ascii")


def merge_key(record: Record) -> MergeKey | None:
    """The order of a merged session (``at``, ``writer``, ``seq``), or None if a part is missing."""
    at, writer, seq = record.get("at"), record.get("writer"), record.get("seq")
    if (
        isinstance(at, str)
        and isinstance(writer, str)
        and isinstance(seq, int)
        and not isinstance(seq, bool)
    ):
        return (at, writer, seq)
    return None


def reason(exc: OSError) -> str:
    if exc.strerror:
        return exc.strerror
    if exc.errno:
        return os.strerror(exc.errno)
    return str(exc) or type(exc).__name__
