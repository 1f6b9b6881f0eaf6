"""The debrief's lesson, made concrete: the giveaway named, and the sentence that would have traded it.

A coach doesn't say "trade, never give" after a giveaway; they point at the item and rewrite the
moment: "You gave “Onboarding day” (900 USD) for nothing. The sentence that trades it: “I can do the
onboarding day, if you can agree to a case study.”" The want comes from the prep (the most valuable
one, in its currency first); without a want it says to decide one before the next meeting, never a
blank to fill.
"""

from __future__ import annotations

from coaching.items import Concession, Want


def giveaway_rewrite(giveaways: tuple[Concession, ...], wants: tuple[Want, ...]) -> str:
    """One or two sentences about the costliest giveaway (the first when none is priced); "" if none."""
    if not giveaways:
        return ""
    priced = [g for g in giveaways if g.cost is not None]
    worst = max(priced, key=lambda g: g.cost.amount_minor if g.cost else 0) if priced else giveaways[0]
    cost = f" ({worst.cost})" if worst.cost is not None else ""
    said = f"You gave “{worst.item}”{cost} for nothing."
    if wants:
        trade = f"“I can do {worst.item}, if you can agree to {wants[0].item}.”"
        return f"{said} The sentence that would have traded it: {trade}"
    return f"{said} Next time, decide before the meeting what you want back for it."
