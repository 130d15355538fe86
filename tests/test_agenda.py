"""Agenda loading and validation: every bad input says what is wrong and where to edit.

Each case is something a facilitator will write by hand in a text editor the
night before a workshop. The message must name the problem and point at the
exact line and column (``file:line:col``) where the fix goes, and the loader
must report every problem at once rather than one per run.
"""

from __future__ import annotations

from datetime import time
from pathlib import Path
from textwrap import dedent

import pytest

from facilitate.agenda import (
    DEFAULT_WARNING_S,
    Agenda,
    AgendaError,
    Problem,
    did_you_mean,
    format_duration,
    load_agenda,
    parse_agenda,
    parse_clock,
    parse_duration,
)

BUNDLED = Path(__file__).parent.parent / "src" / "facilitate" / "agendas"
BUNDLED_NAMES = [
    "case-study-perspectives",
    "partnership-meeting",
    "sample-programme",
    "session-evaluation",
    "shared-solutions",
]

HEAD = '[agenda]\ntitle = "Workshop"\n\n'  # lines 1-3; the first [[segment]] is on line 4


def toml(text: str) -> str:
    return dedent(text).lstrip("\n")


def parse(text: str) -> Agenda:
    return parse_agenda(text, file="day.toml", name="day")


def problems(text: str) -> list[Problem]:
    with pytest.raises(AgendaError) as caught:
        parse(text)
    return caught.value.problems


def lines(text: str) -> list[str]:
    """The problems as the CLI prints them."""
    return [str(p) for p in problems(text)]


def one(text: str) -> Problem:
    found = problems(text)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def syntax_error(text: str) -> Problem:
    """The one TOML syntax error of ``text`` (the rest of the file is checked too)."""
    found = [p for p in problems(text) if p.message.startswith("TOML syntax")]
    assert len(found) == 1, [str(p) for p in problems(text)]
    return found[0]


def at(problem: Problem) -> tuple[int | None, int | None]:
    return problem.line, problem.col


# --- what a good agenda gives --------------------------------------------------------------------


def test_minimal_agenda_gets_sensible_defaults() -> None:
    agenda = parse(HEAD + '[[segment]]\ntitle = "Welcome and introductions"\nduration = 30\n')
    assert agenda.title == "Workshop"
    assert agenda.name == "day"
    assert agenda.start is None
    assert agenda.bell is True
    [seg] = agenda.segments
    assert seg.index == 0
    assert seg.id == "welcome-and-introductions"
    assert seg.duration_s == 30 * 60
    assert (seg.kind, seg.mode, seg.mode_label) == ("session", "plenary", "Plenary")
    assert seg.warning_s == DEFAULT_WARNING_S == 120
    assert seg.panel is None
    assert agenda.warnings == ()


@pytest.mark.parametrize("name", BUNDLED_NAMES)
def test_bundled_agendas_load_without_problems(name: str) -> None:
    agenda = load_agenda(BUNDLED / f"{name}.toml")
    assert agenda.name == name
    assert agenda.segments
    assert agenda.warnings == (), [str(w) for w in agenda.warnings]


def test_sample_programme_keeps_its_printed_times() -> None:
    agenda = load_agenda(BUNDLED / "sample-programme.toml")
    fixed = {s.id: s.at for s in agenda.segments if s.at is not None}
    assert agenda.start == time(9, 30)
    assert fixed["lunch"] == time(12, 30)
    assert fixed["morning-break"] == time(11, 20)
    assert fixed["afternoon-break"] == time(15, 0)
    assert fixed["close"] == time(16, 0)
    assert agenda.total_planned_s == 6 * 3600 + 30 * 60


@pytest.mark.parametrize(
    ("written", "seconds"),
    [
        ('"1h30m"', 5400),
        ('"45m"', 2700),
        ("90", 5400),
        ('"90"', 5400),
        ('"2h"', 7200),
        ('"1h 30m"', 5400),
        ('"45min"', 2700),
        ("0", 0),
    ],
)
def test_durations_in_the_forms_people_write(written: str, seconds: int) -> None:
    agenda = parse(HEAD + f'[[segment]]\ntitle = "A"\nduration = {written}\n')
    assert agenda.segments[0].duration_s == seconds


