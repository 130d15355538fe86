"""The listing's caches believe nothing they cannot check.

``summary.toml`` names the journals it was made from (size and time of each, as the
state it summarises had read them) and carries a digest of what it says: a summary
edited by hand, one without that ``[source]``, or one whose journals have moved on is
replayed instead. Every value in the listing's own cache (``.sessions-cache.json``)
is checked for type and range; a line that is odd is built again, alone.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from facilitate import store
from facilitate.cli import main
from facilitate.clock import SessionClock
from facilitate.events import NoteAdded, TimerPaused, TimerStarted
from facilitate.listing import CACHE_FILE, MAX_DURATION_S
from facilitate.live import LiveSession
from facilitate.paths import ENV_DATA_DIR, Paths
from facilitate.store import list_sessions, session_info
from sessionfactory import START, Scripted, start_session


@pytest.fixture(autouse=True)
def _no_env_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "env-data"))


def paused_day(root: Path, start: Any = START) -> Scripted:
    """A session paused after three minutes with three notes, its summary written."""
    day = start_session(root, start=start)
    day.record(TimerStarted)
    for n in range(3):
        day.note("note", f"note {n}")
        day.wait(1)
    day.record(TimerPaused)
    day.live.save_summary()
    day.close()
    return day


@pytest.fixture
def day(tmp_path: Path) -> Scripted:
    return paused_day(tmp_path)


@pytest.fixture
def replays(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The ids of the sessions whose journals the listing replays."""
    calls: list[str] = []
    real = store.load_session

    def counted(sid: str, *rest: Any, **options: Any) -> store.LoadedSession:
        calls.append(sid)
        return real(sid, *rest, **options)

    monkeypatch.setattr(store, "load_session", counted)
    yield calls


