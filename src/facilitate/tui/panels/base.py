"""The base of the observation side panels (lifecycle, Mobius Model, checklist).

A panel reads the session's state and never writes it: what the observer marks
is posted as an :class:`ObservationPanel.Observed` message carrying a command
intent, and the screen that owns the session decides and records it, so it is
in the journal the moment it is marked and comes back on resume. Panels never
poll or run timers: the screen sets ``revision`` (one more per event) and the
panel redraws when what it shows has changed.

While a panel has the keyboard the run screen lets only its own ``l``, ``m``,
``c``, ``?`` and escape through; every other key is the panel's, or does nothing
(never the timer, never a note). ``enter`` or ``x`` acts on the highlighted row.
The hint at the foot says which key gives the panel the keyboard while it has
not, and what its keys do once it has. Lifecycle and Mobius marks are kept per
segment and group: a panel shows those of the group the scribe picked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from facilitate.commands import Intent
from facilitate.live import LiveSession
from facilitate.reference import ReferenceModel
from facilitate.state import Observation
from facilitate.tui.keys import Key
from facilitate.tui.messages import Intended
from facilitate.tui.widgets.state_view import StateView

_UNDRAWN = object()


# The list's movement keys, taken by the panel in key order (see ``on_key``).
LIST_MOVES = {
    "down": "cursor_down",
    "up": "cursor_up",
    "home": "first",
    "end": "last",
    "pagedown": "page_down",
    "pageup": "page_up",
}


@dataclass(frozen=True)
class Row:
    """One line (or wrapped block) of a panel; ``key`` says what enter acts on."""

    key: str
    prompt: RenderableType
    enabled: bool = True
    divider: bool = False


def gutter(marker: Text, body: RenderableType, width: int, indent: int = 0) -> Table:
    """A fixed marker column and a body that wraps under itself, not under the marker."""
    grid = Table.grid(padding=0, expand=True)
    if indent:
        grid.add_column(width=indent, no_wrap=True)
    grid.add_column(width=width, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(*([Text("")] if indent else []), marker, body)
    return grid


def split(left: Text, right: Text) -> Table:
    """Text on the left, a short value pinned to the right edge."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(ratio=1)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_row(left, right)
    return grid


class ObservationPanel(StateView):
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
    OPEN_KEY: ClassVar[str] = ""  # the run screen's key that opens and closes this panel
    NAME: ClassVar[str] = ""  # the panel's name, on its folded line
    AWAY_HINT: ClassVar[str] = ""  # what works without the keyboard
    PER_GROUP: ClassVar[bool] = True  # marks kept per group (the checklist is per segment)
    KEYS: ClassVar[tuple[Key, ...]]  # each panel's own (and, while it is open, in the palette)
    """The panel's keys. They are shown in the footer as bindings, but taken in the
    panel's own key order (``on_key``): a binding is looked up against the focus of the
    moment it is handled, so "B" then "c" typed fast would lose the B once c had moved
    the keyboard to another panel."""
    BINDINGS: ClassVar[list[BindingType]] = []

    shown: reactive[object] = reactive(None, init=False)
    """What the panel shows (computed): when it has not changed, nothing is redrawn."""

    @dataclass
    class Observed(Intended):
        """The observer marked something; the screen decides and records it."""

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
        self._composed = False
        self.prepare()

    def compose(self) -> ComposeResult:
        yield Static("", classes="panel-title", markup=False)
        yield OptionList(markup=False)
        yield Static("", classes="panel-detail", markup=False)
        yield Static(self.KEYS_HINT, classes="panel-keys", markup=False)

    def on_mount(self) -> None:
        self._composed = True
        self.redraw()
        # Rows are Rich text coloured from the theme when drawn: draw them again with a new one.
        self.app.theme_changed_signal.subscribe(self, lambda theme: self.redraw())
        self._show_hint(False)

    async def on_key(self, event: events.Key) -> None:
        for key in self.KEYS:
            if event.key in key.keys.split(","):
                event.stop()
                event.prevent_default()
                await self.run_action(key.action)
                return
        if event.key == "enter":  # the list's own enter, here in key order too
            event.stop()
            event.prevent_default()
            self.action_activate()
            return
        move = LIST_MOVES.get(event.key)
        if move is not None:
            # Moved here, in the order the keys came: as a binding the move would wait for
            # the app, and an enter typed just after it would act on the row before.
            event.stop()
            event.prevent_default()
            getattr(self.option_list, f"action_{move}")()

    def on_descendant_focus(self) -> None:
        self._show_hint(True)

    def on_descendant_blur(self) -> None:
        self._show_hint(False)

    def _show_hint(self, focused: bool) -> None:
        if focused:
            hint = f"{self.KEYS_HINT}\nesc back · {self.OPEN_KEY} closes"
        else:
            hint = f"{self.OPEN_KEY}: use this panel" + (
                f" · {self.AWAY_HINT}" if self.AWAY_HINT else ""
            )
        self.query_one(".panel-keys", Static).update(hint)

    def compute_shown(self) -> object:
        return (self.signature(), self.group) if self._composed else _UNDRAWN

    def seen(self) -> Observation:
        """What has been marked in the current segment for the group shown."""
        return self.live.state.panels.seen(self.live.state.current, self.group)

    def who(self) -> str:
        """Whose marks the panel shows: " · Group 2", " · whole room"."""
        if not self.PER_GROUP:
            return ""
        return f" · {self.group or 'whole room'}"

    def summary(self) -> str:
        """The panel on one line, its name and key first so a cut line still says how to
        open it: "Lifecycle (l): Preparation to Fulfilment · whole room · no stage marked"."""
        parts = [self.short_title(), self.who().removeprefix(" · "), self.state_line()]
        return f"{self.NAME} ({self.OPEN_KEY}): " + " · ".join(p for p in parts if p)

    def watch_shown(self) -> None:
        self.redraw()

    def focus_target(self) -> Widget:
        return self.query_one(OptionList)

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

    def short_title(self) -> str:
        """The title without the panel's name (the folded line names the panel first)."""
        return ""

    def state_line(self) -> str:
        """What has been marked, in a few words (the folded line)."""
        return ""

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

    def redraw(self) -> None:
        """Draw from the session's state (called when what it shows has changed)."""
        if not self._composed:
            return
        self.query_one(".panel-title", Static).update(self.title() + self.who())
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

    def ask(self, intent: Intent) -> None:
        """Ask the screen to record ``intent``; the panel redraws when the state has it."""
        self.post_message(self.Observed(intent))