@pytest.mark.parametrize("written", ['"09:30"', '"09.30"', '"9:30"', '"9.30"', "09:30:00"])
def test_clock_times_as_printed_programmes_write_them(written: str) -> None:
    agenda = parse(
        toml(f"""
        [agenda]
        title = "Workshop"
        start = {written}

        [[segment]]
        title = "A"
        duration = 30
        at = {written}
    """)
    )
    assert agenda.start == time(9, 30)
    assert agenda.segments[0].at == time(9, 30)


def test_agenda_warning_minutes_apply_to_every_segment_unless_overridden() -> None:
    agenda = parse(
        toml("""
        [agenda]
        title = "Workshop"
        warning = 5

        [[segment]]
        title = "A"
        duration = 30

        [[segment]]
        title = "B"
        duration = 30
        warning = "30s"
    """)
    )
    assert agenda.warning_s == 300
    assert [s.warning_s for s in agenda.segments] == [300, 30]


def test_agenda_warning_zero_turns_the_warning_off() -> None:
    """A facilitator who writes ``warning = 0`` does not want a warning colour at 2:00."""
    agenda = parse(
        toml("""
        [agenda]
        title = "Workshop"
        warning = 0

        [[segment]]
        title = "A"
        duration = 30
    """)
    )
    assert agenda.warning_s == 0
    assert agenda.segments[0].warning_s == 0


def test_a_byte_order_mark_does_not_upset_the_loader(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(("\ufeff" + HEAD + '[[segment]]\ntitle = "A"\nduration = 5\n').encode())
    assert load_agenda(path).title == "Workshop"


# --- files that cannot be read -------------------------------------------------------------------


def load_problem(path: Path) -> Problem:
    with pytest.raises(AgendaError) as caught:
        load_agenda(path)
    [problem] = caught.value.problems
    return problem


def test_missing_file(tmp_path: Path) -> None:
    problem = load_problem(tmp_path / "nope.toml")
    assert str(problem) == f"{tmp_path / 'nope.toml'}: no such file"


def test_a_folder_is_not_an_agenda(tmp_path: Path) -> None:
    assert str(load_problem(tmp_path)) == f"{tmp_path}: is a folder, not an agenda file"


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "slides.toml"
    path.write_bytes(b"PK\x03\x04\x00\x00binary")
    assert "binary" in load_problem(path).message


def test_non_utf8_points_at_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'[agenda]\ntitle = "Caf\xe9 morning"\n')
    problem = load_problem(path)
    assert at(problem) == (2, 13)
    assert "UTF-8" in problem.message


@pytest.mark.parametrize("content", ["", "   \n\n", "\n"])
def test_empty_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "empty.toml"
    path.write_text(content)
    assert "empty" in load_problem(path).message


# --- TOML syntax ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('[agenda]\ntitle = "Workshop\n', (2, 18)),  # unterminated string: end of line 2
        ('[agenda\ntitle = "Workshop"\n', (1, 8)),  # unclosed table header
        (HEAD + '[[segment]]\ntitle = "A"\nduration = 30 30\n', (6, 15)),
        (HEAD + '[[segment]]\ntitle = "A"\nduration = [30,\n', (6, 16)),  # runs off the end
    ],
)
def test_toml_syntax_errors_point_at_line_and_column(text: str, where: tuple[int, int]) -> None:
    problem = syntax_error(text)
    assert problem.message.startswith("TOML syntax: ")
    assert at(problem) == where
    assert str(problem).startswith(f"day.toml:{where[0]}:{where[1]}: TOML syntax: ")


def test_unquoted_dotted_time_is_reported_on_its_line() -> None:
    # `09.30` without quotes is not valid TOML (a number cannot start with 0).
    problem = syntax_error('[agenda]\ntitle = "Workshop"\nstart = 09.30\n')
    assert problem.line == 3
    assert problem.message.startswith("TOML syntax")
    assert problem.message.endswith('(times and text go in quotes: start = "09.30")')


