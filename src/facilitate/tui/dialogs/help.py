"""Help: built from the keys table the bindings are built from, so it tells the truth."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from facilitate.tui.keys import HELP_CLOSE, RUN_PARTS, Key, bindings

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


def key_lines(keys: Sequence[Key], allows: Callable[[str], bool]) -> list[str]:
    """Every key this person has on the screen. ``allows`` says who may (a scribe has no
    timer keys); it does not depend on the focus of the moment, so help opened while a
    note is typed still lists every key."""
    lines = []
    seen: set[str] = set()
    for key in keys:
        if not key.help or not allows(key.name) or key.label in seen:
            continue
        seen.add(key.label)
        lines.append(f"  {key.shown:<14} {escape(key.label)}")
    if any(key.name == "group" for key in keys):
        lines.append(f"  {'1-9 / 0':<14} set / clear the group for following notes")
    return lines


def part_lines() -> str:
    lines = [
        "\n[b]Notes log, brief and side panels[/b] (b scrolls the brief; l, m, c open a "
        "panel beside the clock; in either, esc goes back to the notes)"
    ]
    for name, keys in RUN_PARTS:
        described = " · ".join(f"{key.shown}: {key.label}" for key in keys)
        lines.append(f"  {name:<14} {escape(described)}")
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    BINDINGS = bindings(HELP_CLOSE)

    def __init__(self, keys: Sequence[Key], allows: Callable[[str], bool]) -> None:
        super().__init__(classes="dialog")
        self.keys, self.allows = keys, allows

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog-box help-box"):
            yield Label("[b]facilitate · keys[/b]  (ctrl+p opens the command palette)")
            yield Static("\n".join(key_lines(self.keys, self.allows)))
            yield Static(part_lines())
            yield Static(NOTE_SYNTAX)
            yield Static(
                "\n[b]App[/b]\n  ctrl+q         quit (asks first if anything is unsaved)"
                "\n  ctrl+p         command palette\n\n[dim]escape closes this help[/]"
            )

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
