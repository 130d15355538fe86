"""Help: built from the keys table the bindings are built from, so it tells the truth."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from facilitate.tui.keys import HELP_CLOSE, RUN_PARTS, Key, bindings

MODES = """\
[b]The keyboard[/b] is in one of three modes, named at the left of the footer:
  TYPING  the note box has it: every letter, digit and space is text.
          enter saves the note; escape leaves the box.
  KEYS    the notes log has it: single keys act (below); i types again.
  PANEL   a side panel has it: its keys; l, m or c closes it; escape goes back.
After every picker (group, role, category) and every dialog the keyboard is back
in the note box, so whatever you type next is a note. A scribe's terminal
(facilitate join) starts in the note box."""

NOTE_SYNTAX = """\
[b]Typing notes[/b] (enter saves; a note is saved to disk before it shows)
  plain text          a note (feedback, while a feedback category is picked)
  d: text             a decision
  a: text @Priya due:friday    an action, its owner and its due date
  q: text             a question
  f: text             feedback;  n: text  a note, whatever is picked
Owners: @Priya, @"Sam Jones" or @Sam_Jones (shown Sam Jones); the name leaves
  the text and goes in the owner column.
Due dates are day first, as in the UK: due:31/12, due:31/12/2026, due:31-12-26,
  due:2026-12-31, due:friday, due:tomorrow, due:+3d, due:+2w.
The line above the box shows what the note will be filed under: segment, group,
  role, kind, feedback category, owner and due date. A note that cannot be
  saved (a date that cannot be read or has passed) waits, whole, in a box of
  its own above, with the reason: up arrow to fix it, enter to save it. What
  you type next is a new note; nothing is glued on or lost."""


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
    if any(key.name == "tally" for key in keys):
        lines.append(f"  {'B P W C D':<14} Mobius tally: blame, praise, worry, claim, dialogue")
    return lines


def part_lines() -> str:
    lines = [
        "\n[b]Brief and side panels[/b] (b scrolls the brief; l, m, c open a panel beside "
        "the clock and give it the keyboard; the same key inside it closes it; esc goes back)"
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
            yield Static(MODES)
            yield Static(
                "\n[b]Keys[/b] (in KEYS mode)\n" + "\n".join(key_lines(self.keys, self.allows))
            )
            yield Static(part_lines())
            yield Static(NOTE_SYNTAX)
            yield Static(
                "\n[b]App[/b]\n  ctrl+q         quit (asks first if anything is unsaved)"
                "\n  ctrl+p         command palette\n\n[dim]escape closes this help[/]"
            )

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
