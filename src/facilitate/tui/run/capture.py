"""The capture bar under the notes: what the next note is filed under, and the box to type it.

The bar keeps the scribe's context (group, role, feedback category) and shows, on
the line above the box, everything the next note will be filed under: the
segment, the group, the role (and who plays it), the kind the line's prefix
gives, the feedback category, and for an action the owner and due date read from
what is typed so far. The line wraps rather than being cut, so it reads whole at
any width.

On Enter it posts :class:`CaptureBar.Submitted` with the line, its context and
its segment; the screen decides (``commands.AddNote`` / ``EditNote``) and
records. A refused line is *held*: it waits, whole and alone, in a second box
above the one being typed in, with the reason beside it; up moves to it, enter
there saves it once fixed. The next note is never glued onto it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input

from facilitate.agenda import Segment
from facilitate.commands import CaptureContext
from facilitate.notes import NoteSyntaxError, kind_of, parse_note, uk_date
from facilitate.tui.keys import BACK_TO_NEW, FIX_HELD, bindings
from facilitate.tui.run.note_entry import Filing, NoteEntry

PLACEHOLDER = "d: decision · a: action @owner due:31/12 · q: question · f: feedback"
SEGMENT_CHARS = 30  # a long segment title is shortened here; the clock shows it whole

Part = tuple[str, str]


@dataclass(frozen=True)
class HeldNote:
    """A line that could not be saved, waiting to be fixed, with what it was typed under."""

    raw: str
    context: CaptureContext
    segment: int
    editing: str | None
    reason: str


@dataclass(frozen=True)
class Preview:
    """What the line typed so far will be: its kind, and an action's owner and due date."""

    kind: str = "note"
    owner: str | None = None
    due: str | None = None
    unreadable: bool = False


def preview_of(raw: str, today: date | None, default_kind: str) -> Preview:
    kind = kind_of(raw, default_kind)
    if today is None or kind != "action":
        return Preview(kind)
    try:
        parsed = parse_note(raw, today, default_kind=default_kind)
    except NoteSyntaxError:
        return Preview(kind, unreadable=True)
    return Preview(kind, parsed.owner, uk_date(parsed.due) if parsed.due else None)


