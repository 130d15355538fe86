"""Observation side panels: a partnership lifecycle, the Mobius Model, the segment's checklist.

A panel reads ``live.state`` and changes it only by recording an event, so what
the observer marks is in the journal the moment it is marked and comes back on
resume. Panels never poll or run timers: the run screen calls
:meth:`ObservationPanel.refresh_from_state` after any state change.

Keys are chosen not to shadow the run screen's while a panel has focus: no
space (the timer), no digits (the group picker), no lower-case letters the run
screen uses. ``enter`` or ``x`` acts on the highlighted row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from facilitate.events import (
    QUALITY_STATES,
    ChecklistTicked,
    Event,
    LifecycleStageMarked,
    LifecycleTraitTicked,
    MonologueTallied,
    QualityMarked,
)
from facilitate.live import LiveSession
from facilitate.reference import ReferenceModel, lifecycle_models, mobius_model

QUALITY_STYLES = {"present": "bold green", "developing": "bold yellow", "missing": "bold red"}
_UNDRAWN = object()
TALLY_KEYS = {"blame": "B", "praise": "P", "worry": "W", "claim": "C", "dialogue": "D"}


@dataclass(frozen=True)
class Row:
    """One line (or wrapped block) of a panel; ``key`` says what enter acts on."""

    key: str
    prompt: RenderableType
    enabled: bool = True
    divider: bool = False


def _gutter(marker: Text, body: RenderableType, width: int, indent: int = 0) -> Table:
    """A fixed marker column and a body that wraps under itself, not under the marker."""
    grid = Table.grid(padding=0, expand=True)
    if indent:
        grid.add_column(width=indent, no_wrap=True)
    grid.add_column(width=width, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(*([Text("")] if indent else []), marker, body)
    return grid


def _split(left: Text, right: Text) -> Table:
    """Text on the left, a short value pinned to the right edge."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(ratio=1)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_row(left, right)
    return grid


