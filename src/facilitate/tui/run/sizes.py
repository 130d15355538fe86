"""The terminal width below which the run screen is compact (``layout``): there a side
panel opens only when asked (``side``)."""

from __future__ import annotations

COMPACT_BELOW = 70
