"""Put participants' names to roles: for the day, or, when the segment runs in groups,
group by group (Activity 5 has three groups of five roles)."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label

from facilitate.tui.dialogs.fields import FORM_KEYS, DialogInput, FormScreen
from facilitate.tui.keys import CANCEL, bindings

Assigned = dict[tuple[str | None, str], str]
"""Names by (group, role); group None: for the whole day."""


class RolesScreen(FormScreen[Assigned | None]):
    """One name per role, per group when there are groups; ctrl+s, or enter on the last
    name, saves; escape cancels."""

    BINDINGS = [*bindings(CANCEL), *FORM_KEYS]

    def __init__(
        self,
        roles: list[str],
        groups: list[str],
        assigned: Assigned,
        current_group: str | None = None,
    ) -> None:
        super().__init__(classes="dialog")
        self.roles, self.assigned = roles, assigned
        self.groups: list[str | None] = list(groups) or [None]
        self.start = self.groups.index(current_group) if current_group in self.groups else 0

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label("Who plays each role?", classes="dialog-question")
            with VerticalScroll(id="role-fields"):
                for gi, group in enumerate(self.groups):
                    if group is not None:
                        yield Label(f"[b]{escape(group)}[/b]", classes="role-group")
                    for ri, role in enumerate(self.roles):
                        yield Label(escape(role))
                        last = (gi, ri) == (len(self.groups) - 1, len(self.roles) - 1)
                        yield DialogInput(
                            self.assigned.get((group, role), ""),
                            placeholder="participant's name",
                            id=self.field_id(gi, ri),
                            last=last,
                        )
            yield Label("[dim]tab or enter moves · enter on the last (or ctrl+s) saves · "
                        "escape cancels[/]")  # fmt: skip

    @staticmethod
    def field_id(group: int, role: int) -> str:
        return f"role-{group}-{role}"

    def on_mount(self) -> None:
        self.set_focus(self.query_one(f"#{self.field_id(self.start, 0)}", Input))

    def action_save(self) -> None:
        names: Assigned = {}
        for gi, group in enumerate(self.groups):
            for ri, role in enumerate(self.roles):
                names[(group, role)] = self.query_one(f"#{self.field_id(gi, ri)}", Input).value
        self.dismiss({key: " ".join(name.split()) for key, name in names.items()})

    def action_cancel(self) -> None:
        self.dismiss(None)