def listed(capsys: pytest.CaptureFixture[str], root: Path) -> str:
    code = main(["--data-dir", str(root), "sessions"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


# --- summary.toml: believed only while it stands for the journals -----------------------------


def test_a_sound_summary_is_believed_without_replaying(
    day: Scripted, tmp_path: Path, replays: list[str]
) -> None:
    [info] = list_sessions(Paths(tmp_path, tmp_path))
    assert replays == []
    assert (info.status, info.duration_s, info.counts["notes"]) == ("paused", 180, 3)


def test_a_plausible_but_false_summary_is_not_believed(
    day: Scripted, tmp_path: Path, capsys: pytest.CaptureFixture[str], replays: list[str]
) -> None:
    assert "3 notes" in listed(capsys, tmp_path)
    summary = day.live.folder / "summary.toml"
    summary.write_text(summary.read_text().replace("notes = 3", "notes = 999", 1))
    out = listed(capsys, tmp_path)
    assert "3 notes" in out and "999" not in out
    assert replays == [day.live.id]
    (tmp_path / "sessions" / CACHE_FILE).unlink()  # the same without the listing's cache
    assert session_info(day.live.id, day.live.folder).counts["notes"] == 3


def test_a_summary_without_its_source_is_replayed(
    day: Scripted, tmp_path: Path, replays: list[str]
) -> None:
    summary = day.live.folder / "summary.toml"
    data = tomllib.loads(summary.read_text())
    text = summary.read_text()
    cut = text[text.index("[source]") : text.index("[[segment]]")]
    summary.write_text(text.replace(cut, ""))  # as a hand-made (or older) summary
    assert "source" in data and "source" not in tomllib.loads(summary.read_text())
    [info] = list_sessions(Paths(tmp_path, tmp_path))
    assert replays == [day.live.id]
    assert info.counts["notes"] == 3


def test_a_summary_whose_journal_grew_is_replayed_whatever_the_times_say(
    day: Scripted, tmp_path: Path, replays: list[str]
) -> None:
    live = LiveSession.open(
        day.live.id, day.live.folder, SessionClock(day.source), day.live.tz, "scribe2"
    )
    with live:
        live.record(NoteAdded(at=live.now(), kind="decision", text="Meet monthly", segment=0))
    summary = day.live.folder / "summary.toml"
    later = summary.stat().st_mtime_ns + 10**12
    os.utime(summary, ns=(later, later))  # newer than every journal, as a sync tool can make it
    [info] = list_sessions(Paths(tmp_path, tmp_path))
    assert replays == [day.live.id]
    assert info.counts["decisions"] == 1


def test_a_summary_made_before_a_scribes_last_lines_were_read_is_not_believed(
    tmp_path: Path, replays: list[str]
) -> None:
    """The facilitator's summary names the scribe's journal as far as it had read it."""
    day = start_session(tmp_path, writer="fac")
    clock = SessionClock(day.source)
    with LiveSession.open(day.live.id, day.live.folder, clock, day.live.tz, "scribe") as scribe:
        scribe.record(NoteAdded(at=scribe.now(), kind="action", text="Book a room", segment=0))
    day.live.save_summary()  # its last look at the folder came before the scribe's note
    written = tomllib.loads((day.live.folder / "summary.toml").read_text())
    assert written["counts"]["actions"] == 0
    [info] = list_sessions(Paths(tmp_path, tmp_path))
    assert replays == [day.live.id]
    assert info.counts["actions"] == 1
    day.live.poll()
    day.live.save_summary()  # now it has read everything: believed again
    replays.clear()
    (tmp_path / "sessions" / CACHE_FILE).unlink()
    [info] = list_sessions(Paths(tmp_path, tmp_path))
    assert replays == []
    assert info.counts["actions"] == 1


def test_a_clock_left_running_for_longer_than_a_week_is_listed_at_the_cap(
    tmp_path: Path,
) -> None:
    day = start_session(tmp_path)
    day.record(TimerStarted)
    day.wait(8 * 24 * 60)
    day.record(TimerPaused)
    day.live.save_summary()
    day.close()
    [info] = list_sessions(Paths(tmp_path, tmp_path))
    assert (info.status, info.duration_s) == ("paused", MAX_DURATION_S)
    assert MAX_DURATION_S == 7 * 24 * 3600


# --- the listing's own cache: every value checked ---------------------------------------------


def damage_cache(root: Path, sid: str, change: Any) -> None:
    path = root / "sessions" / CACHE_FILE
    data = json.loads(path.read_text())
    change(data["sessions"][sid])
    path.write_text(json.dumps(data))


def _set(*keys: str, value: Any) -> Any:
    def change(line: dict[str, Any]) -> None:
        *path, last = keys
        for key in path:
            line = line[key]
        line[last] = value

    return change


ODD_LINES = {
    "infinite-count": _set("info", "counts", "notes", value=float("inf")),
    "float-count": _set("info", "counts", "notes", value=3.5),
    "huge-count": _set("info", "counts", "notes", value=10**30),
    "negative-count": _set("info", "counts", "notes", value=-3),
    "unknown-count": _set("info", "counts", "gossip", value=1),
    "counts-not-a-table": _set("info", "counts", value=[3]),
    "huge-duration": _set("info", "duration_s", value=99_999_999_999_999),
    "week-and-a-second": _set("info", "duration_s", value=7 * 24 * 3600 + 1),
    "text-duration": _set("info", "duration_s", value="3m"),
    "bool-duration": _set("info", "duration_s", value=True),
    "odd-status": _set("info", "status", value="\x1b[2Jexploded"),
    "created-year-9999": _set("info", "created", value="9999-12-31T23:59:59+00:00"),
    "created-no-zone": _set("info", "created", value="2025-03-04T08:58:00"),
    "created-garbage": _set("info", "created", value="yesterday"),
    "title-not-text": _set("info", "agenda_title", value=["x"]),
    "title-huge": _set("info", "agenda_title", value="x" * 100_000),
    "other-id": _set("info", "id", value="someone-else"),
    "alive-text": _set("alive", value="yes"),
    "print-not-a-list": _set("print", value={"a": 1}),
    "info-missing": _set("info", value=None),
}


@pytest.mark.parametrize("damage", ODD_LINES.values(), ids=ODD_LINES.keys())
def test_an_odd_value_in_the_listings_cache_means_that_line_is_built_again(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    damage: Any,
) -> None:
    first = paused_day(tmp_path)
    other = paused_day(tmp_path, START + timedelta(days=1))
    good = listed(capsys, tmp_path)
    damage_cache(tmp_path, first.live.id, damage)
    read: list[str] = []
    real = store._summary_info

    def counted(sid: str, *args: Any, **kwargs: Any) -> Any:
        read.append(sid)
        return real(sid, *args, **kwargs)

    monkeypatch.setattr(store, "_summary_info", counted)
    out = listed(capsys, tmp_path)
    assert out == good
    assert "inf" not in out and "\x1b" not in out
    assert read == [first.live.id], "the other session's line came from the cache"
    assert other.live.id in out
    data = json.loads((tmp_path / "sessions" / CACHE_FILE).read_text())
    assert data["sessions"][first.live.id]["info"]["counts"]["notes"] == 3  # written right


def test_the_json_listing_never_says_infinity(
    day: Scripted, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listed(capsys, tmp_path)
    damage_cache(tmp_path, day.live.id, _set("info", "counts", "notes", value=float("inf")))
    assert main(["--data-dir", str(tmp_path), "sessions", "--json"]) == 0
    out = capsys.readouterr().out
    assert "Infinity" not in out
    assert json.loads(out)["sessions"][0]["counts"]["notes"] == 3


# --- plausible but false: the digest of each cache line ---------------------------------------

PLAUSIBLE = {"status": "ended", "duration_s": 25205}
PLAUSIBLE_COUNTS = {"decisions": 42, "actions": 7, "notes": 999, "questions": 3}


def plausible_lie(line: dict[str, Any]) -> None:
    """What a tester (or a sync tool mixing two versions) can leave: values facilitate could
    have written, the rest of the line untouched."""
    line["info"].update(PLAUSIBLE)
    line["info"]["counts"].update(PLAUSIBLE_COUNTS)


def test_plausible_false_values_in_the_listings_cache_are_not_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = paused_day(tmp_path)
    other = paused_day(tmp_path, START + timedelta(days=1))
    good = listed(capsys, tmp_path)
    damage_cache(tmp_path, first.live.id, plausible_lie)
    read: list[str] = []
    real = store._summary_info

    def counted(sid: str, *args: Any, **kwargs: Any) -> Any:
        read.append(sid)
        return real(sid, *args, **kwargs)

    monkeypatch.setattr(store, "_summary_info", counted)
    out = listed(capsys, tmp_path)
    assert out == good
    assert "ended" not in out and "999" not in out and "7h" not in out
    assert read == [first.live.id], "only the edited line is built again"
    assert main(["--data-dir", str(tmp_path), "sessions", "--json"]) == 0
    [mine] = [
        s for s in json.loads(capsys.readouterr().out)["sessions"] if s["id"] != other.live.id
    ]
    assert (mine["status"], mine["duration_s"], mine["counts"]["notes"]) == ("paused", 180, 3)
    data = json.loads((tmp_path / "sessions" / CACHE_FILE).read_text())
    assert data["sessions"][first.live.id]["info"]["status"] == "paused"  # written right


def test_a_cache_line_moved_under_another_sessions_id_is_not_believed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = paused_day(tmp_path)
    other = paused_day(tmp_path, START + timedelta(days=1))
    good = listed(capsys, tmp_path)
    path = tmp_path / "sessions" / CACHE_FILE
    data = json.loads(path.read_text())
    swapped = json.loads(json.dumps(data["sessions"][other.live.id]))
    swapped["info"]["id"] = first.live.id
    swapped["info"]["status"] = "ended"
    data["sessions"][first.live.id] = swapped
    path.write_text(json.dumps(data))
    assert listed(capsys, tmp_path) == good


def test_a_cache_file_over_its_size_limit_is_not_read(
    day: Scripted,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A sound cache padded past the cap (16 MB: room for 10,000 sessions) is as none."""
    from facilitate import listing

    listed(capsys, tmp_path)
    path = tmp_path / "sessions" / CACHE_FILE
    one_line = len(path.read_bytes())
    assert one_line * 10_000 < listing.MAX_CACHE_BYTES < 64 * 1024 * 1024
    with path.open("a") as handle:
        handle.write(" " * listing.MAX_CACHE_BYTES)  # still valid JSON, and still true
    read: list[str] = []
    real = store._summary_info

    def counted(sid: str, *args: Any, **kwargs: Any) -> Any:
        read.append(sid)
        return real(sid, *args, **kwargs)

    monkeypatch.setattr(store, "_summary_info", counted)
    assert "3 notes" in listed(capsys, tmp_path)
    assert read == [day.live.id]  # the line came from the summary, not the big cache
    assert path.stat().st_size < 10_000  # and the cache was written again, small
