"""Counts read as English: the review screens never say '1 sessions' or '1 notes match'."""

from __future__ import annotations

from facilitate.text import counted


def test_one_takes_the_singular_and_any_other_count_the_plural() -> None:
    assert counted(1, "session") == "1 session"
    assert counted(0, "session") == "0 sessions"
    assert counted(2, "session") == "2 sessions"
    assert counted(1, "note matches", "notes match") == "1 note matches"
    assert counted(3, "note matches", "notes match") == "3 notes match"
