"""The things people list in a prep or a debrief: tradeables, wants, ledger items, concessions,
commitments. Plain values, produced by :mod:`coaching.parsing` and read by prep, debrief and digests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction

from coaching.money import Money


class Side(StrEnum):
    """Which side of the table owns a commitment."""

    OURS = "ours"
    THEIRS = "theirs"


@dataclass(frozen=True, slots=True)
class Tradeable:
    """Something we could give: what it costs us and what it is worth to them (either may be unknown)."""

    item: str
    cost_to_us: Money | None = None
    value_to_them: Money | None = None

    def leverage(self) -> Fraction | None:
        """Value to them per unit of cost to us; None unless both are known, in one currency, and the
        cost is not zero (a free item's leverage is unbounded; see :func:`coaching.prep.rank_tradeables`).
        """
        if self.cost_to_us is None or self.value_to_them is None:
            return None
        if self.cost_to_us.currency != self.value_to_them.currency or self.cost_to_us.is_zero():
            return None
        return self.value_to_them.ratio_to(self.cost_to_us)


@dataclass(frozen=True, slots=True)
class Want:
    """Something we want in return, and what it is worth to us (None when not priced)."""

    item: str
    value_to_us: Money | None = None


@dataclass(frozen=True, slots=True)
class LedgerItem:
    """An item offered or held in a negotiation, with its value when known."""

    item: str
    value: Money | None = None


@dataclass(frozen=True, slots=True)
class Concession:
    """Something we conceded, what it cost us, and what came back (``received`` None = a giveaway)."""

    item: str
    cost: Money | None = None
    received: str | None = None
    received_value: Money | None = None

    @property
    def is_giveaway(self) -> bool:
        """Nothing came back for it."""
        return self.received is None

    def left_behind(self) -> Money | None:
        """Money left behind by this concession, or None when it cannot be told.

        * a giveaway: its whole cost;
        * a trade: the shortfall ``cost − received_value`` when what came back was worth less, else zero;
        * None when the cost is unknown, a trade's received value is unknown, or the two are in
          different currencies (never converted).
        """
        if self.cost is None:
            return None
        if self.is_giveaway:
            return self.cost
        if self.received_value is None or self.received_value.currency != self.cost.currency:
            return None
        shortfall = self.cost - self.received_value
        return shortfall if shortfall.amount_minor > 0 else Money.zero(self.cost.currency)


@dataclass(frozen=True, slots=True)
class Commitment:
    """Who promised what, by when. ``side`` is None when ``who`` is a name (either side)."""

    who: str
    what: str
    due: date
    side: Side | None = None
