from __future__ import annotations

import itertools
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coaching.counterparts import CounterpartKind
from coaching.debrief import CurrencyBalance, Outcome
from coaching.digests import (
    ApprovalRow,
    AttentionItem,
    AttentionKind,
    CommitmentRow,
    CommitmentStatus,
    ConcessionRow,
    Direction,
    NegotiationRow,
    RecurringGiveaway,
    WeekRows,
    learner_digest,
    manager_digest,
    most_expensive_giveaway,
    org_digest,
    recurring_giveaways,
    sparkline,
    standard_trends,
    tip_of_the_week,
    trend,
    week_metrics,
)
from coaching.items import Concession
from coaching.money import Money, MoneyTotals
from coaching.playbook import Playbook
from coaching.styles import Style


def exactly(message: str) -> str:
    """A ``pytest.raises`` pattern for ``message`` exactly: nothing may be wrapped around it."""
    return rf"\A{re.escape(message)}\Z"


MONDAY = date(2025, 3, 10)
TODAY = date(2025, 3, 10)
NOW = datetime(2025, 3, 10, 9, tzinfo=UTC)


def usd(major: int | str) -> Money:
    return Money.of(major, "USD")


def negotiation(member: str, outcome: Outcome = Outcome.AGREED, **kw: object) -> NegotiationRow:
    defaults: dict[str, object] = {
        "team": "L&D",
        "style": Style.DIPLOMAT,
        "counterpart_kind": CounterpartKind.MANAGEMENT,
        "occurred_on": MONDAY - timedelta(days=3),
    }
    defaults.update(kw)
    return NegotiationRow(member, outcome=outcome, **defaults)  # type: ignore[arg-type]


def concession(member: str, c: Concession, **kw: object) -> ConcessionRow:
    defaults: dict[str, object] = {
        "team": "L&D",
        "style": Style.DIPLOMAT,
        "counterpart_kind": CounterpartKind.MANAGEMENT,
        "occurred_on": MONDAY - timedelta(days=3),
    }
    defaults.update(kw)
    return ConcessionRow(member, concession=c, **defaults)  # type: ignore[arg-type]


WEEK = WeekRows(
    MONDAY,
    negotiations=(
        negotiation("ana"),
        negotiation("ana", Outcome.NO_DEAL, counterpart_kind=CounterpartKind.CONSULTANT),
        negotiation("bo", style=Style.CLOSER, team="Sales", counterpart_kind=CounterpartKind.CUSTOMER),
        negotiation("cy", Outcome.PAUSED, style=None, team=None),
    ),
    concessions=(
        concession("ana", Concession("Extra day", usd(2000), "24-month term", usd(10000))),
        concession("ana", Concession("Discount 5%", usd(3000))),
        concession("ana", Concession("Free coaching", usd(300))),
        concession(
            "bo",
            Concession("Free coaching", usd(500)),
            style=Style.CLOSER,
            team="Sales",
            counterpart_kind=CounterpartKind.CUSTOMER,
            limit_breached=True,
        ),
        concession(
            "bo",
            Concession("Job aids", usd(800), "case study", usd(200)),
            style=Style.CLOSER,
            team="Sales",
            counterpart_kind=CounterpartKind.CUSTOMER,
        ),
        concession("cy", Concession("Room", Money.of(100, "EUR")), style=None, team=None),
    ),
    commitments=(
        CommitmentRow("ana", "L&D", "send agenda", date(2025, 3, 7), CommitmentStatus.KEPT),
        CommitmentRow("ana", "L&D", "book room", date(2025, 3, 6), CommitmentStatus.LAPSED),
        CommitmentRow("ana", "L&D", "confirm VPs", date(2025, 3, 12), CommitmentStatus.OPEN),
        CommitmentRow("ana", "L&D", "far away", date(2025, 4, 30), CommitmentStatus.OPEN),
        CommitmentRow("bo", "Sales", "old open", date(2025, 3, 5), CommitmentStatus.OPEN),
        CommitmentRow("bo", "Sales", "cancelled", date(2025, 3, 11), CommitmentStatus.CANCELLED),
    ),
    approvals=(
        ApprovalRow("r1", "ana", "mgr", "L&D", "Half a day for a planning seat", NOW - timedelta(hours=30)),
        ApprovalRow("r2", "bo", "mgr", "Sales", "Discount for a reference", NOW - timedelta(hours=2)),
    ),
)


