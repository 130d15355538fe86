"""Session folders: ids people can type, "latest" that means latest, private files,
and writes that never leave half a file.
"""

from __future__ import annotations

import os
import stat
import tomllib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from facilitate.agenda import Agenda, parse_agenda
from facilitate.clock import FakeTimeSource, SessionClock
from facilitate.errors import SessionError, UserError
from facilitate.events import NoteAdded, NoteDeleted, SessionStarted, TimerPaused, TimerStarted
from facilitate.live import LiveSession
from facilitate.osfs import atomic_write
from facilitate.paths import Paths
from facilitate.store import (
    count_notes,
    create_session,
    list_sessions,
    load_session,
    resolve_session,
    session_id,
)

TEXT = '[agenda]\ntitle = "Partnership day"\n\n[[segment]]\ntitle = "Welcome"\nduration = 30\n'
TEXT += '\n[[segment]]\ntitle = "Groups"\nduration = 45\n'
MORNING = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("no_leaked_fds")


def agenda(name: str = "partnership-day") -> Agenda:
    return parse_agenda(TEXT, file=f"{name}.toml", name=name)


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths(tmp_path / "data", tmp_path / "config")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- ids -----------------------------------------------------------------------------------------


def test_session_id_is_local_date_time_and_agenda_name() -> None:
    tz = timezone(timedelta(hours=1))
    assert session_id("sample-programme", MORNING.astimezone(tz), set()) == (
        "2025-03-04-1030-sample-programme"
    )


def test_a_session_id_never_carries_control_codes_or_path_parts() -> None:
    at = MORNING.astimezone(UTC)
    assert session_id("osc\x1b]0;PWNED\x07x", at, set()) == "2025-03-04-0930-osc--0-PWNED-x"
    assert session_id("../up", at, set()) == "2025-03-04-0930-up"
    assert session_id("café-day", at, set()) == "2025-03-04-0930-café-day"
    assert session_id("\u202e", at, set()) == "2025-03-04-0930-agenda"


def test_session_ids_are_made_unique_within_a_minute(paths: Paths) -> None:
    ids = [
        create_session(paths, agenda(), TEXT, MORNING + timedelta(seconds=i), UTC)[0]
        for i in range(3)
    ]
    assert ids == [
        "2025-03-04-0930-partnership-day",
        "2025-03-04-0930-partnership-day-2",
        "2025-03-04-0930-partnership-day-3",
    ]
    assert all((paths.sessions_dir / sid).is_dir() for sid in ids)


def test_the_folder_keeps_the_agenda_exactly_as_run(paths: Paths) -> None:
    sid, folder = create_session(paths, agenda(), TEXT, MORNING, UTC)
    assert folder == paths.sessions_dir / sid
    assert (folder / "agenda.toml").read_text(encoding="utf-8") == TEXT


# --- privacy -------------------------------------------------------------------------------------


def test_folders_are_0700_and_files_0600(paths: Paths) -> None:
    old = os.umask(0o022)
    try:
        sid, folder = create_session(paths, agenda(), TEXT, MORNING, UTC)
        clock = SessionClock(FakeTimeSource(MORNING))
        with LiveSession(sid, folder, agenda(), clock, UTC, "w1") as live:
            live.record(NoteAdded(at=live.now(), kind="note", text="confidential", segment=0))
            live.save_summary()
    finally:
        os.umask(old)
    assert mode(paths.sessions_dir) == 0o700
    assert mode(folder) == 0o700
    files = sorted(p for p in folder.iterdir() if p.is_file())
    assert {p.name for p in files} >= {"agenda.toml", "summary.toml", "journal-w1.jsonl"}
    for path in files:
        assert mode(path) == 0o600, path.name


def test_an_existing_sessions_folder_is_made_private(paths: Paths) -> None:
    paths.sessions_dir.mkdir(parents=True, mode=0o755)
    os.chmod(paths.sessions_dir, 0o755)
    create_session(paths, agenda(), TEXT, MORNING, UTC)
    assert mode(paths.sessions_dir) == 0o700


# --- atomic writes -------------------------------------------------------------------------------


