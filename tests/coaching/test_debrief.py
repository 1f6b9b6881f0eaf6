from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coaching.debrief import (
    CurrencyBalance,
    DebriefField,
    DebriefForm,
    DebriefInput,
    LimitBreach,
    Outcome,
    Shortfall,
    analyse_debrief,
    balance_by_currency,
    describe_concession,
    validate_debrief,
)
from coaching.items import Commitment, Concession, LedgerItem, Side
from coaching.matching import matches_limit, matching_limit, normalise
from coaching.money import Money, MoneyTotals
from coaching.playbook import Playbook
from coaching.prep import PrepInput
from coaching.styles import PROFILES, DebriefMoment, Style


def usd(major: int | str) -> Money:
    return Money.of(major, "USD")


LEDGER = DebriefInput(
    outcome=Outcome.AGREED,
    offered=(LedgerItem("Extra day", usd(2000)),),
    conceded=(
        Concession("Extra training day", usd(2000), "24-month term", usd(10000)),  # good trade
        Concession("Discount 5%", usd(3000)),  # giveaway
        Concession("Job aids", usd(800), "case study", usd(500)),  # short by 300
        Concession("Express delivery", usd(600), "faster sign-off"),  # return not priced
        Concession("Room upgrade", None),  # giveaway, no cost
        Concession(
            "Coaching hour", Money.of(200, "EUR"), "logo use", Money.of(50, "EUR")
        ),  # short by 150 EUR
        Concession("Translation", Money.of(100, "EUR"), "reference", usd(500)),  # mixed: unassessed
    ),
    held=(LedgerItem("Price floor"),),
    commitments=(
        Commitment("me", "send agenda", date(2025, 3, 12), Side.OURS),
        Commitment("they", "confirm VPs", date(2025, 3, 14), Side.THEIRS),
        Commitment("Dana", "sign off", date(2025, 3, 15), None),
    ),
    reflection="Went fast.",
)


class TestValidateDebrief:
    def test_a_good_form(self) -> None:
        form = DebriefForm(
            outcome="agreed",
            offered="Extra day – $2,000",
            conceded="Extra day – $2,000 for 24-month term worth $10,000\nDiscount ($3,000) -> nothing",
            held="Price floor",
            commitments="they: confirm VPs by 2025-03-14",
            reflection="  ok  ",
        )
        result = validate_debrief(form, default_currency="USD")
        assert result.ok and dict(result.errors) == {}
        assert result.debrief == DebriefInput(
            Outcome.AGREED,
            (LedgerItem("Extra day", usd(2000)),),
            (
                Concession("Extra day", usd(2000), "24-month term", usd(10000)),
                Concession("Discount", usd(3000)),
            ),
            (LedgerItem("Price floor"),),
            (Commitment("they", "confirm VPs", date(2025, 3, 14), Side.THEIRS),),
            "ok",
        )

    def test_errors_are_keyed_by_field(self) -> None:
        form = DebriefForm(
            outcome="won",
            offered="– $5",
            conceded="Day – 12abc -> x",
            held="x\n" * 1600,
            commitments="they: soon",
            reflection="r" * 3001,
        )
        result = validate_debrief(form, default_currency="USD")
        assert not result.ok and result.debrief is None
        assert dict(result.errors) == {
            DebriefField.OUTCOME: "Choose how it ended: agreed, no deal or paused.",
            DebriefField.OFFERED: (
                "Line 1 “– $5”: label empty: say what the item is, e.g. 'Extra training day – $2,000'"
            ),
            DebriefField.CONCEDED: "Line 1 “Day – 12abc -> x”: value '12abc' is not an amount",
            DebriefField.HELD: "Keep this under 3,000 characters (it has 3,200).",
            DebriefField.COMMITMENTS: "Line 1 “they: soon”: no due date: end the line with 'by YYYY-MM-DD'",
            DebriefField.REFLECTION: "Keep this under 3,000 characters (it has 3,001).",
        }

    def test_outcome_labels(self) -> None:
        assert [o.label for o in Outcome] == ["Agreed", "No deal", "Paused"]
        assert [o.value for o in Outcome] == ["agreed", "no_deal", "paused"]


