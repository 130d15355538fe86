"""A link as a QR code in the terminal, for a phone or a laptop's camera in the room.

segno (pure Python, no dependencies) makes the code; it is drawn here with half
blocks, two modules a character, in white and black set explicitly: a terminal with
a light background would otherwise swap the colours, and some phones will not read
an inverted code.
"""

from __future__ import annotations

import segno

WHITE_ON_BLACK = "\x1b[97;40m"
RESET = "\x1b[0m"
QUIET_ZONE = 2  # modules of light border; 4 is the standard, 2 reads fine on a screen

# (top module dark, bottom module dark) -> the character; light modules are drawn in white
HALVES = {(False, False): "█", (False, True): "▀", (True, False): "▄", (True, True): " "}


def qr_rows(url: str) -> list[list[bool]]:
    """The code's modules, True for dark, quiet zone included."""
    code = segno.make(url, error="l", micro=False, boost_error=False)
    return [[bool(module) for module in row] for row in code.matrix_iter(border=QUIET_ZONE)]


def qr_width(url: str) -> int:
    """How many columns the code of ``url`` takes in a terminal."""
    return len(qr_rows(url)[0])


def qr_text(url: str) -> str:
    """Lines of half blocks, each wrapped in white-on-black so any terminal shows it right."""
    rows = qr_rows(url)
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    lines = []
    for top, bottom in zip(rows[::2], rows[1::2], strict=True):
        chars = "".join(HALVES[pair] for pair in zip(top, bottom, strict=True))
        lines.append(f"{WHITE_ON_BLACK}{chars}{RESET}")
    return "\n".join(lines)
