"""Three real terminals typing at once: every note arrives whole, in order, and no key
typed as text ever runs as a command.

The facilitator (``run``) and two scribes (``join``) run as real processes in tmux, so
the keys go through a pseudo terminal and Textual's real reader, not Pilot. Each sends
its keys in bursts, as a fast typist or a busy machine delivers them: the facilitator's
first burst goes the moment its first frame is on screen, one scribe's before its
first frame (typed while the app starts), the other's at its first frame; then all
three at once, the facilitator filling in a reflection and going straight on. Between
notes the facilitator leaves the note box, moves the day on or back and comes back
(``Escape ] i``, ``Escape [ i``), which a terminal sends as "ESC ] i": the bytes that
used to be read as one long escape code and typed into the next note as "^]iW0-...".
The notes are full of keys that are commands elsewhere (space, w, x, r, e, digits,
brackets, ?).

Then the journals must hold, for each writer, exactly the notes it typed, in the order
it typed them, the facilitator's each in the segment the moves put it in, its
reflection as typed, and nothing else but the moves: no edit, no timer, no group.
Skipped without tmux.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from terminals import TMUX, Terminals, journal_records, until

pytestmark = pytest.mark.skipif(TMUX is None, reason="needs tmux for real terminals")

FIRST_FRAME = "d: decision"  # the note box's hint: drawn with the first frame
WORDS = "we review x and restart ] [ 1 2, space? e w"  # keys that are commands elsewhere
MOVES = {"]": 1, "[": -1}
FELT, CHANGE = "we listened, x and ] too", "more time in 2 groups"
REFLECTION = ("w", "4", FELT, "Tab", CHANGE, "Enter")  # a rating moves on; two fields; save


def note(writer: int, n: int) -> str:
    return f"W{writer}-{n:03d} {WORDS}"


class Typist:
    """What one terminal types, and what its journal must show for it."""

    def __init__(self, writer: int) -> None:
        self.writer = writer
        self.typed = 0
        self.segment = 0
        self.expected: list[tuple[str, int]] = []  # (text, segment)

    def notes(self, count: int, moves: str = "") -> list[str]:
        """``count`` notes, each with Enter; after each of the first ones, a move out of the
        box and back (``Escape ] i``), one per character of ``moves``."""
        keys: list[str] = []
        for k in range(count):
            text = note(self.writer, self.typed)
            self.typed += 1
            self.expected.append((text, self.segment))
            keys += [text, "Enter"]
            if k < len(moves):
                keys += ["Escape", moves[k], "i"]
                if self.writer == 0:  # only the facilitator moves the day
                    self.segment += MOVES[moves[k]]
        return keys


def by_writer(records: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        found.setdefault(record["writer"], []).append(record)
    for writer_records in found.values():
        writer_records.sort(key=lambda record: record["seq"])
    return found


def notes_saved(data_dir: Path) -> int:
    return sum(1 for r in journal_records(data_dir) if r["type"] == "note_added")


def test_three_terminals_typing_at_once_lose_glue_split_and_reorder_nothing(
    tmp_path: Path,
) -> None:
    terminals = Terminals(tmp_path)
    facilitator, early, prompt = Typist(0), Typist(1), Typist(2)
    try:
        terminals.start("A", "run", "sample-programme", "--start", "now")
        assert terminals.wait_for("A", FIRST_FRAME), terminals.screen("A")
        # The facilitator's terminal starts on its keys: i, and the notes at once.
        terminals.send("A", "i", *facilitator.notes(4, moves="]]["))
        terminals.start("B", "join", "latest")
        terminals.send("B", *early.notes(3, moves="]"))  # typed while it starts
        terminals.start("C", "join", "latest")
        assert terminals.wait_for("C", FIRST_FRAME), terminals.screen("C")
        terminals.send("C", *prompt.notes(3, moves="]"))
        for round_ in range(3):  # all three at once
            terminals.send("A", *facilitator.notes(4, moves="]"))
            if round_ == 1:  # a reflection in a burst, and notes straight after it
                terminals.send("A", "Escape", *REFLECTION, *facilitator.notes(2))
            terminals.send("B", *early.notes(4, moves="["))
            terminals.send("C", *prompt.notes(4))
        typists = (facilitator, early, prompt)
        expected = sum(len(t.expected) for t in typists)
        until(lambda: notes_saved(tmp_path) >= expected, timeout=30)
        screens = {name: terminals.screen(name) for name in "ABC"}
    finally:
        terminals.close()

    writers = by_writer(journal_records(tmp_path))
    assert len(writers) == 3, screens
    for typist in typists:
        prefix = f"W{typist.writer}-"
        (records,) = [
            r
            for r in writers.values()
            if any(x.get("text", "").startswith(prefix) for x in r if x["type"] == "note_added")
        ]
        saved = [(r["text"], r["segment"]) for r in records if r["type"] == "note_added"]
        if typist is facilitator:
            assert saved == typist.expected, screens["A"]
            moves = [r["segment"] for r in records if r["type"] == "segment_changed"]
            assert moves == [1, 2, 1, 2, 3, 4], "each ] and [ moved the day once, in order"
            reflections = [r for r in records if r["type"] == "reflection_recorded"]
            assert [(r["rating"], r["felt"], r["change"]) for r in reflections] == [
                (4, FELT, CHANGE)
            ]
            allowed = {"session_started", "day_start_chosen", "note_added", "segment_changed"}
            allowed.add("reflection_recorded")
        else:
            assert [text for text, _ in saved] == [text for text, _ in typist.expected], screens
            allowed = {"note_added"}
        ran = [r["type"] for r in records if r["type"] not in allowed]
        assert ran == [], f"{prefix}: commands ran: {ran}"
        assert all(r.get("group") is None and r.get("role") is None for r in records)
