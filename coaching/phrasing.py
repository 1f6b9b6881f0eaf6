"""Small pieces of wording shared by every touch point, so a trade always reads the same way."""

from __future__ import annotations

import math
from fractions import Fraction


def quoted(text: str) -> str:
    """Text in typographic quotes, so user-typed items stand out inside our sentences."""
    return f"“{text}”"


def trade_sentence(give: str, get: str | None) -> str:
    """The conditional trade, "If you …, then we …": what they give first, what we give second.

    With nothing asked in return, the sentence keeps a visible gap to fill rather than a giveaway.
    """
    their_part = quoted(get) if get else "[what you want in return: decide before the meeting]"
    return f"If you agree to {their_part}, then we’ll agree to {quoted(give)}."


def format_ratio(ratio: Fraction) -> str:
    """A ratio as a multiple with one decimal, halves rounded up: 5/2 → ``2.5×``, 4 → ``4×``."""
    whole, tenth = divmod(math.floor(ratio * 10 + Fraction(1, 2)), 10)
    return f"{whole}×" if tenth == 0 else f"{whole}.{tenth}×"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 giveaway``, ``2 giveaways``."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"
