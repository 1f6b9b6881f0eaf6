"""The debrief's lesson, made concrete: the giveaway named, and the sentence that would have traded it.

A coach doesn't say "trade, never give" after a giveaway; they point at the item and rewrite the
moment in the learner's own style, as a conditional sentence they could have said:

- 🦁 Closer: the close, sold: “If you agree to 24-month term today, we'll include Onboarding day.”
- 🐬 Diplomat: the yes with its "if": “I can do Onboarding day, if you can agree to 24-month term.”
- 🦉 Strategist: the numbers side by side, then the trade.
- 🐵 Game Changer: the idea costed, then offered only for something: “We can add Onboarding day if
  you agree to 24-month term.”

The want comes from the prep (the most valuable one, in its currency first); without a want it says
to decide one before the next meeting, never a blank to fill.
"""

from __future__ import annotations

from coaching.items import Concession, Want
from coaching.styles import Style


def _rewrite(style: Style | None, gave: str, cost: str, want: Want) -> str:
    wanted = want.item
    if style is Style.CLOSER:
        return (
            f"You gave “{gave}”{cost} to get to yes. The close you could have sold instead: "
            f"“If you agree to {wanted} today, we'll include {gave}.”"
        )
    if style is Style.DIPLOMAT:
        return (
            f"You gave “{gave}”{cost} for nothing, to keep the peace. The same yes, with its “if”: "
            f"“I can do {gave}, if you can agree to {wanted}.”"
        )
    if style is Style.STRATEGIST:
        worth = f" (worth {want.value_to_us} to you)" if want.value_to_us is not None else ""
        return (
            f"You gave “{gave}”{cost} for nothing while “{wanted}”{worth} was on your list. "
            f"The sentence that would have traded it: “If you agree to {wanted}, then we'll agree to {gave}.”"
        )
    if style is Style.GAME_CHANGER:
        return (
            f"You offered “{gave}”{cost} before pricing it, and got nothing back. Costed first, it is a "
            f"trade: “We can add {gave} if you agree to {wanted}.”"
        )
    return (
        f"You gave “{gave}”{cost} for nothing. The sentence that would have traded it: "
        f"“I can do {gave}, if you can agree to {wanted}.”"
    )


def giveaway_rewrite(
    giveaways: tuple[Concession, ...], wants: tuple[Want, ...], style: Style | None = None
) -> str:
    """One or two sentences about the costliest giveaway (the first when none is priced), written
    for ``style``; "" if none."""
    if not giveaways:
        return ""
    priced = [g for g in giveaways if g.cost is not None]
    worst = max(priced, key=lambda g: g.cost.amount_minor if g.cost else 0) if priced else giveaways[0]
    cost = f" ({worst.cost})" if worst.cost is not None else ""
    if wants:
        return _rewrite(style, worst.item, cost, wants[0])
    said = f"You gave “{worst.item}”{cost} for nothing."
    return f"{said} Next time, decide before the meeting what you want back for it."
