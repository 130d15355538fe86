"""What the process observer marked beside the clock, for the facilitator's report.

Marks are kept per segment and per group (or the whole room), with the time they were
made (:class:`~facilitate.state.Panels`): three groups observed at once keep three
counts. Each segment and group that has any gets a heading with when it was marked, then
its lifecycle stage and signs, its Mobius qualities and its tallies with their times.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import tzinfo

from facilitate.agenda import Agenda
from facilitate.events import QUALITY_STATES, TALLIES
from facilitate.export.document import Block, Bullets, Heading, Line, Span, Table, plain
from facilitate.paths import bundled_models_dir
from facilitate.reference import ReferenceModel, load_models
from facilitate.state import Observation, SessionState


def observation_blocks(agenda: Agenda, state: SessionState, tz: tzinfo) -> list[Block]:
    out: list[Block] = []
    for (segment, group), seen in state.panels.in_order():
        if 0 <= segment < len(agenda.segments):
            title = agenda.segments[segment].title
        else:
            title = f"Segment {segment + 1}"
        out.append(Heading(f"{title} · {group or 'whole room'}{_span(seen, tz)}"))
        out += _marks(seen, tz)
    return out


def _span(seen: Observation, tz: tzinfo) -> str:
    if seen.first_at is None or seen.last_at is None:
        return ""
    first, last = f"{seen.first_at.astimezone(tz):%H:%M}", f"{seen.last_at.astimezone(tz):%H:%M}"
    return f", {first}" if first == last else f", {first}–{last}"


def _when(seen: Observation, name: str, tz: tzinfo) -> str:
    return ", ".join(f"{at.astimezone(tz):%H:%M}" for at in seen.tally_times.get(name, ()))


@functools.cache
def bundled_models() -> dict[str, ReferenceModel]:
    """The models that come with facilitate, by id, in the workbook's order: their names
    and the order of their stages and signs are what the report shows (they never change
    while the program runs)."""
    models, _ = load_models(bundled_models_dir())
    return {m.id: m for m in models}


def _sign_order(model: ReferenceModel | None) -> Callable[[tuple[str, str]], tuple[int, str, str]]:
    """Signs in the model's order (stage by stage, as its file lists them); any the model
    does not know (renamed since) after them, alphabetically."""
    place: dict[tuple[str, str], int] = {}
    for stage in model.stages if model is not None else ():
        for trait in stage.traits:
            place.setdefault((stage.name, trait), len(place))
    return lambda sign: (place.get(sign, len(place)), *sign)


def _marks(seen: Observation, tz: tzinfo) -> list[Block]:
    out: list[Block] = []
    marked = set(seen.lifecycle_stage) | {m for m, t in seen.lifecycle_traits.items() if t}
    known = bundled_models()
    order = {m: i for i, m in enumerate(known)}
    models = sorted(marked, key=lambda m: (order.get(m, len(order)), m))
    if models:
        items: list[Line] = []
        for model in models:
            stage = seen.lifecycle_stage.get(model) or "no stage marked"
            title = known[model].title if model in known else model
            items.append((Span(f"{title}: ", "strong"), Span(stage)))
            signs = sorted(seen.lifecycle_traits.get(model, ()), key=_sign_order(known.get(model)))
            items += [
                (Span(f"Seen: {trait} ", ""), Span(f"({trait_stage})", "muted"))
                for trait_stage, trait in signs
            ]
        out += [Heading("Partnership lifecycle", 4), Bullets(tuple(items))]
    if seen.qualities:
        states = [*QUALITY_STATES, *sorted(set(seen.qualities.values()) - set(QUALITY_STATES))]
        items = []
        for quality_state in states:
            names = sorted(q for q, s in seen.qualities.items() if s == quality_state)
            if names:
                items.append(
                    (Span(f"{quality_state.capitalize()}: ", "strong"), Span(", ".join(names)))
                )
        out += [Heading("Mobius qualities", 4), Bullets(tuple(items))]
    if any(seen.tallies.values()):
        names = [*TALLIES, *sorted(set(seen.tallies) - set(TALLIES))]
        rows = tuple(
            (
                plain(n.capitalize()),
                plain(str(seen.tallies.get(n, 0))),
                plain(
                    ", ".join(f"{at.astimezone(tz):%H:%M}" for at in seen.tally_times.get(n, ()))
                ),
            )
            for n in names
        )
        out += [
            Heading("Monologue and dialogue", 4),
            Table(("Heard", "Times", "When"), rows, numeric=(False, True, False), grid=True),
        ]
    return out
