"""A partnership lifecycle: the stage the partnership is in, and the signs the observer sees."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.reactive import reactive

from facilitate.commands import MarkStage, TickTrait
from facilitate.reference import ReferenceModel, lifecycle_models
from facilitate.tui.keys import LIFECYCLE, bindings
from facilitate.tui.panels.base import ObservationPanel, Row, gutter
from facilitate.tui.styles import rich_style


class LifecyclePanel(ObservationPanel):
    """One lifecycle model at a time: mark the stage the partnership is in, tick what is seen."""

    KEYS = LIFECYCLE
    BINDINGS: ClassVar[list[BindingType]] = bindings(LIFECYCLE)  # shown in the footer
    KEYS_HINT = "↑↓ move · enter/x mark stage or tick · v next model"
    OPEN_KEY = "l"
    NAME = "Lifecycle"

    index: reactive[int] = reactive(0, init=False)

    def prepare(self) -> None:
        self.lifecycles = lifecycle_models(self.models)
        observations = self.live.state.panels.observations.values()
        marked = {model for seen in observations for model in seen.lifecycle_stage}
        # On resume, open the model the observer was using.
        self.set_reactive(
            LifecyclePanel.index,
            next((i for i, m in enumerate(self.lifecycles) if m.id in marked), 0),
        )

    @property
    def model(self) -> ReferenceModel | None:
        return self.lifecycles[self.index] if self.lifecycles else None

    def signature(self) -> object:
        model = self.model
        if model is None:
            return None
        seen = self.seen()
        traits = frozenset(seen.lifecycle_traits.get(model.id, ()))
        return self.live.state.current, model.id, seen.lifecycle_stage.get(model.id), traits

    def title(self) -> str:
        model = self.model
        if model is None:
            return "Lifecycle"
        return f"Lifecycle {self.index + 1}/{len(self.lifecycles)}: {model.title}"

    def short_title(self) -> str:
        return self.model.title if self.model is not None else ""

    def state_line(self) -> str:
        model = self.model
        if model is None:
            return "no models loaded"
        current = self.seen().lifecycle_stage.get(model.id)
        return f"now: {current}" if current else "no stage marked"

    def rows(self) -> list[Row]:
        model = self.model
        if model is None:
            return [Row("none", Text("No lifecycle models are loaded.", style="italic"), False)]
        seen = self.seen()
        current = seen.lifecycle_stage.get(model.id)
        ticked = seen.lifecycle_traits.get(model.id, set())
        rows = []
        if model.summary:
            rows.append(Row(f"{model.id}:summary", Text(model.summary, style="italic"), False))
        for si, stage in enumerate(model.stages):
            is_current = stage.name == current
            body = Text(stage.name, style=rich_style("bold $success") if is_current else "bold")
            if is_current:
                body.append("  ◀ now", style=rich_style("$success"))
            if stage.summary:
                body.append("\n" + stage.summary, style="dim")
            marker = Text(
                "▶" if is_current else "•",
                style=rich_style("bold $success") if is_current else "dim",
            )
            rows.append(Row(f"{model.id}:stage:{si}", gutter(marker, body, 2)))
            for ti, trait in enumerate(stage.traits):
                spotted = (stage.name, trait) in ticked
                box = Text(
                    "[x]" if spotted else "[ ]", style=rich_style("$success") if spotted else "dim"
                )
                rows.append(Row(f"{model.id}:trait:{si}:{ti}", gutter(box, Text(trait), 4, 2)))
        return rows

    def detail(self, key: str | None) -> str:
        model = self.model
        if model is None:
            return ""
        marks = self.seen()
        current = marks.lifecycle_stage.get(model.id)
        if current is None:
            return "No stage marked yet: enter on a stage marks it."
        seen = len(marks.lifecycle_traits.get(model.id, ()))
        return f"Now: {current} · {seen} sign{'s' if seen != 1 else ''} ticked"

    def activate(self, key: str) -> None:
        model = self.model
        if model is None:
            return
        kind, _, where = key.removeprefix(f"{model.id}:").partition(":")
        if kind not in ("stage", "trait") or not key.startswith(f"{model.id}:"):
            return
        indices = [int(i) for i in where.split(":")]
        stage = model.stages[indices[0]]
        if kind == "stage":
            self.ask(MarkStage(model.id, stage.name, self.group))
        else:
            self.ask(TickTrait(model.id, stage.name, stage.traits[indices[1]], self.group))

    def action_next_model(self) -> None:
        if len(self.lifecycles) > 1:
            self.index = (self.index + 1) % len(self.lifecycles)
