"""Handing an export to the person who asked for it: their browser, or a file here.

Under ``facilitate serve`` the app runs on the facilitator's machine while its
screen is in someone's browser: a file written "here" would land on the wrong
computer, so the export is delivered to the browser instead (Textual's
``deliver_text``/``deliver_binary``; the server hands it out once, to that page
only). In a terminal it is written to ``path``, readable by its owner only.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from textual.app import App

from facilitate.osfs import atomic_write


def deliver_file(app: App[Any], data: str | bytes, path: Path, what: str = "Export") -> bool:
    """Deliver ``data`` as ``path.name`` to the browser, or write it to ``path``; say which.

    True when it went (the browser then asks where to save it); False, said on screen,
    when it could not be written.
    """
    if app.is_web:
        if isinstance(data, str):
            app.deliver_text(io.StringIO(data), save_filename=path.name, encoding="utf-8")
        else:
            app.deliver_binary(io.BytesIO(data), save_filename=path.name)
        app.notify(f"{what} sent to your browser as {path.name}", markup=False)
        return True
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if not path.parent.is_dir():
            raise FileNotFoundError(0, f"the folder {path.parent} does not exist")
        atomic_write(path, raw)
    except OSError as exc:
        why = exc.strerror or str(exc)
        app.notify(f"{what} not written: {why}", severity="error", timeout=8, markup=False)
        return False
    app.notify(f"{what} written to {path} (only you can read it)", markup=False)
    return True
