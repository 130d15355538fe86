"""The command line: one clear line per problem on stderr, exit 2, never a traceback.

Most cases run ``facilitate.cli.main`` in-process (fast, with capsys); a few
run ``python -m facilitate`` in a subprocess to prove what really reaches a
terminal: no "Traceback", and full-screen commands refuse to start without one.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from facilitate import __version__
from facilitate.agenda import parse_agenda
from facilitate.cli import main
from facilitate.clock import FakeTimeSource, SessionClock
from facilitate.events import NoteAdded, SessionStarted, TimerStarted
from facilitate.live import LiveSession
from facilitate.paths import ENV_DATA_DIR, Paths
from facilitate.store import create_session

ROOT = Path(__file__).parent.parent
BUNDLED = sorted((ROOT / "src" / "facilitate" / "agendas").glob("*.toml"))
BUNDLED_NAMES = [
    "case-study-perspectives",
    "partnership-meeting",
    "sample-programme",
    "session-evaluation",
    "shared-solutions",
]
PROBLEM_LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<msg>.+)$")

GOOD = '[agenda]\ntitle = "My own day"\n\n[[segment]]\ntitle = "Only"\nduration = 45\n'


@pytest.fixture(autouse=True)
def _no_env_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never touch the real data folder, whatever the developer's environment says."""
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "env-data"))


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_proc(
    *argv: str, data_dir: Path, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, ENV_DATA_DIR: str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "facilitate", *argv],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
    )


# --- check ---------------------------------------------------------------------------------------

