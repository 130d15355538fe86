"""Bad agendas, all of them: one clear line, exit 2, never a traceback, a hang or a memory blow-up.

Each case here was found by fuzzing ``check`` and ``run`` with hostile files:
FIFOs and devices named ``*.toml``, files far too big, nesting the TOML reader
cannot take, numbers of thousands of digits, durations no day could run. The
end of the file is a hypothesis fuzzer with a fixed budget that keeps looking.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitate.agenda import AgendaError, load_agenda, parse_agenda, parse_clock, parse_duration
from facilitate.cli import main
from facilitate.paths import ENV_DATA_DIR
from facilitate.tomlcheck import read_toml_text

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "agendas.md"
GOOD = '[agenda]\ntitle = "Day"\n\n[[segment]]\ntitle = "Only"\nduration = 45\n'
SEGMENT = '[[segment]]\ntitle = "{title}"\nduration = {duration}\n'


@pytest.fixture(autouse=True)
def _no_env_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "env-data"))


def check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["check", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def problems(text: str) -> list[str]:
    try:
        parse_agenda(text, file="day.toml", name="day")
    except AgendaError as exc:
        return [str(p) for p in exc.problems]
    return []


# --- what is not a regular file of at most 1 MB ------------------------------------------


def run_proc(*argv: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, ENV_DATA_DIR: str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "facilitate", *argv],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=30,  # a FIFO used to block here for ever
    )


def test_a_fifo_named_toml_is_refused_by_check_run_and_agendas_without_blocking(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    (data / "agendas").mkdir(parents=True)
    fifo = data / "agendas" / "pipe.toml"
    os.mkfifo(fifo)
    for argv in (["check", str(fifo)], ["run", str(fifo)], ["run", "pipe"]):
        proc = run_proc(*argv, data_dir=data)
        assert proc.returncode == 2, argv
        assert proc.stderr == f"{fifo}: is a named pipe (FIFO), not an agenda file\n", argv
    listing = run_proc("agendas", data_dir=data)
    assert listing.returncode == 2
    assert "(invalid: is a named pipe (FIFO), not an agenda file)" in listing.stdout
    assert "sample-programme" in listing.stdout  # the rest is still listed
    assert listing.stderr == f"{fifo}: is a named pipe (FIFO), not an agenda file\n"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_or_a_link_to_one_is_refused(
    device: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "zero.toml"
    link.symlink_to(device)
    code, out, err = check(capsys, device, str(link))
    assert code == 2
    assert out == ""
    assert err == (
        f"{device}: is a device, not an agenda file\n{link}: is a device, not an agenda file\n"
    )


def test_a_file_over_1_mb_is_refused_before_it_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.toml"
    big.write_text('[agenda]\ntitle = "' + "a" * 3_000_000 + '"\n')
    code, _, err = check(capsys, str(big))
    assert code == 2
    assert err == f"{big}: is 2.9 MB, more than the 1 MB an agenda file may be\n"


def test_a_file_of_exactly_1_mb_is_read(tmp_path: Path) -> None:
    path = tmp_path / "full.toml"
    padding = 1024 * 1024 - len(GOOD.encode())
    path.write_text(GOOD[:-1] + "\n" + "#" * (padding - 1) + "\n")
    assert path.stat().st_size == 1024 * 1024
    assert read_toml_text(path).startswith("[agenda]")
    assert load_agenda(path).title == "Day"


# --- what the TOML reader cannot take -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "where"),
    [("[" * 500 + "]" * 500, (7, 10)), ("{a = " * 400 + "}" * 400, (7, 10))],
)
def test_deep_nesting_is_one_located_problem(value: str, where: tuple[int, int]) -> None:
    text = GOOD + f"topics = {value}\n"
    assert problems(text) == [
        f"day.toml:{where[0]}:{where[1]}: arrays or tables are nested more than 50 deep "
        "(an agenda needs two levels at most)"
    ]


def test_nesting_an_agenda_might_use_is_fine() -> None:
    assert problems(GOOD + 'topics = [["a", ["b"]]]\n') == [
        "day.toml:7:10: segment 1: 'topics' must be a list of non-empty strings, "
        'e.g. topics = ["...", "..."]'
    ]


def test_a_number_of_thousands_of_digits_is_one_located_problem() -> None:
    text = GOOD + "warning = " + "9" * 5000 + "\n"
    assert problems(text) == [
        "day.toml:7:11: TOML: this number is too long to read (thousands of digits)"
    ]


# --- numbers and durations no day could run -------------------------------------------------


@pytest.mark.parametrize(
    ("duration", "says"),
    [
        ("1441", "1441 minutes is longer than a segment can last (24 hours, 1440 minutes)"),
        ('"25h"', "'25h' is longer than a segment can last (24 hours, 1440 minutes)"),
        ("4294967296", "4294967296 minutes is longer than a segment can last"),
        ("9223372036854775807", "is longer than a segment can last"),
        ('"99999999999999999999h"', "'99999999999999999999h' is longer than a segment"),
        ("1" + "0" * 40, "a number of 41 digits minutes is longer than a segment can last"),
    ],
)
def test_a_segment_lasts_at_most_a_day(duration: str, says: str) -> None:
    text = '[agenda]\ntitle = "D"\n' + SEGMENT.format(title="A", duration=duration)
    [problem] = problems(text)
    assert problem.startswith("day.toml:5:12: segment 1: 'duration': ")
    assert says in problem


def test_a_day_of_exactly_24_hours_is_fine() -> None:
    text = '[agenda]\ntitle = "Long"\n' + SEGMENT.format(title="All day", duration='"24h"')
    agenda = parse_agenda(text, file="day.toml", name="day")
    assert agenda.total_planned_s == 24 * 3600


def test_an_agenda_plans_at_most_seven_days() -> None:
    text = '[agenda]\ntitle = "A week and a bit"\n'
    text += "".join(SEGMENT.format(title=f"Day {n}", duration='"24h"') for n in range(1, 9))
    assert problems(text) == [
        "day.toml:26:12: segment 8: the segments up to here plan 192h, more than an agenda "
        "can run (7 days)"
    ]


def test_run_refuses_what_could_not_be_run_before_taking_the_screen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """4 x 10^9 minutes used to pass `check` and crash `run` on its first frame."""
    path = tmp_path / "forever.toml"
    path.write_text('[agenda]\ntitle = "X"\n' + SEGMENT.format(title="A", duration=4 * 10**9))
    code = main(["run", str(path)])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.startswith(f"{path}:5:12: segment 1: 'duration': 4000000000 minutes is longer")


def test_control_characters_in_agenda_text_are_refused() -> None:
    """An escape code in a title set the terminal's window title on every screen that
    showed it (the run screen included); a bidi override makes text read backwards."""
    text = (
        '[agenda]\ntitle = "Day \\u001b]0;owned\\u0007"\n'
        '[[segment]]\ntitle = "A"\nduration = 5\ntopics = ["ok", "evil \\u202e txt"]\n'
        'notes = """Two lines\n\tand a tab are fine"""\n'
    )
    assert problems(text) == [
        "day.toml:2:9: [agenda]: 'title' contains a control character (U+001B), which "
        "cannot be shown",
        "day.toml:6:10: segment 1: 'topics' contains a control character (U+202E), which "
        "cannot be shown",
    ]


# --- memory in proportion to the file -----------------------------------------------------


@pytest.mark.parametrize("body", ["a", 'a\\"', "a'"], ids=["plain", "escaped", "quote"])
def test_finding_positions_costs_memory_in_proportion_to_the_file(body: str) -> None:
    """A long string used to cost the position finder 125 bytes per character (a 50 MB
    string took 6.3 GB); now a 1 MB agenda is checked in a few MB."""
    text = GOOD + 'notes = "' + body * (300_000 // len(body)) + '"\n'
    tracemalloc.start()
    try:
        parse_agenda(text, file="day.toml", name="day")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * len(text), f"{peak / len(text):.0f} bytes per character"


# --- every problem in one run, by line ------------------------------------------------------


def test_check_reports_syntax_keys_types_ids_and_timing_in_one_run() -> None:
    """A new user used to need four runs: syntax, then keys and types, then ids and times."""
    text = (
        "[agenda]\n"  # 1
        'title = "Day"\n'
        'start = "09:00"\n'
        "\n"
        "[[segment]]\n"  # 5
        'title = "Talk"\n'
        "duration = 90\n"
        "\n"
        "[[segment]]\n"
        'title = "Coffee"\n'  # 10
        "duration = 15\n"
        'kind = "brake"\n'
        "\n"
        "[[segment]]\n"
        'title = "Talk"\n'  # 15: the same id as segment 1
        "duration = 30\n"
        'at = "10:00"\n'  # does not fit after 90 + 15 minutes from 09:00
        "extra = true\n"
        "\n"
        "[[segment]]\n"  # 20
        'title = "Close\n'  # unclosed quote
        "duration = 0\n"
    )
    assert problems(text) == [
        "day.toml:12:8: segment 2: 'kind' must be one of session, activity, break, "
        "not 'brake' (did you mean 'break'?)",
        "day.toml:15:9: segment 3: id 'talk' is already used by segment 1; "
        "give one of them an explicit id",
        "day.toml:17:6: warning: segment 3: the segments before 'Talk' need 45m more than "
        "there is until 10:00",
        "day.toml:18:1: segment 3: unknown key 'extra'",
        "day.toml:21:15: TOML syntax: Illegal character '\\n'",
    ]


def test_what_a_left_out_line_would_make_look_wrong_is_not_reported() -> None:
    """The title of segment 1 is on a broken line: it is not also "missing"."""
    text = '[agenda]\ntitle = "Day"\n\n[[segment]]\ntitle = "Wel\nduration = 5\n'
    assert problems(text) == ["day.toml:5:13: TOML syntax: Illegal character '\\n'"]
    broken_header = '[agenda\ntitle = "Day"\n\n[[segment]]\ntitle = "A"\nduration = 5\n'
    assert problems(broken_header) == [
        "day.toml:1:8: TOML syntax: Expected ']' at the end of a table declaration"
    ]


def test_an_unclosed_array_is_one_problem_not_a_cascade() -> None:
    text = '[agenda]\ntitle = "Day"\n[[segment]]\ntitle = "A"\ntopics = ["a"\nduration = 5\n'
    assert [p for p in problems(text) if "TOML syntax" in p] == [
        "day.toml:6:1: TOML syntax: Unclosed array"
    ]


# --- the documentation quotes what the tool really prints -----------------------------------


def _blocks(markdown: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", markdown, flags=re.S)


def test_the_documented_check_run_is_word_for_word_what_check_prints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = DOCS.read_text(encoding="utf-8")
    [agenda] = [b for b in _blocks(docs, "toml") if b.startswith("# my.toml")]
    [run] = [b for b in _blocks(docs, "console") if b.startswith("$ facilitate check my.toml")]
    (tmp_path / "my.toml").write_text(agenda, encoding="utf-8")
    os.chdir(tmp_path)
    code, out, err = check(capsys, "my.toml")
    assert code == 2
    assert out == ""
    assert err.splitlines() == run.splitlines()[1:]


def _sample(message: str) -> str:
    """An agenda that gives each message the docs list under "Some other messages"."""
    fixed = '[[segment]]\ntitle = "{t}"\nduration = {d}\nat = "{at}"\n'
    samples = {
        "fixed time 12:00 must come after": '[agenda]\ntitle = "D"\n'
        + fixed.format(t="Lunch", d=30, at="12:30")
        + fixed.format(t="Lunch", d=30, at="12:00").replace('"Lunch"', '"Lunch"\nid = "l2"'),
        "need 10m more": '[agenda]\ntitle = "D"\nstart = "11:50"\n'
        + SEGMENT.format(title="Talk", duration=50)
        + fixed.format(t="Lunch", d=30, at="12:30"),
        "'25h' is longer": '[agenda]\ntitle = "D"\n' + SEGMENT.format(title="A", duration='"25h"'),
        "'protect' changes nothing": '[agenda]\ntitle = "D"\n'
        + SEGMENT.format(title="Tea", duration=15)
        + 'kind = "break"\nprotect = true\n',
        "part_of 'meetng'": '[agenda]\ntitle = "D"\n'
        + SEGMENT.format(title="Meeting", duration=30)
        + SEGMENT.format(title="Reflection", duration=15)
        + 'part_of = "meetng"\n',
    }
    for key, text in samples.items():
        if key in message:
            return text
    raise AssertionError(f"no sample for {message!r}")


def test_every_other_documented_message_is_one_the_validator_gives(tmp_path: Path) -> None:
    docs = DOCS.read_text(encoding="utf-8")
    block = docs.split("Some other messages you might see:", 1)[1]
    [shown] = _blocks(block, "text")[:1]
    for line in shown.splitlines():
        message = re.sub(r"^my\.toml(:\d+:\d+)?: ", "", line)
        if message.startswith("is "):  # about the file itself
            path = tmp_path / "my.toml"
            if "FIFO" in message:
                os.mkfifo(path)
            else:
                path.write_bytes(b"#" * int(3.2 * 1024 * 1024))
            try:
                read_toml_text(path)
            except Exception as exc:
                assert str(exc) == f"{path}: {message}"
            else:
                raise AssertionError(f"not refused: {message}")
            path.unlink()
            continue
        given = [_numbered(p.split(": ", 1)[1]) for p in problems(_sample(message))]
        given += [_numbered(p.split(": ", 1)[1]) for p in warnings(_sample(message))]
        assert _numbered(message) in given, line


def _numbered(message: str) -> str:
    """The message whatever segment it is about (the docs' file is not shown)."""
    return re.sub(r"segment \d+", "segment N", message)


def warnings(text: str) -> list[str]:
    try:
        agenda = parse_agenda(text, file="my.toml", name="my")
    except AgendaError:
        return []
    return [str(p) for p in agenda.warnings]


def test_the_documented_forms_of_durations_and_times_are_what_the_parsers_take() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    rows = {
        "duration": (parse_duration, "| `duration` |"),
        "warning": (parse_duration, "| `warning` |"),
        "clock": (parse_clock, "| `start`, `at` |"),
    }
    for parse, start in rows.values():
        row = next(line for line in docs.splitlines() if line.startswith(start))
        cells = [c.strip() for c in row.strip("|").split("|")]
        accepted, rejected = cells[2], cells[3]
        for literal in re.findall(r"`([^`]*)`", accepted):
            parse(tomllib.loads(f"v = {literal}")["v"])
        for literal in re.findall(r"`([^`]*)`", rejected):
            with pytest.raises(ValueError):
                parse(tomllib.loads(f"v = {literal}")["v"])


def test_the_annotated_first_agenda_in_the_docs_is_valid() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    [first] = [b for b in _blocks(docs, "toml") if b.startswith("# team-away-day.toml")]
    agenda = parse_agenda(first, file="team-away-day.toml", name="team-away-day")
    assert [s.title for s in agenda.segments][-1] == "Close"
    assert agenda.warnings == ()


# --- the fuzzer ---------------------------------------------------------------------------------

KEYS = ["title", "duration", "at", "kind", "mode", "topics", "warning", "id", "start", "x"]
VALUES = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(
        [
            '"45m"',
            '"1h30m"',
            '"25:00"',
            '"09:30"',
            "09:30",
            "true",
            "1.5",
            "nan",
            "inf",
            '"' + "9" * 60 + 'h"',
            "[" * 60 + "]" * 60,
            '"\x1b]0;title\x07"',
            '"""multi\nline"""',
            "{a = 1}",
            "[]",
            '["a", 1]',
            "1979-05-27",
            "9" * 4400,
        ]
    ),
    st.text(max_size=30).map(lambda s: '"' + s.replace("\\", "").replace('"', "") + '"'),
)
LINES = st.one_of(
    st.builds(lambda k, v: f"{k} = {v}", st.sampled_from(KEYS), VALUES),
    st.sampled_from(["[agenda]", "[[segment]]", "[segment]", "[[segment", '"', "=", "[a.b.c]"]),
    st.text(max_size=20),
)


@settings(
    max_examples=600,
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)
@given(st.lists(LINES, max_size=30), st.integers(0, 3))
def test_fuzzed_agendas_give_problems_never_a_traceback_a_hang_or_a_memory_blow_up(
    lines: list[str], repeat: int
) -> None:
    text = "\n".join(lines * (1 + repeat)) + "\n"
    tracemalloc.start()
    try:
        try:
            agenda = parse_agenda(text, file="f.toml", name="f")
        except AgendaError as exc:
            assert exc.problems
            for problem in exc.problems:
                assert problem.message
                assert problem.line is None or problem.line >= 1
        else:
            assert agenda.segments
            assert agenda.total_planned_s <= 7 * 24 * 3600
            assert all(0 <= s.duration_s <= 24 * 3600 for s in agenda.segments)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000 + 200 * len(text)
