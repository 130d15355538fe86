"""Help: built from the bindings that are really active, so it tells the truth."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

NOTE_SYNTAX = """\
[b]Typing notes[/b] (press i, type, enter saves; escape leaves the box)
  plain text          a note
  d: text             a decision
  a: text @name due:friday   an action with its owner and due date
                      (due: also takes 2026-12-01, +3d, +2w, tomorrow)
  q: text             a question
  f: text             feedback (f picks a feedback category first)
Every note is stamped with the time, segment, group and role, and saved to
disk before it is shown as saved. A note that could not be saved says UNSAVED
and is retried; nothing is dropped."""


def _key_label(binding: Binding, app_key_display: object = None) -> str:
    keys = binding.key.split(",")
    names = {
        "space": "space",
        "right_square_bracket": "]",
        "left_square_bracket": "[",
        "plus": "+",
        "equals_sign": "=",
        "minus": "-",
        "greater_than_sign": ">",
        "less_than_sign": "<",
        "question_mark": "?",
        "escape": "esc",
    }
    return " ".join(names.get(k, k) for k in keys)


def binding_lines(screen: Screen[object]) -> list[str]:
    """Every key this user has on the screen. A screen's ``allows`` (who may: a scribe has
    no timer keys) is asked rather than ``check_action``, which also depends on the focus
    of the moment: opened while a note is typed, help must still list every key."""
    allows = getattr(screen, "allows", None)
    lines = []
    seen: set[str] = set()
    for binding in screen.BINDINGS:
        if not isinstance(binding, Binding) or binding.action.startswith("group("):
            continue
        action = binding.action.split("(")[0]
        allowed = allows(action) if allows else screen.check_action(action, ()) is not False
        if not allowed or binding.description in seen:
            continue
        seen.add(binding.description)
        lines.append(f"  {_key_label(binding, None):<14} {escape(binding.description)}")
    lines.append(f"  {'1-9 / 0':<14} set / clear the group for following notes")
    return lines


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss_help", "Close help")]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__(classes="dialog")
        self.for_screen = screen

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog-box help-box"):
            yield Label("[b]facilitate · keys[/b]  (ctrl+p opens the command palette)")
            yield Static("\n".join(binding_lines(self.for_screen)))
            yield Static(self._panel_keys())
            yield Static(NOTE_SYNTAX)
            yield Static(
                "\n[b]App[/b]\n  ctrl+q         quit (asks first if anything is unsaved)"
                "\n  ctrl+p         command palette\n\n[dim]escape closes this help[/]"
            )

    def _panel_keys(self) -> str:
        from facilitate.tui.widgets.notes_log import NotesLog
        from facilitate.tui.widgets.panels import ChecklistPanel, LifecyclePanel, MobiusPanel

        lines = [
            "\n[b]Notes log and side panels[/b] (l, m, c open a panel beside the clock; "
            "in a panel, esc goes back to the notes)"
        ]
        for panel in (NotesLog, LifecyclePanel, MobiusPanel, ChecklistPanel):
            keys = [
                f"{_key_label(b, None)}: {b.description}"
                for b in panel.BINDINGS
                if isinstance(b, Binding) and b.description
            ]
            name = "Notes" if panel is NotesLog else panel.__name__.removesuffix("Panel")
            lines.append(f"  {name:<14} {escape(' · '.join(keys))}")
        return "\n".join(lines)

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
