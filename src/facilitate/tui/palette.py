"""The command palette's entries for a screen, from the same keys table as its bindings.

Every key with a palette title is offered, named with its key so people learn
it; a key the person may not use on this screen (a scribe's timer keys) is not.
A run screen runs the chosen action even while a note is half typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from textual.app import SystemCommand
from textual.screen import Screen

from facilitate.tui.keys import Key


def _allowed(screen: Screen[Any], key: Key) -> bool:
    allows: Callable[[str], bool] | None = getattr(screen, "allows", None)
    if allows is not None:
        return allows(key.name)
    return screen.check_action(key.name, ()) is not False


def palette_commands(screen: Screen[Any]) -> Iterator[SystemCommand]:
    keys: tuple[Key, ...] = getattr(screen, "KEYS", ())
    run: Callable[[str], Any] | None = getattr(screen, "run_from_palette", None)
    for key in keys:
        if not key.title or not _allowed(screen, key):
            continue
        action = partial(run, key.action) if run else partial(screen.run_action, key.action)
        yield SystemCommand(key.title, f"key: {key.shown}", action)
