"""An Escape typed just before other keys reaches the app as Escape, then those keys.

A terminal sends Escape as ESC, the byte that also starts the codes of arrows, the
mouse and pastes. Textual's reader took "ESC ] i note..." arriving at once for one long
unknown code and gave it back 32 characters later as "^]inote..." typed into the note
box. These tests feed what a terminal sends through :class:`TerminalInput` (our
splitter in front of Textual's real reader) and compare the keys that come out with
the keys typed: the same keys, in the same order, however the bytes are cut into reads.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual import events
from textual._xterm_parser import XTermParser

from facilitate.tui.driver import TerminalInput
from facilitate.tui.escapes import ESCAPE, EscapeSplitter

LATER = 10.0  # seconds: long after any escape delay


def keys_of(reads: list[str]) -> list[tuple[str, str | None]]:
    """The keys the app is given for these reads (each its own read), then a pause."""
    terminal = TerminalInput(XTermParser())
    found = []
    for data in reads:
        found += terminal.feed(data, now=0.0)
    found += terminal.tick(now=LATER)
    found += terminal.parser.tick()  # the reader's own wait for a lone ESC
    return [(e.key, e.character) for e in found if isinstance(e, events.Key)]


@pytest.mark.parametrize(
    ("sent", "keys"),
    [
        # Escape, next segment, back to the box, a note: as typed, none of it text yet.
        ("\x1b]iW0", ["escape", "right_square_bracket", "i", "W", "0"]),
        ("\x1b[inote", ["escape", "left_square_bracket", "i", "n", "o", "t", "e"]),
        ("\x1b1x", ["escape", "1", "x"]),  # not "¡" (Option+1 on a Mac)
        ("\x1bwe", ["escape", "w", "e"]),  # what old terminals send for Alt+w
        ("ab\x1b\r", ["a", "b", "escape", "enter"]),
        ("\x1b\x1b[A", ["escape", "up"]),
        # The codes of keys stay keys.
        (
            "\x1b[A\x1bOB\x1b[1;5C\x1b[27u\x1b[Z",
            ["up", "down", "ctrl+right", "escape", "shift+tab"],
        ),
        ("\x1bb\x1bf", ["ctrl+left", "ctrl+right"]),  # Option+left and right on a Mac
        ("\x1b", ["escape"]),
        ("\x1b[", ["escape", "left_square_bracket"]),  # Escape [ typed, then nothing
    ],
)
def test_escape_before_other_keys_is_escape_then_those_keys(sent: str, keys: list[str]) -> None:
    assert [key for key, _ in keys_of([sent])] == keys


def test_an_escape_split_from_its_key_by_the_read_is_still_escape_then_the_key() -> None:
    assert [k for k, _ in keys_of(["note\x1b", "]i", "next"])] == [
        *"note",
        "escape",
        "right_square_bracket",
        "i",
        *"next",
    ]
    assert [k for k, _ in keys_of(["\x1b[", "1;5A"])] == ["ctrl+up"]  # a code cut in two


def test_a_paste_is_left_whole_and_the_keys_after_it_are_keys() -> None:
    terminal = TerminalInput(XTermParser())
    got = terminal.feed("\x1b[200~d: agreed ] [1\x1b[20", now=0.0)  # its end cut in two
    got += terminal.feed("1~\x1b]", now=0.0)
    pastes = [e.text for e in got if isinstance(e, events.Paste)]
    keys = [e.key for e in got if isinstance(e, events.Key)]
    assert pastes == ["d: agreed ] [1"] and keys == ["escape", "right_square_bracket"]
    # A paste is one piece; an ESC inside it is made U+FFFD, so it is neither a key nor
    # a code that Textual's reader would take for the paste's end.
    pasted = "\x1b[200~a\x1b]b\x1b[201~"
    assert EscapeSplitter().feed(pasted + "\x1b]") == [
        "\x1b[200~a\ufffd]b\x1b[201~",
        ESCAPE,
        "]",
    ]


def test_a_paste_holding_terminal_codes_keeps_its_order_however_it_is_read() -> None:
    """QA 16: pasting "alpha <ESC>[31mred<ESC>[0m omega" saved "^[31mred^[0m omegaalpha":
    Textual's reader put the text before the first code last. Now the paste is whole, in
    order, its codes harmless, wherever the reads cut it (even inside its end marker)."""
    sent = "\x1b[200~alpha \x1b[31mred\x1b[0m omega\x1b[201~x\x1b]y"
    want = [
        ("paste", "alpha \ufffd[31mred\ufffd[0m omega"),
        ("key", "x"),
        ("key", "escape"),
        ("key", "right_square_bracket"),
        ("key", "y"),
    ]
    for first in range(len(sent) + 1):
        for second in range(first, len(sent) + 1):
            terminal = TerminalInput(XTermParser())
            found = []
            for part in (sent[:first], sent[first:second], sent[second:]):
                found += terminal.feed(part, now=0.0)
            found += terminal.tick(now=LATER) + list(terminal.parser.tick())
            got = [
                ("paste", e.text) if isinstance(e, events.Paste) else ("key", e.key)
                for e in found
                if isinstance(e, events.Paste | events.Key)
            ]
            assert got == want, (first, second)


def test_a_lone_escape_waits_for_the_escape_delay_then_is_escape() -> None:
    terminal = TerminalInput(XTermParser(), delay_s=0.1)
    assert terminal.feed("\x1b", now=0.0) == []
    assert terminal.wait_s(now=0.04) == pytest.approx(0.06)
    assert terminal.tick(now=0.05) == []
    assert [e.key for e in terminal.tick(now=0.1) if isinstance(e, events.Key)] == ["escape"]
    assert not terminal.splitter.waiting


# -- any keys, typed at any speed ------------------------------------------------------------

# What a terminal sends for some keys; Escape is ESC on its own.
CODES = {
    "escape": "\x1b",
    "enter": "\r",
    "tab": "\t",
    "backspace": "\x7f",
    "up": "\x1b[A",
    "down": "\x1bOB",
    "ctrl+right": "\x1b[1;5C",
    "f5": "\x1b[15~",
}
TEXT = [*"aZ]i[1 ?wxO:b;f~-", "é", "協"]
# After Escape, these would make a key's code: typed that fast, a terminal cannot tell
# them apart from one (Escape [ A is the up arrow), so they are not typed there.
AMBIGUOUS_AFTER_ESCAPE = set("[Obf") | {"backspace"}


@st.composite
def typing(draw: st.DrawFn) -> tuple[list[str], list[int]]:
    drawn = draw(st.lists(st.sampled_from(TEXT + list(CODES)), max_size=30))
    keys: list[str] = []
    for key in drawn:
        if not (keys and keys[-1] == "escape" and key in AMBIGUOUS_AFTER_ESCAPE):
            keys.append(key)
    sent = "".join(CODES.get(key, key) for key in keys)
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(sent) - 1)), max_size=5)))
    return keys, cuts


def one_by_one(keys: list[str]) -> list[tuple[str, str | None]]:
    """The keys as Textual reads them typed slowly, one at a time."""
    found: list[tuple[str, str | None]] = []
    for key in keys:
        if key == "escape":
            found.append(("escape", "\x1b"))
            continue
        read = XTermParser().feed(CODES.get(key, key))
        found += [(e.key, e.character) for e in read if isinstance(e, events.Key)]
    return found


@settings(max_examples=300, deadline=None)
@given(typing())
def test_keys_sent_together_are_the_keys_typed_one_by_one(
    typed: tuple[list[str], list[int]],
) -> None:
    keys, cuts = typed
    sent = "".join(CODES.get(key, key) for key in keys)
    reads = [sent[a:b] for a, b in zip([0, *cuts], [*cuts, len(sent)], strict=True)]
    assert keys_of([r for r in reads if r]) == one_by_one(keys)


def test_the_splitter_gives_text_and_escapes_in_order() -> None:
    splitter = EscapeSplitter()
    assert splitter.feed("ab\x1b]cd\x1b[Aef\x1b") == ["ab", ESCAPE, "]cd\x1b[Aef"]
    assert splitter.waiting
    assert splitter.feed("x") == [ESCAPE, "x"]


def test_a_browser_view_reads_escape_then_keys_as_a_terminal_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`facilitate serve`: a scribe in a browser types Escape ] and a note at once; the
    server passes the bytes on in its packets, and the app gets the same keys in order."""
    import time

    from facilitate.tui.served_driver import KeyOrderWebDriver

    clock = [0.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])

    def packet(kind: bytes, payload: bytes) -> bytes:
        return kind + len(payload).to_bytes(4, "big") + payload

    class Packets:
        closed = False

        def __iter__(self):  # type: ignore[no-untyped-def]
            typed = packet(b"D", b"\x1b]iW0 n")
            yield typed[:3]  # the server's packets arrive cut anywhere
            yield typed[3:]
            clock[0] = LATER
            yield b""  # the reader's idle wake-up

        def close(self) -> None:
            self.closed = True

    driver = object.__new__(KeyOrderWebDriver)
    found: list[events.Key] = []
    driver._input_reader = Packets()  # type: ignore[assignment]
    driver._debug = False
    monkeypatch.setattr(driver, "process_message", found.append)
    driver.run_input_thread()
    keys = [e.key for e in found if isinstance(e, events.Key)]
    assert keys == ["escape", "right_square_bracket", "i", "W", "0", "space", "n"]
    assert driver._input_reader.closed  # type: ignore[attr-defined]
