"""The big countdown with the segment's title, its state in words and a progress bar.

What the segment is about (mode, topics, prompts, notes) is the brief's (``brief.py``).
"""

from __future__ import annotations

from functools import cached_property

from rich.segment import Segment as Cells
from rich.style import Style
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Digits

from facilitate.agenda import Segment
from facilitate.schedule import Snapshot, display_seconds, format_clock
from facilitate.tui.widgets.line import Bar, Line

BAR, HALF_DONE, HALF_TRACK = "━", "╸", "╺"
LEVELS = ("ready", "normal", "warning", "overtime", "marker", "ended")
LEVEL_WORDS = {
    "ready": "READY · space starts",
    "normal": "",
    "warning": "WARNING · time nearly up",
    "overtime": "OVERTIME",
    "marker": "",
    "ended": "SESSION ENDED",
}


def countdown_text(snap: Snapshot) -> str:
    """What the digits say: remaining time, or +overtime counting up."""
    shown = display_seconds(snap.remaining_s)
    if snap.remaining_s < 0:
        return "+" + format_clock(shown)
    return format_clock(shown)


def level_classes(snap: Snapshot) -> set[str]:
    """The face's CSS classes for a snapshot: its level, and -paused while stopped."""
    classes = {f"-{snap.level}"}
    if not snap.running and snap.level != "ended":
        classes.add("-paused")
    return classes


LEVEL_CLASSES = {f"-{level}" for level in LEVELS} | {"-paused"}


def show_level(widget: Widget, snap: Snapshot) -> None:
    """Set the level classes with one restyle of the widget and its children, not one each."""
    wanted = level_classes(snap)
    if wanted == widget.classes & LEVEL_CLASSES:
        return
    widget.remove_class(*(LEVEL_CLASSES - wanted), update=False)
    widget.add_class(*wanted, update=False)
    widget.update_node_styles()


class ZeroWatch:
    """Says once when a running segment's countdown reaches zero: time for the bell and the
    flash. Opening a view on a segment already over, or pausing over zero, says nothing."""

    def __init__(self) -> None:
        self._last: tuple[int, str] | None = None
        self._seen: set[tuple[int, str]] = set()

    def crossed(self, snap: Snapshot) -> bool:
        key = (snap.current, snap.level)
        crossed = snap.level == "overtime" and self._last in (
            (snap.current, "warning"),
            (snap.current, "normal"),
        )
        self._last = key
        if crossed and snap.running and key not in self._seen:
            self._seen.add(key)
            return True
        return False


FLASH_S = 1.0


def status_words(
    snap: Snapshot, *, follower: bool = False, keeper_away: bool = False, typing: bool = False
) -> str:
    """The clock's state in words. A ``follower`` (a scribe's terminal, a projector of its
    own) cannot start the clock, so it waits for the facilitator; when the facilitator's
    terminal is gone (``keeper_away``) it says so, as nobody can move the clock now."""
    if snap.level == "ended":
        return LEVEL_WORDS["ended"]
    if snap.level == "ready":
        if not follower:
            # While the note box has the keyboard, space is a space: say how to get the keys.
            return "READY · esc, then space starts" if typing else LEVEL_WORDS["ready"]
        if keeper_away:
            return "WAITING · the facilitator's terminal is closed"
        return "WAITING · the facilitator starts the clock"
    words = LEVEL_WORDS.get(snap.level, "")
    if not snap.running:
        words = "PAUSED" + (f" · {words}" if words else "")
    if follower and keeper_away:
        words = "FACILITATOR OFFLINE" + (f" · {words}" if words else " · clock runs as last set")
    return words


class SegmentProgress(Widget):
    """How much of the segment has gone, on one line, in the face's colour for its level.

    Textual's ProgressBar looks the same but is three widgets (bar, percentage,
    ETA) to style and lay out before the first frame; this is one. It draws its own
    line (a heavy rule, in half cells), so a step of the bar costs a string, not a
    Rich render: it moves many times in a long segment while the screen counts down.
    """

    COMPONENT_CLASSES = {"segment-progress--track"}

    progress: reactive[float] = reactive(0.0, layout=False)

    def halves(self) -> int:
        """How many half cells are filled: the only thing a change of ``progress`` can
        change on screen."""
        return bar_halves(self.progress, self.size.width)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y or width <= 0:
            return Strip.blank(width, self.rich_style)
        done = Style(color=self.rich_style.color)
        track = Style(color=self.get_component_rich_style("segment-progress--track").color)
        full, half = divmod(self.halves(), 2)
        segments = [Cells(BAR * full, done)]
        if half:
            segments.append(Cells(HALF_DONE, done))
        rest = width - full - half
        if rest > 0:
            # The track starts with a half rule where the done part ends on a cell edge.
            start = HALF_TRACK if full and not half else BAR
            segments.append(Cells(start + BAR * (rest - 1), track))
        return Strip(segments, width)


def bar_halves(progress: float, width: int) -> int:
    """Half cells of a ``width``-cell bar that ``progress`` (0 to 1) fills."""
    return round(min(max(progress, 0.0), 1.0) * width * 2)


class TimerFace(Vertical):
    """Shows one segment's clock; each part redraws only when what it says has changed."""

    def compose(self) -> ComposeResult:
        yield Line(id="segment-title", markup=False)
        yield Digits("00:00", id="countdown")
        yield Bar(id="timer-status")
        yield SegmentProgress(id="progress")

    # Looked up once: ``show`` runs on every tick.
    @cached_property
    def title_line(self) -> Line:
        return self.query_one("#segment-title", Line)

    @cached_property
    def digits(self) -> Digits:
        return self.query_one("#countdown", Digits)

    @cached_property
    def status(self) -> Bar:
        return self.query_one("#timer-status", Bar)

    @cached_property
    def bar(self) -> SegmentProgress:
        return self.query_one("#progress", SegmentProgress)

    def show(
        self,
        segment: Segment,
        snap: Snapshot,
        *,
        follower: bool = False,
        keeper_away: bool = False,
        typing: bool = False,
    ) -> None:
        """Called every tick; the parts' reactives skip what has not changed."""
        self.title_line.text = f"{segment.index + 1}. {segment.title}"
        digits = self.digits
        countdown = countdown_text(snap)
        if digits.value != countdown:
            digits.update(countdown)
        words = status_words(snap, follower=follower, keeper_away=keeper_away, typing=typing)
        status = self.status
        status.text = words
        # On a short terminal an empty status line is a line the brief can use.
        shown = bool(words) or not self.screen.has_class("-low")
        if status.display != shown:
            status.display = shown
        # The bar changes only when a half cell fills: every tick in between costs nothing.
        bar = self.bar
        width = bar.size.width
        if width <= 0 or bar_halves(snap.progress, width) != bar.halves():
            bar.progress = snap.progress
        show_level(self, snap)
