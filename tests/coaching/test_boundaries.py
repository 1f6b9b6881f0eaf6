"""The edges mutation testing found unpinned (issue 21): equality boundaries, validation limits, the
less common ways people type amounts and commitments, and length limits at exactly the maximum.

Every assertion is on an exact output: a boundary test that only checks "no error" cannot tell
``<`` from ``<=``.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from coaching.commitments import (
    CommitmentConditions,
    SnoozeChoice,
    late_cancellation_consequence,
    nudge_line,
    nudge_schedule,
    snooze_until,
)
from coaching.debrief import (
    MAX_REFLECTION_LENGTH,
    DebriefAnalysis,
    DebriefField,
    DebriefForm,
    DebriefInput,
    Outcome,
    analyse_debrief,
    balance_by_currency,
    validate_debrief,
)
from coaching.errors import CoachingError
from coaching.items import Commitment, Concession, LedgerItem, Side, Tradeable, Want
from coaching.money import AmountError, CurrencyMismatch, Money, MoneyTotals, looks_like_amount, parse_amount
from coaching.parsing import (
    MAX_LABEL_LENGTH,
    MAX_LINE_LENGTH,
    MAX_WHO_LENGTH,
    LineError,
    LineProblem,
    LinesError,
    format_commitment,
    format_concession,
    format_ledger_item,
    format_tradeable,
    format_want,
    parse_commitment,
    parse_concession,
    parse_ledger_item,
    parse_text_lines,
    parse_tradeable,
    parse_tradeable_lines,
)
from coaching.playbook import Playbook
from coaching.styles import DebriefMoment
from coaching.trades import TradeProposal, TradeTerms, check_trade
from coaching.worktime import (
    NudgeStep,
    StepKind,
    WorkingHours,
    local_instant,
    next_working_instant,
    wall_instants,
)


def exactly(message: str) -> str:
    """A ``pytest.raises`` pattern for ``message`` exactly: nothing may be wrapped around it."""
    return rf"\A{re.escape(message)}\Z"


def usd(major: int | str) -> Money:
    return Money.of(major, "USD")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


# --------------------------------------------------------------------------------------------------
# Trades: exactly at the playbook's balance ratio and maximum (the default playbook: 1×, 5,000 USD).


def trade_checks(terms: TradeTerms, playbook: Playbook) -> list[tuple[str, str, str]]:
    found = check_trade(TradeProposal(terms, "Exec asked"), limits=(), playbook=playbook)
    return [(check.kind.value, check.severity.value, check.message) for check in found]


class TestTradeBoundaries:
    def test_the_default_policy_these_tests_assume(self, playbook: Playbook) -> None:
        assert playbook.policy.balance_attention_ratio == 1
        assert playbook.policy.max_concession == usd(5000)

    def test_exactly_at_the_balance_ratio_is_at_or_above(self, playbook: Playbook) -> None:
        assert trade_checks(TradeTerms("A", usd(3000), "B", usd(3000)), playbook) == [
            (
                "value_balance",
                "info",
                "We give 3,000 USD and get 3,000 USD (1×), at or above the playbook's 1× balance.",
            )
        ]

    def test_one_cent_below_the_ratio_needs_attention(self, playbook: Playbook) -> None:
        assert trade_checks(TradeTerms("A", usd("3000.01"), "B", usd(3000)), playbook) == [
            (
                "value_balance",
                "warn",
                "We give 3,000.01 USD and get 3,000 USD (1×), below the playbook's 1× balance.",
            )
        ]

    def test_a_cost_exactly_at_the_maximum_is_not_over_it(self, playbook: Playbook) -> None:
        assert trade_checks(TradeTerms("A", usd(5000), "B", usd(6000)), playbook) == [
            (
                "value_balance",
                "info",
                "We give 5,000 USD and get 6,000 USD (1.2×), at or above the playbook's 1× balance.",
            )
        ]

    def test_one_cent_over_the_maximum_is_escalated(self, playbook: Playbook) -> None:
        assert trade_checks(TradeTerms("A", usd("5000.01"), "B", usd(6000)), playbook) == [
            (
                "over_max",
                "warn",
                "Costs 5,000.01 USD, above the playbook's 5,000 USD maximum for one concession: "
                "counter with less, or approve it knowingly.",
            ),
            (
                "value_balance",
                "info",
                "We give 5,000.01 USD and get 6,000 USD (1.2×), at or above the playbook's 1× balance.",
            ),
        ]


class TestMoneyComparisons:
    def test_equal_amounts(self) -> None:
        a, b = Money(100, "USD"), Money(100, "USD")
        assert (a < b, a <= b, a > b, a >= b, a == b) == (False, True, False, True, True)

    def test_one_minor_unit_apart(self) -> None:
        small, big = Money(99, "USD"), Money(100, "USD")
        assert (small < big, small <= big, small > big, small >= big) == (True, True, False, False)
        assert (big < small, big <= small, big > small, big >= small) == (False, False, True, True)

    @pytest.mark.parametrize("compare", ["__lt__", "__le__", "__gt__", "__ge__", "__add__", "__sub__"])
    def test_every_comparison_refuses_mixed_currencies(self, compare: str) -> None:
        with pytest.raises(
            CurrencyMismatch, match=exactly("cannot combine USD with EUR: amounts in different currencies")
        ):
            getattr(Money(1, "USD"), compare)(Money(1, "EUR"))

    @pytest.mark.parametrize("compare", ["__lt__", "__le__", "__gt__", "__ge__", "__add__", "__sub__"])
    def test_comparing_with_a_number_is_not_implemented(self, compare: str) -> None:
        assert getattr(Money(1, "USD"), compare)(1) is NotImplemented

    def test_ratio_to_zero_and_equal(self) -> None:
        assert usd(5).ratio_to(usd(0)) is None
        assert usd(5).ratio_to(usd(5)) == 1


# --------------------------------------------------------------------------------------------------
# Commitment conditions: every edge of the validation, and the chargeback sentence.


class TestCommitmentConditionsEdges:
    @pytest.mark.parametrize(("notice", "percent"), [(0, 0), (365, 100), (0, 100), (365, 0)])
    def test_the_edges_are_accepted(self, notice: int, percent: int) -> None:
        conditions = CommitmentConditions(notice, percent, usd(4000), "Ops")
        assert (conditions.notice_days, conditions.chargeback_percent) == (notice, percent)

    def test_a_zero_base_is_accepted(self) -> None:
        assert CommitmentConditions(14, 50, Money.zero("USD"), "Ops").describe() == (
            "Cancelling with less than 14 days' notice: 50 % of 0 USD charged back to Ops."
        )

    @pytest.mark.parametrize("notice", [-1, 366])
    def test_a_notice_window_outside_0_to_365_is_refused(self, notice: int) -> None:
        with pytest.raises(CoachingError, match=exactly("the notice window must be 0 to 365 days")):
            CommitmentConditions(notice, 50, usd(4000), "Ops")

    @pytest.mark.parametrize("percent", [-1, 101])
    def test_a_chargeback_outside_0_to_100_is_refused(self, percent: int) -> None:
        with pytest.raises(CoachingError, match=exactly("the chargeback must be 0 to 100 %")):
            CommitmentConditions(14, percent, usd(4000), "Ops")

    def test_one_minor_unit_below_zero_is_refused(self) -> None:
        with pytest.raises(CoachingError, match=exactly("the value charged against cannot be negative")):
            CommitmentConditions(14, 50, Money(-1, "USD"), "Ops")

    def test_a_blank_payer_is_refused(self) -> None:
        with pytest.raises(CoachingError, match=exactly("say who is charged back")):
            CommitmentConditions(14, 50, usd(4000), " \t")

    def test_one_day_and_zero_days_of_notice_read_naturally(self) -> None:
        assert CommitmentConditions(1, 100, usd(4000), "Ops").describe() == (
            "Cancelling with less than 1 day's notice: 100 % of 4,000 USD charged back to Ops."
        )
        assert CommitmentConditions(0, 100, usd(4000), "Ops").describe() == (
            "Cancelling with less than 0 days' notice: 100 % of 4,000 USD charged back to Ops."
        )

    def test_a_full_chargeback_for_exactly_two_places(self) -> None:
        conditions = CommitmentConditions(365, 100, usd(4000), "Ops")
        consequence = late_cancellation_consequence(
            conditions, event_date=date(2025, 3, 20), cancelled_on=date(2024, 3, 21), units=2
        )
        assert consequence is not None
        assert (consequence.charge, consequence.notice_given_days) == (usd(8000), 364)
        assert consequence.sentence == "2 × 100 % of 4,000 USD = 8,000 USD charged back to Ops"

    def test_one_place_has_no_count(self) -> None:
        conditions = CommitmentConditions(14, 50, usd(4000), "Ops")
        consequence = late_cancellation_consequence(
            conditions, event_date=date(2025, 3, 20), cancelled_on=date(2025, 3, 19), units=1
        )
        assert consequence is not None
        assert consequence.sentence == "50 % of 4,000 USD = 2,000 USD charged back to Ops"

    def test_exactly_the_notice_window_is_on_time_and_a_day_less_is_not(self) -> None:
        conditions = CommitmentConditions(365, 100, usd(4000), "Ops")
        on_time = late_cancellation_consequence(
            conditions, event_date=date(2025, 3, 20), cancelled_on=date(2024, 3, 20)
        )
        assert on_time is None
        late = late_cancellation_consequence(
            conditions, event_date=date(2025, 3, 20), cancelled_on=date(2024, 3, 21)
        )
        assert late is not None and late.notice_given_days == 364

    def test_a_zero_window_charges_only_after_the_event(self) -> None:
        conditions = CommitmentConditions(0, 50, usd(4000), "Ops")
        assert (
            late_cancellation_consequence(
                conditions, event_date=date(2025, 3, 20), cancelled_on=date(2025, 3, 20)
            )
            is None
        )
        after = late_cancellation_consequence(
            conditions, event_date=date(2025, 3, 20), cancelled_on=date(2025, 3, 21)
        )
        assert after is not None and (after.notice_given_days, after.charge) == (-1, usd(2000))

    def test_zero_places_is_refused(self) -> None:
        with pytest.raises(CoachingError, match=exactly("at least one place must be cancelled")):
            late_cancellation_consequence(
                CommitmentConditions(14, 50, usd(4000), "Ops"),
                event_date=date(2025, 3, 20),
                cancelled_on=date(2025, 3, 19),
                units=0,
            )


# --------------------------------------------------------------------------------------------------
# Debrief: which coaching moment, and a valid outcome with one unreadable line.


def analysis_of(
    *concessions: Concession, playbook: Playbook, outcome: Outcome = Outcome.AGREED
) -> DebriefAnalysis:
    return analyse_debrief(DebriefInput(outcome, conceded=concessions), None, None, playbook)


class TestDebriefMoments:
    def test_an_unpriced_giveaway_is_still_a_giveaway(self, playbook: Playbook) -> None:
        analysis = analysis_of(Concession("Room upgrade", None), playbook=playbook)
        assert analysis.moment is DebriefMoment.GIVEAWAY
        assert analysis.summary == (
            "Agreed. 1 giveaway. 1 concession not valued, so these totals are incomplete."
        )
        assert analysis.giveaway_total.is_empty() and analysis.money_left_behind.is_empty()
        assert analysis.unassessed == (Concession("Room upgrade", None),)
        assert analysis.needs_attention

    def test_a_shortfall_alone_is_a_giveaway_moment(self, playbook: Playbook) -> None:
        short = Concession("Job aids", usd(800), "case study", usd(500))
        analysis = analysis_of(short, playbook=playbook)
        assert analysis.giveaways == ()
        assert analysis.moment is DebriefMoment.GIVEAWAY
        assert analysis.summary == (
            "Agreed. Conceded 800 USD, received 500 USD (0.6×). Money left behind: 300 USD."
        )
        assert analysis.needs_attention

    def test_a_currency_where_only_received_has_a_value(self, playbook: Playbook) -> None:
        analysis = analysis_of(
            Concession("Intro", None, "reference", Money.of(500, "EUR")), playbook=playbook
        )
        (balance,) = analysis.balances
        assert (balance.currency, balance.conceded, balance.received) == (
            "EUR",
            Money.zero("EUR"),
            Money.of(500, "EUR"),
        )
        assert (balance.difference, balance.ratio, balance.needs_attention) == (
            Money.of(500, "EUR"),
            None,
            False,
        )
        assert analysis.moment is DebriefMoment.BALANCED
        assert analysis.summary == (
            "Agreed. Conceded 0 EUR, received 500 EUR. "
            "1 concession not valued, so these totals are incomplete."
        )
        assert not analysis.needs_attention

    def test_exactly_at_the_balance_ratio_needs_no_attention(self, playbook: Playbook) -> None:
        even = Concession("X", usd(1000), "Y", usd(1000))
        analysis = analysis_of(even, playbook=playbook)
        assert [(b.ratio, b.needs_attention) for b in analysis.balances] == [(1, False)]
        assert analysis.summary == "Agreed. Conceded 1,000 USD, received 1,000 USD (1×)."
        below = balance_by_currency(
            MoneyTotals.of([usd("1000.01")]),
            MoneyTotals.of([usd(1000)]),
            playbook.policy.balance_attention_ratio,
        )
        assert [b.needs_attention for b in below] == [True]

    def test_a_balanced_trade_without_agreement(self, playbook: Playbook) -> None:
        even = Concession("X", usd(1000), "Y", usd(1000))
        assert (
            analysis_of(even, playbook=playbook, outcome=Outcome.PAUSED).moment is DebriefMoment.NO_AGREEMENT
        )


class TestDebriefValidationEdges:
    def test_a_valid_outcome_with_one_unreadable_line_is_refused_whole(self) -> None:
        form = DebriefForm(
            outcome="agreed",
            conceded="Extra day – $2,000 for a longer term\nJob aids – 12abc",
            held="Price floor",
        )
        result = validate_debrief(form, default_currency="USD")
        assert result.debrief is None and not result.ok
        assert dict(result.errors) == {
            DebriefField.CONCEDED: "Line 2 “Job aids – 12abc”: value '12abc' is not an amount"
        }

    def test_a_missing_outcome_alone(self) -> None:
        result = validate_debrief(DebriefForm(outcome=" ", held="Price floor"), default_currency="USD")
        assert result.debrief is None
        assert dict(result.errors) == {
            DebriefField.OUTCOME: "Choose how it ended: agreed, no deal or paused."
        }

    def test_the_outcome_is_read_trimmed(self) -> None:
        result = validate_debrief(
            DebriefForm(outcome=" no_deal ", held="Price floor"), default_currency="USD"
        )
        assert result.debrief == DebriefInput(Outcome.NO_DEAL, held=(LedgerItem("Price floor"),))
        assert dict(result.errors) == {}


# --------------------------------------------------------------------------------------------------
# Amounts as people type them.


class TestAmountSpellings:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("2K", Money(200000, "USD")),
            ("1.5M", Money(150000000, "USD")),
            ("1.5MN", Money(150000000, "USD")),
            ("3BN", Money(300000000000, "USD")),
            ("2 K", Money(200000, "USD")),
            ("$2K", Money(200000, "USD")),
            ("2K EUR", Money(200000, "EUR")),
        ],
    )
    def test_upper_case_multipliers(self, text: str, expected: Money) -> None:
        assert parse_amount(text, "USD") == expected

    @pytest.mark.parametrize(
        ("text", "default", "expected"),
        [
            ("800$", "USD", Money(80000, "USD")),
            ("800$", "CAD", Money(80000, "CAD")),
            ("800$", "EUR", Money(80000, "USD")),
            ("100¥", "USD", Money(100, "JPY")),
            ("100¥", "CNY", Money(10000, "CNY")),
            ("100 ¥", "USD", Money(100, "JPY")),
            ("800€", "USD", Money(80000, "EUR")),
            ("800 US$", "EUR", Money(80000, "USD")),
        ],
    )
    def test_trailing_symbols(self, text: str, default: str, expected: Money) -> None:
        assert parse_amount(text, default) == expected

    def test_trailing_zero_decimals_are_the_same_amount(self) -> None:
        assert parse_amount("$2.500", "USD") == Money(250, "USD")
        assert parse_amount("$2.5000000", "USD") == Money(250, "USD")
        assert parse_amount("1.5000k", "USD") == Money(150000, "USD")

    def test_a_non_zero_digit_past_the_currency_decimals_is_refused(self) -> None:
        with pytest.raises(AmountError) as caught:
            parse_amount("$2.501", "USD")
        assert str(caught.value) == "'$2.501' has more decimals than USD allows (2 decimal places)"
        with pytest.raises(AmountError) as caught:
            parse_amount("2.500 JPY", "USD")
        assert str(caught.value) == "'2.500 JPY' has more decimals than JPY allows (no decimal places)"

    @pytest.mark.parametrize("text", ["800 euros", "800 EUROS", "800 Euro", "€800"])
    def test_euro_words(self, text: str) -> None:
        assert parse_amount(text, "USD") == Money(80000, "EUR")

    def test_exactly_60_characters_is_read_and_61_is_too_long(self) -> None:
        sixty = "1" + " " * 56 + "USD"
        assert len(sixty) == 60 and parse_amount(sixty, "EUR") == Money(100, "USD")
        sixty_one = "1" + " " * 57 + "USD"
        with pytest.raises(AmountError) as caught:
            parse_amount(sixty_one, "EUR")
        assert str(caught.value) == f"'{sixty_one[:57]}…' is too long to be an amount"


class TestAmountsInsideLines:
    @pytest.mark.parametrize(
        ("line", "expected"),
        [
            ("Job aids – 800 euros", Tradeable("Job aids", Money(80000, "EUR"))),
            ("Job aids: 800 euros", Tradeable("Job aids", Money(80000, "EUR"))),
            ("Job aids (worth 800 euros)", Tradeable("Job aids", None, Money(80000, "EUR"))),
            ("Job aids – costs 800 euros – worth 2K", Tradeable("Job aids", Money(80000, "EUR"), usd(2000))),
            ("Job aids – 2K", Tradeable("Job aids", usd(2000))),
            ("Job aids – 1.5M", Tradeable("Job aids", usd(1500000))),
            ("Job aids – 3BN", Tradeable("Job aids", usd(3000000000))),
            ("Job aids – 800$", Tradeable("Job aids", usd(800))),
            ("Job aids – 100¥", Tradeable("Job aids", Money(100, "JPY"))),
            ("Job aids – $2.500", Tradeable("Job aids", Money(250, "USD"))),
            # no separator: the amount typed after the label is still its cost (issue 14)
            ("Job aids 800 euros", Tradeable("Job aids", Money(80000, "EUR"))),
        ],
    )
    def test_value_lines(self, line: str, expected: Tradeable) -> None:
        assert parse_tradeable(line, "USD") == expected

    @pytest.mark.parametrize(
        ("line", "expected"),
        [
            ("3 day workshop", LedgerItem("3 day workshop")),
            ("3 day workshop – $500", LedgerItem("3 day workshop", usd(500))),
            ("2 extra seats – 1.5K", LedgerItem("2 extra seats", usd(1500))),
            ("10 VP seats: 800 euros", LedgerItem("10 VP seats", Money(80000, "EUR"))),
            ("2 m walk", LedgerItem("2 m walk")),
        ],
    )
    def test_three_word_labels_starting_with_a_number(self, line: str, expected: LedgerItem) -> None:
        assert parse_ledger_item(line, "USD") == expected

    def test_a_three_word_amount_that_is_not_one_is_an_error_when_last(self) -> None:
        with pytest.raises(LineError, match=exactly("value '2 m wide' is not an amount")):
            parse_ledger_item("Desk – 2 m wide", "USD")


# --------------------------------------------------------------------------------------------------
# Commitments: colons inside the text, custom working days, one unanswered nudge.


class TestCommitmentLines:
    def test_a_colon_inside_the_text_stays_in_the_text(self) -> None:
        assert parse_commitment("me: call at 10:30 by 2025-03-31") == Commitment(
            "me", "call at 10:30", date(2025, 3, 31), Side.OURS
        )
        assert parse_commitment("Dana: send deck: v2 by 2025-03-31") == Commitment(
            "Dana", "send deck: v2", date(2025, 3, 31), None
        )

    def test_by_inside_the_text_splits_at_the_last_by(self) -> None:
        assert parse_commitment("they: sign by hand by 2025-03-31") == Commitment(
            "they", "sign by hand", date(2025, 3, 31), Side.THEIRS
        )
        assert parse_commitment("we: x BY 2025-03-31") == Commitment("we", "x", date(2025, 3, 31), Side.OURS)

    def test_who_exactly_at_the_limit_and_one_over(self) -> None:
        who = "W" * MAX_WHO_LENGTH
        assert parse_commitment(f"{who}: x by 2025-03-31").who == who
        with pytest.raises(LineError, match=exactly("who is too long (max 80 characters)")):
            parse_commitment(f"{who}W: x by 2025-03-31")

    def test_what_exactly_at_the_limit_and_one_over(self) -> None:
        what = "w" * MAX_LABEL_LENGTH
        assert parse_commitment(f"me: {what} by 2025-03-31").what == what
        with pytest.raises(LineError, match=exactly("the commitment is too long (max 200 characters)")):
            parse_commitment(f"me: {what}w by 2025-03-31")


SUNDAY_TO_THURSDAY = WorkingHours(time(8), time(16), (6, 0, 1, 2, 3))


class TestCustomWorkingDays:
    def test_overdue_nudges_count_only_working_days(self) -> None:
        nudges = nudge_schedule(date(2025, 3, 13), "Asia/Jerusalem", hours=SUNDAY_TO_THURSDAY)
        assert [(n.key, n.local.isoformat()) for n in nudges] == [
            ("before-1", "2025-03-12T08:00:00+02:00"),
            ("due", "2025-03-13T08:00:00+02:00"),
            ("after-1", "2025-03-16T08:00:00+02:00"),  # Sunday: Friday and Saturday are the weekend
            ("after-3", "2025-03-18T08:00:00+02:00"),
        ]

    def test_a_due_date_on_the_weekend_is_nudged_on_the_last_working_day_before(self) -> None:
        nudges = nudge_schedule(date(2025, 3, 14), "Asia/Jerusalem", hours=SUNDAY_TO_THURSDAY)
        assert [n.key for n in nudges] == ["before-1", "due", "after-1", "after-3"]
        assert [n.local.date().isoformat() for n in nudges] == [
            "2025-03-12",
            "2025-03-13",
            "2025-03-16",
            "2025-03-18",
        ]

    def test_a_day_snooze_on_thursday_skips_the_weekend(self) -> None:
        thursday_noon = utc(2025, 3, 13, 10)
        resume = snooze_until(
            SnoozeChoice.DAY, now=thursday_noon, zone_key="Asia/Jerusalem", hours=SUNDAY_TO_THURSDAY
        )
        assert resume == utc(2025, 3, 16, 6)  # Sunday 08:00 +02:00

    def test_until_monday_moves_on_when_monday_is_not_a_working_day(self) -> None:
        tuesday_to_thursday = WorkingHours(days=(1, 2, 3))
        resume = snooze_until(
            SnoozeChoice.MONDAY,
            now=utc(2025, 3, 13, 10),
            zone_key="Asia/Jerusalem",
            hours=tuesday_to_thursday,
        )
        assert resume == utc(2025, 3, 18, 7)  # Tuesday 09:00 +02:00

    def test_the_overdue_line_counts_working_days(self) -> None:
        commitment = Commitment("me", "send agenda", date(2025, 3, 13), Side.OURS)
        assert nudge_line(commitment, None, key="after-3") == (
            "Overdue by 3 working days: A commitment kept is a stronger position next time: "
            "“send agenda” (due Thu 13 Mar 2025)."
        )


class TestMaxUnanswered:
    def test_one_unanswered_nudge_keeps_only_the_first(self) -> None:
        nudges = nudge_schedule(date(2025, 3, 10), "UTC", max_unanswered=1)
        assert [(n.key, n.at) for n in nudges] == [("before-1", utc(2025, 3, 7, 9))]

    def test_one_unanswered_nudge_after_a_snooze_is_the_snooze(self) -> None:
        nudges = nudge_schedule(
            date(2025, 3, 10), "UTC", max_unanswered=1, snoozed_until=utc(2025, 3, 11, 12)
        )
        assert [(n.key, n.at) for n in nudges] == [("snooze-20250311T1200Z", utc(2025, 3, 11, 12))]


# --------------------------------------------------------------------------------------------------
# Length limits at exactly the maximum.


class TestLengthLimits:
    def test_a_label_of_exactly_200_characters_is_kept(self) -> None:
        label = "L" * MAX_LABEL_LENGTH
        assert parse_tradeable(f"{label} – $5", "USD") == Tradeable(label, usd(5))

    def test_a_label_of_201_characters_is_refused(self) -> None:
        with pytest.raises(LineError, match=exactly("label is too long (max 200 characters)")):
            parse_tradeable("L" * (MAX_LABEL_LENGTH + 1) + " – $5", "USD")

    def test_a_line_of_exactly_300_characters_is_read(self) -> None:
        assert parse_text_lines("y" * MAX_LINE_LENGTH) == ("y" * MAX_LINE_LENGTH,)

    def test_a_line_of_301_characters_is_refused_with_its_number(self) -> None:
        with pytest.raises(LinesError) as caught:
            parse_text_lines("ok\n\n" + "y" * (MAX_LINE_LENGTH + 1))
        assert str(caught.value) == "line 3 “" + "y" * 59 + "…”: line is too long (max 300 characters)"


# --------------------------------------------------------------------------------------------------
# Amounts: what mutation testing showed no test distinguished.


class TestAmountErrors:
    def test_the_errors_keep_their_parts(self) -> None:
        mismatch = CurrencyMismatch("USD", "EUR")
        assert (mismatch.left, mismatch.right) == ("USD", "EUR")
        with pytest.raises(AmountError) as caught:
            parse_amount("12abc", "USD")
        assert (caught.value.text, caught.value.reason) == ("12abc", "is not an amount")

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("€800$", "'€800$' has two currencies (EUR and USD)"),  # a symbol at each end
            ("€ $", "'€ $' is not an amount"),  # a lone symbol is not a second currency
            ("X5", "'X5' is not an amount"),
            ("USD X5", "'USD X5' is not an amount"),
            ("-5", "'-5' is negative: amounts are entered as positive values"),
            ("USD -5", "'USD -5' is negative: amounts are entered as positive values"),
            ("5 usd 6 usd", "'5 usd 6 usd' has two amounts: keep one amount per value"),
            ("5 euros 6 euros", "'5 euros 6 euros' has two amounts: keep one amount per value"),
            ("5k 6k", "'5k 6k' has two amounts: keep one amount per value"),
            ("5 us$ 6 USD", "'5 us$ 6 USD' has two amounts: keep one amount per value"),
            ("$5 $6", "'$5 $6' has two amounts: keep one amount per value"),
            ("5 apples 6", "'5 apples 6' is not an amount"),
        ],
    )
    def test_refused(self, text: str, message: str) -> None:
        with pytest.raises(AmountError) as caught:
            parse_amount(text, "USD")
        assert str(caught.value) == message

    def test_the_same_symbol_at_both_ends_is_one_currency(self) -> None:
        assert parse_amount("$800$", "USD") == Money(80000, "USD")


class TestLooksLikeAmount:
    @pytest.mark.parametrize(
        "text",
        ["~5", "about 5 USD", "us$5", "usd 5", ".5", ".5k", "2 k", "2 K", "800 $", "800 us$", "-5", "+ 5"],
    )
    def test_meant_as_an_amount(self, text: str) -> None:
        assert looks_like_amount(text)

    @pytest.mark.parametrize("text", ["X1", ".x", "2 days off", "1 k more seats", "5%", "", " - ", "2 days"])
    def test_not_meant_as_an_amount(self, text: str) -> None:
        assert not looks_like_amount(text)


class TestNudgeStepLimits:
    def test_99_working_days_is_the_most(self) -> None:
        assert NudgeStep(StepKind.AFTER, 99).key == "after-99"
        assert NudgeStep.parse("before-99") == NudgeStep(StepKind.BEFORE, 99)
        with pytest.raises(
            CoachingError, match=exactly("'before' and 'after' steps count 1 to 99 working days")
        ):
            NudgeStep(StepKind.AFTER, 100)
        with pytest.raises(
            CoachingError, match=exactly("'before' and 'after' steps count 1 to 99 working days")
        ):
            NudgeStep(StepKind.BEFORE, 0)


class TestFormattedLines:
    """The exact lines pre-filled into modals (round trips alone accept any spelling parse reads back)."""

    def test_every_format(self) -> None:
        five, seven = usd(5), usd(7)
        assert format_tradeable(Tradeable("A", five, seven)) == "A – 5 USD – worth 7 USD"
        assert format_tradeable(Tradeable("A")) == "A"
        assert format_want(Want("W", five)) == "W – worth 5 USD"
        assert format_want(Want("W")) == "W"
        assert format_ledger_item(LedgerItem("L", five)) == "L – 5 USD"
        assert format_ledger_item(LedgerItem("L")) == "L"
        assert format_concession(Concession("C", five)) == "C – 5 USD -> nothing"
        assert format_concession(Concession("C", None, "R", five)) == "C -> R worth 5 USD"
        assert format_concession(Concession("C", five, "R")) == "C – 5 USD -> R"
        assert format_commitment(Commitment("me", "x", date(2025, 3, 31), Side.OURS)) == "me: x by 2025-03-31"


class TestReflectionLength:
    def test_exactly_the_maximum_is_kept_and_one_more_is_refused(self) -> None:
        longest = "r" * MAX_REFLECTION_LENGTH
        kept = validate_debrief(DebriefForm(outcome="agreed", reflection=longest), default_currency="USD")
        assert kept.debrief is not None and kept.debrief.reflection == longest
        refused = validate_debrief(
            DebriefForm(outcome="agreed", reflection=longest + "r"), default_currency="USD"
        )
        assert refused.debrief is None
        assert dict(refused.errors) == {
            DebriefField.REFLECTION: f"Keep this under {MAX_REFLECTION_LENGTH:,} characters "
            f"(it has {MAX_REFLECTION_LENGTH + 1:,})."
        }

    def test_the_analysis_keeps_the_outcome(self, playbook: Playbook) -> None:
        for outcome in Outcome:
            assert analysis_of(playbook=playbook, outcome=outcome).outcome is outcome


class TestParsingEdges:
    def test_a_line_of_exactly_60_characters_is_shown_whole_in_a_problem(self) -> None:
        assert str(LineProblem(4, "z" * 60, "why")) == "line 4 “" + "z" * 60 + "”: why"
        assert str(LineProblem(4, "z" * 61, "why")) == "line 4 “" + "z" * 59 + "…”: why"

    def test_trailing_full_stops_after_an_amount_are_dropped(self) -> None:
        assert parse_tradeable("Job aids – $5..", "USD") == Tradeable("Job aids", usd(5))
        assert parse_tradeable("Earlier start – free.", "USD") == Tradeable(
            "Earlier start", Money.zero("USD")
        )

    def test_two_costs_are_named_in_the_order_typed(self) -> None:
        with pytest.raises(LineError, match=exactly("two costs ('free' and '$5'): keep one per line")):
            parse_tradeable("X – free – $5", "USD")
        with pytest.raises(LineError, match=exactly("two costs ('$5' and '$6'): keep one per line")):
            parse_tradeable("X (costs $5, costs $6)", "USD")

    def test_for_splits_at_the_first_for_after_a_readable_cost(self) -> None:
        assert parse_concession("X – 12abc for Y – $5 for Z", "USD") == Concession(
            "X – 12abc for Y", usd(5), "Z"
        )

    def test_an_amount_alone_after_the_arrow_is_what_came_back(self) -> None:
        assert parse_concession("X – $5 -> $10", "USD") == Concession("X", usd(5), "$10", usd(10))

    def test_the_last_by_decides_the_due_date_whatever_its_case(self) -> None:
        assert parse_commitment("me: a by b BY 2025-03-31") == Commitment(
            "me", "a by b", date(2025, 3, 31), Side.OURS
        )
        assert parse_commitment("Dana: sign By 2025-03-31") == Commitment(
            "Dana", "sign", date(2025, 3, 31), None
        )
        with pytest.raises(LineError, match=exactly("no due date: end the line with 'by YYYY-MM-DD'")):
            parse_commitment("me: nearby")

    def test_every_line_after_a_too_long_one_is_still_read(self) -> None:
        with pytest.raises(LinesError) as caught:
            parse_tradeable_lines("y" * (MAX_LINE_LENGTH + 1) + "\nA – 12abc\nB – $5", "USD")
        assert [(p.line_no, p.reason) for p in caught.value.problems] == [
            (1, "line is too long (max 300 characters)"),
            (2, "value '12abc' is not an amount"),
        ]

    def test_a_leading_part_that_is_not_an_amount_stays_in_the_label(self) -> None:
        assert parse_tradeable("12abc – Job aids", "USD") == Tradeable("12abc – Job aids")

    def test_a_leading_amount_counts_first(self) -> None:
        with pytest.raises(LineError, match=exactly("two costs ('$5' and '$6'): keep one per line")):
            parse_tradeable("$5 – Job aids – $6", "USD")

    def test_with_the_value_in_parentheses_the_rest_is_the_label_even_if_it_looks_like_an_amount(
        self,
    ) -> None:
        assert parse_tradeable("$5 (worth $7)", "USD") == Tradeable("$5", None, usd(7))

    def test_separators_in_front_of_the_label_are_dropped(self) -> None:
        for line in ("|Job aids – $5", "= Job aids – $5", ": Job aids – $5"):
            assert parse_tradeable(line, "USD") == Tradeable("Job aids", usd(5))


class TestWorkingTimeEdges:
    def test_working_hours_that_start_when_they_end_are_refused(self) -> None:
        with pytest.raises(
            CoachingError, match=exactly("working hours must start before they end (09:00:00 – 09:00:00)")
        ):
            WorkingHours(time(9), time(9))

    def test_instants_are_returned_in_utc(self) -> None:
        new_york = ZoneInfo("America/New_York")
        assert local_instant(date(2025, 3, 10), time(9), new_york).tzinfo is UTC
        assert all(i.tzinfo is UTC for i in wall_instants(date(2025, 11, 2), time(1, 30), new_york))
        inside = datetime(2025, 3, 10, 10, tzinfo=new_york)
        assert next_working_instant(inside, new_york).tzinfo is UTC

    def test_a_skipped_time_away_from_the_middle_of_the_gap_finds_the_jump_to_the_second(self) -> None:
        new_york = ZoneInfo("America/New_York")
        assert wall_instants(date(2025, 3, 9), time(2, 10), new_york) == (utc(2025, 3, 9, 7),)
        assert wall_instants(date(2025, 3, 9), time(2, 59, 59), new_york) == (utc(2025, 3, 9, 7),)

    def test_nudges_must_be_sent_before_working_hours_end(self) -> None:
        with pytest.raises(
            CoachingError, match=exactly("nudges must be sent inside working hours (09:00:00–18:00:00)")
        ):
            nudge_schedule(date(2025, 3, 10), "UTC", at=time(18))
        assert nudge_schedule(date(2025, 3, 10), "UTC", at=time(17, 59))[0].at == utc(2025, 3, 7, 17, 59)

    def test_a_snooze_ending_exactly_at_a_nudge_drops_nothing(self) -> None:
        plain = nudge_schedule(date(2025, 3, 10), "UTC")
        assert nudge_schedule(date(2025, 3, 10), "UTC", snoozed_until=plain[0].at) == plain