class ObservationPanel(Vertical):
    """A title, a list the observer moves over, a detail line and the panel's keys."""

    DEFAULT_CSS = """
    ObservationPanel {
        height: 1fr;
        width: 1fr;
        min-width: 28;
    }
    ObservationPanel > .panel-title {
        height: auto;
        padding: 0 1;
        text-style: bold;
        background: $boost;
    }
    ObservationPanel:focus-within > .panel-title {
        background: $primary-muted;
    }
    ObservationPanel > OptionList {
        height: 1fr;
        max-height: 100%;
        border: none;
        padding: 0;
        scrollbar-size-vertical: 1;
    }
    ObservationPanel > OptionList:focus {
        border: none;
    }
    ObservationPanel > OptionList > .option-list--option {
        padding: 0 1;
    }
    ObservationPanel > .panel-detail {
        height: auto;
        max-height: 35%;
        padding: 0 1;
        color: $text-muted;
    }
    ObservationPanel > .panel-keys {
        height: auto;
        padding: 0 1;
        color: $text-muted;
        background: $boost;
    }
    """

    KEYS_HINT: ClassVar[str] = ""
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back_to_notes", "Back to notes")]

    class Recorded(Message):
        """The panel journaled an event; ``durable`` is False while it waits to be saved."""

        def __init__(self, panel: ObservationPanel, event: Event, durable: bool) -> None:
            super().__init__()
            self.panel = panel
            self.event = event
            self.durable = durable

        @property
        def control(self) -> ObservationPanel:
            return self.panel

    def __init__(
        self,
        live: LiveSession,
        models: Sequence[ReferenceModel],
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.live = live
        self.models = list(models)
        self._shown: object = _UNDRAWN
        self._composed = False
        self.prepare()

    def compose(self) -> ComposeResult:
        yield Static("", classes="panel-title", markup=False)
        yield OptionList(markup=False)
        yield Static("", classes="panel-detail", markup=False)
        yield Static(self.KEYS_HINT, classes="panel-keys", markup=False)

    def on_mount(self) -> None:
        self._composed = True
        self.refresh_from_state()

    def focus(self, scroll_visible: bool = True) -> ObservationPanel:
        """Focus goes to the list, so the panel's keys work at once."""
        self.query_one(OptionList).focus(scroll_visible)
        return self

    @property
    def option_list(self) -> OptionList:
        return self.query_one(OptionList)

    @property
    def highlighted_key(self) -> str | None:
        option = self.option_list.highlighted_option
        return option.id if option is not None and not option.disabled else None

    # -- what each panel provides --

    def prepare(self) -> None:
        """Pick what to show from ``models`` (called once, at construction)."""

    def signature(self) -> object:
        """Everything the panel shows; when it has not changed, nothing is redrawn."""
        raise NotImplementedError

    def title(self) -> str:
        raise NotImplementedError

    def rows(self) -> list[Row]:
        raise NotImplementedError

    def detail(self, key: str | None) -> str:
        """The line under the list, for the highlighted row."""
        return ""

    def activate(self, key: str) -> None:
        """Enter or ``x`` on a row."""

    def retract(self, key: str) -> None:
        """Backspace on a row."""

    # -- drawing --

    def action_back_to_notes(self) -> None:
        """Escape hands the keyboard back to the notes log; the panel stays open."""
        for log in self.screen.query("#log"):
            log.focus()

    def refresh_from_state(self) -> None:
        """Redraw from ``live.state``; cheap when nothing the panel shows has changed."""
        if not self._composed:
            return
        shown = self.signature()
        if shown == self._shown:
            return
        self._shown = shown
        self.query_one(".panel-title", Static).update(self.title())
        self._set_rows(self.rows())
        self._update_detail()

    def _set_rows(self, rows: list[Row]) -> None:
        options = self.option_list
        keys = [row.key for row in rows]
        if [option.id for option in options.options] == keys:
            for index, row in enumerate(rows):
                options.replace_option_prompt_at_index(index, row.prompt)
            return
        before = self.highlighted_key
        built: list[Option | None] = []
        for row in rows:
            built.append(Option(row.prompt, id=row.key, disabled=not row.enabled))
            if row.divider:
                built.append(None)
        options.set_options(built)
        enabled = [i for i, row in enumerate(rows) if row.enabled]
        if before in keys and rows[keys.index(before)].enabled:
            options.highlighted = keys.index(before)
        elif enabled:
            options.highlighted = enabled[0]

    def _update_detail(self) -> None:
        text = self.detail(self.highlighted_key)
        detail = self.query_one(".panel-detail", Static)
        detail.update(text)
        detail.display = bool(text)

    def move_to(self, key: str) -> None:
        ids = [option.id for option in self.option_list.options]
        if key in ids:
            self.option_list.highlighted = ids.index(key)

    # -- keys and mouse --

    @on(OptionList.OptionSelected)
    def _selected(self, message: OptionList.OptionSelected) -> None:
        message.stop()
        if message.option_id:
            self.activate(message.option_id)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, message: OptionList.OptionHighlighted) -> None:
        message.stop()
        self._update_detail()

    def action_activate(self) -> None:
        if (key := self.highlighted_key) is not None:
            self.activate(key)

    def action_retract(self) -> None:
        if (key := self.highlighted_key) is not None:
            self.retract(key)

    def record(self, event: Event) -> bool:
        """Journal one event and redraw; a read-only view says so instead."""
        if self.live.read_only:
            self.notify("This view follows the session read-only.", severity="warning")
            return False
        durable = self.live.record(event)
        self.post_message(self.Recorded(self, event, durable))
        self.refresh_from_state()
        return durable


