"""Terminal widths at which the run screen changes its layout (``layout``, ``side``).

Below :data:`COMPACT_BELOW` the run screen is compact. A side panel never squeezes the
countdown, the brief and the note box below :data:`MAIN_LEAST` columns: beside a panel
the agenda column gives way first (to the line saying what is on now and next), and
below :data:`AGENDA_AND_PANEL_FROM` an open panel folds to one line until it is given
the keyboard (so the agenda column stays). Where the agenda column is shown (from
:data:`AGENDA_FROM`), the folded panel's line is the agenda's bottom edge: the brief
loses no row to it. The panel and agenda widths are those of ``facilitate.tcss``.
"""

from __future__ import annotations

COMPACT_BELOW = 70
AGENDA_FROM = 110  # the agenda column is shown from this width (``-wide``)
MAIN_LEAST = 56
AGENDA_AND_PANEL_FROM = 36 + 40 + MAIN_LEAST  # the agenda (narrowed) and a 40-wide panel
