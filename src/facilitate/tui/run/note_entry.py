"""The scribe's note box: Enter takes the text in key order, so a fast typist loses nothing.

Textual's Input submits through a binding, which runs only once the key has
bubbled up to the App, after keys queued behind Enter were already typed into
the box; a burst such as "d: agreed<Enter>a: next" would then submit both lines
as one. Here Enter is handled in the box's own ``on_key``, in key order: the
text is taken and the box cleared at that moment, and later keys start the
next note.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from facilitate.tui.keys import Key, bindings

SAVE_NOTE = Key("enter", "submit", "Save note")


class NoteEntry(Input):
    # Shown in the footer while typing; Enter itself is taken in on_key, in key order.
    BINDINGS = bindings(SAVE_NOTE)

    def on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.submit_now()

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

    def give_back(self, text: str) -> None:
        """Put unsaved text back (a bad due date), ahead of anything typed since."""
        self.value = f"{text} {self.value}".rstrip() if self.value else text
        self.cursor_position = len(self.value)
