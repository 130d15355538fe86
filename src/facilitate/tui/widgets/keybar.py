"""The keys line at the bottom of the run screen: one widget, redrawn when the keys change.

It starts with the keyboard's mode when the screen has one (``keyboard_mode``: the run
screen's TYPING, KEYS, PANEL or BRIEF, or DIALOG while a dialog over it has the keys),
so the line always says what keys do now.

Textual's ``Footer`` builds a widget per key and rebuilds them all each time the
bindings change (every focus change), which was most of the run screen's start-up
work. This draws the same line (the screen's shown bindings, the ones
``check_action`` hides left out, the command palette on the right) as one piece of
text, and a click on a key presses it, as the Footer's does.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget

MODE_STYLES = {
    "TYPING": "bold reverse $success",
    "KEYS": "bold reverse $primary",
}
OTHER_MODE_STYLE = "bold reverse $accent"


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._content = Content("")
        self._keys: list[tuple[int, int, str, str]] = []  # from x, to x, key, label
        self.mode = ""  # the keyboard's mode as shown ("" for a screen without modes)
        self._stale = False  # the bindings changed since the keys were last drawn

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        """Bindings change several times while a screen starts and on every focus move:
        the keys are worked out once, when the line is next drawn."""
        if screen is self.screen:
            self._stale = True
            self.refresh()

    def show_keys(self) -> None:
        """Draw the mode and the keys of the screen as they are now."""
        self._stale = False
        screen = self.screen
        parts: list[Content] = []
        keys: list[tuple[int, int, str, str]] = []
        x = 0
        mode = getattr(screen, "keyboard_mode", "")
        self.mode = mode if isinstance(mode, str) else ""
        if self.mode:
            style = MODE_STYLES.get(self.mode, OTHER_MODE_STYLE)
            label = Content.assemble((f" {self.mode} ", style), " ")
            parts.append(label)
            x += label.cell_length
        if self.mode == "DIALOG":  # the keys are the dialog's, shown in it
            parts.append(Content("keys are the dialog's · escape closes it"))
            self._keys = []
            self._content = Content("").join(parts)
            self.refresh()
            return
        seen: set[str] = set()
        palette: tuple[str, str] | None = None
        for binding in (b.binding for b in screen.active_bindings.values()):
            if binding.key == self.app.COMMAND_PALETTE_BINDING:
                palette = (self.app.get_key_display(binding), binding.description)
                continue
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            shown = self.app.get_key_display(binding)
            part = Content.assemble(
                (f" {shown} ", "bold $footer-key-foreground"), f"{binding.description} "
            )
            keys.append((x, x + part.cell_length, binding.key, binding.description))
            x += part.cell_length
            parts.append(part)
        content = Content("").join(parts)
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            tail = Content.assemble(
                ("▏", "$foreground 20%"), (palette[0], "bold $footer-key-foreground"), " palette "
            )
            content = Content.assemble(content, ("\t", ""), tail)
        self._keys = keys
        if content.plain != self._content.plain or not self._content:
            self._content = content
            self.refresh()

    def labels(self, width: int | None = None) -> list[str]:
        """What each key says, in order; with ``width``, only those wholly on screen."""
        if self._stale:
            self.show_keys()
        room = self._room(width) if width is not None else None
        return [label for _, end, _, label in self._keys if room is None or end <= room]

    def _room(self, width: int) -> int:
        """Columns left for the keys once the palette hint has its place on the right."""
        tab = self._content.plain.find("\t")
        tail = self._content[tab + 1 :].cell_length if tab >= 0 else 0
        return max(0, width - tail - 1)

    def render(self) -> Content:
        if self._stale:
            self.show_keys()
        content = self._content
        tab = content.plain.find("\t")
        if tab < 0:
            return content
        width = self.size.width
        left, right = content[:tab], content[tab + 1 :]
        room = self._room(width)
        if left.cell_length > room:
            left = left.truncate(room)
        gap = max(0, width - right.cell_length - left.cell_length)
        return Content.assemble(left, " " * gap, right)

    def on_click(self, event: events.Click) -> None:
        if self._stale:
            self.show_keys()
        for start, end, key, _ in self._keys:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return
