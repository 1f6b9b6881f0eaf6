"""Trades that work here: the plan's suggested trades ranked by this workspace's own evidence.

Evidence is the ledger: a concession with something received in return is a trade the other side
*accepted*; an item offered in a debrief and not conceded is one they *refused*. A trade request
counts as soon as it is decided: approved (or a counter accepted) as accepted, rejected as refused;
once its negotiation is debriefed the debrief's lines count instead (the query's rule, so nothing is
counted twice). For each suggested
trade (matched on its give item's key) the evidence with this counterpart is used when there is
enough of it (``threshold``, the playbook's ``policy.evidence_min_trades``), else the evidence with
the same kind of counterpart, else none: the trade keeps the playbook's order and the plan says so.
Trades with evidence come first, by acceptance rate, then times accepted, then median value ratio.

Pure: the query hands in grouped rows (:class:`EvidenceRow`), value ratios in tenths.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from coaching.counterpart_names import item_key
from coaching.prep import SuggestedTrade


class Scope(StrEnum):
    COUNTERPART = "counterpart"
    KIND = "kind"


@dataclass(frozen=True, slots=True)
class EvidenceRow:
    """A group of past ledger trades: same counterpart or not, item key, accepted or refused, the
    value ratio in tenths (None: not valued on both sides), how many."""

    same_counterpart: bool
    item_key: str
    accepted: bool
    bucket: int | None
    count: int


@dataclass(frozen=True, slots=True)
class ItemEvidence:
    scope: Scope
    accepted: int
    offered: int
    median_ratio: Fraction | None

    @property
    def rate(self) -> Fraction:
        return Fraction(self.accepted, self.offered) if self.offered else Fraction(0)


@dataclass(frozen=True, slots=True)
class RankedTrade:
    trade: SuggestedTrade
    evidence: ItemEvidence | None
    line: str
    """The trade with its evidence ("accepted in 3 of 4 customer negotiations here, median 2.1× value")."""


@dataclass(frozen=True, slots=True)
class Ranking:
    trades: tuple[RankedTrade, ...]
    by_evidence: bool
    """False when no trade had enough evidence: the playbook's order stands (:attr:`note` says so)."""
    note: str


def median_of_buckets(buckets: Iterable[tuple[int, int]]) -> Fraction | None:
    """The median of a histogram of (ratio in tenths, count); the lower middle on an even count."""
    pairs = sorted((b, c) for b, c in buckets if c > 0)
    total = sum(c for _b, c in pairs)
    if total == 0:
        return None
    middle = (total - 1) // 2
    seen = 0
    for bucket, count in pairs:
        seen += count
        if seen > middle:
            return Fraction(bucket, 10)
    raise AssertionError("unreachable")


def _evidence(rows: Sequence[EvidenceRow], scope: Scope) -> ItemEvidence:
    accepted = sum(r.count for r in rows if r.accepted)
    offered = sum(r.count for r in rows)
    median = median_of_buckets((r.bucket, r.count) for r in rows if r.accepted and r.bucket is not None)
    return ItemEvidence(scope, accepted, offered, median)


def evidence_for(key: str, rows: Sequence[EvidenceRow], threshold: int) -> ItemEvidence | None:
    """The evidence for one item: this counterpart's if there is enough, else this kind's (rows not
    flagged ``same_counterpart``: every trade with this kind, this counterpart's included), else None."""
    mine = [r for r in rows if r.item_key == key]
    same = [r for r in mine if r.same_counterpart]
    kind = [r for r in mine if not r.same_counterpart]
    if sum(r.count for r in same) >= threshold:
        return _evidence(same, Scope.COUNTERPART)
    if sum(r.count for r in kind) >= threshold:
        return _evidence(kind, Scope.KIND)
    return None


def describe(evidence: ItemEvidence, *, counterpart: str, kind_label: str) -> str:
    where = (
        f"with {counterpart}"
        if evidence.scope is Scope.COUNTERPART
        else f"with {kind_label.lower()} counterparts"
    )
    text = f"accepted in {evidence.accepted} of {evidence.offered} offers {where} here"
    refused = evidence.offered - evidence.accepted
    if refused:
        text += f", refused in {refused}"
    if evidence.median_ratio is not None and evidence.accepted:
        text += f", median {float(evidence.median_ratio):.1f}× value"
    return text


def rank_trades(
    trades: Sequence[SuggestedTrade],
    rows: Sequence[EvidenceRow],
    *,
    threshold: int,
    counterpart: str,
    kind_label: str,
) -> Ranking:
    """The trades, evidence first (see the module docstring), each with its line."""
    ranked: list[RankedTrade] = []
    for trade in trades:
        evidence = evidence_for(item_key(trade.give.item), rows, threshold)
        line = trade.sentence
        if evidence is not None:
            line += f" ({describe(evidence, counterpart=counterpart, kind_label=kind_label)})"
        ranked.append(RankedTrade(trade, evidence, line))
    backed = [r for r in ranked if r.evidence is not None]
    rest = [r for r in ranked if r.evidence is None]
    backed.sort(
        key=lambda r: (
            -(r.evidence.rate if r.evidence else 0),
            -(r.evidence.accepted if r.evidence else 0),
            -((r.evidence.median_ratio or 0) if r.evidence else 0),
        )
    )
    if backed:
        note = "Ranked by what worked here first"
        if rest:
            note += f"; the rest, with fewer than {threshold} past offers, in the playbook's order"
        return Ranking(tuple(backed + rest), True, note + ".")
    note = (
        f"Fewer than {threshold} past offers of these trades here: ranked by the playbook, not by evidence."
        if trades
        else ""
    )
    return Ranking(tuple(ranked), False, note)
