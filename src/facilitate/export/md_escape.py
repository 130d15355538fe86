"""Markdown for what people typed: escaped only where it would change the rendering.

A backslash shows when Markdown is pasted into an e-mail, so nothing is escaped
that would render as typed anyway: ``[checked by scribe 2]``, ``2 * 3``,
``snake_case``, ``a < b``, ``#3``, ``1.5 hours`` stay as they are. What would
turn into markup is made inert: emphasis, code spans, links, HTML, entities,
strikethrough, and the line starts that open headings, lists, quotes, setext
underlines, thematic breaks and table rows. ``tests/test_md_escape.py`` checks
every rule against a CommonMark + GFM renderer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~]|$)", re.M)
_TAG = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_HEADING = re.compile(r"^(#{1,6})(?=\s|$)")
_BULLET = re.compile(r"^([-+*>])(?=\s|$)|^>")
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_UNDERLINE = re.compile(r"^(?:=+|-+)\s*$")
_BREAK = re.compile(r"^([-*_])(?:\s*\1){2,}\s*$")
_DELIMITER_ROW = re.compile(r"^(?=.*\|)(?=.*-)[\s|:-]+$")
_LINK_SHAPE = re.compile(r"\][(\[]")


def tidy_lines(text: str) -> list[str]:
    """User text as lines: no NUL, tabs as spaces, each line trimmed, no blank edges."""
    text = text.replace("\x00", "\ufffd").replace("\t", " ")
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


class Escaper:
    """Escapes the pieces of one paragraph; pairs (backticks, tildes, link brackets) are
    judged over the whole paragraph, since a code span can open in one piece and close
    in another."""

    def __init__(self, pieces: Sequence[str], *, table: bool = False) -> None:
        whole = "\n".join(pieces)
        self.code = whole.count("`") >= 2
        self.strike = whole.count("~") >= 2
        self.links = bool(_LINK_SHAPE.search(whole))
        self.table = table

    def inline(self, text: str) -> str:
        text = _BACKSLASH.sub(r"\\\\", text)
        text = _TAG.sub(r"\\<", text)
        text = _ENTITY.sub(r"\\&", text)
        text = _emphasis(text)
        if self.code:
            text = text.replace("`", "\\`")
        if self.strike:
            text = text.replace("~", "\\~")
        if self.links:
            text = text.replace("[", "\\[")
        if self.table:
            text = text.replace("|", "\\|")
        return text

    def line(self, text: str, *, line_start: bool, paragraph_start: bool = False) -> str:
        """One line of user text; ``line_start`` when it begins a Markdown line."""
        escaped = self.inline(text)
        if not line_start:
            return escaped
        if paragraph_start and escaped.startswith("["):
            escaped = "\\" + escaped  # a link reference definition, or a task-list box
        if _DELIMITER_ROW.match(escaped):
            escaped = escaped.replace("|", "\\|")
        if _UNDERLINE.match(escaped) or _BREAK.match(escaped):
            return "\\" + escaped
        if _HEADING.match(escaped) or _BULLET.match(escaped):
            return "\\" + escaped
        return _ORDERED.sub(r"\1\\\2", escaped)


def _emphasis(text: str) -> str:
    """``*`` and ``_`` escaped unless they cannot open or close emphasis: a ``*`` or ``_``
    with spaces on both sides, or a ``_`` inside a word."""
    if "*" not in text and "_" not in text:
        return text
    out = []
    for i, char in enumerate(text):
        if char in "*_":
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            spaced = before.isspace() and after.isspace()
            inside_word = char == "_" and before.isalnum() and after.isalnum()
            if not (spaced or inside_word):
                out.append("\\")
        out.append(char)
    return "".join(out)


def md_heading(text: str) -> str:
    """User text as the text of an ATX heading: one line, no closing ``#`` run."""
    line = " ".join(tidy_lines(text))
    escaped = Escaper([line]).inline(line)
    return re.sub(r"(\s)(#+)$", r"\1\\\2", escaped)


def md_cell(text: str | None) -> str:
    """User text in a GFM table cell: ``|`` escaped, line breaks as ``<br>``."""
    lines = tidy_lines(text or "")
    escaper = Escaper(lines, table=True)
    return "<br>".join(escaper.inline(line) for line in lines)
