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

FOCUS_ENTRY = Key("i", "focus_entry", "Note", "Type a note", priority=True)
LEAVE_ENTRY = Key("escape", "leave_entry", "Done typing")

# The live session moves with ] and [ only: arrows move the selection in lists, and an
# arrow pressed by accident must not move the whole room on.
RUN_TIMER = (
    Key("space", "start_pause", "Start/Pause", "Start, pause or resume the clock", timer=True),
    Key("right_square_bracket", "next", "Next", "Next segment", timer=True),
    Key("left_square_bracket", "previous", "Prev", "Previous segment", timer=True),
    Key("plus,equals_sign", "adjust(1)", "+1m", "Add a minute", timer=True),
    Key("minus", "adjust(-1)", "-1m", "Take a minute away", timer=True),
    Key("greater_than_sign", "adjust(5)", "+5m", "Add five minutes", show=False, timer=True),
    Key("less_than_sign", "adjust(-5)", "-5m", "Take five minutes away", show=False, timer=True),
    Key("g", "jump", "Go to", "Go to a segment", show=False, timer=True),
    Key("r", "restart", "Restart segment", "Restart the current segment", show=False, timer=True),
    Key("E", "end_session", "End session", "End the session", show=False, timer=True),
    Key("n", "replan", "Re-plan", "Re-plan the rest of the day from now", show=False, timer=True),
)

RUN_CAPTURE = (
    FOCUS_ENTRY,
    LEAVE_ENTRY,
    Key("t", "filter", "Filter notes", "Filter the notes log by kind", show=False),
    Key("o", "pick_role", "Note as role", "Attribute notes to a role", show=False),
    Key("R", "assign_roles", "Assign roles", "Put names to roles", show=False),
    Key("f", "pick_category", "Feedback category", "Capture feedback into a category", show=False),
    Key("e", "edit_note", "Edit note", "Edit the highlighted note", show=False, help=False),
    Key("x", "delete_note", "Delete note", "Delete the highlighted note", show=False, help=False),
)

RUN_GROUPS = (
    Key("0", "group(0)", "No group", "Following notes belong to no group", show=False, help=False),
    *(
        Key(
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

RUN_VIEWS = (
    Key("b", "brief", "Brief", "Scroll the segment's brief (topics, prompts, notes)", show=False),
    Key("l", "panel('lifecycle')", "Lifecycle", "Lifecycle panel: where the partnership is"),
    Key("m", "panel('mobius')", "Mobius", "Mobius Model panel: qualities and tallies"),
    Key("c", "panel('checklist')", "Checklist", "Checklist panel for this segment"),
    Key("w", "reflect", "Reflect", "Reflect: how collaborative did it feel?", show=False),
    Key(
        "A",
        "attendance",
        "Who was there",
        "Who was there: attendees, apologies, facilitators, venue, next meeting",
        show=False,
    ),
    Key("p", "projector", "Projector", "Projector view in this terminal", show=False),
    Key("M", "export_minutes", "Minutes so far", "Export the minutes so far", show=False),
)

RUN_HELP = Key("question_mark", "help", "Help", "Help: all keys")

# Help first: the footer is cut at the right on a narrow terminal.
RUN = (RUN_HELP, *RUN_TIMER, *RUN_CAPTURE, *RUN_GROUPS, *RUN_VIEWS)

BRIEF = (Key("escape,b", "back_to_notes", "Back to notes"),)

NOTES_LOG = (
    Key("e,enter", "edit_note", "Edit note"),
    Key("x,delete", "delete_note", "Delete note"),
)

# --- side panels ---------------------------------------------------------------------------

BACK_TO_NOTES = Key("escape", "back_to_notes", "Back to notes")
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

# Shown in help under the run screen's own keys: what the notes log and panels take.
RUN_PARTS = (
    ("Notes", NOTES_LOG),
    ("Brief", (Key("up,down,pageup,pagedown", "scroll", "Scroll"), *BRIEF)),
    ("Lifecycle", LIFECYCLE),
    ("Mobius", MOBIUS),
    ("Checklist", CHECKLIST),
)

# --- projector -----------------------------------------------------------------------------

PROJECTOR = (
    Key("escape", "close", "Back", "Leave the projector view"),
    Key("h", "toggle_lateness", "Hide/show lateness", "Hide or show how late the day is"),
    Key("p", "close_if('embedded')", "Back to the run screen", show=False),
    Key("q", "close_if('follow')", "Quit", show=False),
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
CONFIRM = (Key("escape,n", "answer(False)", "No"), Key("y", "answer(True)", "Yes"))
REPLAN = (
    Key("plus,equals_sign", "adjust(60)", "+1m"),
    Key("minus", "adjust(-60)", "-1m"),
    Key("greater_than_sign", "adjust(300)", "+5m", show=False),
    Key("less_than_sign", "adjust(-300)", "-5m", show=False),
    Key("d", "drop", "Leave out"),
    Key("p", "proposal", "Proposal", show=False),
    Key("ctrl+s", "accept", "Accept", priority=True),
    Key("escape", "reject", "Reject"),
)
CANCEL = Key("escape", "cancel", "Cancel")
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
HELP_CLOSE = (Key("escape,question_mark,q", "dismiss_help", "Close help"),)
