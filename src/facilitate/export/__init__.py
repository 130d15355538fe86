"""Exports of a finished (or running) session: minutes people open, and data other tools read.

``md``, ``html``, ``docx`` and ``txt`` are documents, built once per audience
(:mod:`~facilitate.export.minutes`: the partnership's minutes, or the
facilitator's report with timing, checklists, observations and reflections)
and drawn by one renderer per format. ``csv`` (the notes) and ``json`` (the
whole session) are the data contracts: complete, whoever reads them.

Every exporter is a pure function of the loaded session, a time zone and "now",
session state in and bytes out; none reads the clock or a file. When no ``now``
is given, the latest instant the session itself recorded stands in for it, so
exporting the same session twice gives the same bytes, even while it is running.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from facilitate.export.common import encodable, export_now, latest_instant
from facilitate.export.document import AUDIENCES
from facilitate.store import LoadedSession
from facilitate.text import json_controls_escaped, without_controls

DOCUMENTS = ("md", "html", "docx", "txt")
DATA = ("csv", "json")
FORMATS = (*DOCUMENTS, *DATA)
DEFAULT_AUDIENCE = "partnership"


def render(
    fmt: str,
    session: LoadedSession,
    tz: tzinfo,
    now: datetime | None = None,
    *,
    audience: str | None = None,
) -> bytes:
    """The session as the bytes of a file in ``fmt`` (one of :data:`FORMATS`).

    ``audience`` (:data:`AUDIENCES`, default partnership) chooses what a document
    holds; csv and json are complete data and refuse one. CSV starts with a
    byte-order mark and uses CRLF line ends, so Excel reads it as UTF-8.

    Minutes and CSV are read on terminals (``cat``, ``less -R``) and mailed on: a
    control character someone typed (an escape sequence in a note or an agenda title)
    is written as U+FFFD, all but tabs and line ends. JSON keeps every character: it
    writes each control character as a ``\\u`` escape.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if fmt in DATA:
        if audience is not None:
            raise ValueError(
                f"{fmt} is the complete data for other tools: --audience applies to "
                f"{', '.join(DOCUMENTS)}"
            )
        if fmt == "csv":
            from facilitate.export.csv_export import render_csv

            return without_controls(encodable(render_csv(session, tz))).encode("utf-8")
        from facilitate.export.json_export import render_json

        return json_controls_escaped(encodable(render_json(session, tz, now))).encode("utf-8")
    from facilitate.export.minutes import build_document

    doc = build_document(session, tz, now, audience or DEFAULT_AUDIENCE)
    if fmt == "docx":
        from facilitate.export.docx_export import render_docx

        return render_docx(doc, session.state.created)
    if fmt == "html":
        from facilitate.export.html import render_html

        text = render_html(doc)
    elif fmt == "txt":
        from facilitate.export.text import render_text

        text = render_text(doc)
    else:
        from facilitate.export.markdown import render_markdown

        text = render_markdown(doc)
    return without_controls(encodable(text)).encode("utf-8")


def render_text(
    fmt: str,
    session: LoadedSession,
    tz: tzinfo,
    now: datetime | None = None,
    *,
    audience: str | None = None,
) -> str:
    """:func:`render` as text, for the formats that are text (all but docx)."""
    if fmt == "docx":
        raise ValueError("docx is a binary format: use render()")
    return render(fmt, session, tz, now, audience=audience).decode("utf-8")


__all__ = [
    "AUDIENCES",
    "DATA",
    "DEFAULT_AUDIENCE",
    "DOCUMENTS",
    "FORMATS",
    "encodable",
    "export_now",
    "latest_instant",
    "render",
    "render_text",
]