BAD_FILES: dict[str, tuple[bytes, list[tuple[int, int, str]]]] = {
    "syntax.toml": (
        b'[agenda]\ntitle = "Day\n',
        [(1, 1, "no segments"), (2, 13, "TOML syntax")],
    ),
    "types.toml": (
        b'[agenda]\ntitle = 3\n\n[[segment]]\ntitle = "A"\nduration = true\n',
        [(2, 9, "'title' must be a string"), (6, 12, "'duration'")],
    ),
    "unknown.toml": (
        b'[agenda]\ntitle = "D"\n\n[[segment]]\ntitle = "A"\nduration = 5\nknd = "break"\n',
        [(7, 1, "did you mean 'kind'?")],
    ),
    "times.toml": (
        b'[agenda]\ntitle = "D"\nstart = "25:00"\n\n[[segment]]\ntitle = "A"\nduration = 5\n',
        [(3, 9, "not a time of day")],
    ),
    "latin1.toml": (b'[agenda]\ntitle = "Caf\xe9"\n', [(2, 13, "UTF-8")]),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_check_prints_one_located_line_per_problem(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content, expected = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = run_cli(capsys, "check", str(path))
    assert code == 2
    assert out == ""
    got = err.splitlines()
    assert len(got) == len(expected), err
    for line, (lineno, col, text) in zip(got, expected, strict=True):
        match = PROBLEM_LINE.match(line)
        assert match, line
        assert match["file"] == str(path)
        assert (int(match["line"]), int(match["col"])) == (lineno, col)
        assert text in match["msg"]


UNREADABLE: dict[str, tuple[bytes | None, str]] = {
    "missing.toml": (None, "no such file"),
    "bin.toml": (b"\x00\x01\x02", "is a binary file, not a TOML agenda"),
    "empty.toml": (b"", "is empty: an agenda needs an [agenda] title and segments"),
}


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_check_files_that_cannot_be_read(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content, says = UNREADABLE[name]
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, out, err = run_cli(capsys, "check", str(path))
    assert code == 2
    assert out == ""
    assert err == f"{path}: {says}\n"


def test_check_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "check", str(tmp_path))
    assert code == 2
    assert err == f"{tmp_path}: is a folder, not an agenda file\n"


def test_check_all_bundled_agendas_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert len(BUNDLED) == 5
    code, out, err = run_cli(capsys, "check", *map(str, BUNDLED))
    assert code == 0, err
    assert err == ""
    assert len(out.splitlines()) == 5
    assert "sample-programme.toml: ok (17 segments, 6h30m)" in out


def test_check_reports_every_file_and_fails_if_any_is_bad(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[agenda]\ntitle = "X"\n')
    code, out, err = run_cli(capsys, "check", str(bad), str(BUNDLED[0]))
    assert code == 2
    assert f"{BUNDLED[0]}: ok" in out
    assert err.startswith(f"{bad}:1:1: no segments")


def test_check_shows_fit_warnings_but_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "tight.toml"
    path.write_text(
        '[agenda]\ntitle = "T"\nstart = "09:00"\n\n[[segment]]\ntitle = "A"\nduration = 50\n\n'
        '[[segment]]\ntitle = "Coffee"\nduration = 10\nat = "09:30"\n'
    )
    code, out, err = run_cli(capsys, "check", str(path))
    assert code == 0
    assert (
        err == f"{path}:12:6: warning: segment 2: the segments before 'Coffee' need 20m more "
        "than there is until 09:30\n"
    )
    assert "ok (2 segments, 1h)" in out


def test_check_in_a_subprocess_never_shows_a_traceback(tmp_path: Path) -> None:
    for name, (content, _) in BAD_FILES.items():
        (tmp_path / name).write_bytes(content)
    files = [str(tmp_path / name) for name in sorted(BAD_FILES)]
    files += [str(tmp_path / "missing.toml"), str(tmp_path)]
    proc = run_proc("check", *files, data_dir=tmp_path / "data")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == sum(len(v[1]) for v in BAD_FILES.values()) + 2
    for line in lines:
        assert line.startswith(str(tmp_path)), line


# --- agendas -------------------------------------------------------------------------------------


def test_agendas_lists_bundled_and_user_agendas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    (data / "agendas").mkdir(parents=True)
    (data / "agendas" / "my-day.toml").write_text(GOOD)
    code, out, _ = run_cli(capsys, "agendas", "--data-dir", str(data))
    assert code == 0
    rows = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    for name in BUNDLED_NAMES:
        assert name in rows
        assert "bundled" in rows[name]
    sample = rows["sample-programme"]
    assert "Collaborative Working to Improve Population Health & Wellbeing" in sample
    assert re.search(r"\b17\s+6h30m$", sample), sample
    mine = rows["my-day"]
    assert "user" in mine
    assert "My own day" in mine
    assert re.search(r"\b1\s+45m$", mine), mine
    assert str(data / "agendas") in out


def test_agendas_lists_an_invalid_user_agenda_and_says_why_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The list is still shown whole; the one that cannot be used is named with its first
    problem on stderr, and the exit status says something is wrong (as `check` does)."""
    data = tmp_path / "data"
    (data / "agendas").mkdir(parents=True)
    (data / "agendas" / "broken.toml").write_text("[agenda\n")
    code, out, err = run_cli(capsys, "--data-dir", str(data), "agendas")
    assert code == 2
    assert "invalid" in next(line for line in out.splitlines() if line.startswith("broken"))
    assert all(name in out for name in BUNDLED_NAMES)
    assert err.startswith(f"{data / 'agendas' / 'broken.toml'}:1:8: TOML syntax")
    assert len(err.splitlines()) == 1


def test_env_data_dir_is_honoured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env = tmp_path / "from-env"
    (env / "agendas").mkdir(parents=True)
    (env / "agendas" / "env-day.toml").write_text(GOOD)
    monkeypatch.setenv(ENV_DATA_DIR, str(env))
    code, out, _ = run_cli(capsys, "agendas")
    assert code == 0
    assert "env-day" in out
    code, out, _ = run_cli(capsys, "sessions")
    assert str(env / "sessions") in out


def test_data_dir_flag_beats_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "env"))
    flag = tmp_path / "flag"
    for argv in (["--data-dir", str(flag), "sessions"], ["sessions", "--data-dir", str(flag)]):
        code, out, _ = run_cli(capsys, *argv)
        assert code == 0
        assert str(flag / "sessions") in out
        assert str(tmp_path / "env") not in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0  # argparse's exit becomes main's status
    assert capsys.readouterr().out.strip() == f"facilitate {__version__}"


# --- sessions ------------------------------------------------------------------------------------


def test_sessions_with_none_saved(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    code, out, err = run_cli(capsys, "--data-dir", str(data), "sessions")
    assert code == 0
    assert err == ""
    assert "No saved sessions yet" in out
    code, out, _ = run_cli(capsys, "--data-dir", str(data), "sessions", "--json")
    assert code == 0
    assert json.loads(out) == {"format": "facilitate-sessions", "version": 1, "sessions": []}
    assert not (data / "sessions").exists()  # listing creates nothing


def _make_session(data: Path) -> str:
    text = (ROOT / "src" / "facilitate" / "agendas" / "sample-programme.toml").read_text()
    agenda = parse_agenda(text, file="sample-programme.toml", name="sample-programme")
    start = datetime(2025, 3, 4, 9, 25, tzinfo=UTC)
    paths = Paths(data, data)
    sid, folder = create_session(paths, agenda, text, start, UTC)
    source = FakeTimeSource(start)
    live = LiveSession(sid, folder, agenda, SessionClock(source), UTC, "w1")
    assert live.record(
        SessionStarted(at=live.now(), agenda_name=agenda.name, agenda_title=agenda.title)
    )
    source.advance(300)
    assert live.record(TimerStarted(at=live.now()))
    source.advance(600)
    for kind, text_ in [
        ("decision", "Meet monthly"),
        ("action", "Send notes"),
        ("action", "Book room"),
        ("note", "Good energy"),
    ]:
        assert live.record(NoteAdded(at=live.now(), kind=kind, text=text_, segment=0))
    live.save_summary()
    assert live.queue is not None
    live.queue.writer.close()
    return sid


def test_sessions_json_after_a_session(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    sid = _make_session(data)
    assert sid == "2025-03-04-0925-sample-programme"
    code, out, err = run_cli(capsys, "--data-dir", str(data), "sessions", "--json")
    assert code == 0, err
    listing = json.loads(out)
    assert (listing["format"], listing["version"]) == ("facilitate-sessions", 1)
    [row] = listing["sessions"]
    assert row["id"] == sid
    assert row["agenda"] == "sample-programme"
    assert row["title"] == "Collaborative Working to Improve Population Health & Wellbeing"
    # The test's LiveSession holds no control lock, as an app that went away would not:
    # the clock was running, so the session is interrupted at its last event.
    assert row["status"] == "interrupted"
    assert row["duration_s"] == 600
    assert row["counts"]["decisions"] == 1
    assert row["counts"]["actions"] == 2
    assert row["counts"]["notes"] == 1
    assert row["counts"]["questions"] == row["counts"]["feedback"] == 0
    assert datetime.fromisoformat(row["created"]) == datetime(2025, 3, 4, 9, 25, tzinfo=UTC)
    assert Path(row["folder"]) == data / "sessions" / sid

    code, out, _ = run_cli(capsys, "--data-dir", str(data), "sessions")
    assert code == 0
    [header, line] = out.splitlines()
    assert header.split() == ["SESSION", "STATUS", "LENGTH", "CAPTURED"]
    assert line.split()[:3] == [sid, "interrupted", "10m"]
    assert line.endswith("1 decision, 2 actions, 1 note")
    assert header.index("CAPTURED") == line.index("1 decision"), "columns line up"


# --- commands that need a session or a terminal --------------------------------------------------


def test_run_unknown_agenda_suggests_the_near_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(capsys, "--data-dir", str(tmp_path), "run", "sample-programm")
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1
    assert "(did you mean 'sample-programme'?)" in err


def test_run_nonexistent_agenda_is_one_line_exit_2(tmp_path: Path) -> None:
    proc = run_proc("run", "nonexistent-agenda", data_dir=tmp_path / "data", cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    [line] = proc.stderr.splitlines()
    assert line.startswith("nonexistent-agenda: no agenda file or bundled agenda by that name")
    assert "facilitate agendas" in line


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--start", "soon"], "--start: cannot read clock time 'soon'"),
        (["--start", "25:00"], "'25:00' is not a time of day"),
        (["--shift-fixed"], "--shift-fixed goes with --start now or --start HH:MM"),
    ],
)
def test_run_start_is_now_or_a_clock_time(
    args: list[str], said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(capsys, "--data-dir", str(tmp_path), "run", "sample-programme", *args)
    assert code == 2 and out == ""
    assert said in err and len(err.splitlines()) == 1


def test_run_a_missing_toml_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "--data-dir", str(tmp_path), "run", str(tmp_path / "x.toml"))
    assert code == 2
    assert err == f"{tmp_path / 'x.toml'}: no such file\n"


@pytest.mark.parametrize("command", ["resume", "join", "projector"])
def test_session_commands_with_no_sessions(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(capsys, "--data-dir", str(tmp_path / "data"), command)
    assert code == 2
    assert out == ""
    assert err == f"facilitate: no saved sessions in {tmp_path / 'data' / 'sessions'}\n"


def test_resume_with_no_sessions_in_a_subprocess(tmp_path: Path) -> None:
    proc = run_proc("resume", data_dir=tmp_path / "data")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.splitlines()) == 1
    assert "no saved sessions" in proc.stderr


def test_resume_unknown_session(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    _make_session(data)
    code, _, err = run_cli(capsys, "--data-dir", str(data), "resume", "1999")
    assert code == 2
    assert err == "facilitate: no session matches '1999' (see `facilitate sessions`)\n"


def test_run_without_a_terminal_refuses_cleanly(tmp_path: Path) -> None:
    proc = run_proc("run", "sample-programme", data_dir=tmp_path / "data")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    [line] = proc.stderr.splitlines()
    assert "needs a terminal" in line
    assert not (tmp_path / "data" / "sessions").exists()  # no half-made session


def test_run_validates_the_agenda_before_asking_for_a_terminal(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[agenda]\ntitle = "X"\n\n[[segment]]\ntitle = "A"\nduration = "soon"\n')
    proc = run_proc("run", str(bad), data_dir=tmp_path / "data")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"{bad}:6:12: segment 1: 'duration'")


def test_core_commands_do_not_import_textual(tmp_path: Path) -> None:
    """check, agendas and sessions start fast and work over ssh without a terminal."""
    code = (
        "import sys\n"
        "from facilitate.cli import main\n"
        f"main(['--data-dir', {str(tmp_path)!r}, 'agendas'])\n"
        f"main(['--data-dir', {str(tmp_path)!r}, 'sessions'])\n"
        f"main(['check', {str(BUNDLED[0])!r}])\n"
        "assert 'textual' not in sys.modules, 'textual was imported'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_sessions_survives_a_damaged_journal_without_a_summary(tmp_path: Path) -> None:
    """A crash before the first summary, and a journal line edited by hand: `sessions`
    still lists everything, with no traceback."""
    data = tmp_path / "data"
    sid = _make_session(data)
    folder = data / "sessions" / sid
    (folder / "summary.toml").unlink()
    with (folder / "journal-w1.jsonl").open("a", encoding="utf-8") as journal:
        journal.write(
            json.dumps(
                {
                    "type": "time_adjusted",
                    "at": "2025-03-04T09:50:00+00:00",
                    "writer": "w1",
                    "seq": 99,
                    "segment": "3",
                    "seconds": 60,
                }
            )
            + "\n"
        )
    proc = run_proc("sessions", "--json", data_dir=data)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 0, proc.stderr
    [row] = json.loads(proc.stdout)["sessions"]
    assert row["id"] == sid
    assert row["counts"]["actions"] == 2


# --- export: every format, both audiences --------------------------------------------------------


def test_export_choices_are_the_exporters(capsys: pytest.CaptureFixture[str]) -> None:
    from facilitate.cli.sessions import EXPORT_AUDIENCES, EXPORT_FORMATS
    from facilitate.export import AUDIENCES, FORMATS

    assert (EXPORT_FORMATS, EXPORT_AUDIENCES) == (FORMATS, AUDIENCES)


def test_export_each_format_to_an_owner_only_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    sid = _make_session(data)
    for fmt, audience in [("docx", "facilitator"), ("html", "partnership"), ("txt", None)]:
        out = tmp_path / f"minutes.{fmt}"
        argv = ["--data-dir", str(data), "export", sid, "-f", fmt, "-o", str(out)]
        code, _, err = run_cli(capsys, *argv, *(["--audience", audience] if audience else []))
        assert code == 0, err
        assert err == f"wrote {out}\n"
        assert out.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "minutes.docx").read_bytes().startswith(b"PK")
    assert "<!DOCTYPE html>" in (tmp_path / "minutes.html").read_text(encoding="utf-8")
    text = (tmp_path / "minutes.txt").read_text(encoding="utf-8")
    assert text.startswith("Collaborative Working to Improve Population Health & Wellbeing\n")


def test_export_audience_is_for_minutes_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    sid = _make_session(data)
    code, out, err = run_cli(capsys, "--data-dir", str(data), "export", sid, "-f", "json",
                             "--audience", "partnership")  # fmt: skip
    assert code == 2 and out == ""
    assert err == (
        "facilitate: json is the complete data for other tools: --audience applies to md, "
        "html, docx and txt\n"
    )
    code, out, _ = run_cli(capsys, "--data-dir", str(data), "export", sid, "-a", "facilitator")
    assert code == 0 and "## Timing: planned, agreed and actual" in out


def test_sessions_count_feedback_and_questions_with_plurals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The evaluation session of nine post-its is not '0 decisions, 0 actions, 0 notes'."""
    text = (ROOT / "src" / "facilitate" / "agendas" / "session-evaluation.toml").read_text()
    agenda = parse_agenda(text, file="session-evaluation.toml", name="session-evaluation")
    start = datetime(2025, 3, 4, 15, 15, tzinfo=UTC)
    data = tmp_path / "data"
    sid, folder = create_session(Paths(data, data), agenda, text, start, UTC)
    live = LiveSession(sid, folder, agenda, SessionClock(FakeTimeSource(start)), UTC, "w1")
    live.record(SessionStarted(at=live.now(), agenda_name=agenda.name, agenda_title=agenda.title))
    for i in range(9):
        live.record(NoteAdded(at=live.now(), kind="feedback", text=f"post-it {i}", segment=0,
                              category=agenda.segments[0].feedback[i % 4]))  # fmt: skip
    live.record(NoteAdded(at=live.now(), kind="question", text="When is the next one?", segment=0))
    live.save_summary()
    live.close()
    code, out, _ = run_cli(capsys, "--data-dir", str(data), "sessions")
    assert code == 0
    assert out.rstrip().endswith("1 question, 9 feedback")
    code, out, _ = run_cli(capsys, "--data-dir", str(data), "sessions", "--json")
    import jsonschema

    listing = json.loads(out)
    jsonschema.validate(listing, json.loads((ROOT / "docs" / "sessions.schema.json").read_text()))
    assert listing["sessions"][0]["counts"] == {
        "decisions": 0, "actions": 0, "questions": 1, "feedback": 9, "notes": 0,
    }  # fmt: skip


def test_export_to_dash_is_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    sid = _make_session(data)
    code, out, err = run_cli(capsys, "--data-dir", str(data), "export", sid, "-f", "md", "-o", "-")
    assert code == 0 and err == ""
    assert out.startswith("# ")
    assert not (Path.cwd() / "-").exists()


def test_check_keeps_a_segments_warnings_beside_its_error_and_counts_in_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[agenda]\ntitle = "T"\n\n[[segment]]\ntitle = "Tea"\nduration = 10\nkind = "break"\n'
        'protect = true\nwarning = 12\nmode = "nonsense"\n'
    )
    code, _, err = run_cli(capsys, "check", str(bad))
    assert code != 0
    assert "mode" in err  # the error
    assert "'protect' changes nothing on a break" in err  # and the warnings with it
    assert "warns from the start" in err
    one = tmp_path / "one.toml"
    one.write_text('[agenda]\ntitle = "T"\n\n[[segment]]\ntitle = "Talk"\nduration = 30\n')
    code, out, _ = run_cli(capsys, "check", str(one))
    assert code == 0 and "ok (1 segment, 30m)" in out


def test_a_session_left_running_is_interrupted_in_the_listing_and_every_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The app went away with the clock running: the listing, the JSON and the report agree."""
    import jsonschema

    data = tmp_path / "data"
    sid = _make_session(data)  # its writer holds no control lock, as a killed app would not
    code, out, _ = run_cli(capsys, "--data-dir", str(data), "sessions", "--json")
    listing = json.loads(out)
    jsonschema.validate(listing, json.loads((ROOT / "docs" / "sessions.schema.json").read_text()))
    assert listing["sessions"][0]["status"] == "interrupted"
    code, out, _ = run_cli(capsys, "--data-dir", str(data), "export", sid, "-f", "json")
    exported = json.loads(out)
    jsonschema.validate(exported, json.loads((ROOT / "docs" / "session.schema.json").read_text()))
    assert exported["session"]["status"] == "interrupted"
    code, out, _ = run_cli(capsys, "--data-dir", str(data), "export", sid, "-a", "facilitator")
    assert code == 0
    assert f"{sid} (interrupted)" in out
    assert "(running)" not in out and "10m (interrupted)" in out
