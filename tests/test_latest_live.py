"""``latest`` for a scribe, a projector or serve is the session someone is running now.

Seen in use: a facilitator resumed yesterday's session while a newer one sat unstarted;
`facilitate join` (latest = the newest created) joined the unstarted one, so the
scribe's notes would have gone to a session nobody was running.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from facilitate.control import Holder, take_control
from facilitate.paths import Paths
from facilitate.store import resolve_session
from sessionfactory import start_session


def test_latest_prefers_the_session_being_run_for_join_and_projector(tmp_path: Path) -> None:
    running = start_session(tmp_path, "partnership-meeting")
    idle = start_session(
        tmp_path, "session-evaluation", start=running.live.now() + timedelta(hours=1)
    )
    paths = Paths(tmp_path, tmp_path)
    assert resolve_session(paths, None)[0] == idle.live.id, "plain latest: the newest"
    assert resolve_session(paths, None, prefer_live=True)[0] == idle.live.id, "nobody runs any"
    control = take_control(
        running.live.folder, running.live.id, Holder.here("fac"), datetime.now(UTC), UTC
    )
    try:
        assert resolve_session(paths, None, prefer_live=True)[0] == running.live.id
        assert resolve_session(paths, "latest", prefer_live=True)[0] == running.live.id
        assert resolve_session(paths, idle.live.id, prefer_live=True)[0] == idle.live.id
        assert resolve_session(paths, None)[0] == idle.live.id, "resume keeps plain latest"
    finally:
        control.release()
    assert resolve_session(paths, None, prefer_live=True)[0] == idle.live.id
