"""The base of a widget that draws from a session's state and is told when it changed."""

from __future__ import annotations

from textual.containers import Vertical
from textual.reactive import reactive
from textual.widget import Widget


class StateView(Vertical):
    """The screen owning the session sets ``revision`` (one more per event it took in);
    a subclass redraws in ``watch_revision`` or through a computed reactive."""

    revision: reactive[int] = reactive(-1, init=False)
    group: reactive[str | None] = reactive(None, init=False)

    def summary(self) -> str:
        """The view on one line (a narrow screen folds a side panel to it): what it shows,
        and the key that gives it the keyboard."""
        return ""

    def idle(self) -> bool:
        """Nothing to show for the segment now (a checklist in a break): it folds."""
        return False

    def focus_target(self) -> Widget:
        """The widget inside that takes the keyboard (given it at once with
        ``screen.set_focus``: ``focus()`` waits for the next turn)."""
        return self

    """The group the scribe has picked (None: the whole room): a view per group shows its."""
