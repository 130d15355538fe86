"""Update a label only when its text changes: a no-op update still re-lays out the screen."""

from __future__ import annotations

from textual.widgets import Static

_SHOWN = "_facilitate_shown"


def set_text(widget: Static, text: str, *, layout: bool = True) -> None:
    """``layout=False`` for widgets whose size never depends on their text (one-line bars)."""
    if getattr(widget, _SHOWN, None) != text:
        setattr(widget, _SHOWN, text)
        widget.update(text, layout=layout)
