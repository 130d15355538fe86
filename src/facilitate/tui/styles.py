"""Colours come from the theme: one map for note kinds, and theme-aware Rich styles.

Textual's CSS and ``Content`` markup resolve ``$success`` and friends from the
current theme; Rich renderables (tables in panels, rows of a RowTable) take a
concrete colour, so :func:`rich_style` resolves the same ``$variable`` spelling
against the running app's theme when the row is drawn.
"""

from __future__ import annotations

from rich.style import Style as RichStyle
from textual.style import Style

# Every screen shows a note's kind in the same colour (a theme variable).
KIND_COLOURS = {
    "decision": "$success",
    "action": "$warning",
    "question": "$accent",
    "feedback": "$secondary",
    "note": "$foreground-muted",
}
KIND_LABELS = {
    "decision": "DECISION",
    "action": "ACTION",
    "question": "QUESTION",
    "feedback": "FEEDBACK",
    "note": "note",
}


def kind_markup(kind: str) -> str:
    """``Content`` markup for a note's kind tag, e.g. ``[b $success]DECISION[/]``."""
    colour = KIND_COLOURS.get(kind, "$foreground")
    weight = "" if kind == "note" else "b "
    return f"[{weight}{colour}]{KIND_LABELS.get(kind, kind)}[/]"


def kind_style(kind: str) -> str:
    """The style spelling for a kind, for :func:`rich_style`."""
    return ("" if kind == "note" else "bold ") + KIND_COLOURS.get(kind, "$foreground")


def rich_style(spec: str) -> RichStyle:
    """A Rich style from Textual style text (``"bold $error"``), resolved against the running
    app's theme; call it while drawing, inside the app."""
    if not spec:
        return RichStyle.null()
    return Style.parse(spec).rich_style
