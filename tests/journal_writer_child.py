"""A writer process for tests/test_journal.py: appends records and acknowledges each one.

Usage: ``python journal_writer_child.py FOLDER WRITER_ID COUNT STEP_US``

Appends COUNT records (forever if COUNT is -1) and prints ``ack <seq>`` (flushed)
only after ``append`` has returned, i.e. after the record was fsync-ed: the parent
may kill it at any moment and then check that every acknowledged record survived.
Record ``seq`` is stamped at ``seq * STEP_US`` microseconds past a fixed instant,
so two writers with different steps interleave in the merged session.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

# Works whether or not the package is installed (the tests also run from a bare checkout).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from facilitate.journal import JournalWriter

START = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


def make_record(writer_id: str, seq: int, step_us: int) -> dict[str, Any]:
    """Deterministic content, with the unicode and newlines real notes contain."""
    at = START + timedelta(microseconds=seq * step_us)
    return {
        "at": at.strftime("%Y-%m-%dT%H:%M:%S.%f+00:00"),
        "writer": writer_id,
        "seq": seq,
        "type": "note_added",
        "text": f"note {seq} from {writer_id}: “naïve” café ☕\nline two" + "·" * (seq % 97),
    }


def main(argv: list[str]) -> int:
    folder, writer_id, count, step_us = Path(argv[1]), argv[2], int(argv[3]), int(argv[4])
    with JournalWriter(folder, writer_id) as writer:
        seq = 0
        while count < 0 or seq < count:
            writer.append(make_record(writer_id, seq, step_us))
            sys.stdout.write(f"ack {seq}\n")
            sys.stdout.flush()
            seq += 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
