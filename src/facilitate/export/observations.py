"""What the process observer marked beside the clock, for the facilitator's report.

Written against today's :class:`~facilitate.state.Panels` (one set of marks for
the whole session). When observations are recorded per segment and group, this
is the one function to change: it returns the blocks of the report's
"Observations" section.
"""

from __future__ import annotations

from facilitate.agenda import Agenda
from facilitate.events import QUALITY_STATES, TALLIES
from facilitate.export.document import Block, Bullets, Heading, Span, Table, plain
from facilitate.state import SessionState


def observation_blocks(agenda: Agenda, state: SessionState) -> list[Block]:
    panels = state.panels
    out: list[Block] = []
    models = sorted(
        set(panels.lifecycle_stage) | {m for m, t in panels.lifecycle_traits.items() if t}
    )
    if models:
        items = []
        for model in models:
            stage = panels.lifecycle_stage.get(model) or "no stage marked"
            items.append((Span(f"{model}: ", "strong"), Span(stage)))
            items += [
                (Span(f"Seen: {trait} ", ""), Span(f"({trait_stage})", "muted"))
                for trait_stage, trait in sorted(panels.lifecycle_traits.get(model, ()))
            ]
        out += [Heading("Partnership lifecycle"), Bullets(tuple(items))]
    if panels.qualities:
        states = [*QUALITY_STATES, *sorted(set(panels.qualities.values()) - set(QUALITY_STATES))]
        items = []
        for quality_state in states:
            names = sorted(q for q, s in panels.qualities.items() if s == quality_state)
            if names:
                items.append(
                    (Span(f"{quality_state.capitalize()}: ", "strong"), Span(", ".join(names)))
                )
        out += [Heading("Mobius qualities"), Bullets(tuple(items))]
    if panels.tallies:
        names = [*TALLIES, *sorted(set(panels.tallies) - set(TALLIES))]
        rows = tuple((plain(n.capitalize()), plain(str(panels.tallies.get(n, 0)))) for n in names)
        out += [
            Heading("Monologue and dialogue"),
            Table(("Heard", "Times"), rows, numeric=(False, True), grid=True),
        ]
    return out