@pytest.mark.parametrize(
    ("line", "hint"),
    [
        ("at = 12:30", 'at = "12:30"'),
        ("duration = 1h30m", 'duration = "1h30m"'),
        ("title = Welcome back  # the first slot", 'title = "Welcome back"'),
    ],
)
def test_a_bare_time_or_text_is_shown_quoted(line: str, hint: str) -> None:
    problem = one(HEAD + f'[[segment]]\ntitle = "A"\nduration = 5\n{line}\n')
    assert problem.message.endswith(f"(times and text go in quotes: {hint})")


def test_no_quote_hint_when_the_value_is_already_quoted() -> None:
    problem = syntax_error('[agenda]\ntitle = "Workshop\n')
    assert "go in quotes" not in problem.message


# --- wrong types ---------------------------------------------------------------------------------


def test_title_must_be_a_string() -> None:
    assert lines('[agenda]\ntitle = 2024\n\n[[segment]]\ntitle = "A"\nduration = 5\n') == [
        "day.toml:2:9: [agenda]: 'title' must be a string, not a number"
    ]


def test_blank_title_is_refused() -> None:
    problem = one('[agenda]\ntitle = "   "\n\n[[segment]]\ntitle = "A"\nduration = 5\n')
    assert at(problem) == (2, 9)
    assert "'title' is empty" in problem.message


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("true", "not true/false"),
        ("1.5", "whole minutes"),
        ("-10", "cannot be negative"),
        ('"abc"', "cannot read duration 'abc'"),
        ('"1.5h"', "cannot read duration"),
        ('""', "cannot read duration"),
        ("[30]", "not a list"),
    ],
)
def test_bad_durations_point_at_the_value(written: str, says: str) -> None:
    problem = one(HEAD + f'[[segment]]\ntitle = "A"\nduration = {written}\n')
    assert at(problem) == (6, 12)
    assert problem.message.startswith("segment 1: 'duration': ")
    assert says in problem.message


def test_missing_duration_points_at_the_segment_header() -> None:
    problem = one(HEAD + '[[segment]]\ntitle = "A"\n')
    assert at(problem) == (4, 1)
    assert "missing required key 'duration'" in problem.message


def test_missing_title_points_at_its_table() -> None:
    problem = one('[agenda]\nstart = "09:00"\n\n[[segment]]\ntitle = "A"\nduration = 5\n')
    assert at(problem) == (1, 1)
    assert "missing required key 'title'" in problem.message


def test_groups_must_be_a_list() -> None:
    problem = one(HEAD + '[[segment]]\ntitle = "A"\nduration = 5\ngroups = "Group 1"\n')
    assert at(problem) == (7, 10)
    assert "'groups' must be a list" in problem.message


def test_a_number_inside_a_multiline_list_is_reported_at_the_list() -> None:
    text = HEAD + '[[segment]]\ntitle = "A"\nduration = 5\nprompts = [\n  "Why?",\n  3,\n]\n'
    problem = one(text)
    assert at(problem) == (7, 11)
    assert "'prompts' must be a list of non-empty strings" in problem.message


def test_bell_must_be_true_or_false() -> None:
    problem = one('[agenda]\ntitle = "W"\nbell = "yes"\n\n[[segment]]\ntitle = "A"\nduration = 5\n')
    assert at(problem) == (3, 8)
    assert "'bell' must be true or false" in problem.message


def test_crlf_line_endings_keep_positions() -> None:
    text = '[agenda]\r\ntitle = 7\r\n\r\n[[segment]]\r\ntitle = "A"\r\nduration = 5\r\n'
    assert at(one(text)) == (2, 9)


def test_indented_keys_point_at_the_key_itself() -> None:
    problem = one(HEAD + '[[segment]]\n    title = "A"\n    duration = "soon"\n')
    assert at(problem) == (6, 16)


# --- impossible and inconsistent times -----------------------------------------------------------


