"""Terminal widths at which the run screen changes its layout (``layout``, ``side``).

Below :data:`COMPACT_BELOW` the run screen is compact. A side panel never squeezes the
countdown, the brief and the note box below :data:`MAIN_LEAST` columns: beside a panel
the agenda column gives way first (to the line saying what is on now and next), and
below :data:`PANEL_BESIDE_FROM` an open panel folds to one line until it is given the
keyboard. The panel and agenda widths are those of ``facilitate.tcss``.
"""

from __future__ import annotations

COMPACT_BELOW = 70
MAIN_LEAST = 56
AGENDA_AND_PANEL_FROM = 36 + 40 + MAIN_LEAST  # the agenda (narrowed) and a 40-wide panel
PANEL_BESIDE_FROM = 36 + MAIN_LEAST  # a 36-wide panel (below 110 columns)
