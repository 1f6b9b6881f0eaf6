from __future__ import annotations

import contextlib
import re
import string
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coaching.items import Commitment, Concession, LedgerItem, Side, Tradeable, Want
from coaching.money import MINOR_UNITS, Money
from coaching.parsing import (
    MAX_LINES,
    LineError,
    LineProblem,
    LinesError,
    format_commitment,
    format_concession,
    format_ledger_item,
    format_tradeable,
    format_want,
    parse_commitment,
    parse_commitment_lines,
    parse_concession,
    parse_concession_lines,
    parse_ledger_item,
    parse_ledger_item_lines,
    parse_text_lines,
    parse_tradeable,
    parse_tradeable_lines,
    parse_want,
    parse_want_lines,
)


def exactly(message: str) -> str:
    """A ``pytest.raises`` pattern for ``message`` exactly: nothing may be wrapped around it."""
    return rf"\A{re.escape(message)}\Z"


CURRENCIES = sorted(MINOR_UNITS)
RESERVED = {
    "worth", "cost", "costs", "value", "valued", "free", "no", "nothing", "none", "nil", "zero", "for",
    "in", "return", "exchange", "n", "a", "na", "us", "by", "approx", "about", "around", "c", "ca",
    "approximately", "to", "me", "i", "myself", "we", "they", "them", "dollar", "dollars", "euro",
    "euros", "pound", "pounds", "yen", "rupee", "rupees",
}  # fmt: skip

words = st.text(alphabet=string.ascii_letters, min_size=1, max_size=10).filter(
    lambda word: word.lower() not in RESERVED and word.upper() not in MINOR_UNITS
)
labels = st.lists(words, min_size=1, max_size=5).map(" ".join)
moneys = st.sampled_from(CURRENCIES).flatmap(
    lambda code: st.integers(0, 10**12 * 10 ** MINOR_UNITS[code] - 1).map(lambda m: Money(m, code))
)
optional_money = st.none() | moneys


def usd(major: int | str) -> Money:
    return Money.of(major, "USD")


