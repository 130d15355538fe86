"""Messages that cross rooms: a widget asks for an intent, the screen owning the session acts.

Rooms (``run``, ``panels``, ``review``) do not import each other, so a message
one room sends and another handles is declared here. Each widget nests its own
subclass (``ObservationPanel.Observed``) so handlers can tell senders apart,
while a screen can take them all with ``@on(Intended)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from facilitate.commands import Intent


@dataclass
class Intended(Message):
    """Please do ``intent``: the screen that owns the session decides and records it."""

    intent: Intent