class LifecyclePanel(ObservationPanel):
    """One lifecycle model at a time: mark the stage the partnership is in, tick what is seen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "activate", "Mark/tick"),
        Binding("v", "next_model", "Next model"),
    ]
    KEYS_HINT = "↑↓ move · enter/x mark stage or tick · v next model"

    def prepare(self) -> None:
        self.lifecycles = lifecycle_models(self.models)
        marked = self.live.state.panels.lifecycle_stage
        # On resume, open the model the observer was using.
        self.index = next((i for i, m in enumerate(self.lifecycles) if m.id in marked), 0)

    @property
    def model(self) -> ReferenceModel | None:
        return self.lifecycles[self.index] if self.lifecycles else None

    def signature(self) -> object:
        model = self.model
        if model is None:
            return None
        panels = self.live.state.panels
        traits = frozenset(panels.lifecycle_traits.get(model.id, ()))
        return model.id, panels.lifecycle_stage.get(model.id), traits

    def title(self) -> str:
        model = self.model
        if model is None:
            return "Lifecycle"
        return f"Lifecycle {self.index + 1}/{len(self.lifecycles)}: {model.title}"

    def rows(self) -> list[Row]:
        model = self.model
        if model is None:
            return [Row("none", Text("No lifecycle models are loaded.", style="italic"), False)]
        panels = self.live.state.panels
        current = panels.lifecycle_stage.get(model.id)
        ticked = panels.lifecycle_traits.get(model.id, set())
        rows = []
        if model.summary:
            rows.append(Row(f"{model.id}:summary", Text(model.summary, style="italic"), False))
        for si, stage in enumerate(model.stages):
            is_current = stage.name == current
            body = Text.assemble((stage.name, "bold green" if is_current else "bold"))
            if is_current:
                body.append("  ◀ now", style="green")
            if stage.summary:
                body.append("\n" + stage.summary, style="dim")
            marker = Text("▶" if is_current else "•", style="bold green" if is_current else "dim")
            rows.append(Row(f"{model.id}:stage:{si}", _gutter(marker, body, 2)))
            for ti, trait in enumerate(stage.traits):
                seen = (stage.name, trait) in ticked
                box = Text("[x]" if seen else "[ ]", style="green" if seen else "dim")
                rows.append(Row(f"{model.id}:trait:{si}:{ti}", _gutter(box, Text(trait), 4, 2)))
        return rows

    def detail(self, key: str | None) -> str:
        model = self.model
        if model is None:
            return ""
        current = self.live.state.panels.lifecycle_stage.get(model.id)
        if current is None:
            return "No stage marked yet: enter on a stage marks it."
        seen = len(self.live.state.panels.lifecycle_traits.get(model.id, ()))
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
            already = self.live.state.panels.lifecycle_stage.get(model.id) == stage.name
            self.record(
                LifecycleStageMarked(
                    at=self.live.now(),
                    model=model.id,
                    stage=None if already else stage.name,
                    segment=self.live.state.current,
                )
            )
        else:
            trait = stage.traits[indices[1]]
            seen = (stage.name, trait) in self.live.state.panels.lifecycle_traits.get(model.id, ())
            self.record(
                LifecycleTraitTicked(
                    at=self.live.now(),
                    model=model.id,
                    stage=stage.name,
                    trait=trait,
                    checked=not seen,
                )
            )

    def action_next_model(self) -> None:
        if len(self.lifecycles) > 1:
            self.index = (self.index + 1) % len(self.lifecycles)
            self.refresh_from_state()


class MobiusPanel(ObservationPanel):
    """The six qualities (present, developing, missing) and tallies of monologue and dialogue."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "activate", "Cycle/add"),
        Binding("backspace", "retract", "Undo"),
        Binding("B,shift+b", "tally('blame')", "Blame"),
        Binding("P,shift+p", "tally('praise')", "Praise"),
        Binding("W,shift+w", "tally('worry')", "Worry"),
        Binding("C,shift+c", "tally('claim')", "Claim"),
        Binding("D,shift+d", "tally('dialogue')", "Dialogue"),
    ]
    KEYS_HINT = "enter/x cycle or +1 · ⌫ undo\nB P W C D: +1 blame…dialogue"

    def prepare(self) -> None:
        self.model = mobius_model(self.models)

    def tallies(self) -> list[tuple[str, str, str]]:
        """(tally name, label, meaning) for each monologue, then dialogue."""
        if self.model is None:
            return []
        found = [(m.tally, m.name, m.meaning) for m in self.model.monologues]
        return [*found, ("dialogue", "Dialogue", self.model.dialogue)]

    def signature(self) -> object:
        panels = self.live.state.panels
        return tuple(sorted(panels.qualities.items())), tuple(sorted(panels.tallies.items()))

    def title(self) -> str:
        return self.model.title if self.model else "Mobius Model"

    def rows(self) -> list[Row]:
        if self.model is None:
            return [Row("none", Text("No Mobius model is loaded.", style="italic"), False)]
        panels = self.live.state.panels
        rows = []
        for qi, quality in enumerate(self.model.qualities):
            state = panels.qualities.get(quality.name)
            value = Text(state or "—", style=QUALITY_STYLES.get(state or "", "dim"))
            rows.append(Row(f"quality:{qi}", _split(Text(quality.name), value)))
        if rows:
            rows[-1] = Row(rows[-1].key, rows[-1].prompt, divider=True)
        for name, label, _ in self.tallies():
            count = panels.tallies.get(name, 0)
            left = Text(label)
            left.append(f" ({TALLY_KEYS.get(name, '?')})", style="dim")
            right = Text(str(count), style="bold" if count else "dim")
            rows.append(Row(f"tally:{name}", _split(left, right)))
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
            quality = self.model.qualities[int(which)].name
            cycle: list[str | None] = [None, *QUALITY_STATES]
            state = self.live.state.panels.qualities.get(quality)
            following = cycle[(cycle.index(state) + 1) % len(cycle)] if state in cycle else None
            self.record(QualityMarked(at=self.live.now(), quality=quality, state=following))
        elif kind == "tally":
            self.action_tally(which)

    def retract(self, key: str) -> None:
        kind, _, which = key.partition(":")
        panels = self.live.state.panels
        if kind == "quality" and self.model is not None:
            quality = self.model.qualities[int(which)].name
            if quality in panels.qualities:
                self.record(QualityMarked(at=self.live.now(), quality=quality, state=None))
        elif kind == "tally" and panels.tallies.get(which, 0) > 0:
            self.record(MonologueTallied(at=self.live.now(), name=which, delta=-1))

    def action_tally(self, name: str) -> None:
        """One more of ``name``; the row is highlighted so backspace takes it back."""
        if name not in {n for n, _, _ in self.tallies()}:
            return
        self.record(MonologueTallied(at=self.live.now(), name=name, delta=1))
        self.move_to(f"tally:{name}")


