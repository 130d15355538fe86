"""The scribe's note box: Enter takes the text in key order, so a fast typist loses nothing.

Textual's Input submits through a binding, which runs only once the key has
bubbled up to the App, after keys queued behind Enter were already typed into
the box; a burst such as "d: agreed<Enter>a: next" would then submit both lines
as one. Here Enter is handled in the box's own ``on_key``, in key order: the
text is taken and the box cleared at that moment, and later keys start the
next note. (A box holding a refused note keeps its text until the note is saved.)

Where a note is filed (its :class:`Filing`: group, role, category, segment, the
note being edited) is taken at Enter too, in key order. A group picked with a
key typed just after Enter changes the filing the moment that key arrives, while
the Enter may still be waiting in the box's queue; so a new filing is *posted*
to the box (:class:`NoteEntry.Refile`) and takes effect after the keys before it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace

from textual import events
from textual.message import Message
from textual.widgets import Input

from facilitate.commands import CaptureContext
from facilitate.tui.keys import SAVE_NOTE, bindings


@dataclass(frozen=True)
class Filing:
    """Where a line saved now goes: its group, role and category, its segment (None: the
    current one), and the note it replaces when it is an edit."""

    context: CaptureContext = field(default_factory=CaptureContext)
    segment: int | None = None
    editing: str | None = None


def paste_text(text: str) -> tuple[str, int]:
    """Pasted text as one line for the box: line breaks and tabs become spaces, other
    invisible control characters go (how many is said, so nothing vanishes unseen)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    joined = " ".join(lines).replace("\t", " ")
    kept = "".join(c for c in joined if unicodedata.category(c) != "Cc")
    return kept, len(joined) - len(kept)


class NoteEntry(Input):
    # Shown in the footer while typing; Enter itself is taken in on_key, in key order.
    BINDINGS = bindings(SAVE_NOTE)

    def __init__(
        self,
        placeholder: str = "",
        *,
        id: str | None = None,
        classes: str | None = None,
        keep_on_submit: bool = False,
    ) -> None:
        # Focus never selects the text: the next key would replace a note being fixed.
        super().__init__(placeholder=placeholder, id=id, classes=classes, select_on_focus=False)
        self.keep_on_submit = keep_on_submit

    filing = Filing()

    @dataclass
    class Refile(Message):
        """Lines saved from now on go here (posted to the box: it applies in key order)."""

        filing: Filing

    @dataclass
    class Typed(Message):
        """Enter: the line, and where it goes, as they were when Enter was pressed (at
        ``pressed``, Textual's clock, as the key was read: a busy app handles it later)."""

        entry: NoteEntry
        value: str
        filing: Filing
        pressed: float | None = None

        @property
        def control(self) -> NoteEntry:
            return self.entry

    def on_note_entry_refile(self, message: Refile) -> None:
        message.stop()
        self.filing = message.filing

    def on_key(self, event: events.Key) -> None:
        # A line feed is Enter too: keys typed while the app was starting, before the
        # terminal was put in raw mode, arrive with their Enter turned into one.
        if event.key in ("enter", "ctrl+j"):
            event.stop()
            event.prevent_default()
            self.submit_now(event.time)

    def on_paste(self, event: events.Paste) -> None:
        """Keep every pasted line, joined (Input keeps only the first, silently), and no
        control characters, which would show as nothing and then be refused."""
        text, dropped = paste_text(event.text)
        event.stop()
        event.prevent_default()
        if self.selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *self.selection)
        if dropped:
            self.notify(f"Left out {dropped} invisible control character(s) from the paste.")

    async def action_submit(self) -> None:
        self.submit_now()

    def submit_now(self, pressed: float | None = None) -> None:
        text = self.value
        if not self.keep_on_submit:
            self.value = ""
        self.post_message(self.Typed(self, text, self.filing, pressed))
        if self.filing.editing is not None:  # the edit is handed in: what follows is new
            self.filing = replace(self.filing, editing=None)
