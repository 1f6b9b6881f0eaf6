"""Direction and sanity checks on a prep: items on both sides, items on the wrong side, trades with
nothing asked in return. Each problem comes with its fix, so the plan never prints a placeholder.

* **both sides** (an item typed as something we give *and* something we want) is a field error in
  the modal: the plan cannot pair an item with itself;
* **wrong side** (something the other side usually gives, per counterpart kind, typed as ours to
  give, e.g. a customer's "24-month term") is a warning: the item is kept out of the trades and the
  plan says to move it to "What you want in return";
* **no want** (tradeables but no wants): no trade is written until there is something to ask for;
  the plan's to-do list asks for one instead of printing a blank to fill.
"""

from __future__ import annotations

from dataclasses import dataclass

from coaching.asks import direction_list
from coaching.counterparts import CounterpartKind
from coaching.items import Tradeable, Want
from coaching.matching import matches_limit, normalise


@dataclass(frozen=True, slots=True)
class DirectionWarning:
    item: str
    message: str


def both_sides(tradeables: tuple[Tradeable, ...], wants: tuple[Want, ...]) -> tuple[str, ...]:
    """Items typed both as something we give and as something we want (by wording)."""
    return tuple(t.item for t in tradeables if any(normalise(t.item) == normalise(w.item) for w in wants))


def both_sides_message(items: tuple[str, ...]) -> str:
    listed = ", ".join(f"“{item}”" for item in items)
    return (
        f"{listed} {'is' if len(items) == 1 else 'are'} also in what you want: keep each item on one "
        "side — something you give, or something you want in return."
    )


def wrong_side(
    tradeables: tuple[Tradeable, ...], kind: CounterpartKind, extra: tuple[str, ...] = ()
) -> tuple[DirectionWarning, ...]:
    """Tradeables that the other side usually gives (the default list for ``kind``, plus ``extra``
    from the organisation's playbook), with the fix."""
    phrases = (*direction_list(kind), *extra)
    warnings = []
    for tradeable in tradeables:
        if any(matches_limit(tradeable.item, phrase) for phrase in phrases):
            warnings.append(
                DirectionWarning(
                    tradeable.item,
                    f"“{tradeable.item}” is usually something a {kind.label.lower()} gives you: "
                    "move it to what you want in return (it is left out of your trades).",
                )
            )
    return tuple(warnings)
