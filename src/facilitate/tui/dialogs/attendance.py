"""Who was there: tick people present, note apologies and facilitators, the venue and the
next meeting. Reached from the command palette during the day and from review.

The dialog only edits a copy (:class:`~facilitate.commands.AttendanceForm`); the
screen that owns the session turns it into intents
(:func:`~facilitate.commands.attendance_changes`) and records them, so a
cancelled dialog leaves nothing in the journal. People the agenda expects
(``[[participant]]``) are offered unticked.
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from facilitate.commands import AttendanceForm, PersonRow
from facilitate.tui.keys import ATTENDANCE, bindings
from facilitate.tui.widgets.row_table import Cell, RowTable

CYCLE: tuple[str | None, ...] = ("present", "apologies", "facilitator", None)
SHOWN = {"present": "✓ present", "apologies": "apologies", "facilitator": "facilitator"}


class AttendanceScreen(ModalScreen[AttendanceForm | None]):
    """The day's people and details; ctrl+s saves, escape cancels."""

    BINDINGS = bindings(ATTENDANCE)
    DEFAULT_CSS = """
    AttendanceScreen { align: center middle; background: $background 60%; }
    AttendanceScreen > Vertical {
        width: 100; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    AttendanceScreen .title { text-style: bold; }
    AttendanceScreen Horizontal { height: 1; margin-top: 1; }
    AttendanceScreen .field { width: 14; }
    AttendanceScreen Input { width: 1fr; }
    AttendanceScreen #next-date { width: 14; }
    AttendanceScreen #next-time { width: 8; }
    AttendanceScreen .at { width: 4; padding: 0 1; }
    AttendanceScreen #people { height: auto; max-height: 12; min-height: 3; margin-top: 1; }
    AttendanceScreen .hint { color: $text-muted; }
    AttendanceScreen #person Input { width: 1fr; }
    """

    def __init__(self, form: AttendanceForm, title: str = "") -> None:
        super().__init__()
        self.form = form
        self.rows = list(form.people)
        self.title_text = title
        self.editing: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"Who was there: {self.title_text}".rstrip(": ")), classes="title")
            with Horizontal():
                yield Label("Venue", classes="field")
                yield Input(self.form.venue, placeholder="where the day was held",
                            id="venue", compact=True)  # fmt: skip
            with Horizontal():
                yield Label("Next meeting", classes="field")
                yield Input(self.form.next_date, placeholder="14/12/2026",
                            id="next-date", compact=True)  # fmt: skip
                yield Label("at", classes="at")
                yield Input(self.form.next_time, placeholder="10:00",
                            id="next-time", compact=True)  # fmt: skip
            yield RowTable(
                [("", 12), ("Name", None), ("Organisation", 22), ("Role in the day", 20)],
                empty="Nobody yet: type a name below.",
                id="people",
            )
            yield Static(
                "space: present → apologies → facilitator → not there · enter edits",
                classes="hint",
            )
            with Horizontal(id="person"):
                # not selected on focus: a letter typed on the list is kept in it
                yield Input(placeholder="name", id="name", compact=True, select_on_focus=False)
                yield Input(placeholder="organisation", id="organisation", compact=True)
                yield Input(placeholder="role in the day", id="role", compact=True)
            yield Static(
                "enter in these adds the person (or saves the one being edited) · "
                "tab moves · ctrl+s saves all · escape cancels",
                classes="hint",
                id="keys",
            )

    def on_mount(self) -> None:
        self._fill()
        # Typing starts a person, even on a long list: shift+tab reaches the list.
        self.set_focus(self.query_one("#name"))  # at once: keys already typed follow it

    def on_key(self, event: events.Key) -> None:
        """A letter typed on the list starts a name (space changes attendance there)."""
        if not isinstance(self.focused, RowTable) or not event.is_printable:
            return
        if event.character is None or event.character == " ":
            return
        event.stop()
        event.prevent_default()
        name = self.query_one("#name", Input)
        self.set_focus(name)
        name.insert_text_at_cursor(event.character)

    # -- the list --

    def _fill(self, cursor: int | None = None) -> None:
        table = self.query_one("#people", RowTable)
        keys = [str(i) for i in range(len(self.rows))]
        table.set_rows(keys, self._row, cursor_key=None if cursor is None else str(cursor))

    def _row(self, key: str) -> list[Cell]:
        row = self.rows[int(key)]
        status = SHOWN.get(row.attendance or "", "· not there")
        style = "" if row.attendance else "dim"
        return [
            Text(status, style=style),
            Text(row.name, style=style),
            Text(row.organisation, style=style),
            Text(row.role, style=style),
        ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cycle":
            return isinstance(self.focused, RowTable) and bool(self.rows)
        return True

    def action_cycle(self, to: str = "") -> None:
        table = self.query_one("#people", RowTable)
        index = table.cursor
        row = self.rows[index]
        if to == "none":
            following = None
        else:
            at = CYCLE.index(row.attendance) if row.attendance in CYCLE else len(CYCLE) - 1
            following = CYCLE[(at + 1) % len(CYCLE)]
        self.rows[index] = replace(row, attendance=following)
        table.refresh_rows()

    @on(RowTable.Selected, "#people")
    def _edit(self, event: RowTable.Selected) -> None:
        if event.key is None:
            return
        self.editing = int(event.key)
        row = self.rows[self.editing]
        self.query_one("#name", Input).value = row.name
        self.query_one("#organisation", Input).value = row.organisation
        self.query_one("#role", Input).value = row.role
        self.set_focus(self.query_one("#name", Input))

    # -- adding and changing a person --

    @on(Input.Submitted, "#name, #organisation, #role")
    def _person_submitted(self) -> bool:
        """Add (or change) the person typed below; False when that cannot be done."""
        name = " ".join(self.query_one("#name", Input).value.split())
        if not name:
            self.notify("Type the person's name first.", severity="warning")
            return False
        organisation = self.query_one("#organisation", Input).value.strip()
        role = self.query_one("#role", Input).value.strip()
        # Two people may share a name: their organisations tell them apart.
        same = (name.casefold(), organisation.casefold())
        clash = [
            i
            for i, r in enumerate(self.rows)
            if (r.name.casefold(), r.organisation.casefold()) == same and i != self.editing
        ]
        if clash:
            who = f"{name} ({organisation})" if organisation else name
            self.notify(f"{who} is already on the list: enter on them edits, or give "
                        "another organisation.", severity="warning", markup=False)  # fmt: skip
            return False
        if self.editing is not None:
            old = self.rows[self.editing]
            self.rows[self.editing] = replace(
                old,
                name=name,
                organisation=organisation,
                role=role,
                attendance=old.attendance or "present",
            )
            at = self.editing
        else:
            self.rows.append(PersonRow(name, organisation, role, "present"))
            at = len(self.rows) - 1
        self.editing = None
        for field in ("#name", "#organisation", "#role"):
            self.query_one(field, Input).value = ""
        self._fill(at)
        self.set_focus(self.query_one("#name", Input))
        return True

    # -- leaving --

    def result(self) -> AttendanceForm:
        return AttendanceForm(
            venue=self.query_one("#venue", Input).value,
            next_date=self.query_one("#next-date", Input).value,
            next_time=self.query_one("#next-time", Input).value,
            people=tuple(self.rows),
        )

    def action_save(self) -> None:
        # A name typed and not yet added is added, not lost; one that clashes keeps the dialog.
        if self.query_one("#name", Input).value.strip() and not self._person_submitted():
            return
        self.dismiss(self.result())

    def action_cancel(self) -> None:
        self.dismiss(None)
