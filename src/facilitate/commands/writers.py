"""Naming the writer: a browser scribe says who they are, once, when the view opens."""

from __future__ import annotations

from dataclasses import dataclass

from facilitate.commands.base import Outcome, Refusal, World
from facilitate.events import WriterNamed

MAX_NAME = 60


@dataclass(frozen=True)
class NameWriter:
    """The name the minutes show beside this writer's notes."""

    name: str

    def decide(self, world: World) -> Outcome:
        name = " ".join(self.name.split())
        if not name:
            return Refusal("Type your name: the minutes show it beside your notes.")
        if len(name) > MAX_NAME:
            return Refusal(f"A name of at most {MAX_NAME} characters, please.")
        return WriterNamed(at=world.now, name=name)
