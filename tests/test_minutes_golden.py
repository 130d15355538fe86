"""The minutes and the facilitator's report, byte for byte, in every format and audience.

The days are built through the command layer (``minutesdays``), read back from
disk as an export would, and compared with ``tests/golden/``. After a change on
purpose, run with ``UPDATE_GOLDEN=1`` and read the diff: it is the review.
Word files are compared as their outline read back with python-docx (the zip's
bytes say nothing a person can review), and checked to be byte-identical
across two exports.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from pathlib import Path

import pytest

from docxread import outline
from facilitate.export import AUDIENCES, DATA, DOCUMENTS, render, render_text
from facilitate.store import LoadedSession
from minutesdays import odd_text, partnership_meeting, shared_solutions
from sessionfactory import assert_golden

DAYS: dict[str, Callable[[Path], LoadedSession]] = {
    "shared-solutions": shared_solutions,
    "activity-5": partnership_meeting,
    "odd-text": odd_text,
}


@pytest.fixture(scope="module")
def sessions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, LoadedSession]:
    return {name: build(tmp_path_factory.mktemp(name)) for name, build in DAYS.items()}


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("fmt", DOCUMENTS)
def test_documents_match_golden_files(
    sessions: dict[str, LoadedSession], day: str, audience: str, fmt: str
) -> None:
    session = sessions[day]
    name = f"minutes/{day}.{audience}.{fmt}"
    if fmt == "docx":
        data = render("docx", session, UTC, audience=audience)
        assert data == render("docx", session, UTC, audience=audience)
        assert_golden(name + ".txt", outline(data))
    else:
        assert_golden(name, render_text(fmt, session, UTC, audience=audience))


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("fmt", DATA)
def test_data_match_golden_files(sessions: dict[str, LoadedSession], day: str, fmt: str) -> None:
    assert_golden(f"minutes/{day}.{fmt}", render_text(fmt, sessions[day], UTC))