@pytest.mark.parametrize(("written", "col"), [('"25:00"', 9), ('"9:75"', 9), ('"noon"', 9)])
def test_impossible_start_time(written: str, col: int) -> None:
    problem = one(
        f'[agenda]\ntitle = "W"\nstart = {written}\n\n[[segment]]\ntitle = "A"\nduration = 5\n'
    )
    assert at(problem) == (3, col)
    assert problem.message.startswith("[agenda]: 'start': ")


def test_impossible_fixed_time_in_a_segment() -> None:
    problem = one(HEAD + '[[segment]]\ntitle = "Lunch"\nduration = 60\nat = "12:75"\n')
    assert str(problem) == (
        "day.toml:7:6: segment 1: 'at': '12:75' is not a time of day (hours 0-23, minutes 0-59)"
    )


def test_parse_clock_rejects_what_is_not_a_time_of_day() -> None:
    assert parse_clock("09.30") == time(9, 30)
    assert parse_clock(" 16:00 ") == time(16, 0)
    for bad in ("25:00", "9:75", "24:00", "9", "930", "09:3", ""):
        with pytest.raises(ValueError):
            parse_clock(bad)
    with pytest.raises(ValueError):
        parse_clock(9.30)


def test_fixed_times_must_increase() -> None:
    text = toml("""
        [agenda]
        title = "Workshop"

        [[segment]]
        title = "Lunch"
        duration = 30
        at = "12:30"

        [[segment]]
        title = "Coffee"
        duration = 15
        at = "11:00"
    """)
    problem = one(text)
    assert at(problem) == (12, 6)
    assert "fixed time 11:00 must come after 12:30 ('Lunch')" in problem.message
    assert problem.message.startswith("segment 2: ")


def test_equal_fixed_times_are_not_increasing() -> None:
    text = HEAD + '[[segment]]\ntitle = "A"\nduration = 0\nat = "10:00"\n\n'
    text += '[[segment]]\ntitle = "B"\nduration = 5\nat = "10:00"\n'
    assert at(one(text)) == (12, 6)


def test_fixed_time_before_the_day_starts() -> None:
    text = '[agenda]\ntitle = "W"\nstart = "09:30"\n\n[[segment]]\ntitle = "A"\n'
    text += 'duration = 5\nat = "09:00"\n'
    problem = one(text)
    assert at(problem) == (8, 6)
    assert "before the day starts (09:30)" in problem.message


def test_durations_that_cannot_fit_before_a_fixed_time_are_a_warning_not_an_error() -> None:
    text = toml("""
        [agenda]
        title = "Workshop"
        start = "09:00"

        [[segment]]
        title = "Welcome"
        duration = 50

        [[segment]]
        title = "Coffee"
        duration = 15
        at = "09:30"
    """)
    agenda = parse(text)  # loads: the facilitator may mean to squeeze
    [warning] = agenda.warnings
    assert warning.warning
    assert at(warning) == (12, 6)
    assert "20m" in warning.message
    assert "'Coffee'" in warning.message
    assert str(warning).startswith("day.toml:12:6: warning: ")


def test_fit_warning_counts_from_the_previous_fixed_time_without_a_start() -> None:
    text = HEAD + '[[segment]]\ntitle = "A"\nduration = 30\nat = "09:00"\n\n'
    text += '[[segment]]\ntitle = "B"\nduration = "1h"\n\n'
    text += '[[segment]]\ntitle = "C"\nduration = 10\nat = "10:15"\n'
    [warning] = parse(text).warnings
    assert "15m" in warning.message
    assert warning.line == 16


def test_segments_that_fit_exactly_give_no_warning() -> None:
    text = '[agenda]\ntitle = "W"\nstart = "09:00"\n\n[[segment]]\ntitle = "A"\nduration = 30\n'
    text += '\n[[segment]]\ntitle = "B"\nduration = 15\nat = "09:30"\n'
    assert parse(text).warnings == ()