def past_week(weeks_ago: int, giveaways: int, agreed: int = 1) -> WeekRows:
    monday = MONDAY - timedelta(weeks=weeks_ago)
    return WeekRows(
        monday,
        negotiations=tuple(negotiation("ana", occurred_on=monday) for _ in range(agreed)),
        concessions=tuple(
            concession("ana", Concession("Free coaching", usd(100)), occurred_on=monday)
            for _ in range(giveaways)
        ),
    )


HISTORY = [past_week(4, 0), past_week(3, 1), past_week(2, 1), past_week(1, 2, agreed=2)]


class TestMetrics:
    def test_week_metrics(self, playbook: Playbook) -> None:
        metrics = week_metrics(WEEK, today=TODAY, playbook=playbook)
        assert (metrics.negotiations, metrics.agreed, metrics.no_deal, metrics.paused) == (4, 2, 1, 1)
        assert metrics.conceded == MoneyTotals((Money.of(100, "EUR"), usd(6600)))
        assert metrics.received == MoneyTotals((usd(10200),))
        assert metrics.giveaways == 4
        assert metrics.giveaway_total == MoneyTotals((Money.of(100, "EUR"), usd(3800)))
        assert metrics.money_left_behind == MoneyTotals((Money.of(100, "EUR"), usd(4400)))
        assert metrics.top_giveaway is not None and metrics.top_giveaway.concession.item == "Discount 5%"
        assert metrics.limits_breached == 1
        assert (metrics.commitments_kept, metrics.commitments_lapsed) == (1, 1)
        assert [row.what for row in metrics.commitments_upcoming] == ["confirm VPs"]
        assert metrics.balance_in("USD") == CurrencyBalance(
            "USD", usd(6600), usd(10200), usd(3600), metrics.balances[1].ratio, False
        )
        assert metrics.balance_in("GBP") is None

    def test_most_expensive_giveaway(self) -> None:
        rows = [
            concession("a", Concession("yen", Money.of(900000, "JPY"))),
            concession("a", Concession("small", usd(1))),
            concession("a", Concession("tie", usd(5))),
            concession("a", Concession("tie later", usd(5))),
            concession("a", Concession("trade", usd(99), "x")),
        ]
        top = most_expensive_giveaway(rows, "USD")
        assert top is not None and top.concession.item == "tie"
        only_yen = most_expensive_giveaway(rows[:1], "USD")
        assert only_yen is not None and only_yen.concession.item == "yen"
        assert most_expensive_giveaway([concession("a", Concession("unpriced"))], "USD") is None


class TestTrends:
    @pytest.mark.parametrize(
        ("values", "direction", "words"),
        [
            ([2, 2, 2, 2, 3], Direction.UP, "up 50 % on the 4-week average (2 → 3)"),
            ([4, 4, 2, 2, 1], Direction.DOWN, "down 67 % on the 4-week average (3 → 1)"),
            ([20, 20, 20, 20, 20], Direction.FLAT, "about the same as the 4-week average (20 → 20)"),
            ([100, 100, 100, 100, 104], Direction.FLAT, "about the same as the 4-week average (100 → 104)"),
            ([0, 0, 0, 0, 0], Direction.FLAT, "none this week or in the previous 4 weeks"),
            ([0, 0, 3], Direction.UP, "up from none in the previous 2 weeks to 3"),
            ([0, -2], Direction.DOWN, "down from zero in the previous 1 week to -2"),
            ([5], Direction.NEW, "no earlier weeks to compare with yet"),
            ([-4, -2], Direction.UP, "up 50 % on the 1-week average (-4 → -2)"),
        ],
    )
    def test_words_and_direction(self, values: list[int], direction: Direction, words: str) -> None:
        result = trend("x", values, higher_is_better=None)
        assert (result.direction, result.words) == (direction, words)
        assert result.values == tuple(values) and result.better is None

    def test_better_or_worse(self) -> None:
        assert trend("g", [1, 1, 1, 1, 3], higher_is_better=False).better is False
        assert trend("g", [3, 3, 3, 3, 1], higher_is_better=False).better is True
        assert trend("g", [3, 3, 3, 3, 3], higher_is_better=True).better is None

    def test_money_values(self) -> None:
        result = trend("left", [10000, 30000], higher_is_better=False, show=lambda m: str(Money(m, "USD")))
        assert result.words == "up 200 % on the 1-week average (100 USD → 300 USD)"

    def test_a_trend_needs_a_value(self) -> None:
        with pytest.raises(ValueError, match=exactly("a trend needs at least this week's value")):
            trend("x", [], higher_is_better=None)

    @pytest.mark.parametrize(
        ("values", "expected"),
        [
            ([1, 3, 5, 7], "▂▄▆█"),
            ([0, 0, 0], "▁▁▁"),
            ([5, 5], "██"),
            ([], ""),
            ([-2, 0, 2], "▁▅█"),
            ([0, 1, 2, 3, 4, 5, 6, 7], "▁▂▃▄▅▆▇█"),
        ],
    )
    def test_sparkline(self, values: list[int], expected: str) -> None:
        assert sparkline(values) == expected

    @settings(max_examples=200, deadline=None)
    @given(values=st.lists(st.integers(-(10**9), 10**9), min_size=1, max_size=8))
    def test_sparkline_properties(self, values: list[int]) -> None:
        line = sparkline(values)
        assert len(line) == len(values)
        assert set(line) <= set("▁▂▃▄▅▆▇█")
        if max(values) > min(0, *values):
            assert line[values.index(max(values))] == "█"

    @settings(max_examples=200, deadline=None)
    @given(values=st.lists(st.integers(0, 10**6), min_size=1, max_size=5))
    def test_trend_direction_matches_the_numbers(self, values: list[int]) -> None:
        result = trend("x", values, higher_is_better=True)
        if len(values) == 1:
            assert result.direction is Direction.NEW
            return
        earlier = values[:-1]
        average = sum(earlier) / len(earlier)
        if values[-1] > average * 1.06:
            assert result.direction is Direction.UP and result.better is True
        elif values[-1] < average * 0.94:
            assert result.direction is Direction.DOWN and result.better is False


