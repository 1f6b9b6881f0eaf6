"""Playbook data for the full plan, per style × counterpart kind (``coaching/data/styleplans.toml``).

A style's plan differs by counterpart kind too: a Diplomat facing a learner asks before holding the
line, a Strategist facing a customer asks who can block the renewal. Each style × kind has two
questions asked for the style's own purpose and one "For you" line; each style has its section
order (a kind may have its own) and one line naming how it gives ground.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final

from coaching.counterparts import CounterpartKind
from coaching.styles import Style

SECTIONS: Final = frozenset(
    {"questions", "trades", "limits", "commitments", "walk_away", "todo", "style", "moves", "reading"}
)


@dataclass(frozen=True, slots=True)
class StylePlan:
    """What one style's full plan says to one kind of counterpart, and in which order."""

    order: tuple[str, ...]
    questions_title: str
    questions: tuple[str, ...]
    for_you: str
    pattern: str


def _load() -> dict[tuple[Style, CounterpartKind], StylePlan]:
    raw: dict[str, Any] = tomllib.loads(
        resources.files("coaching").joinpath("data", "styleplans.toml").read_text("utf-8")
    )
    plans: dict[tuple[Style, CounterpartKind], StylePlan] = {}
    for style in Style:
        entry = raw[style.value]
        for kind in CounterpartKind:
            per_kind = entry["kinds"][kind.value]
            order = tuple(per_kind.get("order", entry["order"]))
            assert set(order) == SECTIONS and len(order) == len(SECTIONS), (style, kind, order)
            questions = tuple(per_kind["questions"])
            assert len(questions) == 2, (style, kind)
            plans[style, kind] = StylePlan(
                order, entry["questions_title"], questions, per_kind["for_you"], entry["pattern"]
            )
    return plans


PLANS: Final = _load()


def style_plan(style: Style, kind: CounterpartKind) -> StylePlan:
    """The full plan's data for this style and kind."""
    return PLANS[style, kind]
