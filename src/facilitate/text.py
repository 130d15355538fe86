"""Text from agendas, file names and notes made safe to print on a terminal.

An escape sequence in a note or an agenda title must not set the window title,
clear the screen or recolour the user's shell. Control and format characters
(and lone surrogates) become U+FFFD, visibly, rather than vanishing; the zero-width
joiners that emoji and some scripts need are kept.
"""

from __future__ import annotations

import json
import re
import unicodedata

_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Control characters but tab and line ends (a lone CR, which writes over a line, is one).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
_JSON_CONTROL = re.compile(r"[\x7f-\x9f]")
_UNPRINTABLE = ("Cc", "Cf", "Cs")
_KEEP = "\u200c\u200d"  # zero-width non-joiner and joiner


def _safe(char: str, keep: str) -> str:
    if char in keep or char in _KEEP:
        return char
    return "\ufffd" if unicodedata.category(char) in _UNPRINTABLE else char


def terminal_text(text: str | None) -> str:
    """User text for one line of a terminal: runs of whitespace (line breaks too) become
    one space, and control sequences cannot reach the terminal."""
    line = " ".join((text or "").split())
    if line.isascii() and line.isprintable():
        return line
    return "".join(_safe(char, "") for char in line)


def screen_text(text: str, keep: str = "") -> str:
    """User text for the screen, one character for one (styles laid over it stay where
    they were): control and format characters become U+FFFD, all but those in ``keep``
    (a table's cell is one line: its tabs and line breaks go too)."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(_safe(char, keep) for char in text)


def terminal_lines(text: str) -> str:
    """Several lines for a terminal (Markdown on stdout): line breaks and tabs stay,
    every other control character is replaced. CRLF becomes LF."""
    text = text.replace("\r\n", "\n")
    if text.isascii():
        return _ASCII_CONTROL.sub("\ufffd", text)
    return "".join(_safe(char, "\n\t") for char in text)


def without_controls(text: str) -> str:
    """Minutes and data for a file or a pipe (which a ``cat`` or ``less -R`` shows on a
    terminal, and which are mailed on): control characters become U+FFFD, all but tabs
    and line ends (LF, CRLF). Format characters such as right-to-left marks stay: they
    belong to the text and move no cursor."""
    return _CONTROL.sub("\ufffd", text)


def json_controls_escaped(text: str) -> str:
    """JSON whose DEL and C1 control characters are written as ``\\u`` escapes, as JSON
    already writes the others: the same data, and nothing a terminal would act on."""
    return _JSON_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def counted(n: int, one: str, many: str | None = None) -> str:
    """``1 session``, ``2 sessions``: a count with the word that fits it."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def shown(value: object, most: int = 40) -> str:
    """A value read from a damaged file as a person can recognise it in a warning: its JSON
    form (``"Asha"``, ``{"name": 1}``, ``42``), shortened, never pages of it."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**15:
        return f"a number of {len(str(abs(value)))} digits"
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= most else text[: most - 1] + "…"
