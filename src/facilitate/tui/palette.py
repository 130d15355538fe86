"""The command palette's entries for a screen, from the same keys table as its bindings.

Every key with a palette title is offered, named with its key so people learn
it: the screen's own ``KEYS``, then those of every widget on it that has
``KEYS`` and is shown (an open side panel: its keys act on that panel). A key
the person may not use on this screen (a scribe's timer keys) is not offered.
A run screen runs the chosen action even while a note is half typed. A screen
may add entries that are not keys (the launcher's agendas) with
``palette_extras()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any

from textual.app import SystemCommand
from textual.screen import Screen
from textual.widget import Widget

from facilitate.tui.keys import Key

Extra = tuple[str, str, Callable[[], Any]]  # title, help, what it does


def _allowed(screen: Screen[Any], key: Key) -> bool:
    allows: Callable[[str], bool] | None = getattr(screen, "allows", None)
    if allows is not None:
        return allows(key.name)
    return screen.check_action(key.name, ()) is not False


def _shown(widget: Widget) -> bool:
    """On screen now: it and every container around it are displayed."""
    return all(getattr(node, "display", True) for node in widget.ancestors_with_self)


def keyed_parts(screen: Screen[Any]) -> list[Widget]:
    """The widgets on ``screen`` that bring keys of their own and are shown."""
    return [w for w in screen.query(Widget) if getattr(w, "KEYS", ()) and _shown(w)]


def palette_commands(screen: Screen[Any]) -> Iterator[SystemCommand]:
    run: Callable[[str], Any] | None = getattr(screen, "run_from_palette", None)
    for key in getattr(screen, "KEYS", ()):
        if key.title and _allowed(screen, key):
            action = partial(run, key.action) if run else partial(screen.run_action, key.action)
            yield SystemCommand(key.title, f"key: {key.shown}", action)
    for part in keyed_parts(screen):
        yield from _commands_of(part, getattr(part, "KEYS", ()))
    extras: Callable[[], Iterable[Extra]] | None = getattr(screen, "palette_extras", None)
    for title, help_text, callback in extras() if extras is not None else ():
        yield SystemCommand(title, help_text, callback)


def _commands_of(node: Widget, keys: Iterable[Key]) -> Iterator[SystemCommand]:
    for key in keys:
        if key.title and node.check_action(key.name, ()) is not False:
            yield SystemCommand(
                key.title, f"key: {key.shown}", partial(node.run_action, key.action)
            )