class TestValueLines:
    @pytest.mark.parametrize(
        ("line", "expected"),
        [
            ("Extra training day – $2,000", Tradeable("Extra training day", usd(2000))),
            ("Extra training day — $2,000", Tradeable("Extra training day", usd(2000))),
            ("Extra training day - $2,000", Tradeable("Extra training day", usd(2000))),
            ("2h exec coaching (worth 1.5k)", Tradeable("2h exec coaching", None, usd(1500))),
            ("job aids: 800 EUR", Tradeable("job aids", Money.of(800, "EUR"))),
            ("job aids = 800 EUR", Tradeable("job aids", Money.of(800, "EUR"))),
            ("no cost: earlier start date", Tradeable("earlier start date", usd(0))),
            ("free: parking", Tradeable("parking", usd(0))),
            ("Seat at quarterly planning", Tradeable("Seat at quarterly planning")),
            ("Coaching – costs us $500 – worth $2k to them", Tradeable("Coaching", usd(500), usd(2000))),
            ("Coaching (cost $500, worth $2k)", Tradeable("Coaching", usd(500), usd(2000))),
            ("Exec coaching worth 1.5k", Tradeable("Exec coaching", None, usd(1500))),
            ("Reference letter – no cost – worth $3,000", Tradeable("Reference letter", usd(0), usd(3000))),
            ("Job aids (tailored, worth $500)", Tradeable("Job aids (tailored)", None, usd(500))),
            ("Q3 review – 2 days", Tradeable("Q3 review – 2 days")),
            ("Discount (5%)", Tradeable("Discount (5%)")),
            ("Meeting at 10:30", Tradeable("Meeting at 10:30")),
            ("Travel costs covered", Tradeable("Travel costs covered")),
            ("Added value workshop – value $500", Tradeable("Added value workshop", None, usd(500))),
            ("- Extra day – $5", Tradeable("Extra day", usd(5))),
            ("• Extra day – $5", Tradeable("Extra day", usd(5))),
            ("2. Extra day – $5", Tradeable("Extra day", usd(5))),
            ("Coaching (2 x 1h: exec) – $500", Tradeable("Coaching (2 x 1h: exec)", usd(500))),
        ],
    )
    def test_reads_tradeables(self, line: str, expected: Tradeable) -> None:
        assert parse_tradeable(line, "USD") == expected

    def test_default_currency_applies_when_none_is_typed(self) -> None:
        assert parse_tradeable("Day – 2,000", "EUR") == Tradeable("Day", Money.of(2000, "EUR"))
        assert parse_tradeable("Day – 2,000 GBP", "EUR") == Tradeable("Day", Money.of(2000, "GBP"))

    @pytest.mark.parametrize(
        ("line", "reason"),
        [
            ("Day – 12abc", "value '12abc' is not an amount"),
            ("Day – $2,000 – $3,000", "two costs ('$2,000' and '$3,000'): keep one per line"),
            ("Day – worth $2 – worth $3", "two 'worth' values ('$2' and '$3'): keep one per line"),
            ("Discount – -$500", "value '-$500' is negative: amounts are entered as positive values"),
            (
                "Fee – 10000000000000",
                "value '10000000000000' is too large (the limit is 1,000,000,000,000 USD); "
                "check for a typing mistake",
            ),
            ("– $2,000", "label empty: say what the item is, e.g. 'Extra training day – $2,000'"),
            ("$2,000", "label empty: say what the item is, e.g. 'Extra training day – $2,000'"),
            (": 800 EUR", "label empty: say what the item is, e.g. 'Extra training day – $2,000'"),
            ("X (worth 12abc)", "value '12abc' is not an amount"),
            ("x" * 201 + " – $5", "label is too long (max 200 characters)"),
        ],
    )
    def test_explains_unreadable_lines(self, line: str, reason: str) -> None:
        with pytest.raises(LineError) as caught:
            parse_tradeable(line, "USD")
        assert caught.value.reason == reason == str(caught.value)

    def test_wants_take_a_value_not_a_cost(self) -> None:
        assert parse_want("Seat at planning – worth $5,000", "USD") == Want("Seat at planning", usd(5000))
        assert parse_want("Seat at planning – $5,000", "USD") == Want("Seat at planning", usd(5000))
        assert parse_want("Seat at planning", "USD") == Want("Seat at planning")
        with pytest.raises(
            LineError, match=exactly("a want has a value to us (e.g. 'worth $500'), not a cost")
        ):
            parse_want("Seat – costs $5", "USD")
        with pytest.raises(LineError, match=exactly("two amounts ('$5' and '$6'): keep one per line")):
            parse_want("Seat – $5 – worth $6", "USD")

    def test_ledger_items_take_any_single_amount(self) -> None:
        assert parse_ledger_item("Final assessment", "USD") == LedgerItem("Final assessment")
        assert parse_ledger_item("Fee cap – $55,000", "USD") == LedgerItem("Fee cap", usd(55000))
        assert parse_ledger_item("Fee cap – costs $5", "USD") == LedgerItem("Fee cap", usd(5))
        with pytest.raises(LineError, match=exactly("two amounts ('$5' and '$6'): keep one per line")):
            parse_ledger_item("Fee cap – $5 – worth $6", "USD")

    def test_many_lines_report_every_problem_with_its_line_number(self) -> None:
        text = "Good – $5\n\n   \nbad – 12abc\nalso good\n: 5 EUR\n"
        with pytest.raises(LinesError) as caught:
            parse_tradeable_lines(text, "USD")
        assert caught.value.problems == (
            LineProblem(4, "bad – 12abc", "value '12abc' is not an amount"),
            LineProblem(
                6, ": 5 EUR", "label empty: say what the item is, e.g. 'Extra training day – $2,000'"
            ),
        )
        assert str(caught.value) == (
            "line 4 “bad – 12abc”: value '12abc' is not an amount; "
            "line 6 “: 5 EUR”: label empty: say what the item is, e.g. 'Extra training day – $2,000'"
        )

    def test_blank_lines_are_ignored(self) -> None:
        assert parse_tradeable_lines("\n  A – $1\n\n B\n", "USD") == (Tradeable("A", usd(1)), Tradeable("B"))
        assert parse_want_lines("", "USD") == ()
        assert parse_want_lines("X – $2\nY", "USD") == (Want("X", usd(2)), Want("Y"))
        assert parse_ledger_item_lines("X – $2", "USD") == (LedgerItem("X", usd(2)),)

    def test_too_many_and_too_long_lines(self) -> None:
        with pytest.raises(LinesError) as caught:
            parse_text_lines("\n".join(f"objective {n}" for n in range(MAX_LINES + 5)))
        assert caught.value.problems == (
            LineProblem(MAX_LINES + 1, "objective 50", "too many lines (max 50)"),
        )
        with pytest.raises(
            LinesError,
            match=exactly("line 1 “" + "y" * 59 + "…”: line is too long (max 300 characters)"),
        ):
            parse_text_lines("y" * 301)

    def test_long_lines_are_shortened_in_messages(self) -> None:
        problem = LineProblem(1, "z" * 80, "why")
        assert str(problem) == "line 1 “" + "z" * 59 + "…”: why"

    def test_text_lines_strip_bullets(self) -> None:
        assert parse_text_lines("- Keep 3 days\n* Sponsor\n\n1) Budget") == (
            "Keep 3 days",
            "Sponsor",
            "Budget",
        )

    @settings(max_examples=300, deadline=None)
    @given(label=labels, cost=optional_money, value=optional_money)
    def test_tradeables_round_trip(self, label: str, cost: Money | None, value: Money | None) -> None:
        tradeable = Tradeable(label, cost, value)
        assert parse_tradeable(format_tradeable(tradeable), "USD") == tradeable

    @settings(max_examples=200, deadline=None)
    @given(label=labels, value=optional_money)
    def test_wants_and_ledger_items_round_trip(self, label: str, value: Money | None) -> None:
        assert parse_want(format_want(Want(label, value)), "EUR") == Want(label, value)
        assert parse_ledger_item(format_ledger_item(LedgerItem(label, value)), "EUR") == LedgerItem(
            label, value
        )

    @settings(max_examples=500, deadline=None)
    @given(text=st.text(max_size=400))
    def test_any_text_gives_items_or_lines_error(self, text: str) -> None:
        for parse in (
            parse_tradeable_lines,
            parse_want_lines,
            parse_ledger_item_lines,
            parse_concession_lines,
        ):
            try:
                parse(text, "USD")
            except LinesError as error:
                assert error.problems
        with contextlib.suppress(LinesError):
            parse_text_lines(text)

    @settings(max_examples=500, deadline=None)
    @given(text=st.text(alphabet="abc $€1234567890,.k:–-()=|;>worthcostfor\n", max_size=80))
    def test_line_shaped_text_gives_items_or_lines_error(self, text: str) -> None:
        for parse in (
            parse_tradeable_lines,
            parse_want_lines,
            parse_ledger_item_lines,
            parse_concession_lines,
        ):
            with contextlib.suppress(LinesError):
                parse(text, "USD")


