"""The segment brief: everything the agenda says about the current segment, scrollable.

How the room works (mode and groups), topics, prompts, feedback headings, roles
and the facilitator's own notes. When it does not fit, its bottom edge says how
many lines are left ("↓ 3 more · b") and ``b`` gives it the keyboard to scroll;
escape (or ``b`` again) hands the keyboard back to the notes.

The brief sits above the notes log (:class:`BriefAndNotes`): it takes the height it
needs and the log the rest, never less than the log's own minimum height; below 30
rows the brief takes at most two thirds of their room, and scrolls.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.css.scalar import Scalar
from textual.geometry import Size
from textual.widget import Widget

from facilitate.agenda import Segment

LOW_SHARE = 2 / 3  # on a short screen, the most of the brief and the log's room the brief takes


def brief_content(segment: Segment, *, private: bool) -> Content:
    """The brief as styled text. What the agenda says goes in as plain text, never markup.

    ``private``: the facilitator's notes are shown (the facilitator's own screen, or a
    scribe's when the agenda says ``notes_for_scribes``); never on the projector.
    Topics, feedback headings and roles are short names, run together on a line each
    ("Topics: A · B · C"); prompts are questions, one to a line.
    """
    lines: list[Content] = [_mode(segment)]

    def section(title: str, items: tuple[str, ...], bullet: str) -> None:
        if items:
            lines.append(Content.styled(title, "bold"))
            # No indent: a long prompt's wrapped lines start where its first one does.
            lines.extend(Content.assemble(f"{bullet} ", item) for item in items)

    def inline(title: str, items: tuple[str, ...]) -> None:
        if items:
            lines.append(Content.assemble((f"{title}: ", "bold"), " · ".join(items)))

    inline("Topics", segment.topics)
    section("Prompts", segment.prompts, "?")
    inline("Feedback headings", segment.feedback)
    inline("Roles", segment.roles)
    if segment.checklist:
        count = len(segment.checklist)
        lines.append(
            Content.styled(f"Checklist: {count} item{'s' * (count != 1)} (c opens it)", "dim")
        )
    if private and segment.notes.strip():
        lines.append(
            Content.assemble(
                ("Facilitator's notes", "bold"), ("  not shown to the room", "dim italic")
            )
        )
        lines.extend(Content(line.strip()) for line in segment.notes.strip().splitlines())
    return Content("\n").join(lines)


def _mode(segment: Segment) -> Content:
    """The kind and how the room works: "Activity · Pairs", "Plenary", "Break" (no group
    mode for a break: ``Segment.room_mode``)."""
    kind = "" if segment.kind == "session" else segment.kind.capitalize()
    mode = " · ".join(part for part in (kind, segment.room_mode) if part)
    if segment.groups:
        return Content.assemble((mode, "bold"), ": ", ", ".join(segment.groups))
    return Content.styled(mode, "bold")


def more_hint(below: int, *, focused: bool, above: int = 0) -> str:
    """What the brief's bottom edge says: how much is still below (and above, once it has
    scrolled), and how to reach it."""
    up = f"↑ {above} above · " if above else ""
    if focused:
        return f"{up}↓ {below} more · esc back" if below else f"{up}↑↓ scroll · esc back"
    if not below:
        return f"{up}b scrolls" if above else ""
    return f"{up}↓ {below} more · b"


class BriefText(Widget):
    """The brief's text; it redraws only when the segment (or who may see notes) changes."""

    DEFAULT_CSS = "BriefText { height: auto; width: 1fr; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._content = Content("")

    def update(self, content: Content) -> None:
        self._content = content
        self.refresh(layout=True)

    def render(self) -> Content:
        return self._content


class Brief(VerticalScroll):
    """Scrolls when the segment says more than there is room for, and says so. With the
    keyboard (``b``) its keys scroll; ``b`` or escape are the run screen's, and go back."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[Segment, bool] | None = None
        self._below = -1

    def compose(self) -> ComposeResult:
        yield BriefText()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The text's height at the width it is drawn at: the scroll bar's column is kept
        (``scrollbar-gutter: stable``) and is not the text's, which Textual's own measure
        of a growing scroll container leaves out (it would come out a line or two short)."""
        gutter = self.styles.scrollbar_size_vertical
        return super().get_content_height(container, viewport, max(1, width - gutter))

    def on_mount(self) -> None:
        # Whatever moves what is below the fold: a scroll, new text, a new size.
        self.watch(self, "scroll_y", lambda: self._say_more(), init=False)
        self.watch(self, "virtual_size", lambda: self._say_more(), init=False)

    def show(self, segment: Segment, *, private: bool) -> None:
        """Called on every render; draws only when the segment changed."""
        if (segment, private) == self._shown:
            return
        self._shown = (segment, private)
        self.query_one(BriefText).update(brief_content(segment, private=private))
        self.scroll_home(animate=False, immediate=True)
        self.call_after_refresh(self._say_more)

    @property
    def lines_below(self) -> int:
        """Lines of the brief below what is on screen."""
        seen = self.scrollable_content_region.height
        return max(0, self.virtual_size.height - seen - round(self.scroll_y))

    def _say_more(self, focused: bool | None = None) -> None:
        below, above = self.lines_below, round(self.scroll_y)
        focus = self.has_focus if focused is None else focused
        hint = more_hint(below, focused=focus, above=above)
        if hint != self.border_subtitle:
            self.border_subtitle = hint

    def on_resize(self) -> None:
        self._say_more()

    # Keys scroll at once: a scroll put off to the next frame started from where the one
    # before had not yet gone, so three Downs typed together moved one line.
    def action_scroll_down(self) -> None:
        self.scroll_down(animate=False, immediate=True)

    def action_scroll_up(self) -> None:
        self.scroll_up(animate=False, immediate=True)

    def action_page_down(self) -> None:
        page = self.scrollable_content_region.height
        self.scroll_to(y=self.scroll_target_y + page, animate=False, immediate=True)

    def action_page_up(self) -> None:
        page = self.scrollable_content_region.height
        self.scroll_to(y=self.scroll_target_y - page, animate=False, immediate=True)

    def action_scroll_home(self) -> None:
        self.scroll_home(animate=False, immediate=True)

    def action_scroll_end(self) -> None:
        self.scroll_end(animate=False, immediate=True)

    # These run before the widget's own handlers flip ``has_focus``: say which way it goes.
    def on_focus(self) -> None:
        self._say_more(focused=True)

    def on_blur(self) -> None:
        self._say_more(focused=False)


class BriefAndNotes(Vertical):
    """The brief above the notes log (its second child): the brief takes the height it
    needs, up to all of this box but the log's minimum height (``#log``'s min-height), and
    on a short screen (``-low``) up to :data:`LOW_SHARE` of it; the log has the rest."""

    DEFAULT_CSS = "BriefAndNotes { height: 1fr; }"

    def on_resize(self) -> None:
        self.fit()

    def fit(self) -> None:
        """Set the brief's greatest height for the room this box has now."""
        brief, log = self.query_one(Brief), self.children[-1]
        height = self.size.height
        most = height - _cells(log.styles.min_height, self) - log.styles.margin.height
        if self.screen.has_class("-low"):
            most = min(most, int(height * LOW_SHARE))
        brief.styles.max_height = max(_cells(brief.styles.min_height, self), most)


def _cells(scalar: Scalar | None, widget: Widget) -> int:
    return 0 if scalar is None else int(scalar.resolve(widget.size, widget.app.size))
