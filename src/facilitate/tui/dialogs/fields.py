"""Text fields for dialogs, and the keys that move between them and save.

A dialog's keys act in key order with what is typed into its fields. Tab and enter
(to the next field) move the focus the moment they arrive, so "Asha<tab>Bo" typed in
one burst puts each name in its own field. The save key (ctrl+s, or enter in the last
field) is seen the moment it arrives too: from then on the app holds every key typed
after it (``tui/key_order.py``), so none of them is taken for this dialog's (an escape
typed behind the save must not cancel it, a tab must not move on). The save itself
waits in the focused field behind what was typed there, so it saves exactly what was
typed before it; then the dialog closes, and the held keys go, in the order they were
typed, to wherever the keyboard went (the note box). A field hands back keys that had
reached it before the save key and that it was too late to take.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from textual import events
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Input

from facilitate.tui.key_order import KeyOrderApp
from facilitate.tui.keys import Key, bindings

FORM_KEYS = bindings(
    Key("tab", "next_field", "Next field", show=False, priority=True),
    Key("shift+tab", "previous_field", "Previous field", show=False, priority=True),
    # Enter moves on at once; in the last field it saves (as ctrl+s does).
    Key("enter", "enter_field", "Next field", show=False, priority=True),
    Key("ctrl+s", "save_request", "Save", priority=True),
)


FORM_ACTIONS = ("next_field", "previous_field", "enter_field", "save_request")


class Form(Protocol):
    closing: bool

    def action_save(self) -> None: ...


ResultType = TypeVar("ResultType")


def request_save(screen: Screen[Any], form: Form) -> None:
    """The save key has arrived: hold the keys typed after it, and save once what was
    typed into the focused field before it is in."""
    if isinstance(screen.app, KeyOrderApp):
        screen.app.hold_keys()
    form.closing = True
    if isinstance(screen.focused, DialogInput):
        screen.focused.post_message(DialogInput.SaveHere())
    else:
        finish_save(screen, form)


def finish_save(screen: Screen[Any], form: Form) -> None:
    """Save; the keys held since the save key go on to wherever the keyboard is then (back
    in this form, if it stayed open to say why it could not save)."""
    try:
        form.action_save()
    finally:
        if screen is screen.app.screen:  # not saved (the form says why): it stays
            form.closing = False
            for field in screen.query(DialogInput):
                field.closing = False
        if isinstance(screen.app, KeyOrderApp):
            screen.app.release_keys()


class FormScreen(ModalScreen[ResultType]):
    """A dialog of text fields with :data:`FORM_KEYS`; subclasses give ``action_save``."""

    closing = False  # a save is under way: keys typed meanwhile are not this dialog's

    def action_save(self) -> None:
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (self.closing and action in FORM_ACTIONS)

    def action_enter_field(self) -> None:
        if isinstance(self.focused, DialogInput) and self.focused.last:
            self.action_save_request()
        else:
            self.focus_next()

    def action_next_field(self) -> None:
        self.focus_next()

    def action_previous_field(self) -> None:
        self.focus_previous()

    def action_save_request(self) -> None:
        request_save(self, self)


class DialogInput(Input):
    """A dialog's text field: saves in key order; keys typed after go on to the note box."""

    @dataclass
    class SaveHere(Message):
        """Save once what was typed into this field before the save key is in."""

    def __init__(
        self,
        value: str = "",
        *,
        placeholder: str = "",
        id: str | None = None,
        last: bool = False,
    ) -> None:
        super().__init__(value, placeholder=placeholder, id=id, select_on_focus=False)
        self.last = last

    closing = False

    def on_key(self, event: events.Key) -> None:
        if self.closing:
            # Routed here before the save key arrived, taken after it: not this form's.
            event.stop()
            event.prevent_default()
            self._pass_on(event)

    def on_dialog_input_save_here(self, message: SaveHere) -> None:
        message.stop()
        self.closing = True
        self.call_later(finish_save, self.screen, self.screen)  # behind the keys queued here

    def _pass_on(self, event: events.Key) -> None:
        """A key typed behind the save: it goes where the keyboard goes next."""
        if isinstance(self.app, KeyOrderApp):
            self.app.hand_back(event)
            return
        stack = self.app.screen_stack
        below = stack[stack.index(self.screen) - 1] if self.screen in stack else None
        if below is not None and below.focused is not None:
            below.focused.post_message(events.Key(event.key, event.character))