def test_warning_not_shorter_than_the_segment_is_a_warning() -> None:
    agenda = parse(HEAD + '[[segment]]\ntitle = "A"\nduration = 2\n')
    [warning] = agenda.warnings
    assert warning.warning
    assert "warns from the start" in warning.message


# --- unknown keys and values: with did-you-mean --------------------------------------------------


def test_unknown_key_in_agenda_table() -> None:
    assert lines(
        '[agenda]\ntitle = "W"\ntitel = "X"\n\n[[segment]]\ntitle = "A"\nduration = 5\n'
    ) == ["day.toml:3:1: [agenda]: unknown key 'titel' (did you mean 'title'?)"]


def test_unknown_key_in_a_segment() -> None:
    text = HEAD + '[[segment]]\ntitle = "A"\nduration = 5\n\n[[segment]]\ntitle = "B"\n'
    text += "duration = 5\n  duraton = 5\n"
    assert lines(text) == [
        "day.toml:11:3: segment 2: unknown key 'duraton' (did you mean 'duration'?)"
    ]


def test_unknown_dotted_key_in_a_segment_points_at_its_line() -> None:
    problem = one(HEAD + '[[segment]]\ntitle = "A"\nduration = 5\nprompt.one = "x"\n')
    assert "unknown key 'prompt' (did you mean 'prompts'?)" in problem.message
    assert at(problem) == (7, 1)


def test_segments_written_as_a_single_table_is_a_top_level_unknown() -> None:
    found = lines(HEAD + '[segments]\ntitle = "A"\nduration = 5\n')
    assert "day.toml:4:1: unknown table or key 'segments' (did you mean 'segment'?)" in found


def test_segments_as_array_of_tables_is_a_top_level_unknown() -> None:
    found = lines(HEAD + '[[segments]]\ntitle = "A"\nduration = 5\n')
    assert "day.toml:4:1: unknown table or key 'segments' (did you mean 'segment'?)" in found


def test_single_bracket_segment_says_to_use_double_brackets() -> None:
    problem = one(HEAD + '[segment]\ntitle = "A"\nduration = 5\n')
    assert at(problem) == (4, 1)
    assert "[[segment]]" in problem.message


@pytest.mark.parametrize(
    ("key", "value", "hint"),
    [
        ("kind", "brake", "break"),
        ("kind", "Activity", "activity"),
        ("mode", "pair", "pairs"),
        ("mode", "separate groups", "separate-groups"),
        ("panel", "mobious", "mobius"),
        ("panel", "lifecycles", "lifecycle"),
    ],
)
def test_unknown_enum_values_suggest_the_right_one(key: str, value: str, hint: str) -> None:
    problem = one(HEAD + f'[[segment]]\ntitle = "A"\nduration = 5\n{key} = "{value}"\n')
    assert at(problem) == (7, len(key) + 4)
    assert f"'{key}' must be one of " in problem.message
    assert f"not '{value}'" in problem.message
    assert problem.message.endswith(f"(did you mean '{hint}'?)")


def test_enum_of_the_wrong_type() -> None:
    problem = one(HEAD + '[[segment]]\ntitle = "A"\nduration = 5\nkind = 3\n')
    assert "'kind' must be one of session, activity, break, not a number" in problem.message


def test_did_you_mean_stays_quiet_when_nothing_is_close() -> None:
    assert did_you_mean("zzz", ["title", "start"]) == ""
    assert did_you_mean("strat", ["title", "start"]) == " (did you mean 'start'?)"


def test_key_inside_a_multiline_string_is_not_taken_for_the_real_key() -> None:
    """Notes are free text; a line in them that looks like ``kind = ...`` is not a key."""
    text = toml('''
        [agenda]
        title = "Workshop"

        [[segment]]
        title = "A"
        notes = """
        kind = sorted out on the day
        """
        kind = "brake"
        duration = 30
    ''')
    problem = one(text)
    assert at(problem) == (9, 8)


