"""Shared by every test: no journal file is left open behind a test.

Sessions made with ``sessionfactory`` are closed when each test ends (a test may
read its session back and go on recording, so closing is left to here). A test
module that asks for it with ``pytestmark = pytest.mark.usefixtures("no_leaked_fds")``
fails any test that ends with more file descriptors open than it started with,
naming what they point at.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import sessionfactory
from openfiles import open_fds


@pytest.fixture(autouse=True)
def _close_factory_sessions() -> Iterator[None]:
    yield
    sessionfactory.close_sessions()


@pytest.fixture
def no_leaked_fds() -> Iterator[None]:
    before = open_fds()
    yield
    sessionfactory.close_sessions()
    after = open_fds()
    leaked = sorted(
        target for fd, target in after.items() if before.get(fd) != target and target != "?"
    )
    assert not leaked, f"the test left {len(leaked)} file(s) open: {leaked}"
