"""Trades ranked by evidence: above the threshold by acceptance then median ratio, the counterpart's
own evidence before its kind's, the playbook's order below the threshold (and said so)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from coaching.items import Tradeable
from coaching.prep import SuggestedTrade
from coaching.trade_ranking import EvidenceRow, Scope, evidence_for, median_of_buckets, rank_trades


def trade(item: str) -> SuggestedTrade:
    return SuggestedTrade(
        give=Tradeable(item=item), ask=None, sentence=f"If you …, then we’ll give {item}.", why=""
    )


def test_below_the_threshold_the_playbook_order_stands_and_says_so() -> None:
    rows = [EvidenceRow(False, "workshop", True, 20, 2)]
    ranking = rank_trades(
        [trade("Review"), trade("Workshop")], rows, threshold=3, counterpart="X", kind_label="Customer"
    )
    assert not ranking.by_evidence
    assert [r.trade.give.item for r in ranking.trades] == ["Review", "Workshop"]
    assert "Fewer than 3 past offers" in ranking.note


def test_above_the_threshold_evidence_ranks_first_with_its_line() -> None:
    rows = [EvidenceRow(False, "workshop", True, 21, 3), EvidenceRow(False, "workshop", False, None, 1)]
    ranking = rank_trades(
        [trade("Review"), trade("Workshop")], rows, threshold=3, counterpart="X", kind_label="Customer"
    )
    assert ranking.by_evidence
    first = ranking.trades[0]
    assert first.trade.give.item == "Workshop"
    assert "accepted in 3 of 4 offers with customer counterparts here, refused in 1, median 2.1× value" in (
        first.line
    )


def test_the_counterparts_own_evidence_wins_over_the_kinds() -> None:
    rows = [EvidenceRow(True, "workshop", True, 30, 3), EvidenceRow(False, "workshop", False, None, 5)]
    evidence = evidence_for("workshop", rows, 3)
    assert evidence is not None and evidence.scope is Scope.COUNTERPART and evidence.offered == 3
    fewer = evidence_for("workshop", [EvidenceRow(True, "workshop", True, 30, 2), *rows[1:]], 3)
    assert fewer is not None and fewer.scope is Scope.KIND and fewer.offered == 5  # the kind's tallies


def test_median_of_a_histogram() -> None:
    assert median_of_buckets([(10, 1), (20, 1), (30, 1)]) == Fraction(2)
    assert median_of_buckets([(10, 2), (50, 1)]) == Fraction(1)
    assert median_of_buckets([]) is None


@given(st.lists(st.tuples(st.integers(0, 1000), st.integers(1, 50)), min_size=1, max_size=30))
def test_the_histogram_median_is_the_lists(pairs: list[tuple[int, int]]) -> None:
    values = sorted(b for b, c in pairs for _ in range(c))
    assert median_of_buckets(pairs) == Fraction(values[(len(values) - 1) // 2], 10)
