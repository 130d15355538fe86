"""Agendas: frozen dataclasses, TOML loading, and validation with file:line:col."""

from __future__ import annotations

from facilitate.agenda.load import load_agenda, parse_agenda, read_agenda_text
from facilitate.agenda.model import (
    AGENDA_KEYS,
    DEFAULT_WARNING_S,
    KINDS,
    LIST_KEYS,
    MODE_LABELS,
    MODES,
    PANELS,
    PARTICIPANT_KEYS,
    SEGMENT_KEYS,
    TOP_LEVEL_KEYS,
    Agenda,
    AgendaError,
    Participant,
    Segment,
    format_duration,
    parse_clock,
    parse_duration,
    slugify,
)
from facilitate.tomlcheck import Problem, did_you_mean

__all__ = [
    "AGENDA_KEYS",
    "DEFAULT_WARNING_S",
    "KINDS",
    "LIST_KEYS",
    "MODES",
    "MODE_LABELS",
    "PANELS",
    "PARTICIPANT_KEYS",
    "SEGMENT_KEYS",
    "TOP_LEVEL_KEYS",
    "Agenda",
    "AgendaError",
    "Participant",
    "Problem",
    "Segment",
    "did_you_mean",
    "format_duration",
    "load_agenda",
    "parse_agenda",
    "parse_clock",
    "parse_duration",
    "read_agenda_text",
    "slugify",
]
