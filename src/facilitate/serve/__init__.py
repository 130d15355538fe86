"""``facilitate serve``: the projector and the scribe views of one live session in a browser.

textual-serve runs one ``facilitate projector`` or ``facilitate join`` process per
browser connection, under Textual's web driver, on the facilitator's machine: one
clock, one session folder. What this package adds is the gate in front of it
(``server``): a random token per view in every URL, constant-time comparison, a
connection cap per view, only the files the page needs, and child processes that
end with the server.

Nothing here imports Textual (the views are the ordinary app, started as
processes); this module itself imports nothing heavy, because the command line
reads :func:`served_view` on every start.
"""

from __future__ import annotations

from collections.abc import Mapping

SERVE_VIEW_ENV = "FACILITATE_SERVE_VIEW"
"""Set by the server in each child's environment: the name of the view it serves."""

WEB_DRIVER = "textual.drivers.web_driver:WebDriver"
"""What textual-serve sets ``TEXTUAL_DRIVER`` to in the processes it starts."""

PROJECTOR = "projector"
SCRIBE = "scribe"
VIEWS = (PROJECTOR, SCRIBE)


def served_view(environ: Mapping[str, str]) -> str | None:
    """The view this process serves to a browser, or None when it is not one of ours.

    Both must hold: our own variable names a view, and Textual is told to use the web
    driver. Either alone is not enough (a stray variable in a shell must not let a
    command run without a terminal).
    """
    view = environ.get(SERVE_VIEW_ENV)
    if view in VIEWS and environ.get("TEXTUAL_DRIVER") == WEB_DRIVER:
        return view
    return None
