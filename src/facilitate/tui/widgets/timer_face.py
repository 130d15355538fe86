"""The big countdown with the segment's title, group mode and what to cover."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Digits, Label, ProgressBar, Static

from facilitate.agenda import Segment
from facilitate.schedule import Snapshot, display_seconds, format_clock
from facilitate.tui.widgets.text import set_text

# The bar moves in steps a person can see, not every tick.
PROGRESS_STEP = 0.005
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


def status_words(snap: Snapshot) -> str:
    if snap.level in ("ready", "ended"):
        return LEVEL_WORDS[snap.level]
    words = LEVEL_WORDS.get(snap.level, "")
    if not snap.running:
        words = "PAUSED" + (f" · {words}" if words else "")
    return words


class TimerFace(Vertical):
    """Shows one segment's clock; only widgets whose text changed are refreshed."""

    def compose(self) -> ComposeResult:
        yield Label("", id="segment-title")
        yield Label("", id="segment-mode")
        yield Digits("00:00", id="countdown")
        yield Label("", id="timer-status")
        yield ProgressBar(total=1.0, show_eta=False, show_percentage=False, id="progress")
        yield Static("", id="segment-detail")

    def show(self, segment: Segment, snap: Snapshot) -> None:
        """Called every tick: each part is rewritten only when what it says has changed."""
        set_text(self.query_one("#segment-title", Label), f"{segment.index + 1}. {segment.title}")
        mode = segment.mode_label
        if segment.groups:
            mode += ": " + ", ".join(segment.groups)
        if segment.kind != "session":
            mode = f"{segment.kind.capitalize()} · {mode}"
        set_text(self.query_one("#segment-mode", Label), mode)
        digits = self.query_one("#countdown", Digits)
        countdown = countdown_text(snap)
        if digits.value != countdown:
            digits.update(countdown)
        set_text(self.query_one("#timer-status", Label), status_words(snap), layout=False)
        bar = self.query_one("#progress", ProgressBar)
        progress = round(snap.progress / PROGRESS_STEP) * PROGRESS_STEP
        if bar.progress != progress:
            bar.update(progress=progress)
        for level in LEVELS:
            self.set_class(snap.level == level, f"-{level}")
        self.set_class(not snap.running and snap.level != "ended", "-paused")
        set_text(self.query_one("#segment-detail", Static), detail_text(segment))


def detail_text(segment: Segment) -> str:
    lines: list[str] = []
    if segment.topics:
        lines.append("[b]Topics[/b]")
        lines += [f" • {_escape(t)}" for t in segment.topics]
    if segment.prompts:
        lines.append("[b]Prompts[/b]")
        lines += [f" ? {_escape(p)}" for p in segment.prompts]
    if segment.roles:
        lines.append("[b]Roles[/b]: " + ", ".join(_escape(r) for r in segment.roles))
    if segment.feedback:
        lines.append("[b]Feedback[/b]: " + " · ".join(_escape(f) for f in segment.feedback))
    return "\n".join(lines)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