class TestTips:
    def test_rotation_is_by_iso_week_and_never_repeats_back_to_back(self, playbook: Playbook) -> None:
        for style in (*Style, None):
            tips = [
                tip_of_the_week(style, date(2024, 12, 2) + timedelta(weeks=n), playbook) for n in range(60)
            ]
            assert all(a != b for a, b in itertools.pairwise(tips))
            assert set(tips) == set(playbook.tips_for(style))

    def test_any_day_of_the_week_gives_the_same_tip(self, playbook: Playbook) -> None:
        week = {tip_of_the_week(Style.CLOSER, MONDAY + timedelta(days=n), playbook) for n in range(7)}
        assert len(week) == 1

    def test_across_a_year_end(self, playbook: Playbook) -> None:
        last = tip_of_the_week(Style.DIPLOMAT, date(2026, 12, 28), playbook)  # ISO week 53 of 2026
        first = tip_of_the_week(Style.DIPLOMAT, date(2027, 1, 4), playbook)  # ISO week 1 of 2027
        assert last != first


class TestLearnerDigest:
    def test_content(self, playbook: Playbook) -> None:
        digest = learner_digest("ana", Style.DIPLOMAT, WEEK, HISTORY, today=TODAY, playbook=playbook)
        metrics = digest.metrics
        assert (metrics.negotiations, metrics.agreed, metrics.giveaways) == (2, 1, 2)
        assert metrics.money_left_behind == MoneyTotals((usd(3300),))
        assert digest.headline == (
            "2 negotiations (1 agreed); conceded 5,300 USD, received 10,000 USD, 1.9×; 2 giveaways; "
            "3,300 USD left behind."
        )
        assert (
            digest.top_giveaway
            == "Most expensive giveaway: “Discount 5%” (3,000 USD), with nothing in return."
        )
        assert digest.tip == tip_of_the_week(Style.DIPLOMAT, MONDAY, playbook)
        negotiations, giveaways, left, difference = digest.trends
        assert negotiations.values == (1, 1, 1, 2, 2) and negotiations.sparkline == "▅▅▅██"
        assert giveaways.values == (0, 1, 1, 2, 2)
        assert giveaways.words == "up 100 % on the 4-week average (1 → 2)" and giveaways.better is False
        assert left.values == (0, 10000, 10000, 20000, 330000)
        assert left.words == "up 3200 % on the 4-week average (100 USD → 3,300 USD)"
        assert difference.values[-1] == 470000 and difference.better is True

    def test_a_quiet_week(self, playbook: Playbook) -> None:
        digest = learner_digest("nobody", None, WEEK, [], today=TODAY, playbook=playbook)
        assert digest.headline == "No negotiations logged this week."
        assert digest.top_giveaway is None
        assert all(t.direction is Direction.NEW for t in digest.trends)
        assert digest.tip in playbook.tips_for(None)

    def test_standard_trends_labels(self, playbook: Playbook) -> None:
        metrics = week_metrics(WEEK, today=TODAY, playbook=playbook)
        assert [t.label for t in standard_trends([metrics], "USD")] == [
            "Negotiations",
            "Giveaways",
            "Money left behind",
            "Give/get difference",
        ]