class ChecklistPanel(ObservationPanel):
    """The current segment's checklist, ticked off as the facilitator covers each point."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("x", "activate", "Tick")]
    KEYS_HINT = "↑↓ move · enter/x tick or untick"

    def segment_items(self) -> tuple[int, str, tuple[str, ...]]:
        segment = self.live.agenda.segments[self.live.state.current]
        return segment.index, segment.title, segment.checklist

    def signature(self) -> object:
        index, _, items = self.segment_items()
        ticked = frozenset(self.live.state.panels.checklists.get(index, ()))
        return index, items, ticked

    def title(self) -> str:
        return f"Checklist: {self.segment_items()[1]}"

    def rows(self) -> list[Row]:
        index, _, items = self.segment_items()
        if not items:
            text = Text("No checklist for this segment.\n", style="italic")
            text.append(
                'Add checklist = ["...", "..."] to the segment in the agenda file '
                "to tick points off here.",
                style="dim",
            )
            return [Row(f"{index}:none", text, False)]
        ticked = self.live.state.panels.checklists.get(index, set())
        rows = []
        for item, label in enumerate(items):
            done = item in ticked
            box = Text("[x]" if done else "[ ]", style="green" if done else "dim")
            rows.append(Row(f"{index}:item:{item}", _gutter(box, Text(label), 4)))
        return rows

    def detail(self, key: str | None) -> str:
        index, _, items = self.segment_items()
        if not items:
            return ""
        done = len(self.live.state.panels.checklists.get(index, ()))
        return f"{done} of {len(items)} done"

    def activate(self, key: str) -> None:
        parts = key.split(":")
        if len(parts) != 3 or parts[1] != "item":
            return
        index, item = int(parts[0]), int(parts[2])
        checked = item not in self.live.state.panels.checklists.get(index, ())
        self.record(ChecklistTicked(at=self.live.now(), segment=index, item=item, checked=checked))


PANELS: dict[str, type[ObservationPanel]] = {
    "lifecycle": LifecyclePanel,
    "mobius": MobiusPanel,
    "checklist": ChecklistPanel,
}
