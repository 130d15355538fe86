"""An Escape typed just before another key is Escape, then that key: never a glued "^]".

A terminal sends the Escape key as the byte ESC, and it starts the codes of other keys
(arrows, function keys, the mouse, a paste) with ESC as well. Textual's reader, after an
ESC, waits up to 100 ms for the rest of a code and keeps reading while keys keep coming.
So Escape followed at once by more keys (typed fast, or arriving together because the
app was busy) was taken for the start of one long unknown code: "Escape ] i W0-111 ..."
came out 32 characters later as "^]iW0-111 ..." typed into the note box, the segment
never moved on, and the Escape became a "^"; Escape then 1 became "¡".

:class:`EscapeSplitter` reads what the terminal sent before Textual's reader does and
takes out every ESC that does not start a code a terminal sends for a key, to be
delivered as the Escape key in its place. What stays an ESC code:

- ``ESC [`` codes (CSI) that a terminal sends for a key, the mouse, a paste or an
  answer to the app's questions: ``ESC [`` then digits and ``;:<=>?``, then a final
  character that such codes end in (arrows ``A-D``, ``~``, ``u``, mouse ``M``/``m``...).
  "Escape [" typed and followed by anything else is Escape, then "[";
- ``ESC O`` and one of the characters of the keypad and function keys (SS3);
- ``ESC b``, ``ESC f`` and ``ESC`` Backspace: Option (Alt) + left, right and Backspace
  on the Mac's terminals, which move and delete by word in the note box. "Escape b"
  typed within the same instant moves the cursor instead of opening the brief;
- everything between the start and the end of a bracketed paste, untouched.

Any other ESC + key, which is also how a terminal without the kitty keyboard protocol
sends Alt + key, is Escape then that key: in the note box, leave it and do what that
key does. Neither half is ever typed as text. An ESC, or the start of a code, at the
very end of what was read waits (:attr:`EscapeSplitter.waiting`) until more arrives or
the terminal's escape delay passes, then it is decided the same way.

The splitter is plain Python; :mod:`facilitate.tui.driver` (a terminal on Linux and
macOS) and :mod:`facilitate.tui.served_driver` (a view in a browser) put it in front of
Textual's reader.
"""

from __future__ import annotations

from typing import Final

ESC: Final = "\x1b"
PASTE_START: Final = "\x1b[200~"
PASTE_END: Final = "\x1b[201~"
REPLACED: Final = "\ufffd"  # what an ESC inside a paste becomes


class EscapeKey:
    """The Escape key, taken out of the terminal's input at its place."""

    def __repr__(self) -> str:
        return "ESCAPE"


ESCAPE: Final = EscapeKey()
Piece = str | EscapeKey

# The characters a key's CSI code may end in: arrows, Home/End, F1-F4, the keypad's 5,
# shift+tab, focus in/out, the mouse (M press, m release), ~ (Insert, PageUp, F5+, a
# paste's start and end), u (the kitty protocol), and the terminal's answers: R (cursor
# position), y (a mode is supported), t (window size).
CSI_FINALS: Final = frozenset("ABCDEFGHIMOPQRSZmtuy~")
CSI_PARAMETERS: Final = frozenset("0123456789:;<=>?")
CSI_INTERMEDIATES: Final = frozenset(" !\"#$%&'()*+,-./")
# SS3: ESC O then one character: arrows, Home/End, F1-F4, the keypad in application mode.
SS3_FINALS: Final = frozenset("ABCDFHMPQRSXabcdjklmnopqrstuvwxy")
# ESC + one character that terminals send for Option (Alt) + left, right, Backspace.
WORD_KEYS: Final = frozenset("bf\x7f")
LONGEST_CODE: Final = 64  # a CSI code longer than this is nobody's key

_PARTIAL, _NOT_A_CODE = -1, 0


def _code_end(text: str, start: int) -> int:
    """Where the terminal code starting with the ESC at ``start`` ends (the index after
    it); ``_PARTIAL`` when ``text`` stops inside one, ``_NOT_A_CODE`` when this ESC is the
    Escape key."""
    after = start + 1
    if after == len(text):
        return _PARTIAL
    second = text[after]
    if second in WORD_KEYS:
        return after + 1
    if second == "O":
        if after + 1 == len(text):
            return _PARTIAL
        return after + 2 if text[after + 1] in SS3_FINALS else _NOT_A_CODE
    if second != "[":
        return _NOT_A_CODE
    index = after + 1
    while index < len(text) and text[index] in CSI_PARAMETERS:
        index += 1
    while index < len(text) and text[index] in CSI_INTERMEDIATES:
        index += 1
    if index - start > LONGEST_CODE:
        return _NOT_A_CODE
    if index == len(text):
        return _PARTIAL
    final = text[index]
    if final == "M" and index == after + 1:  # an old-style mouse report: three bytes more
        return index + 4 if index + 4 <= len(text) else _PARTIAL
    return index + 1 if final in CSI_FINALS else _NOT_A_CODE


class EscapeSplitter:
    """Feed it what the terminal sent; it gives back text for Textual's reader and the
    Escape keys taken out of it, in the order they were typed."""

    def __init__(self) -> None:
        self._held = ""  # an ESC or the start of a code, waiting for what follows
        self._pasting = False

    @property
    def waiting(self) -> bool:
        """An ESC (or the start of a code) is held until more arrives or time is up. (In a
        paste, the start of its end marker waits for the rest: the terminal sends it.)"""
        return bool(self._held) and not self._pasting

    def feed(self, data: str) -> list[Piece]:
        text, self._held = self._held + data, ""
        pieces: list[Piece] = []
        plain = index = 0
        while index < len(text):
            if self._pasting:
                text, index = self._paste(text, index)
                continue
            index = text.find(ESC, index)
            if index < 0:
                break
            end = _code_end(text, index)
            if end == _PARTIAL:
                self._held = text[index:]
                text = text[:index]
                break
            if end == _NOT_A_CODE:
                pieces += [text[plain:index], ESCAPE]
                plain = index = index + 1
                continue
            if text[index:end] == PASTE_START:
                self._pasting = True
            index = end
        pieces.append(text[plain:])
        return [piece for piece in pieces if piece != ""]

    def _paste(self, text: str, index: int) -> tuple[str, int]:
        """Inside a paste, up to and including its end: its text passes on with each ESC
        in it made U+FFFD, one character for one (Textual's reader took a code inside a
        paste for the paste's end and put the text around it out of order, and the note
        box would keep the ESC). An ESC at the end of what was read may start the end
        marker, split over two reads: it is held for the next read."""
        found = text.find(PASTE_END, index)
        if found >= 0:
            self._pasting = False
            body = text[index:found].replace(ESC, REPLACED)
            return text[:index] + body + text[found:], found + len(PASTE_END)
        cut, last = len(text), text.rfind(ESC, index)
        if last >= 0 and PASTE_END.startswith(text[last:]):
            cut = last
        self._held = text[cut:]
        return text[:index] + text[index:cut].replace(ESC, REPLACED), cut

    def flush(self) -> list[Piece]:
        """Time is up for what is held: a lone ESC is the Escape key; the start of a code
        that never finished is Escape, then the keys typed after it."""
        held, self._held = self._held, ""
        if not held:
            return []
        rest = self.feed(held[1:])
        tail = self.flush() if self._held else []
        return [ESCAPE, *rest, *tail]