class TestAnalysis:
    def test_exact_numbers(self, playbook: Playbook) -> None:
        analysis = analyse_debrief(LEDGER, None, Style.CLOSER, playbook)
        assert analysis.conceded == MoneyTotals((Money.of(300, "EUR"), usd(6400)))
        assert analysis.received == MoneyTotals((Money.of(50, "EUR"), usd(11000)))
        assert analysis.balances == (
            CurrencyBalance(
                "EUR", Money.of(300, "EUR"), Money.of(50, "EUR"), Money(-25000, "EUR"), Fraction(1, 6), True
            ),
            CurrencyBalance("USD", usd(6400), usd(11000), usd(4600), Fraction(55, 32), False),
        )
        assert [c.item for c in analysis.giveaways] == ["Discount 5%", "Room upgrade"]
        assert analysis.giveaway_total == MoneyTotals((usd(3000),))
        assert analysis.shortfalls == (
            Shortfall(LEDGER.conceded[2], usd(300)),
            Shortfall(LEDGER.conceded[5], Money.of(150, "EUR")),
        )
        # 3,000 (giveaway) + 300 (short) USD; 150 EUR (short); unknowns count as nothing.
        assert analysis.money_left_behind == MoneyTotals((Money.of(150, "EUR"), usd(3300)))
        assert [c.item for c in analysis.unassessed] == ["Express delivery", "Room upgrade", "Translation"]
        assert analysis.limits_breached == ()
        assert analysis.held == (LedgerItem("Price floor"),) and analysis.offered == LEDGER.offered
        assert [c.who for c in analysis.our_commitments] == ["me"]
        assert [c.who for c in analysis.their_commitments] == ["they"]
        assert [c.who for c in analysis.named_commitments] == ["Dana"]
        assert analysis.moment is DebriefMoment.GIVEAWAY
        assert analysis.reflection_question == PROFILES[Style.CLOSER].reflection[DebriefMoment.GIVEAWAY]
        assert analysis.lesson == PROFILES[Style.CLOSER].lesson[DebriefMoment.GIVEAWAY]
        assert analysis.needs_attention
        assert analysis.summary == (
            "Agreed. Conceded 300 EUR, received 50 EUR (0.2×). "
            "Conceded 6,400 USD, received 11,000 USD (1.7×). "
            "2 giveaways worth 3,000 USD. Money left behind: 150 EUR + 3,300 USD. "
            "3 concessions not valued, so these totals are incomplete."
        )

    def test_limits_breached_against_the_prep(self, playbook: Playbook, management_prep: PrepInput) -> None:
        debrief = DebriefInput(
            Outcome.AGREED,
            conceded=(
                Concession("  cutting a FULL   day ", usd(6000), "seat", usd(5000)),
                Concession("Full day", usd(1), "x", usd(1)),
                Concession("Monday", usd(1), "x", usd(1)),
            ),
        )
        analysis = analyse_debrief(debrief, management_prep, Style.GAME_CHANGER, playbook)
        assert analysis.limits_breached == (
            LimitBreach(debrief.conceded[0], "Cutting a full day"),
            LimitBreach(debrief.conceded[1], "Cutting a full day"),
        )
        assert analysis.moment is DebriefMoment.LIMIT_BREACHED
        assert analysis.lesson == "Check each new idea against your limits before you say it out loud."
        assert analysis.summary.endswith("Money left behind: 1,000 USD. 2 limits breached.")

    @pytest.mark.parametrize(
        ("outcome", "moment"),
        [
            (Outcome.AGREED, DebriefMoment.BALANCED),
            (Outcome.NO_DEAL, DebriefMoment.NO_AGREEMENT),
            (Outcome.PAUSED, DebriefMoment.NO_AGREEMENT),
        ],
    )
    def test_moments_without_problems(
        self, outcome: Outcome, moment: DebriefMoment, playbook: Playbook
    ) -> None:
        debrief = DebriefInput(outcome, conceded=(Concession("Day", usd(100), "Seat", usd(500)),))
        analysis = analyse_debrief(debrief, None, Style.STRATEGIST, playbook)
        assert analysis.moment is moment
        assert analysis.reflection_question == PROFILES[Style.STRATEGIST].reflection[moment]
        assert not analysis.needs_attention
        assert analysis.money_left_behind == MoneyTotals((usd(0),))

    def test_empty_ledger(self, playbook: Playbook) -> None:
        analysis = analyse_debrief(DebriefInput(Outcome.NO_DEAL), None, None, playbook)
        assert analysis.balances == () and analysis.money_left_behind.is_empty()
        assert analysis.summary == "No deal."
        assert analysis.reflection_question == "What did you learn about what the other side really needed?"

    def test_each_style_gets_its_own_question_and_lesson(self, playbook: Playbook) -> None:
        results = [analyse_debrief(LEDGER, None, style, playbook) for style in (*Style, None)]
        assert len({r.reflection_question for r in results}) == 5
        assert len({r.lesson for r in results}) == 5

    def test_balance_by_currency(self) -> None:
        balances = balance_by_currency(MoneyTotals((usd(0),)), MoneyTotals((usd(5),)), Fraction(1))
        assert balances == (CurrencyBalance("USD", usd(0), usd(5), usd(5), None, False),)

    def test_describe_concession(self) -> None:
        assert (
            describe_concession(LEDGER.conceded[0])
            == "“Extra training day” (2,000 USD) for “24-month term” (10,000 USD)"
        )
        assert describe_concession(LEDGER.conceded[1]) == "“Discount 5%” (3,000 USD) for nothing"
        assert describe_concession(LEDGER.conceded[4]) == "“Room upgrade” for nothing"

    @settings(max_examples=200, deadline=None)
    @given(
        entries=st.lists(
            st.tuples(
                st.none() | st.integers(0, 10**9),
                st.booleans(),
                st.none() | st.integers(0, 10**9),
            ),
            max_size=12,
        )
    )
    def test_money_left_behind_is_giveaways_plus_shortfalls(
        self, entries: list[tuple[int | None, bool, int | None]], playbook: Playbook
    ) -> None:
        concessions = tuple(
            Concession(
                f"item {n}",
                None if cost is None else Money(cost, "USD"),
                f"back {n}" if traded else None,
                None if value is None or not traded else Money(value, "USD"),
            )
            for n, (cost, traded, value) in enumerate(entries)
        )
        analysis = analyse_debrief(DebriefInput(Outcome.AGREED, conceded=concessions), None, None, playbook)
        expected = 0
        for concession in concessions:
            if concession.cost is None:
                continue
            if concession.is_giveaway:
                expected += concession.cost.amount_minor
            elif concession.received_value is not None:
                expected += max(0, concession.cost.amount_minor - concession.received_value.amount_minor)
        assert analysis.money_left_behind.get("USD").amount_minor == expected
        conceded = sum(c.cost.amount_minor for c in concessions if c.cost is not None)
        assert analysis.conceded.get("USD").amount_minor == conceded


