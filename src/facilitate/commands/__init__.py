"""Every intent a person can express, decided against the state: an event, a refusal, or nothing.

Screens turn keys and widget messages into these intents and record what
:func:`decide` returns; nothing else writes. ``timer`` (the facilitator's
clock), ``capture`` (notes, roles, actions), ``observe`` (side panels and
reflections) and ``writers`` (a browser scribe's name).
"""

from __future__ import annotations

from facilitate.commands.base import ENDED, Intent, Outcome, Refusal, World, decide
from facilitate.commands.capture import (
    AddNote,
    AssignRole,
    CaptureContext,
    DeleteNote,
    EditNote,
    SetActionDone,
    pick_group,
)
from facilitate.commands.observe import (
    QUALITY_CYCLE,
    ClearQuality,
    CycleQuality,
    MarkStage,
    Reflect,
    Tally,
    TickChecklist,
    TickTrait,
)
from facilitate.commands.timer import Adjust, End, GoTo, Next, Previous, Restart, Toggle
from facilitate.commands.writers import NameWriter

__all__ = [
    "ENDED",
    "QUALITY_CYCLE",
    "AddNote",
    "Adjust",
    "AssignRole",
    "CaptureContext",
    "ClearQuality",
    "CycleQuality",
    "DeleteNote",
    "EditNote",
    "End",
    "GoTo",
    "Intent",
    "MarkStage",
    "NameWriter",
    "Next",
    "Outcome",
    "Previous",
    "Reflect",
    "Refusal",
    "Restart",
    "SetActionDone",
    "Tally",
    "TickChecklist",
    "TickTrait",
    "Toggle",
    "World",
    "decide",
    "pick_group",
]
