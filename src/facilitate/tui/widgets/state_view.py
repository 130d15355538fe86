"""The base of a widget that draws from a session's state and is told when it changed."""

from __future__ import annotations

from textual.containers import Vertical
from textual.reactive import reactive


class StateView(Vertical):
    """The screen owning the session sets ``revision`` (one more per event it took in);
    a subclass redraws in ``watch_revision`` or through a computed reactive."""

    revision: reactive[int] = reactive(-1, init=False)