class TestMatching:
    def test_normalise(self) -> None:
        assert normalise("  Cutting a FULL-day!! ") == "cutting a full day"
        assert normalise("Course below 2.5 days.") == "course below 2.5 days"
        assert normalise("snake_case") == "snake case"

    @pytest.mark.parametrize(
        ("item", "limit", "expected"),
        [
            ("Full day", "Cutting a full day", True),
            ("cutting a full day", "CUTTING  A FULL DAY", True),
            ("Cutting a full day off the course", "full day", True),
            ("day", "Monday", False),
            ("", "anything", False),
            ("A", "Cutting a full day", False),
            ("the", "the", True),
            ("Discount above 10%", "discount above 10%", True),
        ],
    )
    def test_matches_limit(self, item: str, limit: str, expected: bool) -> None:
        assert matches_limit(item, limit) is expected

    def test_matching_limit(self) -> None:
        assert matching_limit("full day", ["price", "Cutting a full day"]) == "Cutting a full day"
        assert matching_limit("full day", []) is None

    def test_left_behind_per_concession(self) -> None:
        assert Concession("x", usd(5)).left_behind() == usd(5)
        assert Concession("x", usd(5), "y", usd(2)).left_behind() == usd(3)
        assert Concession("x", usd(5), "y", usd(9)).left_behind() == usd(0)
        assert Concession("x", None).left_behind() is None
        assert Concession("x", usd(5), "y").left_behind() is None
        assert Concession("x", usd(5), "y", Money.of(1, "EUR")).left_behind() is None
        assert replace(Concession("x"), received="y").is_giveaway is False


@settings(max_examples=200, deadline=None)
@given(
    fields=st.fixed_dictionaries(
        {
            **{name: st.text(max_size=120) for name in DebriefForm.__dataclass_fields__},
            "outcome": st.sampled_from([outcome.value for outcome in Outcome]) | st.text(max_size=8),
        }
    )
)
def test_any_submission_gives_a_debrief_or_field_errors(fields: dict[str, str], playbook: Playbook) -> None:
    result = validate_debrief(DebriefForm(**fields), default_currency="EUR")
    assert (result.debrief is None) == bool(result.errors)
    assert set(result.errors) <= set(DebriefField)
    if result.debrief is not None:
        analysis = analyse_debrief(result.debrief, None, None, playbook)
        assert analysis.summary.startswith(result.debrief.outcome.label)
