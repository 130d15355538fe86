"""Exporting a session from review: which format, for whom, where; the file written owner-only.

The dialog only asks. :func:`export_bytes` makes the same bytes as
``facilitate export`` (one call to the exporters), and :meth:`ExportWriter.deliver`
is the one step that puts them somewhere: today a file, written atomically and
readable by its owner only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from weakref import WeakKeyDictionary

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Select, Static

from facilitate.export import AUDIENCES, DATA, DEFAULT_AUDIENCE, FORMATS, render
from facilitate.files import write_private
from facilitate.store import LoadedSession
from facilitate.tui.dialogs.confirm import ConfirmScreen
from facilitate.tui.keys import CANCEL, Key, bindings
from facilitate.tui.styles import rich_style

EXPORT = Key("ctrl+s", "export", "Export")
FORMAT_LABELS = {
    "md": "Minutes as Markdown (.md)",
    "html": "Minutes as a web page: print it to PDF, paste it (.html)",
    "docx": "Minutes as a Word document (.docx)",
    "txt": "Minutes as plain text for an e-mail (.txt)",
    "csv": "The notes as a spreadsheet (.csv)",
    "json": "Everything, as data for other tools (.json)",
}
# format and audience last exported, per running app: the next export offers them again
_REMEMBERED: WeakKeyDictionary[App[object], tuple[str, str]] = WeakKeyDictionary()
AUDIENCE_LABELS = {
    "partnership": "For the partnership: the minutes to send",
    "facilitator": "For the facilitator: adds timing, checklists, observations, reflections",
}


@dataclass(frozen=True)
class ExportChoice:
    fmt: str
    audience: str | None  # None for csv and json, which are complete whoever reads them
    path: Path


class ExportScreen(ModalScreen[ExportChoice | None]):
    """Which format, for whom, and where; by default the home folder, named after the session."""

    BINDINGS = bindings(CANCEL, EXPORT)
    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical {
        width: 90%; max-width: 96; height: auto; max-height: 100%; border: thick $primary;
        padding: 0 1; background: $surface;
    }
    ExportScreen Label { margin-top: 1; }
    ExportScreen #audience.-data { display: none; }
    ExportScreen #problem { margin-top: 1; }
    """

    def __init__(
        self,
        sid: str,
        folder: Path,
        fmt: str | None = None,
        *,
        again: ExportChoice | None = None,
        problem: str = "",
    ) -> None:
        """``again``: a choice whose writing failed, offered as it was with ``problem``."""
        super().__init__()
        self.sid, self.folder = sid, folder
        self.again, self.problem = again, problem
        self.remember = fmt is None and again is None
        self.fmt, self.audience = fmt or "md", DEFAULT_AUDIENCE
        if again is not None:
            self.fmt, self.audience = again.fmt, again.audience or self.audience

    def compose(self) -> ComposeResult:
        if self.remember:  # the last format and audience chosen in this run of the program
            self.fmt, self.audience = _REMEMBERED.get(self.app, (self.fmt, self.audience))
        with Vertical():
            yield Label(f"Export {self.sid}", markup=False)
            yield Select(
                [(FORMAT_LABELS[f], f) for f in FORMATS],
                value=self.fmt,
                allow_blank=False,
                id="format",
            )
            yield Select(
                [(AUDIENCE_LABELS[a], a) for a in AUDIENCES],
                value=self.audience,
                allow_blank=False,
                id="audience",
                classes="-data" if self.fmt in DATA else "",
            )
            yield Label("Save as (enter exports; only you can read the file):")
            start = str(self.again.path) if self.again else str(self.folder / self._file_name())
            yield Input(start, id="path")
            if self.problem:  # in the dialog, not a toast over the path
                yield Static(Text(self.problem, style=rich_style("bold $error")), id="problem")
        yield Footer(compact=True)

    def _file_name(self) -> str:
        who = "-facilitator" if self.fmt not in DATA and self.audience == "facilitator" else ""
        return f"{self.sid}{who}.{self.fmt}"

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#path", Input))

    def _rename(self, old: str) -> None:
        """Follow the choice in the file name, unless the person typed a name of their own."""
        path = self.query_one("#path", Input)
        if path.value.endswith(old):
            path.value = path.value[: -len(old)] + self._file_name()

    @on(Select.Changed, "#format")
    def _format(self, event: Select.Changed) -> None:
        old = self._file_name()
        self.fmt = str(event.value)
        self.query_one("#audience").set_class(self.fmt in DATA, "-data")
        self._rename(old)

    @on(Select.Changed, "#audience")
    def _audience(self, event: Select.Changed) -> None:
        old = self._file_name()
        self.audience = str(event.value)
        self._rename(old)

    @on(Input.Submitted, "#path")
    def action_export(self) -> None:
        raw = self.query_one("#path", Input).value.strip()
        if not raw:
            return
        audience = None if self.fmt in DATA else self.audience
        choice = ExportChoice(self.fmt, audience, Path(raw).expanduser().absolute())
        if not choice.path.exists():
            self._chosen(choice)
            return
        # A file there may have been edited by hand since it was exported: ask first.
        question = f"{choice.path} is already there. Replace it? What it holds will be lost."

        def answered(replace: bool | None) -> None:
            if replace:
                self._chosen(choice)
            else:
                self.query_one("#path", Input).focus()

        self.app.push_screen(ConfirmScreen(question, "Replace", "Keep it"), answered)

    def _chosen(self, choice: ExportChoice) -> None:
        _REMEMBERED[self.app] = (self.fmt, self.audience)
        self.dismiss(choice)

    def action_cancel(self) -> None:
        self.dismiss(None)


def export_bytes(loaded: LoadedSession, choice: ExportChoice, tz: tzinfo) -> bytes:
    """What ``facilitate export`` would write for the same choice."""
    return render(choice.fmt, loaded, tz, audience=choice.audience)


class ExportWriter:
    """Where exported bytes go. One method, so another destination (a browser download)
    replaces only this step."""

    def deliver(self, data: bytes, choice: ExportChoice) -> str | None:
        """Write ``data`` as the command line does (whole or not at all, readable by the
        owner only, never through a symbolic link); the reason it failed, or None."""
        path = choice.path
        try:
            if not path.parent.is_dir():
                return f"the folder {path.parent} does not exist"
            write_private(path, data)
        except OSError as exc:
            return exc.strerror or str(exc)
        return None


def write_export(
    loaded: LoadedSession, choice: ExportChoice, tz: tzinfo, writer: ExportWriter | None = None
) -> str | None:
    """Make the export and deliver it; the reason it failed, or None."""
    try:
        data = export_bytes(loaded, choice, tz)
    except ValueError as exc:
        return str(exc)
    return (writer or ExportWriter()).deliver(data, choice)
