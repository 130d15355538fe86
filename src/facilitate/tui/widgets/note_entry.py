"""The scribe's note box: Enter takes the text in key order, so a fast typist loses nothing.

Textual's Input submits through an app-level binding, which runs after any keys
already queued behind Enter have been typed into the box; a burst such as
"d: agreed<Enter>a: next" would then submit both lines as one. Here Enter is
handled in the widget's own key order: the text is taken and the box cleared
at that moment, and later keys start the next note.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import Input


class NoteEntry(Input):
    # Shown in the footer while typing; Enter itself is taken in _on_key, in key order.
    BINDINGS = [Binding("enter", "submit", "Save note")]

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.submit_now()
            return
        await super()._on_key(event)

    def on_paste(self, event: events.Paste) -> None:
        """Keep every pasted line, joined: Input keeps only the first, silently."""
        lines = [line.strip() for line in event.text.splitlines() if line.strip()]
        if len(lines) < 2:
            return  # Input's own paste handles one line
        event.stop()
        event.prevent_default()
        text = " ".join(lines)
        if self.selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *self.selection)

    async def action_submit(self) -> None:
        self.submit_now()

    def submit_now(self) -> None:
        text, self.value = self.value, ""
        self.post_message(self.Submitted(self, text))

    def take_stray_key(self, event: events.Key) -> bool:
        """A key typed for this box that was still on its way to the old focus.

        Focus moves at once when "i" is pressed, but keys read in the same burst
        were already sent to the previously focused widget; they bubble up to the
        screen, which hands them here instead of running them as commands.
        """
        if event.key == "enter":
            self.submit_now()
        elif event.is_printable and event.character:
            self.insert_text_at_cursor(event.character)
        else:
            return False
        event.stop()
        event.prevent_default()
        return True

    def give_back(self, text: str) -> None:
        """Put unsaved text back (a bad due date), ahead of anything typed since."""
        self.value = f"{text} {self.value}".rstrip() if self.value else text
        self.cursor_position = len(self.value)
