"""What a damaged session says is readable: in line order, a repeated sentence counted,
each sentence true (time taken away is not "added"), a file in the way named as the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitate.cli import main
from facilitate.paths import ENV_DATA_DIR
from facilitate.warning_list import KEEP, in_order
from sessionfactory import Scripted
from test_damaged_sessions import append, day, journal, record
from test_summary_cache import paused_day

__all__ = ["day"]  # the fixture, shared


@pytest.fixture(autouse=True)
def _no_env_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "env-data"))


def exported(capsys: pytest.CaptureFixture[str], root: Path) -> list[str]:
    assert main(["--data-dir", str(root), "export", "latest"]) == 0
    return capsys.readouterr().err.splitlines()


def test_warnings_come_in_line_order_whichever_reading_found_them(
    day: Scripted, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Unreadable lines are found as the file is read, a missing number as journals are
    merged, a segment the agenda lacks as events are replayed: said by line all the same."""
    lines = append(
        day,
        record("segment_changed", 90, segment=7, reason="next"),  # replay
        "not json",  # read
        record("time_adjusted", 91, segment=9, seconds=60),  # replay
        {"type": "note_added", "at": "2025-03-04T09:10:00+00:00", "writer": "scribe"},  # merge
        record("quality_marked", 92, quality="Trust", state="glowing"),  # replay
    )
    said = exported(capsys, tmp_path)
    numbers = [int(line.split(f"{journal(day)}:")[1].split(":")[0]) for line in said]
    assert numbers == lines


def test_twenty_thousand_identical_warnings_are_a_few_and_a_count(
    day: Scripted, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    take_a_day = (
        record("time_adjusted", 100 + n, segment=0, seconds=-86400) for n in range(20_000)
    )
    lines = append(day, *take_a_day)
    said = exported(capsys, tmp_path)
    capped = (
        "time taken away from a segment would come to more than 7 days; capped there"  # not "added"
    )
    assert said == [
        *(f"warning: {journal(day)}:{line}: {capped}" for line in lines[7 : 7 + KEEP]),
        f"warning: {journal(day)}: … and {20_000 - 7 - KEEP:,} more like these, "
        f"up to line {lines[-1]:,}",
    ]


def test_in_order_keeps_what_has_no_line_first_and_counts_per_file() -> None:
    folder = Path("/data/sessions/s")
    warnings = [
        f"{folder}/journal-b.jsonl:9: odd",
        "/data/sessions/s/agenda.toml: cannot read the session's agenda; rebuilt",
        *(f"{folder}/journal-a.jsonl:{n}: odd" for n in range(10, 4, -1)),
        f"{folder}/journal-a.jsonl:2: other",
    ]
    assert in_order(warnings, folder) == [
        "/data/sessions/s/agenda.toml: cannot read the session's agenda; rebuilt",
        f"{folder}/journal-a.jsonl:2: other",
        f"{folder}/journal-a.jsonl:5: odd",
        f"{folder}/journal-a.jsonl:6: odd",
        f"{folder}/journal-a.jsonl:7: odd",
        f"{folder}/journal-a.jsonl: … and 3 more like these, up to line 10",
        f"{folder}/journal-b.jsonl:9: odd",
    ]


@pytest.mark.parametrize("command", ["sessions", "export latest", "actions", "agendas"])
def test_a_data_dir_inside_a_file_names_the_file(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    afile = tmp_path / "afile"
    afile.write_text("notes")
    code = main(["--data-dir", str(afile / "sub" / "deeper"), *command.split()])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err == (
        f"facilitate: {afile} is a file, not a folder, so the data folder {afile}/sub/deeper "
        f"cannot be there; --data-dir (or {ENV_DATA_DIR}) must name a folder, or where one "
        "can be made\n"
    )


def test_the_length_column_has_one_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from facilitate.events import TimerPaused, TimerStarted
    from sessionfactory import START, start_session

    paused_day(tmp_path)  # 3m0s
    long = start_session(tmp_path, start=START.replace(day=5))
    long.record(TimerStarted)
    long.wait(7 * 60 + 5 / 60)
    long.record(TimerPaused)
    long.live.save_summary()
    long.close()
    assert main(["--data-dir", str(tmp_path), "sessions"]) == 0
    out = capsys.readouterr().out
    assert "7h0m5s" in out and "7h5s" not in out
