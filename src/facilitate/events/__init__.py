"""The facts a session is made of, and their JSON form in the journal.

Every change a user makes (timer controls, notes, edits, ticks) is one of
these. Each carries its instant, its writer and a per-writer sequence number,
which together order a merged journal and give notes a stable id.

Every record also says which version of this format wrote it (``version``,
:data:`RECORD_VERSION`). Records are never rewritten: an older one is upgraded
each time it is read (``records._upgrade``), and a newer one is refused with a
sentence saying so rather than misread.

``base`` (the envelope and the registry), ``timer``, ``notes``, ``observe``,
``writers``, ``attendance``, ``plan`` (the events, by who records them) and ``records``
(reading them back). A new kind of event is a class in one of these modules (or a new
module imported here): it registers itself by its ``TYPE``.
"""

from __future__ import annotations

from facilitate.events.attendance import (
    ATTENDANCE,
    NextMeetingSet,
    PersonRecorded,
    PersonRemoved,
    VenueSet,
)
from facilitate.events.base import (
    EVENT_TYPES,
    NOTE_KINDS,
    QUALITY_STATES,
    RECORD_VERSION,
    TALLIES,
    Event,
    EventError,
    event_id,
    format_instant,
    parse_instant,
    with_envelope,
)
from facilitate.events.notes import (
    ActionDone,
    NoteAdded,
    NoteDeleted,
    NoteEdited,
    NoteParked,
    RoleAssigned,
)
from facilitate.events.observe import (
    ChecklistTicked,
    LifecycleStageMarked,
    LifecycleTraitTicked,
    MonologueTallied,
    QualityMarked,
    ReflectionRecorded,
)
from facilitate.events.plan import DayStartChosen, PlanChanged
from facilitate.events.records import event_from_record
from facilitate.events.timer import (
    ClockCorrected,
    SegmentChanged,
    SegmentRestarted,
    SessionEnded,
    SessionStarted,
    TimeAdjusted,
    TimerPaused,
    TimerStarted,
)
from facilitate.events.writers import WriterNamed

__all__ = [
    "ATTENDANCE",
    "EVENT_TYPES",
    "NOTE_KINDS",
    "QUALITY_STATES",
    "RECORD_VERSION",
    "TALLIES",
    "ActionDone",
    "ChecklistTicked",
    "ClockCorrected",
    "DayStartChosen",
    "Event",
    "EventError",
    "LifecycleStageMarked",
    "LifecycleTraitTicked",
    "MonologueTallied",
    "NextMeetingSet",
    "NoteAdded",
    "NoteDeleted",
    "NoteEdited",
    "NoteParked",
    "PersonRecorded",
    "PersonRemoved",
    "PlanChanged",
    "QualityMarked",
    "ReflectionRecorded",
    "RoleAssigned",
    "SegmentChanged",
    "SegmentRestarted",
    "SessionEnded",
    "SessionStarted",
    "TimeAdjusted",
    "TimerPaused",
    "TimerStarted",
    "VenueSet",
    "WriterNamed",
    "event_from_record",
    "event_id",
    "format_instant",
    "parse_instant",
    "with_envelope",
]
