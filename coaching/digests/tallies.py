"""Tallies: the additive aggregates a week boils down to (what the storage layer's ``GROUP BY``
queries return), from rows or from the database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from coaching.debrief import Outcome
from coaching.digests.rows import NO_MONEY, CommitmentStatus, WeekRows
from coaching.items import Concession
from coaching.money import Money, MoneyTotals


def _sum_money(totals: Iterable[MoneyTotals]) -> MoneyTotals:
    sums: dict[str, int] = {}
    for total in totals:
        for money in total.amounts:
            sums[money.currency] = sums.get(money.currency, 0) + money.amount_minor
    return MoneyTotals(tuple(Money(sums[code], code) for code in sorted(sums)))


@dataclass(frozen=True, slots=True)
class Tally:
    """What a member (or a team, or everyone) did in one week, as sums that add up.

    This is the shape of a ``GROUP BY`` row: counts and per-currency totals. A currency appears in a
    total once any amount in it was recorded (even a zero), exactly as :class:`MoneyTotals` does.
    ``received`` counts what came back for concessions; ``money_left_behind`` is the giveaways' costs
    plus the shortfalls of trades that came back worth less (see :meth:`Concession.left_behind`).
    """

    negotiations: int = 0
    agreed: int = 0
    no_deal: int = 0
    paused: int = 0
    conceded: MoneyTotals = NO_MONEY
    received: MoneyTotals = NO_MONEY
    giveaways: int = 0
    giveaway_total: MoneyTotals = NO_MONEY
    money_left_behind: MoneyTotals = NO_MONEY
    limits_breached: int = 0
    commitments_kept: int = 0
    commitments_lapsed: int = 0

    @classmethod
    def total(cls, tallies: Iterable[Tally]) -> Tally:
        """The sum of many tallies (one pass; cheaper than adding them two by two)."""
        items = list(tallies)
        if len(items) == 1:
            return items[0]
        return cls(
            negotiations=sum(t.negotiations for t in items),
            agreed=sum(t.agreed for t in items),
            no_deal=sum(t.no_deal for t in items),
            paused=sum(t.paused for t in items),
            conceded=_sum_money(t.conceded for t in items),
            received=_sum_money(t.received for t in items),
            giveaways=sum(t.giveaways for t in items),
            giveaway_total=_sum_money(t.giveaway_total for t in items),
            money_left_behind=_sum_money(t.money_left_behind for t in items),
            limits_breached=sum(t.limits_breached for t in items),
            commitments_kept=sum(t.commitments_kept for t in items),
            commitments_lapsed=sum(t.commitments_lapsed for t in items),
        )

    def __add__(self, other: Tally) -> Tally:
        if not isinstance(other, Tally):
            return NotImplemented
        return Tally.total((self, other))

    @property
    def is_quiet(self) -> bool:
        """Nothing logged: no negotiation, no concession, no commitment kept or lapsed."""
        return (
            self.negotiations == 0
            and self.giveaways == 0
            and self.conceded.is_empty()
            and self.received.is_empty()
            and self.commitments_kept == 0
            and self.commitments_lapsed == 0
            and self.limits_breached == 0
        )


def concession_tally(concession: Concession, *, limit_breached: bool = False) -> Tally:
    """One concession's contribution to a week (the rule every storage query must match)."""
    giveaway = concession.is_giveaway
    return Tally(
        conceded=MoneyTotals.of((concession.cost,)),
        received=MoneyTotals() if giveaway else MoneyTotals.of((concession.received_value,)),
        giveaways=int(giveaway),
        giveaway_total=MoneyTotals.of((concession.cost,)) if giveaway else MoneyTotals(),
        money_left_behind=MoneyTotals.of((concession.left_behind(),)),
        limits_breached=int(limit_breached),
    )


def outcome_tally(outcome: Outcome) -> Tally:
    """One debriefed negotiation's contribution to a week."""
    return Tally(
        negotiations=1,
        agreed=int(outcome is Outcome.AGREED),
        no_deal=int(outcome is Outcome.NO_DEAL),
        paused=int(outcome is Outcome.PAUSED),
    )


def commitment_tally(status: CommitmentStatus) -> Tally:
    return Tally(
        commitments_kept=int(status is CommitmentStatus.KEPT),
        commitments_lapsed=int(status is CommitmentStatus.LAPSED),
    )


def tally_of(rows: WeekRows) -> Tally:
    """The tally of a week of rows."""
    return Tally.total(
        [
            Tally(),
            *(outcome_tally(row.outcome) for row in rows.negotiations),
            *(
                concession_tally(row.concession, limit_breached=row.limit_breached)
                for row in rows.concessions
            ),
            *(commitment_tally(row.status) for row in rows.commitments),
        ]
    )