class ContextLine(Widget):
    """Plain text with styled parts; wraps to as many lines as it needs."""

    DEFAULT_CSS = "ContextLine { height: auto; width: 1fr; }"

    parts: reactive[tuple[Part, ...]] = reactive((), layout=True)

    def render(self) -> Content:
        return Content.assemble(*self.parts)


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class CaptureBar(Vertical):
    DEFAULT_CSS = "CaptureBar { height: auto; }"
    BINDINGS = bindings(FIX_HELD, BACK_TO_NEW)

    context: reactive[CaptureContext] = reactive(CaptureContext, init=False)
    editing: reactive[str | None] = reactive(None, init=False)
    editing_place: reactive[str] = reactive("", init=False)
    segment: reactive[Segment | None] = reactive(None, init=False)
    person: reactive[str | None] = reactive(None, init=False)
    today: reactive[date | None] = reactive(None, init=False)
    preview: reactive[Preview] = reactive(Preview, init=False)
    held: reactive[tuple[HeldNote, ...]] = reactive((), init=False)

    @dataclass
    class Submitted(Message):
        """A line typed and Enter pressed: a new note, or the edit of ``editing``; ``held``
        when it comes from the box of a note that was refused before."""

        raw: str
        context: CaptureContext
        editing: str | None
        segment: int | None
        held: bool = False
        pressed: float | None = None  # when Enter was read (Textual's clock)

    def compose(self) -> ComposeResult:
        yield ContextLine(id="entry-context")
        yield ContextLine(id="entry-held-reason")
        yield NoteEntry(id="entry-held", keep_on_submit=True)
        yield NoteEntry(placeholder=PLACEHOLDER, id="entry")

    @property
    def entry(self) -> NoteEntry:
        return self.query_one("#entry", NoteEntry)

    @property
    def held_entry(self) -> NoteEntry:
        return self.query_one("#entry-held", NoteEntry)

    @property
    def default_kind(self) -> str:
        return "feedback" if self.context.category else "note"

    _ready = False

    def on_mount(self) -> None:
        self._ready = True
        self._refile()
        self._show_held()
        self._update_preview()
        self._show_context()

    def watch_context(self) -> None:
        self._refile()
        self._update_preview()
        self._show_context()

    def watch_editing(self) -> None:
        self._refile()
        self._show_context()

    def watch_segment(self) -> None:
        self._refile()
        self._show_context()

    def _refile(self) -> None:
        """Tell the box where lines go from now on; it applies this after the keys already
        waiting in it (a line entered just before a new group was picked keeps the old)."""
        if self._ready:
            segment = self.segment.index if self.segment is not None else None
            self.entry.post_message(NoteEntry.Refile(Filing(self.context, segment, self.editing)))

    def watch_person(self) -> None:
        self._show_context()

    def watch_today(self) -> None:
        self._update_preview()

    def watch_preview(self) -> None:
        self._show_context()

    def watch_held(self) -> None:
        self._show_held()

    @on(Input.Changed, "#entry")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._update_preview()

    def _update_preview(self) -> None:
        if self._ready:
            self.preview = preview_of(self.entry.value, self.today, self.default_kind)

    # -- the line above the box --

    def context_parts(self) -> list[Part]:
        """What the next note will be filed under, as (text, style) parts."""
        parts: list[Part] = []
        ctx, segment, preview = self.context, self.segment, self.preview

        def add(text: str, style: str = "") -> None:
            if parts:
                parts.append((" · ", "dim"))
            parts.append((text, style))

        if self.editing:
            add("EDITING", "bold reverse")
            add(self.editing_place or "this note")
            add("esc cancels", "dim")
        elif segment is not None:
            add(shorten(f"{segment.index + 1}. {segment.title}", SEGMENT_CHARS))
            if ctx.group:
                add(ctx.group, "bold")
            elif segment.groups:
                add(f"no group (esc 1-{min(9, len(segment.groups))})", "dim")
            if ctx.role:
                add(f"as {ctx.role}" + (f" ({self.person})" if self.person else ""), "bold")
            elif segment.roles:
                add("no role (esc o)", "dim")
        kind = preview.kind.upper()
        if preview.kind == "feedback" and ctx.category and not self.editing:
            add(f"{kind} in ", "bold")
            parts.append((ctx.category, "bold italic"))
        else:
            add(kind, "bold")
            if segment is not None and segment.feedback and not self.editing:
                parts.append((" (esc f: category)", "dim"))
        if preview.owner:
            add(f"owner {preview.owner}")
        if preview.due:
            add(f"due {preview.due}")
        if preview.unreadable:
            add("owner or due not readable yet", "dim")
        return parts

    def _show_context(self) -> None:
        if self._ready:
            self.query_one("#entry-context", ContextLine).parts = tuple(self.context_parts())

    # -- typing --

    @on(NoteEntry.Typed, "#entry")
    def _submitted(self, event: NoteEntry.Typed) -> None:
        event.stop()
        filing = event.filing
        if event.value.strip():
            self.post_message(
                self.Submitted(
                    event.value,
                    filing.context,
                    filing.editing,
                    filing.segment,
                    pressed=event.pressed,
                )
            )
        # An edit leaves the box once submitted (the box emptied itself at enter, and may
        # already hold the next note); if the edit is refused it is held, like a note.
        if filing.editing is not None and self.editing == filing.editing:
            self.editing = None

    @on(NoteEntry.Typed, "#entry-held")
    def _held_submitted(self, event: NoteEntry.Typed) -> None:
        event.stop()
        if not self.held:
            return
        if not event.value.strip():
            # Emptied on purpose: the scribe has thrown this line away.
            self.saved_held()
            self.notify("The note that was not saved is dropped.", timeout=4)
            return
        first = self.held[0]
        self.post_message(
            self.Submitted(event.value, first.context, first.editing, first.segment, True)
        )

    def begin_edit(self, note_id: str, line: str, place: str) -> None:
        self.editing_place = place
        self.editing = note_id
        self.entry.value = line
        self.entry.cursor_position = len(line)

    def end_edit(self) -> None:
        if self.editing is not None:
            self.editing = None
            self.entry.value = ""

    # -- refused lines --

    def hold(self, note: HeldNote) -> None:
        """Keep a refused line, whole and apart from whatever is typed next."""
        self.held = (*self.held, note)

    def refused_again(self, raw: str, reason: str) -> None:
        """The fixed line was refused too: it stays held, with the new reason."""
        if self.held:
            self.held = (replace(self.held[0], raw=raw, reason=reason), *self.held[1:])
            self.held_entry.value = raw

    def saved_held(self) -> None:
        """The held line is saved: the next one waiting (if any) takes its place."""
        box = self.held_entry
        was_here = box.has_focus
        self.held = self.held[1:]
        if was_here and not self.held:
            self.screen.set_focus(self.entry)
        elif self.held:
            # The next line waiting takes the box, whatever the box held before.
            box.value = self.held[0].raw
            box.cursor_position = len(box.value)

    def _show_held(self) -> None:
        if not self._ready:
            return
        box, reason = self.held_entry, self.query_one("#entry-held-reason", ContextLine)
        box.display = reason.display = bool(self.held)
        if not self.held:
            box.value = ""
            reason.parts = ()
            return
        first = self.held[0]
        if box.value != first.raw and not box.has_focus:
            box.value = first.raw
        more = f" (+{len(self.held) - 1} more)" if len(self.held) > 1 else ""
        here = self.screen.focused is box
        where = "enter saves it (emptied: drops it)" if here else "up arrow to fix it"
        reason.parts = (
            ("NOT SAVED", "bold reverse $error"),
            (f" {first.reason} · {where}{more}", "$error"),
        )

    def action_fix_held(self) -> None:
        if self.held and self.entry.has_focus:
            box = self.held_entry
            box.value = self.held[0].raw
            box.cursor_position = len(box.value)
            self.screen.set_focus(box)
            self._show_held()

    def action_back_to_new(self) -> None:
        if self.held_entry.has_focus:
            self.screen.set_focus(self.entry)
            self._show_held()
