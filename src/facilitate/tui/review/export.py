"""Exporting a session from review: which format, where, and the file written owner-only."""

from __future__ import annotations

from datetime import tzinfo
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Select

from facilitate.export import FORMATS, render
from facilitate.store import LoadedSession, atomic_write
from facilitate.tui.keys import CANCEL, Key, bindings

EXPORT = Key("ctrl+s", "export", "Export")
FORMAT_LABELS = {
    "md": "Markdown minutes (.md)",
    "csv": "Notes as CSV (.csv)",
    "json": "Everything as JSON (.json)",
}


class ExportScreen(ModalScreen[tuple[str, Path] | None]):
    """Which format, and where; by default the home folder, named after the session."""

    BINDINGS = bindings(CANCEL, EXPORT)
    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical {
        width: 80%; max-width: 90; height: auto; border: thick $primary; padding: 1 2;
        background: $surface;
    }
    ExportScreen Label { margin-top: 1; }
    """

    def __init__(self, sid: str, folder: Path, fmt: str = "md") -> None:
        super().__init__()
        self.sid, self.folder, self.fmt = sid, folder, fmt

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Export {self.sid}", markup=False)
            yield Select(
                [(FORMAT_LABELS[f], f) for f in FORMATS],
                value=self.fmt,
                allow_blank=False,
                id="format",
            )
            yield Label("Save as (enter exports; only you can read the file):")
            yield Input(str(self.folder / f"{self.sid}.{self.fmt}"), id="path")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    @on(Select.Changed, "#format")
    def _format(self, event: Select.Changed) -> None:
        old, new = self.fmt, str(event.value)
        path = self.query_one("#path", Input)
        if path.value.endswith(f".{old}"):
            path.value = path.value[: -len(old)] + new
        self.fmt = new

    @on(Input.Submitted, "#path")
    def action_export(self) -> None:
        raw = self.query_one("#path", Input).value.strip()
        if raw:
            self.dismiss((self.fmt, Path(raw).expanduser().absolute()))

    def action_cancel(self) -> None:
        self.dismiss(None)


def write_export(loaded: LoadedSession, fmt: str, path: Path, tz: tzinfo) -> str | None:
    """Write the export readable by the owner only; the reason it failed, or None."""
    try:
        data = render(fmt, loaded, tz).encode("utf-8")
        if not path.parent.is_dir():
            return f"the folder {path.parent} does not exist"
        atomic_write(path, data)
    except (OSError, ValueError) as exc:
        return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return None
