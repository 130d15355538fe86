"""The note grammar: kind prefixes, owners as people write them, UK day-first due dates,
and refusals that say how to fix the line. Examples first, then properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from facilitate.notes import (
    LAST_DUE,
    MAX_NOTE_CHARS,
    NoteSyntaxError,
    ParsedNote,
    parse_note,
    resolve_due,
    strip_owner_token,
    unparse_note,
)

TODAY = date(2026, 11, 22)  # a Sunday


def action(raw: str, today: date = TODAY) -> ParsedNote:
    return parse_note(f"a: {raw}", today)


def refused(raw: str, today: date = TODAY) -> str:
    with pytest.raises(NoteSyntaxError) as caught:
        parse_note(raw, today)
    return str(caught.value)


# --- owners ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "owner", "text"),
    [
        ("send the slides @Priya", "Priya", "send the slides"),
        ('find out the cost @"Housing manager"', "Housing manager", "find out the cost"),
        ("find out the cost @Housing_manager", "Housing manager", "find out the cost"),
        ("@Sam_Jones to book the room", "Sam Jones", "to book the room"),
        ("ask @Siân about the budget", "Siân", "ask about the budget"),
        ("ring @O'Brien.", "O'Brien", "ring ."),
        ("email sam@example.org the form", None, "email sam@example.org the form"),
        ("meet @ 3pm", None, "meet @ 3pm"),
        ("@“Ann Lee” chases it", "Ann Lee", "chases it"),
        ("brief @'Bo Chen'", "Bo Chen", "brief"),
        ("thank @Jo and @Jo again", "Jo", "thank and again"),
    ],
)
def test_owners_as_people_write_them(typed: str, owner: str | None, text: str) -> None:
    note = action(typed)
    assert (note.owner, note.text) == (owner, text)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ('call them @"Sam Jones', "no closing quote"),
        ('call them @""', "needs a name"),
        ("call them @__", "needs a name"),
        ("@Priya and @Sam meet", 'for a pair write @"Priya and Sam"'),
    ],
)
def test_a_malformed_owner_is_refused_with_how_to_write_it(typed: str, says: str) -> None:
    assert says in refused(f"a: {typed}")


def test_owners_and_dates_are_only_read_in_actions() -> None:
    note = parse_note("d: @Priya chairs; review due:friday", TODAY)
    assert note == ParsedNote("decision", "@Priya chairs; review due:friday")


# --- due dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "due"),
    [
        ("2026-12-31", date(2026, 12, 31)),
        ("31/12", date(2026, 12, 31)),
        ("31/12/2026", date(2026, 12, 31)),
        ("31-12-2026", date(2026, 12, 31)),
        ("31.12.26", date(2026, 12, 31)),
        ("5/1", date(2027, 1, 5)),  # January has passed this year: next January
        ("15/03", date(2027, 3, 15)),
        ("29/2", date(2028, 2, 29)),  # the next 29 February
        ("today", TODAY),
        ("tomorrow", date(2026, 11, 23)),
        ("friday", date(2026, 11, 27)),
        ("Fri", date(2026, 11, 27)),
        ("sunday", date(2026, 11, 29)),  # today is Sunday: "sunday" is next week's
        ("thurs", date(2026, 11, 26)),
        ("+3d", date(2026, 11, 25)),
        ("+2w", date(2026, 12, 6)),
        ("+0d", TODAY),
        ("friday.", date(2026, 11, 27)),  # the end of a sentence
    ],
)
def test_due_dates_as_people_in_the_uk_write_them(typed: str, due: date) -> None:
    assert action(f"do it due:{typed}").due == due


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("someday", "day first (31/12, 31/12/2026)"),
        ("12/31", "the day comes first (UK), so 31/12"),
        ("31/02", "is not a date"),
        ("2026-13-01", "is not a date"),
        ("1/9", "in the past (today is Sun 22/11/2026): for next year write due:01/09/2027"),
        ("21/11/2026", "Sat 21/11/2026 is in the past"),
        ("2020-01-01", "in the past"),
        ("", "due: needs a date right after it"),
        ("+9999d", "cannot read"),
        # impossible or absurd dates, as the tester typed them: refused, never saved
        ("2026-13-45", "is not a date"),
        ("45/13/2026", "is not a date"),
        ("9999-12-31", "Fri 31/12/9999 is too far ahead (the latest is Fri 31/12/2100)"),
        ("1/1/2101", "too far ahead"),
        ("0001-01-01", "in the past"),
    ],
)
def test_a_due_date_that_cannot_be_used_says_why_and_how(typed: str, says: str) -> None:
    assert says in refused(f"a: renew the lease due:{typed}")


def test_two_due_dates_are_refused() -> None:
    assert "one due date" in refused("a: book due:friday due:+3d")


def test_a_kept_due_date_may_be_past_when_an_old_action_is_edited() -> None:
    old = date(2026, 11, 1)
    note = parse_note("a: renewed lease due:2026-11-01", TODAY, keep_due=old)
    assert note.due == old
    with pytest.raises(NoteSyntaxError):
        parse_note("a: renewed lease due:2026-11-02", TODAY, keep_due=old)


# --- prefixes, odd text ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kind", "text"),
    [
        ("d: meet monthly", "decision", "meet monthly"),
        ("A:write it up", "action", "write it up"),
        ("q:  who chairs?", "question", "who chairs?"),
        ("f: more breaks", "feedback", "more breaks"),
        ("n: d: is a prefix", "note", "d: is a prefix"),
        ("d:not a gap", "decision", "not a gap"),
        ("dd: not a prefix", "note", "dd: not a prefix"),
        ("  spaced   as typed  ", "note", "spaced   as typed"),
        ("tab\tand emoji 🎉 and עברית", "note", "tab\tand emoji 🎉 and עברית"),
    ],
)
def test_prefixes_and_text_as_typed(typed: str, kind: str, text: str) -> None:
    assert parse_note(typed, TODAY) == ParsedNote(kind, text)


def test_a_chosen_feedback_category_makes_a_plain_line_feedback() -> None:
    assert parse_note("more breaks", TODAY, default_kind="feedback").kind == "feedback"
    assert parse_note("n: aside", TODAY, default_kind="feedback").kind == "note"


@pytest.mark.parametrize("raw", ["d: ", "a:", "a: @Priya due:friday"])
def test_nothing_after_the_prefix_is_refused(raw: str) -> None:
    assert "nothing to save" in refused(raw)


def test_control_characters_and_overlong_notes_are_refused_whole() -> None:
    assert "control character (U+001B) at position 6" in refused("hello\x1b[31m")
    assert parse_note("x" * MAX_NOTE_CHARS, TODAY).text == "x" * MAX_NOTE_CHARS
    assert "up to 10,000 characters; this one has 10,001" in refused("x" * (MAX_NOTE_CHARS + 1))


def test_old_notes_show_without_the_owner_token_beside_their_owner() -> None:
    assert strip_owner_token("send it @Priya today", "Priya") == "send it today"
    assert strip_owner_token("send it @sam_jones", "sam_jones") == "send it"
    assert strip_owner_token("ask @Bo then @Priya", "Priya") == "ask @Bo then"
    assert strip_owner_token("no token here", "Priya") == "no token here"


def test_unparse_gives_back_a_line_that_reads_the_same() -> None:
    line = unparse_note("action", "find out the cost", "Housing manager", "2026-12-31")
    assert line == 'a: find out the cost @"Housing manager" due:2026-12-31'
    assert unparse_note("note", "d: is a prefix", None, None) == "n: d: is a prefix"
    assert unparse_note("note", "plain", None, None) == "plain"


# --- properties ------------------------------------------------------------------------

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
words = st.text(
    alphabet=st.characters(categories=["L", "N"], include_characters="-'"), min_size=1
).filter(lambda w: w[0].isalnum() and w[-1].isalnum())
names = st.lists(words, min_size=1, max_size=3).map(" ".join)
# Prose without the characters the grammar reads (@, a "due:" word, a leading prefix).
prose = st.text(
    alphabet=st.characters(
        categories=["L", "N", "P", "S", "Zs"], exclude_characters="@\u2028\u2029\x85"
    ),
    min_size=1,
    max_size=80,
).filter(lambda t: t.strip() and "due:" not in t.lower() and ":" not in t[:3])


@given(today=days, ahead=st.integers(0, 3000), style=st.sampled_from(["iso", "/", "-", "."]))
def test_any_written_date_from_today_on_reads_back(today: date, ahead: int, style: str) -> None:
    due = today + timedelta(days=ahead)
    assume(due <= LAST_DUE)
    sep = style if style != "iso" else ""
    typed = due.isoformat() if style == "iso" else f"{due.day}{sep}{due.month}{sep}{due.year}"
    assert resolve_due(typed, today) == due


@given(today=days, day=st.integers(1, 31), month=st.integers(1, 12))
def test_a_day_and_month_is_never_past_and_within_the_coming_years(
    today: date, day: int, month: int
) -> None:
    try:
        due = resolve_due(f"{day}/{month}", today)
    except NoteSyntaxError:
        return
    assert today <= due <= today + timedelta(days=366 * 8)
    assert (due.day, due.month) == (day, month)


@given(today=days, token=st.text(max_size=12))
def test_due_dates_are_never_before_today_and_never_crash(today: date, token: str) -> None:
    try:
        assert today <= resolve_due(token, today) <= LAST_DUE
    except NoteSyntaxError as exc:
        assert str(exc)


@given(today=days, which=st.sampled_from(["mon", "tuesday", "wed", "thu", "friday", "sat", "sun"]))
def test_a_weekday_is_within_the_next_seven_days_and_never_today(today: date, which: str) -> None:
    due = resolve_due(which, today)
    assert 1 <= (due - today).days <= 7
    assert due.strftime("%a").lower() == which[:3]


@given(text=prose, owner=names, quoted=st.booleans(), ahead=st.integers(0, 400))
def test_owner_and_due_leave_the_text_and_are_read_back(
    text: str, owner: str, quoted: bool, ahead: int
) -> None:
    due = TODAY + timedelta(days=ahead)
    token = f'@"{owner}"' if quoted else "@" + owner.replace(" ", "_")
    note = parse_note(f"a: {text} {token} due:{due.day}/{due.month}/{due.year}", TODAY)
    assert (note.kind, note.owner, note.due) == ("action", owner, due)
    assert "@" not in note.text and "due:" not in note.text
    assert note.text == text.strip()


@given(raw=st.text(max_size=120), kind=st.sampled_from(["note", "feedback"]))
def test_any_line_is_read_or_refused_and_what_is_read_comes_back_by_unparse(
    raw: str, kind: str
) -> None:
    try:
        note = parse_note(raw, TODAY, default_kind=kind)
    except NoteSyntaxError as exc:
        assert str(exc)
        return
    assert note.text and note.text == note.text.strip()
    due = note.due.isoformat() if note.due else None
    again = parse_note(
        unparse_note(note.kind, note.text, note.owner, due), TODAY, keep_due=note.due
    )
    assert again == note


@given(text=prose)
def test_a_plain_note_is_saved_exactly_as_typed_apart_from_the_ends(text: str) -> None:
    assume(not text.lstrip()[:2].rstrip().lower().endswith(":"))
    assert parse_note(text, TODAY).text == text.strip()
