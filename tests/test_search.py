"""Finding notes again: within a session and across sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from facilitate.agenda import parse_agenda
from facilitate.events import Event, NoteAdded, NoteDeleted, NoteEdited, SessionStarted
from facilitate.reducer import replay
from facilitate.search import (
    SearchHit,
    SearchIndex,
    index_sessions,
    search_session,
    search_sessions,
)
from facilitate.store import LoadedSession

AGENDA = """
[agenda]
title = "Partnership day"

[[segment]]
title = "Welcome and purpose"
duration = 15

[[segment]]
title = "Budget review"
duration = 30
"""

START = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)


def note(seq: int, text: str, segment: int = 0, **extra: str) -> NoteAdded:
    kind = extra.pop("kind", "note")
    return NoteAdded(
        at=START + timedelta(seconds=seq),
        writer="w1",
        seq=seq,
        kind=kind,
        text=text,
        segment=segment,
        **extra,
    )


def loaded(sid: str, events: list[Event]) -> LoadedSession:
    agenda = parse_agenda(AGENDA, file="agenda.toml", name="day")
    started = SessionStarted(
        at=START, writer="w1", seq=0, agenda_name="day", agenda_title=agenda.title
    )
    state = replay(len(agenda.segments), [started, *events])
    return LoadedSession(sid, Path(sid), agenda, state, [])


def texts(hits: list[SearchHit]) -> list[str]:
    return [hit.note.text for hit in hits]


def test_all_words_must_match_in_any_order_and_case() -> None:
    session = loaded(
        "s1",
        [
            note(1, "Agree the Terms of Reference"),
            note(2, "Terms agreed by email only"),
            note(3, "Reference group meets monthly"),
        ],
    )
    assert texts(search_session(session, "reference TERMS")) == ["Agree the Terms of Reference"]
    assert texts(search_session(session, "terms")) == [
        "Agree the Terms of Reference",
        "Terms agreed by email only",
    ]
    assert search_session(session, "terms budget") == []


def test_owner_group_role_category_and_segment_title_are_searched() -> None:
    session = loaded(
        "s1",
        [
            note(1, "Send the minutes", kind="action", owner="Priya", due="2030-01-14"),
            note(2, "Quiet table", group="Group 2"),
            note(3, "Spoke for the community", role="Community representative"),
            note(4, "Felt rushed", kind="feedback", category="pace"),
            note(5, "Costs are shared", segment=1),
        ],
    )
    assert texts(search_session(session, "priya")) == ["Send the minutes"]
    assert texts(search_session(session, "group 2")) == ["Quiet table"]
    assert texts(search_session(session, "community rep")) == ["Spoke for the community"]
    assert texts(search_session(session, "PACE")) == ["Felt rushed"]
    hits = search_session(session, "budget costs")
    assert texts(hits) == ["Costs are shared"]
    assert hits[0].segment_title == "Budget review"
    assert hits[0].session_id == "s1"


def test_deleted_notes_are_not_found_and_edits_are() -> None:
    session = loaded(
        "s1",
        [
            note(1, "Secret draft figure"),
            note(2, "Old wording"),
            NoteDeleted(at=START + timedelta(seconds=10), writer="w1", seq=10, note_id="w1-1"),
            NoteEdited(
                at=START + timedelta(seconds=11),
                writer="w1",
                seq=11,
                note_id="w1-2",
                kind="decision",
                text="New wording agreed",
            ),
        ],
    )
    assert search_session(session, "secret") == []
    assert search_session(session, "old") == []
    assert texts(search_session(session, "agreed")) == ["New wording agreed"]
    assert texts(search_session(session, "")) == ["New wording agreed"]


def test_across_sessions_hits_name_their_session_in_order() -> None:
    first = loaded("2030-01-07-0900-day", [note(1, "Budget gap of 5k"), note(2, "Lunch late")])
    second = loaded("2030-02-04-0900-day", [note(1, "budget closed"), note(2, "Other")])
    hits = search_sessions([first, second], "budget")
    assert [(h.session_id, h.note.text) for h in hits] == [
        ("2030-01-07-0900-day", "Budget gap of 5k"),
        ("2030-02-04-0900-day", "budget closed"),
    ]
    index = index_sessions([first, second])
    assert len(index) == 4
    assert [h.session_id for h in index.search("other")] == ["2030-02-04-0900-day"]


def test_ten_thousand_notes_give_the_same_hits_as_a_plain_scan() -> None:
    """Scale check for the index (timings are measured by a script, not asserted here)."""
    words = ["budget", "partner", "community", "terms", "lunch", "review", "action", "health"]
    events: list[Event] = [
        note(
            i,
            f"{words[i % 8]} item {i} about {words[(i * 3) % 8]} and more text here",
            segment=i % 2,
            owner=f"person{i % 50}",
        )
        for i in range(1, 10_001)
    ]
    session = loaded("big", events)
    index = SearchIndex()
    index.add(session.id, session.agenda, session.state)
    hits = index.search("Budget TERMS person7")
    expected = [
        n.text
        for n in session.state.notes.values()
        if "terms" in n.text and n.owner == "person7" and ("budget" in n.text or n.segment == 1)
    ]
    assert expected and texts(hits) == expected
    assert len(index.search("health")) == 2500
