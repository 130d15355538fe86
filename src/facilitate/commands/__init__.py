"""Every intent a person can express, decided against the state: an event, a refusal, or nothing.

Screens turn keys and widget messages into these intents and record what
:func:`decide` returns; nothing else writes. ``timer`` (the facilitator's
clock), ``plan`` (the day's start and re-plans), ``capture`` (notes, roles,
actions), ``observe`` (side panels and reflections), ``writers`` (a browser scribe's
name) and ``attendance`` (who was there, the venue, the next meeting, the parking lot).
"""

from __future__ import annotations

from facilitate.commands.attendance import (
    AttendanceForm,
    ParkNote,
    PersonRow,
    RecordPerson,
    RemovePerson,
    SetNextMeeting,
    SetVenue,
    attendance_changes,
    attendance_form,
)
from facilitate.commands.base import ENDED, Intent, Outcome, Refusal, World, decide
from facilitate.commands.capture import (
    AddNote,
    AssignRole,
    CaptureContext,
    DeleteNote,
    EditNote,
    ReviseNote,
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
from facilitate.commands.plan import ChooseStart, DayStart, Replan, start_question
from facilitate.commands.timer import Adjust, End, GoTo, Next, Previous, Quit, Restart, Toggle
from facilitate.commands.writers import NameWriter

__all__ = [
    "ENDED",
    "QUALITY_CYCLE",
    "AddNote",
    "Adjust",
    "AssignRole",
    "AttendanceForm",
    "CaptureContext",
    "ChooseStart",
    "ClearQuality",
    "CycleQuality",
    "DayStart",
    "DeleteNote",
    "EditNote",
    "End",
    "GoTo",
    "Intent",
    "MarkStage",
    "NameWriter",
    "Next",
    "Outcome",
    "ParkNote",
    "PersonRow",
    "Previous",
    "Quit",
    "RecordPerson",
    "Reflect",
    "Refusal",
    "RemovePerson",
    "Replan",
    "Restart",
    "ReviseNote",
    "SetActionDone",
    "SetNextMeeting",
    "SetVenue",
    "Tally",
    "TickChecklist",
    "TickTrait",
    "Toggle",
    "World",
    "attendance_changes",
    "attendance_form",
    "decide",
    "pick_group",
    "start_question",
]