def test_segment_header_inside_a_multiline_string_does_not_shift_segments() -> None:
    text = toml('''
        [agenda]
        title = "Workshop"

        [[segment]]
        title = "A"
        duration = 30
        notes = """
        [[segment]] tables are how the day is written
        """

        [[segment]]
        title = "B"
        duration = "soon"
    ''')
    problem = one(text)
    assert problem.message.startswith("segment 2: 'duration'")
    assert at(problem) == (13, 12)


# --- ids, missing parts --------------------------------------------------------------------------


def test_duplicate_explicit_ids_point_at_the_second_id() -> None:
    text = HEAD + '[[segment]]\nid = "intro"\ntitle = "A"\nduration = 5\n\n'
    text += '[[segment]]\nid = "intro"\ntitle = "B"\nduration = 5\n'
    assert lines(text) == [
        "day.toml:10:6: segment 2: id 'intro' is already used by segment 1; "
        "give one of them an explicit id"
    ]


def test_duplicate_titles_without_ids_point_at_the_second_title() -> None:
    text = HEAD + '[[segment]]\ntitle = "Break"\nduration = 5\n\n'
    text += '[[segment]]\ntitle = "Break"\nduration = 5\n'
    problem = one(text)
    assert at(problem) == (9, 9)
    assert "id 'break' is already used by segment 1" in problem.message


def test_bad_id_characters() -> None:
    problem = one(HEAD + '[[segment]]\nid = "Warm Up"\ntitle = "A"\nduration = 5\n')
    assert at(problem) == (5, 6)
    assert "may use only a-z, 0-9 and '-'" in problem.message


def test_no_segments() -> None:
    assert lines('[agenda]\ntitle = "Workshop"\n') == [
        "day.toml:1:1: no segments: add at least one [[segment]] with a title and duration"
    ]


def test_missing_agenda_table_is_one_problem_at_the_top_of_the_file() -> None:
    """Every problem prints as file:line:col so editors can jump to it, even this one."""
    problem = one('[[segment]]\ntitle = "A"\nduration = 5\n')
    assert at(problem) == (1, 1)
    assert "[agenda]" in problem.message


def test_every_problem_is_reported_in_one_pass() -> None:
    text = toml("""
        [agenda]
        title = "Workshop"
        strat = "09:00"

        [[segment]]
        title = "A"
        duration = "abc"

        [[segment]]
        title = "B"
        duration = 5
        kind = "brake"
    """)
    found = problems(text)
    assert [p.line for p in found] == [3, 7, 12]
    assert all(not p.warning for p in found)


# --- the small helpers ---------------------------------------------------------------------------


def test_parse_duration_helper() -> None:
    assert parse_duration(30) == 1800
    assert parse_duration("90s") == 90
    assert parse_duration("1h30m") == 5400
    for bad in (True, 1.5, -1, "abc", "", "m", None):
        with pytest.raises(ValueError):
            parse_duration(bad)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0m"),
        (59.6, "1m"),
        (90, "1m30s"),
        (2700, "45m"),
        (3600, "1h"),
        (5400, "1h30m"),
        (23400, "6h30m"),
        (-300, "-5m"),
        (7 * 3600 + 5, "7h0m5s"),  # not 7h5s, beside 0m38s in the same column
        (3600 + 65, "1h1m5s"),
        (-(3600 + 5), "-1h0m5s"),
    ],
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


def test_problem_prints_as_file_line_col() -> None:
    assert str(Problem("a.toml", "bad", 3, 7)) == "a.toml:3:7: bad"
    assert str(Problem("a.toml", "meh", 3, 7, warning=True)) == "a.toml:3:7: warning: meh"
    assert str(Problem("a.toml", "no such file")) == "a.toml: no such file"


# --- re-planning and the projector: protect, projector_prompts, notes_for_scribes --------------


