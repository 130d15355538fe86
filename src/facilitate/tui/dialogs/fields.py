"""Text fields for dialogs, and the keys that move between them and save.

A dialog's keys act in key order with what is typed into its fields. Tab and enter
(to the next field) move the focus the moment they arrive, so "Asha<tab>Bo" typed in
one burst puts each name in its own field. Saving (ctrl+s in a field, or enter in the
last one) is taken by the field itself, in its own key order, so it saves exactly what
was typed before it, and the dialog closes there and then. Keys typed so fast that
they reach a field after its dialog has closed are passed on to wherever the keyboard
went (the note box), in the order they were typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, TypeVar

from textual import events
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input

from facilitate.tui.keys import Key, bindings

FORM_KEYS = bindings(
    Key("tab", "next_field", "Next field", show=False, priority=True),
    Key("shift+tab", "previous_field", "Previous field", show=False, priority=True),
    # Enter moves on at once, except in the last field: there the field saves, in its
    # own key order.
    Key("enter", "enter_field", "Next field", show=False, priority=True),
    # ctrl+s is seen the moment it arrives (so the keys typed after it are not taken for
    # this dialog's), and the save itself waits in the field behind what was typed there.
    Key("ctrl+s", "save_request", "Save", priority=True),
)


class Form(Protocol):
    closing: bool

    def action_save(self) -> None: ...


ResultType = TypeVar("ResultType")


class FormScreen(ModalScreen[ResultType]):
    """A dialog of text fields with :data:`FORM_KEYS`; subclasses give ``action_save``."""

    closing = False  # a save is under way: keys typed meanwhile are not this dialog's

    def action_save(self) -> None:
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.closing and action in (
            "next_field",
            "previous_field",
            "enter_field",
            "save_request",
        ):
            return False
        if action == "enter_field":  # the last field saves on enter, in its own key order
            return not (isinstance(self.focused, DialogInput) and self.focused.last)
        return True

    def action_enter_field(self) -> None:
        self.focus_next()

    def action_next_field(self) -> None:
        self.focus_next()

    def action_previous_field(self) -> None:
        self.focus_previous()

    def action_save_request(self) -> None:
        if isinstance(self.focused, DialogInput):
            self.closing = True
            self.focused.post_message(DialogInput.SaveHere())
        else:
            self.action_save()


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
            self._stop(event)
            stack = self.app.screen_stack
            below = stack[stack.index(self.screen) - 1] if self.screen in stack else None
            if below is not None and below.focused is not None:
                below.focused.post_message(events.Key(event.key, event.character))
        elif event.key == "ctrl+s" or (event.key == "enter" and self.last):
            self._stop(event)
            self._begin_close()

    def on_dialog_input_save_here(self, message: SaveHere) -> None:
        message.stop()
        self._begin_close()

    def _begin_close(self) -> None:
        """What is typed here so far is saved as it is now; keys already waiting behind go
        on to the screen underneath; then the dialog saves (and closes)."""
        self.closing = True
        form: Form = self.screen  # type: ignore[assignment]
        form.closing = True
        self.call_later(self._save)

    def _save(self) -> None:
        form: Form = self.screen  # type: ignore[assignment]
        form.action_save()
        if self.screen is self.app.screen:  # not saved (the dialog says why): stay
            self.closing = form.closing = False

    @staticmethod
    def _stop(event: events.Key) -> None:
        event.stop()
        event.prevent_default()