class TestConcessionLines:
    @pytest.mark.parametrize(
        ("line", "expected"),
        [
            (
                "Extra training day – $2,000 for 24-month term worth $10,000",
                Concession("Extra training day", usd(2000), "24-month term", usd(10000)),
            ),
            ("Discount 5% ($3,000) -> nothing", Concession("Discount 5%", usd(3000))),
            ("Discount 5% ($3,000) => -", Concession("Discount 5%", usd(3000))),
            ("Discount 5% ($3,000) → none", Concession("Discount 5%", usd(3000))),
            ("Discount 5% ($3,000) ->", Concession("Discount 5%", usd(3000))),
            ("Discount 5% ($3,000)", Concession("Discount 5%", usd(3000))),
            (
                "Coaching for VPs – $2,000 for seat at planning",
                Concession("Coaching for VPs", usd(2000), "seat at planning"),
            ),
            ("Extra day for seat", Concession("Extra day", None, "seat")),
            (
                "Day – $500 in return for early payment ($200)",
                Concession("Day", usd(500), "early payment", usd(200)),
            ),
            ("Day – $500 in exchange for a reference", Concession("Day", usd(500), "a reference")),
            ("Day -> $500", Concession("Day", None, "$500", usd(500))),
            ("Fee – no cost -> job aids worth 1.5k", Concession("Fee", usd(0), "job aids", usd(1500))),
        ],
    )
    def test_reads_concessions(self, line: str, expected: Concession) -> None:
        assert parse_concession(line, "USD") == expected

    @pytest.mark.parametrize(
        ("line", "reason"),
        [
            ("-> seat", "label empty: say what the item is, e.g. 'Extra training day – $2,000'"),
            ("Day – $5 – $6 -> seat", "two costs ('$5' and '$6'): keep one per line"),
            ("Day -> seat – $5 – $6", "two values ('$5' and '$6'): keep one per line"),
            ("Day -> seat – 12abc", "value '12abc' is not an amount"),
            ("Day -> no cost", "say what came back after the arrow, or write 'nothing'"),
        ],
    )
    def test_explains_unreadable_concessions(self, line: str, reason: str) -> None:
        with pytest.raises(LineError) as caught:
            parse_concession(line, "USD")
        assert caught.value.reason == reason

    def test_giveaway_flag(self) -> None:
        assert parse_concession("Day -> nothing", "USD").is_giveaway
        assert not parse_concession("Day -> seat", "USD").is_giveaway

    @settings(max_examples=300, deadline=None)
    @given(
        item=labels,
        cost=optional_money,
        received=st.none() | labels,
        value=optional_money,
    )
    def test_round_trip(
        self, item: str, cost: Money | None, received: str | None, value: Money | None
    ) -> None:
        concession = Concession(item, cost, received, value if received is not None else None)
        assert parse_concession(format_concession(concession), "USD") == concession


