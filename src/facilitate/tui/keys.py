"""The keys table: one place that feeds every screen's bindings, the help and the palette.

Each :class:`Key` says which keys do what, how the footer labels it, how the
command palette names it, and whether it is a timer control (which only the
facilitator has). Screens build their ``BINDINGS`` with :func:`bindings`, the
help screen lists the same tables, and the palette offers every entry whose
``title`` is set (a screen's ``KEYS``, and those of any open widget that has
``KEYS``, such as a side panel), so the three cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.binding import Binding, BindingType

# How keys read in help and the palette.
KEY_NAMES = {
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
    "slash": "/",
    "enter": "enter",
    "up": "↑",
    "down": "↓",
    "pageup": "pgup",
    "pagedown": "pgdn",
}


@dataclass(frozen=True)
class Key:
    """One thing a person can do with a key (and, with a ``title``, from the palette)."""

    keys: str  # Textual key names, comma-separated
    action: str
    label: str  # the footer's and help's few words
    title: str = ""  # the command palette's sentence; "" keeps it out of the palette
    show: bool = True  # in the footer
    priority: bool = False
    timer: bool = False  # a timer control: the facilitator's, not a scribe's
    help: bool = True  # listed in the help screen

    @property
    def name(self) -> str:
        """The action without its arguments: what check_action is asked about."""
        return self.action.split("(", 1)[0]

    @property
    def shown(self) -> str:
        """The keys as a person reads them: ``] or right``."""
        return " ".join(KEY_NAMES.get(k, k) for k in self.keys.split(","))

    def binding(self) -> Binding:
        return Binding(self.keys, self.action, self.label, show=self.show, priority=self.priority)


def bindings(*tables: Iterable[Key] | Key) -> list[BindingType]:
    """``BINDINGS`` for a screen or widget, from one or more tables (or single keys)."""
    found: list[BindingType] = []
    for table in tables:
        for key in [table] if isinstance(table, Key) else table:
            found.append(key.binding())
    return found


# --- the run screen ------------------------------------------------------------------------
#
# The keyboard is in one of three modes, named at the left of the footer:
#   TYPING  the note box has focus: every printable key is text (the box takes them);
#           escape leaves, enter saves.
#   KEYS    the notes log has focus: single keys act (timer keys are the facilitator's).
#   PANEL   a side panel has focus: its own keys, l/m/c, ?, escape; nothing else.
# The run screen's keys are priority bindings, so each acts the moment its key arrives,
# before the keys typed after it are routed: a key that moves the focus or opens a dialog
# (i, o, f, digits, e, x, g, r...) has moved it before the next key is looked at. The
# screen's check_action says which apply in which mode. Every picker and every dialog
# hands the keyboard back to the note box, so prose typed straight after one is a note.

FOCUS_ENTRY = Key("i", "focus_entry", "Type", "Type a note", priority=True)
LEAVE_ENTRY = Key("escape", "leave_entry", "Stop typing", priority=True)
LEAVE_PANEL = Key("escape", "leave_panel", "Back", priority=True, help=False)


def _run(keys: str, action: str, label: str, title: str = "", **flags: bool) -> Key:
    return Key(keys, action, label, title, priority=True, **flags)


# The live session moves with ] and [ only: arrows move the selection in lists, and an
# arrow pressed by accident must not move the whole room on.
RUN_TIMER = (
    _run("space", "start_pause", "Start/Pause", "Start, pause or resume the clock", timer=True),
    _run("right_square_bracket", "next", "Next", "Next segment", timer=True),
    _run("left_square_bracket", "previous", "Prev", "Previous segment", timer=True),
    _run("plus,equals_sign", "adjust(1)", "+1m", "Add a minute", timer=True),
    _run("minus", "adjust(-1)", "-1m", "Take a minute away", timer=True),
    _run("greater_than_sign", "adjust(5)", "+5m", "Add five minutes", show=False, timer=True),
    _run("less_than_sign", "adjust(-5)", "-5m", "Take five minutes away", show=False, timer=True),
    _run("g", "jump", "Go to", "Go to a segment", show=False, timer=True),
    _run("r", "restart", "Restart segment", "Restart the current segment", show=False, timer=True),
    _run("E", "end_session", "End session", "End the session", show=False, timer=True),
    _run("n", "replan", "Re-plan", "Re-plan the rest of the day from now", show=False, timer=True),
)

RUN_CAPTURE = (
    LEAVE_ENTRY,
    LEAVE_PANEL,
    _run("e,enter", "edit_note", "Edit note", "Edit the highlighted note"),
    _run("x,delete", "delete_note", "Delete note", "Delete the highlighted note"),
    _run("a", "all_notes", "All notes", "All the day's notes: look back, fix any of them"),
    _run("t", "filter", "Filter notes", "Filter the notes log by kind", show=False),
    _run("o", "pick_role", "Note as role", "Attribute notes to a role", show=False),
    _run("R", "assign_roles", "Assign roles", "Put names to roles", show=False),
    _run("f", "pick_category", "Feedback category", "Capture feedback into a category", show=False),
)

RUN_GROUPS = (
    _run("0", "group(0)", "No group", "Following notes belong to no group", show=False, help=False),
    *(
        _run(
            str(n),
            f"group({n})",
            f"Group {n}",
            f"Following notes belong to group {n}",
            show=False,
            help=False,
        )
        for n in range(1, 10)
    ),
)

# Mobius tallies straight from the notes log (in the Mobius panel they are its own keys).
RUN_TALLIES = tuple(
    _run(
        f"{letter},shift+{letter.lower()}",
        f"tally('{name}')",
        f"+1 {name}",
        show=False,
        help=False,
    )
    for letter, name in (
        ("B", "blame"),
        ("P", "praise"),
        ("W", "worry"),
        ("C", "claim"),
        ("D", "dialogue"),
    )
)

RUN_VIEWS = (
    _run("b", "brief", "Brief", "Scroll the segment's brief (topics, prompts, notes)", show=False),
    _run("l", "panel('lifecycle')", "Lifecycle", "Lifecycle panel: where the partnership is"),
    _run("m", "panel('mobius')", "Mobius", "Mobius Model panel: qualities and tallies"),
    _run("c", "panel('checklist')", "Checklist", "Checklist panel for this segment"),
    _run(
        "w",
        "reflect",
        "Reflect",
        "Reflect: how collaborative did it feel? (the segment that just asked, else this one)",
        show=False,
    ),
    _run(
        "A",
        "attendance",
        "Who was there",
        "Who was there: attendees, apologies, facilitators, venue, next meeting",
        show=False,
    ),
    _run("p", "projector", "Projector", "Projector view in this terminal", show=False),
    _run("M", "export_minutes", "Minutes so far", "Export the minutes so far", show=False),
)

RUN_HELP = _run("question_mark", "help", "Help", "Help: all keys")

# Help and typing first: the footer is cut at the right on a narrow terminal.
RUN = (RUN_HELP, FOCUS_ENTRY, *RUN_TIMER, *RUN_CAPTURE, *RUN_GROUPS, *RUN_TALLIES, *RUN_VIEWS)

# The brief's keys, for help: escape and b are the run screen's (back where you were).
BRIEF = (Key("escape,b", "leave_panel", "Back to notes"),)

# --- the note box --------------------------------------------------------------------------

SAVE_NOTE = Key("enter", "submit", "Save note")
FIX_HELD = Key("up", "fix_held", "Fix unsaved", show=False)
BACK_TO_NEW = Key("down", "back_to_new", "New note", show=False)

# --- side panels ---------------------------------------------------------------------------

# A panel's keys are palette commands too while the panel is open (tui/palette.py).
LIFECYCLE = (
    Key("x", "activate", "Mark/tick", "Lifecycle: mark the highlighted stage or tick the sign"),
    Key("v", "next_model", "Next model", "Lifecycle: show the next lifecycle model"),
)
MOBIUS = (
    Key("x", "activate", "Cycle/add", "Mobius: cycle the highlighted quality, or add to a tally"),
    Key("backspace", "retract", "Undo", "Mobius: take back the highlighted mark"),
    Key("B,shift+b", "tally('blame')", "Blame", "Mobius: one more blame"),
    Key("P,shift+p", "tally('praise')", "Praise", "Mobius: one more praise"),
    Key("W,shift+w", "tally('worry')", "Worry", "Mobius: one more worry"),
    Key("C,shift+c", "tally('claim')", "Claim", "Mobius: one more claim"),
    Key("D,shift+d", "tally('dialogue')", "Dialogue", "Mobius: one more dialogue"),
)
CHECKLIST = (Key("x", "activate", "Tick", "Checklist: tick or untick the highlighted point"),)

# Shown in help under the run screen's own keys: what the panels take.
RUN_PARTS = (
    ("Brief", (Key("up,down,pageup,pagedown", "scroll", "Scroll"), *BRIEF)),
    ("Lifecycle", LIFECYCLE),
    ("Mobius", MOBIUS),
    ("Checklist", CHECKLIST),
)

# --- the whole day's notes -----------------------------------------------------------------

DAY_NOTES = (
    Key("escape,q", "close", "Back", priority=True),
    Key("e,enter", "edit", "Edit", priority=True),
    # Not x: prose typed into this view by mistake must not reach a deletion.
    Key("delete,ctrl+d", "delete", "Delete", priority=True),
    Key("t", "filter", "Kind"),
)
NOTE_FORM = (
    Key("escape", "cancel", "Cancel", priority=True),
    Key("tab", "app.focus_next", "Next field", show=False, priority=True),
    Key("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
    # Seen as it arrives (the keys after it wait); the save waits behind what was typed.
    Key("ctrl+s", "save_request", "Save", priority=True),
)

# --- projector -----------------------------------------------------------------------------

PROJECTOR = (
    Key("escape", "close", "Back", "Leave the projector view", priority=True),
    Key("h", "toggle_lateness", "Hide/show lateness", "Hide or show how late the day is"),
    Key("p", "close_if('embedded')", "Back to the run screen", show=False, priority=True),
    Key("q", "close_if('follow')", "Quit", show=False, priority=True),
)

# --- review --------------------------------------------------------------------------------

BACK = Key("q,escape", "back", "Back", "Back to the previous screen")
# enter is the table's own key (its footer says Open); these put it in the palette.
OPEN_SESSION = Key("enter", "open_selected", "Open", "Open the highlighted session", show=False)
OPEN_HIT = Key("enter", "open_selected", "Open", "Open the session at this note", show=False)
OPEN_ACTION = Key("enter", "open_selected", "Open", "Open the session of this action", show=False)
SESSION_LIST = (
    BACK,
    Key("slash", "search", "Search all", "Search every note of every session"),
    Key("a", "actions", "Actions", "Every action of every session"),
    OPEN_SESSION,
)
SESSION_REVIEW = (
    BACK,
    Key("k", "cycle('kind')", "Kind", "Filter notes by kind"),
    Key("G", "cycle('group')", "Group", "Filter notes by group"),
    Key("R", "cycle('role')", "Role", "Filter notes by role"),
    Key("slash", "find", "Search", "Search this session"),
    Key("x", "toggle_done", "Done", "Mark the highlighted action done or not done"),
    Key(
        "P", "toggle_parked", "Park", "Put the highlighted note in the parking lot, or take it out"
    ),
    Key(
        "A",
        "attendance",
        "Who was there",
        "Who was there: attendees, apologies, facilitators, venue, next meeting",
    ),
    Key("e", "export", "Export", "Export this session"),
    Key("t", "toggle_chart", "Timing", "Show or hide the timing chart"),
    Key("a", "all_notes", "All notes", "All the notes, to look at and fix any of them"),
)
SEARCH = (BACK, OPEN_HIT)
ACTIONS = (
    BACK,
    Key("o", "toggle_open", "Open only", "Show open actions only, or all"),
    OPEN_ACTION,
)

# --- launcher and dialogs ------------------------------------------------------------------

LAUNCHER = (
    Key("r", "review", "Review sessions", "Review saved sessions"),
    Key("q", "app.quit", "Quit"),  # the app's own Quit is in the palette already
)
# Dialogs answer with priority bindings: the answer is given (and the dialog gone) before
# the next key is looked at, so keys typed straight after it reach the note box.
CONFIRM = (
    Key("escape,n", "answer(False)", "No", priority=True),
    Key("y", "answer(True)", "Yes", priority=True),
    Key("enter", "answer_focused", "Answer", show=False, priority=True),
)
REPLAN = (
    Key("plus,equals_sign", "adjust(60)", "+1m"),
    Key("minus", "adjust(-60)", "-1m"),
    Key("greater_than_sign", "adjust(300)", "+5m", show=False),
    Key("less_than_sign", "adjust(-300)", "-5m", show=False),
    Key("d", "drop", "Leave out"),
    Key("p", "proposal", "Proposal", show=False),
    Key("ctrl+s", "accept", "Accept", priority=True),
    Key("escape", "reject", "Reject", priority=True),
)
CANCEL = Key("escape", "cancel", "Cancel", priority=True)
# The reflection's rating: taken by the dialog as each key arrives (priority), so the
# words typed straight after a digit go to the next question, not to the rating.
RATE = tuple(
    Key(str(n), f"rate({n})", f"Rate {n}", show=False, priority=True, help=False)
    for n in range(1, 6)
)
CHOOSE = (
    Key("enter", "choose_highlighted", "Choose", show=False, priority=True),
    *(Key(str(n), f"choose({n})", str(n), show=False, priority=True) for n in range(10)),
)
SAVE = Key("ctrl+s", "save", "Save")
SAVE_NOW = Key("ctrl+s", "save", "Save", priority=True)  # even from inside a text box
ATTENDANCE = (
    CANCEL,
    SAVE_NOW,
    # Priority, so that a name typed at speed after tab lands in the next field (see
    # docs/design.md, "Typing in bursts").
    Key("tab", "app.focus_next", "Next field", show=False, priority=True),
    Key("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
    Key("space", "cycle", "Present/apologies/facilitator/not there"),
    Key("delete", "cycle('none')", "Not there", show=False),
)
HELP_CLOSE = (Key("escape,question_mark,q", "dismiss_help", "Close help", priority=True),)
