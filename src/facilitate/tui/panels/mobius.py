"""The Mobius Model: six qualities (present, developing, missing) and tallies of monologue
(blame, praise, worry, claim) against dialogue."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import BindingType

from facilitate.commands import ClearQuality, CycleQuality, Tally
from facilitate.reference import mobius_model
from facilitate.tui.keys import MOBIUS, bindings
from facilitate.tui.panels.base import ObservationPanel, Row, split
from facilitate.tui.styles import rich_style

QUALITY_STYLES = {
    "present": "bold $success",
    "developing": "bold $warning",
    "missing": "bold $error",
}
TALLY_KEYS = {"blame": "B", "praise": "P", "worry": "W", "claim": "C", "dialogue": "D"}


class MobiusPanel(ObservationPanel):
    """The six qualities (present, developing, missing) and tallies of monologue and dialogue."""

    KEYS = MOBIUS
    BINDINGS: ClassVar[list[BindingType]] = bindings(MOBIUS)  # shown in the footer
    KEYS_HINT = "enter/x cycle or +1 · ⌫ undo\nB P W C D: +1 blame…dialogue"
    OPEN_KEY = "m"
    NAME = "Mobius"
    AWAY_HINT = "B P W C D tally from the notes too"

    def prepare(self) -> None:
        self.model = mobius_model(self.models)

    def tallies(self) -> list[tuple[str, str, str]]:
        """(tally name, label, meaning) for each monologue, then dialogue."""
        if self.model is None:
            return []
        found = [(m.tally, m.name, m.meaning) for m in self.model.monologues]
        return [*found, ("dialogue", "Dialogue", self.model.dialogue)]

    def signature(self) -> object:
        seen = self.seen()
        current = self.live.state.current
        return current, tuple(sorted(seen.qualities.items())), tuple(sorted(seen.tallies.items()))

    def title(self) -> str:
        return self.model.title if self.model else "Mobius Model"

    def state_line(self) -> str:
        seen = self.seen()
        marked = sum(1 for state in seen.qualities.values() if state)
        tallied = sum(seen.tallies.values())
        return f"{marked} qualit{'ies' if marked != 1 else 'y'} marked · {tallied} tallied"

    def rows(self) -> list[Row]:
        if self.model is None:
            return [Row("none", Text("No Mobius model is loaded.", style="italic"), False)]
        seen = self.seen()
        rows = []
        for qi, quality in enumerate(self.model.qualities):
            state = seen.qualities.get(quality.name)
            value = Text(state or "—", style=rich_style(QUALITY_STYLES.get(state or "", "dim")))
            rows.append(Row(f"quality:{qi}", split(Text(quality.name), value)))
        if rows:
            rows[-1] = Row(rows[-1].key, rows[-1].prompt, divider=True)
        for name, label, _ in self.tallies():
            count = seen.tallies.get(name, 0)
            left = Text(label)
            left.append(f" ({TALLY_KEYS.get(name, '?')})", style="dim")
            right = Text(str(count), style="bold" if count else "dim")
            rows.append(Row(f"tally:{name}", split(left, right)))
        return rows

    def detail(self, key: str | None) -> str:
        if self.model is None or key is None:
            return ""
        kind, _, which = key.partition(":")
        if kind == "quality":
            return self.model.qualities[int(which)].meaning
        for name, _, meaning in self.tallies():
            if name == which:
                return meaning
        return ""

    def activate(self, key: str) -> None:
        kind, _, which = key.partition(":")
        if kind == "quality" and self.model is not None:
            self.ask(CycleQuality(self.model.qualities[int(which)].name, self.group))
        elif kind == "tally":
            self.action_tally(which)

    def retract(self, key: str) -> None:
        kind, _, which = key.partition(":")
        if kind == "quality" and self.model is not None:
            self.ask(ClearQuality(self.model.qualities[int(which)].name, self.group))
        elif kind == "tally":
            self.ask(Tally(which, -1, self.group))

    def action_tally(self, name: str) -> None:
        """One more of ``name``; the row is highlighted so backspace takes it back."""
        if name not in {n for n, _, _ in self.tallies()}:
            return
        self.ask(Tally(name, 1, self.group))
        self.move_to(f"tally:{name}")