class TestManagerDigest:
    def test_content(self, playbook: Playbook) -> None:
        members = {"ana": Style.DIPLOMAT, "bo": Style.CLOSER, "dee": None}
        digest = manager_digest(members, WEEK, HISTORY, now=NOW, today=TODAY, playbook=playbook, team="L&D")
        assert digest.team == "L&D" and digest.week_start == MONDAY
        assert [line.member_id for line in digest.members] == ["ana", "bo", "dee"]
        assert digest.members[2].metrics.negotiations == 0
        assert digest.team_metrics.negotiations == 3  # "cy" is not in the team
        assert digest.needs_attention == (
            AttentionItem("bo", AttentionKind.LIMIT_BREACHED, "conceded past a prep limit 1 time"),
            AttentionItem("ana", AttentionKind.LAPSED_COMMITMENT, "1 commitment lapsed"),
            AttentionItem(
                "ana",
                AttentionKind.GIVEAWAYS,
                "2 giveaways worth 3,300 USD: concessions with nothing in return",
            ),
            AttentionItem(
                "bo", AttentionKind.GIVEAWAYS, "1 giveaway worth 500 USD: concessions with nothing in return"
            ),
            AttentionItem(
                "bo",
                AttentionKind.LOW_BALANCE,
                "got 0.2× back for what they gave in USD (standard 1×): conceded 1,300 USD, received 200 USD",
            ),
            AttentionItem(
                "ana",
                AttentionKind.STALE_APPROVAL,
                "trade request “Half a day for a planning seat” has waited 30 hours for a decision",
            ),
        )
        assert [(r.member_id, r.what) for r in digest.overdue_commitments] == [
            ("bo", "old open"),
            ("ana", "book room"),
        ]
        assert [(p.row.request_id, p.age_hours) for p in digest.pending_approvals] == [("r1", 30), ("r2", 2)]
        assert digest.trends[0].values == (1, 1, 1, 2, 3)


class TestOrgDigest:
    def test_roll_ups(self, playbook: Playbook) -> None:
        digest = org_digest(WEEK, HISTORY, today=TODAY, playbook=playbook)
        assert digest.metrics.negotiations == 4
        assert [(r.key, r.label, r.negotiations, r.giveaways) for r in digest.by_team] == [
            ("L&D", "L&D", 2, 2),
            ("Sales", "Sales", 1, 1),
            ("no team", "no team", 1, 1),
        ]
        assert [(r.key, r.label) for r in digest.by_kind] == [
            ("consultant", "Consultant / vendor"),
            ("customer", "Customer"),
            ("management", "Management"),
        ]
        assert [(r.key, r.label, r.agreed) for r in digest.by_style] == [
            ("closer", "🦁 Closer", 1),
            ("diplomat", "🐬 Diplomat", 1),
            ("no_style", "🧭 No style yet", 0),
        ]
        sales = digest.by_team[1]
        assert sales.conceded == MoneyTotals((usd(1300),)) and sales.received == MoneyTotals((usd(200),))
        assert sales.money_left_behind == MoneyTotals((usd(1100),))
        assert digest.recurring_giveaways == (
            RecurringGiveaway("Free coaching", 6, MoneyTotals((usd(1200),))),
        )

    def test_recurring_giveaways_ordering(self) -> None:
        rows = [
            concession("a", Concession("B item", usd(1))),
            concession("a", Concession("b  ITEM!", usd(1))),
            concession("a", Concession("A item", usd(5))),
            concession("a", Concession("a item", usd(5))),
            concession("a", Concession("once", usd(100))),
            concession("a", Concession("traded", usd(100), "x")),
            concession("a", Concession("traded", usd(100), "x")),
        ]
        assert [(g.item, g.count) for g in recurring_giveaways(rows, "USD")] == [("A item", 2), ("B item", 2)]
        assert recurring_giveaways(rows, "USD", top=1)[0].total == MoneyTotals((usd(10),))