def test_protect_and_the_projector_and_scribe_switches_are_read() -> None:
    agenda = parse(
        toml("""
        [agenda]
        title = "Workshop"
        projector_prompts = false

        [[segment]]
        title = "Keynote"
        duration = 30
        protect = true
        prompts = ["What stays with you?"]
        projector_prompts = true
        notes = "Speaker arrives at 10:50."
        notes_for_scribes = true

        [[segment]]
        title = "Groups"
        duration = 30
        prompts = ["A question the room need not see"]
    """)
    )
    keynote, groups = agenda.segments
    assert keynote.protect and not keynote.flexible
    assert keynote.projector_prompts and keynote.notes_for_scribes
    assert not groups.protect and groups.flexible
    assert not groups.projector_prompts  # the agenda's default
    assert not groups.notes_for_scribes  # notes stay the facilitator's unless said
    assert agenda.warnings == ()


def test_breaks_are_never_flexible() -> None:
    agenda = parse(HEAD + '[[segment]]\ntitle = "Lunch"\nduration = 60\nkind = "break"\n')
    assert not agenda.segments[0].flexible


@pytest.mark.parametrize("key", ["protect", "projector_prompts", "notes_for_scribes"])
def test_the_switches_must_be_true_or_false(key: str) -> None:
    assert lines(HEAD + f'[[segment]]\ntitle = "A"\nduration = 5\n{key} = "yes"\n') == [
        f"day.toml:7:{len(key) + 4}: segment 1: '{key}' must be true or false, not a string"
    ]


def test_switches_that_change_nothing_are_warnings() -> None:
    agenda = parse(
        HEAD + '[[segment]]\ntitle = "Tea"\nduration = 15\nkind = "break"\nprotect = true\n'
        '\n[[segment]]\ntitle = "B"\nduration = 5\nprojector_prompts = false\n'
        "notes_for_scribes = true\n"
    )
    assert [(p.line, p.message) for p in agenda.warnings] == [
        (8, "segment 1: 'protect' changes nothing on a break: a re-plan never shortens breaks"),
        (13, "segment 2: 'projector_prompts' is false but the segment has no prompts to hide"),
        (14, "segment 2: 'notes_for_scribes' is true but the segment has no notes to show"),
    ]


# --- part_of: a segment that shares an earlier one's groups and roles -----------------------------

ROLE_PLAY = """\
[[segment]]
id = "meeting"
title = "Meeting"
duration = 30
groups = ["Group 1", "Group 2"]
roles = ["Chair", "Academic"]

[[segment]]
title = "Reflection in role"
duration = 15
part_of = "meeting"
"""


def test_part_of_shares_the_groups_and_roles_of_an_earlier_segment() -> None:
    agenda = parse(HEAD + ROLE_PLAY)
    reflection = agenda.segments[1]
    assert reflection.part_of == "meeting"
    assert reflection.groups == ("Group 1", "Group 2")
    assert reflection.roles == ("Chair", "Academic")


def test_part_of_keeps_what_the_segment_names_itself() -> None:
    agenda = parse(HEAD + ROLE_PLAY + 'groups = ["Pair A", "Pair B"]\n')
    assert agenda.segments[1].groups == ("Pair A", "Pair B")
    assert agenda.segments[1].roles == ("Chair", "Academic")


def test_part_of_must_name_an_earlier_segment() -> None:
    problem = one(HEAD + ROLE_PLAY.replace('part_of = "meeting"', 'part_of = "meetng"'))
    assert at(problem) == (14, 11)
    assert problem.message == (
        "segment 2: part_of 'meetng' is not the id of an earlier segment (did you mean 'meeting'?)"
    )
    later = HEAD + ROLE_PLAY.replace(
        'id = "meeting"\n', 'id = "meeting"\npart_of = "reflection-in-role"\n'
    )
    assert lines(later) == [
        "day.toml:6:11: segment 1: part_of 'reflection-in-role' must name an earlier segment"
    ]


def test_part_of_a_segment_with_nothing_to_share_is_a_warning() -> None:
    text = (
        HEAD
        + '[[segment]]\nid = "intro"\ntitle = "Intro"\nduration = 5\n\n'
        + ('[[segment]]\ntitle = "Next"\nduration = 5\npart_of = "intro"\n')
    )
    agenda = parse(text)
    (warning,) = agenda.warnings
    assert warning.warning and "that segment has no groups or roles to share" in warning.message