def test_atomic_write_replaces_the_content_and_makes_it_private(tmp_path: Path) -> None:
    path = tmp_path / "summary.toml"
    path.write_text("old")
    os.chmod(path, 0o644)
    atomic_write(path, b"new")
    assert path.read_bytes() == b"new"
    assert mode(path) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["summary.toml"]


def test_atomic_write_that_fails_leaves_the_old_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "summary.toml"
    path.write_bytes(b"old summary")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("facilitate.store.os.fsync", disk_full)
    with pytest.raises(OSError):
        atomic_write(path, b"new summary that never lands")
    monkeypatch.undo()
    assert path.read_bytes() == b"old summary"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.toml"]  # no temp file left behind


def test_atomic_write_interrupted_at_the_rename_leaves_the_old_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "summary.toml"
    path.write_bytes(b"old")

    def crash(src: object, dst: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("facilitate.store.os.replace", crash)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(path, b"new")
    monkeypatch.undo()
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.toml"]


def test_atomic_write_of_a_new_file(tmp_path: Path) -> None:
    atomic_write(tmp_path / "fresh.toml", b"x = 1\n")
    assert (tmp_path / "fresh.toml").read_bytes() == b"x = 1\n"


# --- resolving a session -------------------------------------------------------------------------


def make(paths: Paths, name: str, when: datetime) -> str:
    return create_session(paths, agenda(name), TEXT, when, UTC)[0]


def test_resolve_with_no_sessions(paths: Paths) -> None:
    with pytest.raises(SessionError, match="no saved sessions"):
        resolve_session(paths, "latest")
    assert issubclass(SessionError, UserError)  # the CLI prints it as one line, exit 2


def test_resolve_by_id_prefix_and_latest(paths: Paths) -> None:
    first = make(paths, "partnership-day", MORNING)
    second = make(paths, "partnership-day", MORNING + timedelta(days=1))
    third = make(paths, "shared-solutions", MORNING + timedelta(days=2))
    assert resolve_session(paths, first) == (first, paths.sessions_dir / first)
    assert resolve_session(paths, "latest")[0] == third
    assert resolve_session(paths, None)[0] == third
    assert resolve_session(paths, "2025-03-05")[0] == second
    assert resolve_session(paths, " 2025-03-06 ")[0] == third


def test_exact_id_wins_over_a_longer_match(paths: Paths) -> None:
    short = make(paths, "partnership-day", MORNING)
    longer = make(paths, "partnership-day", MORNING + timedelta(seconds=5))
    assert longer == short + "-2"
    assert resolve_session(paths, short)[0] == short


def test_ambiguous_prefix_lists_the_candidates(paths: Paths) -> None:
    a = make(paths, "partnership-day", MORNING)
    b = make(paths, "shared-solutions", MORNING + timedelta(hours=2))
    with pytest.raises(SessionError) as caught:
        resolve_session(paths, "2025-03-04")
    message = str(caught.value)
    assert "matches 2 sessions" in message
    assert a in message and b in message


def test_prefix_that_matches_nothing(paths: Paths) -> None:
    make(paths, "partnership-day", MORNING)
    with pytest.raises(SessionError, match="no session matches '2024'"):
        resolve_session(paths, "2024")


def test_latest_ignores_folders_that_are_not_sessions(paths: Paths) -> None:
    real = make(paths, "partnership-day", MORNING)
    (paths.sessions_dir / "zzz-not-a-session").mkdir()
    assert resolve_session(paths, "latest")[0] == real


def test_latest_is_the_last_created_even_within_the_same_minute(paths: Paths) -> None:
    """The facilitator starts the wrong agenda, quits, and starts the right one a few
    seconds later: ``resume`` must reopen the right one, whatever the agendas are called."""
    make(paths, "shared-solutions", MORNING)
    right = make(paths, "partnership-day", MORNING + timedelta(seconds=20))
    assert resolve_session(paths, "latest")[0] == right


def test_latest_after_many_sessions_in_one_minute(paths: Paths) -> None:
    ids = [make(paths, "partnership-day", MORNING + timedelta(seconds=i)) for i in range(11)]
    assert ids[-1].endswith("-11")
    assert resolve_session(paths, "latest")[0] == ids[-1]


# --- summary and listing -------------------------------------------------------------------------


def test_summary_is_written_and_read_back_by_list_sessions(paths: Paths) -> None:
    sid, folder = create_session(paths, agenda(), TEXT, MORNING, UTC)
    source = FakeTimeSource(MORNING)
    live = LiveSession(sid, folder, agenda(), SessionClock(source), UTC, "w1")
    live.record(
        SessionStarted(at=live.now(), agenda_name="partnership-day", agenda_title="Partnership day")
    )
    live.record(TimerStarted(at=live.now()))
    source.advance(25 * 60)
    live.record(NoteAdded(at=live.now(), kind="decision", text="Meet monthly", segment=0))
    live.record(NoteAdded(at=live.now(), kind="action", text="Send notes", segment=0, owner="Jo"))
    live.record(NoteAdded(at=live.now(), kind="note", text="typo", segment=0))
    live.record(NoteDeleted(at=live.now(), note_id="w1-4"))
    live.record(TimerPaused(at=live.now()))
    live.save_summary()
    assert live.close() == ()

    summary = tomllib.loads((folder / "summary.toml").read_text(encoding="utf-8"))
    assert summary["session"]["status"] == "paused"
    assert summary["session"]["current_segment"] == "Welcome"
    assert summary["segment"][0]["actual_s"] == 25 * 60

    [info] = list_sessions(paths)
    assert info.id == sid
    assert info.folder == folder
    assert (info.agenda_name, info.agenda_title) == ("partnership-day", "Partnership day")
    assert info.status == "paused"
    assert info.duration_s == 25 * 60
    assert datetime.fromisoformat(info.created) == MORNING
    assert info.counts == {"decisions": 1, "actions": 1, "notes": 0, "questions": 0, "feedback": 0}

    loaded = load_session(sid, folder)
    assert loaded.warnings == []
    assert count_notes(loaded.state) == info.counts
    assert loaded.state.elapsed(0, MORNING + timedelta(hours=5)) == 25 * 60


def test_list_sessions_survives_a_missing_or_broken_summary(paths: Paths) -> None:
    good = make(paths, "partnership-day", MORNING)
    broken = make(paths, "shared-solutions", MORNING + timedelta(days=1))
    (paths.sessions_dir / broken / "summary.toml").write_text("[session\n")
    infos = {i.id: i for i in list_sessions(paths)}
    assert set(infos) == {good, broken}
    assert infos[good].agenda_name == "partnership-day"
    assert infos[broken].agenda_name == "shared-solutions"


def test_list_sessions_is_oldest_first(paths: Paths) -> None:
    ids = [make(paths, "partnership-day", MORNING + timedelta(days=d)) for d in (2, 0, 1)]
    assert [i.id for i in list_sessions(paths)] == sorted(ids)


def test_loaded_session_keeps_the_agenda_name_even_if_it_ends_in_a_number(paths: Paths) -> None:
    """``workshop-2025`` is an agenda name, not a second ``workshop`` started that minute."""
    named = agenda("workshop-2025")
    sid, folder = create_session(paths, named, TEXT, MORNING, UTC)
    with LiveSession(sid, folder, named, SessionClock(FakeTimeSource(MORNING)), UTC, "w1") as live:
        live.record(SessionStarted(at=live.now(), agenda_name=named.name, agenda_title=named.title))
    loaded = load_session(sid, folder)
    assert loaded.state.agenda_name == "workshop-2025"
    assert loaded.agenda.name == "workshop-2025"


def test_list_sessions_counts_notes_a_scribe_wrote_after_the_summary(paths: Paths) -> None:
    sid, folder = create_session(paths, agenda(), TEXT, MORNING, UTC)
    clock = SessionClock(FakeTimeSource(MORNING))
    with LiveSession(sid, folder, agenda(), clock, UTC, "fac") as facilitator:
        facilitator.record(
            SessionStarted(
                at=clock.now(), agenda_name="partnership-day", agenda_title="Partnership day"
            )
        )
        facilitator.save_summary()
    summary = folder / "summary.toml"
    os.utime(summary, ns=(1, 1))  # the facilitator's app died before writing it again
    with LiveSession(sid, folder, agenda(), clock, UTC, "scribe") as scribe:
        scribe.record(NoteAdded(at=clock.now(), kind="decision", text="Meet monthly", segment=0))

    [info] = list_sessions(paths)
    assert info.counts["decisions"] == 1