class TestCommitmentLines:
    @pytest.mark.parametrize(
        ("line", "expected"),
        [
            (
                "me: send questionnaire by 2025-03-01",
                Commitment("me", "send questionnaire", date(2025, 3, 1), Side.OURS),
            ),
            ("I: call Dana by 2025-03-01", Commitment("me", "call Dana", date(2025, 3, 1), Side.OURS)),
            ("We: book the room by 2025-3-9", Commitment("we", "book the room", date(2025, 3, 9), Side.OURS)),
            (
                "they: confirm 10 VPs by 2025/03/14",
                Commitment("they", "confirm 10 VPs", date(2025, 3, 14), Side.THEIRS),
            ),
            (
                "Dana Ruiz: sign off budget reviewed by finance by 2025-04-01",
                Commitment("Dana Ruiz", "sign off budget reviewed by finance", date(2025, 4, 1), None),
            ),
            ("- they: pay BY 2025-04-01", Commitment("they", "pay", date(2025, 4, 1), Side.THEIRS)),
        ],
    )
    def test_reads_commitments(self, line: str, expected: Commitment) -> None:
        assert parse_commitment(line) == expected

    @pytest.mark.parametrize(
        ("line", "reason"),
        [
            ("we send it", "start with who, then a colon: 'me: …', 'they: …' or 'Dana: …'"),
            (": send it by 2025-01-01", "start with who, then a colon: 'me: …', 'they: …' or 'Dana: …'"),
            ("they: confirm", "no due date: end the line with 'by YYYY-MM-DD'"),
            ("they: confirm by Friday", "due date 'Friday' is not a date: use YYYY-MM-DD, e.g. 2025-03-31"),
            ("they: confirm by 2025-02-30", "due date '2025-02-30' is not a real date"),
            ("they: by 2025-02-03", "say what was committed to before 'by'"),
            ("they:  by 2025-02-03", "say what was committed to before 'by'"),
            ("x" * 81 + ": y by 2025-01-01", "who is too long (max 80 characters)"),
            ("they: " + "y" * 201 + " by 2025-01-01", "the commitment is too long (max 200 characters)"),
        ],
    )
    def test_explains_unreadable_commitments(self, line: str, reason: str) -> None:
        with pytest.raises(LineError) as caught:
            parse_commitment(line)
        assert caught.value.reason == reason

    def test_many_lines(self) -> None:
        assert parse_commitment_lines("me: a by 2025-01-01\n\nthey: b by 2025-01-02") == (
            Commitment("me", "a", date(2025, 1, 1), Side.OURS),
            Commitment("they", "b", date(2025, 1, 2), Side.THEIRS),
        )
        with pytest.raises(LinesError) as caught:
            parse_commitment_lines("me: a by 2025-01-01\nnonsense")
        assert [p.line_no for p in caught.value.problems] == [2]

    @settings(max_examples=300, deadline=None)
    @given(
        who=st.sampled_from(["me", "we", "they"]) | labels,
        what=labels,
        due=st.dates(min_value=date(1000, 1, 1)),
    )
    def test_round_trip(self, who: str, what: str, due: date) -> None:
        sides = {"me": Side.OURS, "we": Side.OURS, "they": Side.THEIRS}
        commitment = Commitment(who, what, due, sides.get(who))
        assert parse_commitment(format_commitment(commitment)) == commitment

    @settings(max_examples=300, deadline=None)
    @given(text=st.text(max_size=200))
    def test_any_text_gives_commitments_or_lines_error(self, text: str) -> None:
        try:
            parse_commitment_lines(text)
        except LinesError as error:
            assert all(problem.reason for problem in error.problems)


@pytest.mark.parametrize(
    "line",
    [
        "Extra day – 99999999999999 – worth 5,000",
        "Extra day (99999999999999 USD, worth 500)",
        "99999999999999 USD – Extra day",
    ],
)
def test_an_amount_out_of_range_is_an_error_wherever_it_is_typed_never_part_of_the_name(line: str) -> None:
    with pytest.raises(LineError, match="too large"):
        parse_tradeable(line, "USD")
