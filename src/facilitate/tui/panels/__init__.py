"""Side panels beside the clock: one module per panel on a small base."""

from __future__ import annotations

from facilitate.tui.panels.base import ObservationPanel
from facilitate.tui.panels.checklist import ChecklistPanel
from facilitate.tui.panels.lifecycle import LifecyclePanel
from facilitate.tui.panels.mobius import MobiusPanel

PANELS: dict[str, type[ObservationPanel]] = {
    "lifecycle": LifecyclePanel,
    "mobius": MobiusPanel,
    "checklist": ChecklistPanel,
}

__all__ = ["PANELS", "ChecklistPanel", "LifecyclePanel", "MobiusPanel", "ObservationPanel"]
