from __future__ import annotations

import contextlib
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coaching.errors import CoachingError
from coaching.money import (
    MAX_MAJOR_UNITS,
    MINOR_UNITS,
    SYMBOLS,
    AmountError,
    CurrencyMismatch,
    Money,
    MoneyTotals,
    format_number,
    is_currency,
    looks_like_amount,
    parse_amount,
)


def exactly(message: str) -> str:
    """A ``pytest.raises`` pattern for ``message`` exactly: nothing may be wrapped around it."""
    return rf"\A{re.escape(message)}\Z"


CURRENCIES = sorted(MINOR_UNITS)


def money_in(currency: str, max_major: int = MAX_MAJOR_UNITS) -> st.SearchStrategy[Money]:
    return st.integers(0, max_major * 10 ** MINOR_UNITS[currency] - 1).map(lambda m: Money(m, currency))


moneys = st.sampled_from(CURRENCIES).flatmap(money_in)
usd_amounts = st.integers(-(10**15), 10**15).map(lambda m: Money(m, "USD"))


def usd(major: int | str) -> Money:
    return Money.of(major, "USD")


class TestMoney:
    def test_minor_units_per_currency(self) -> None:
        assert (MINOR_UNITS["USD"], MINOR_UNITS["JPY"], MINOR_UNITS["KWD"], MINOR_UNITS["CLF"]) == (
            2,
            0,
            3,
            4,
        )
        assert Money(5, "JPY").decimals == 0
        assert is_currency("EUR") and not is_currency("eur") and not is_currency("XXX")

    def test_rejects_bad_construction(self) -> None:
        with pytest.raises(CoachingError, match=exactly("'XYZ' is not an ISO 4217 currency code")):
            Money(1, "XYZ")
        with pytest.raises(CoachingError, match=exactly("amount_minor must be an int, got float")):
            Money(1.5, "USD")  # type: ignore[arg-type]
        with pytest.raises(CoachingError, match=exactly("amount_minor must be an int, got bool")):
            Money(True, "USD")

    def test_of_and_zero(self) -> None:
        assert Money.of("1250.50", "GBP") == Money(125050, "GBP")
        assert Money.of(2000, "JPY") == Money(2000, "JPY")
        assert Money.zero("EUR") == Money(0, "EUR") and Money.zero("EUR").is_zero()

    def test_arithmetic_is_exact(self) -> None:
        assert Money(10, "USD") + Money(20, "USD") == Money(30, "USD")
        assert Money(10, "USD") - Money(25, "USD") == Money(-15, "USD")
        assert -Money(5, "USD") == Money(-5, "USD") and abs(Money(-5, "USD")) == Money(5, "USD")
        assert Money(7, "USD") * 3 == 3 * Money(7, "USD") == Money(21, "USD")
        assert sum([Money(1, "EUR"), Money(2, "EUR")], Money.zero("EUR")) == Money(3, "EUR")

    def test_never_mixes_currencies(self) -> None:
        with pytest.raises(
            CurrencyMismatch, match=exactly("cannot combine USD with EUR: amounts in different currencies")
        ):
            Money(1, "USD") + Money(1, "EUR")
        with pytest.raises(CurrencyMismatch):
            Money(1, "USD") - Money(1, "EUR")
        with pytest.raises(CurrencyMismatch):
            assert Money(1, "USD") < Money(2, "EUR")
        with pytest.raises(CurrencyMismatch):
            Money(1, "USD").ratio_to(Money(2, "EUR"))
        assert Money(1, "USD") != Money(1, "EUR")

    def test_unsupported_operands(self) -> None:
        with pytest.raises(TypeError):
            Money(1, "USD") + 1  # type: ignore[operator]
        with pytest.raises(TypeError):
            Money(1, "USD") - 1  # type: ignore[operator]
        with pytest.raises(TypeError):
            Money(1, "USD") * 1.5  # type: ignore[operator]
        with pytest.raises(TypeError):
            assert Money(1, "USD") < 2  # type: ignore[operator]

    def test_comparisons(self) -> None:
        assert usd(1) < usd(2) <= usd(2) and usd(3) > usd(2) >= usd(2)

    def test_percent_and_scaling_round_halves_away_from_zero(self) -> None:
        assert usd(4000).percent(50) == usd(2000)
        assert Money(5, "USD").percent(50) == Money(3, "USD")  # 2.5 cents → 3
        assert Money(-5, "USD").percent(50) == Money(-3, "USD")
        assert Money(4, "USD").percent(Fraction(25, 2)) == Money(1, "USD")  # 0.5 → 1
        assert Money(100, "JPY").scaled(Fraction(1, 3)) == Money(33, "JPY")

    def test_ratio(self) -> None:
        assert usd(10000).ratio_to(usd(2000)) == 5
        assert usd(1).ratio_to(usd(0)) is None

    @pytest.mark.parametrize(
        ("money", "code", "symbol"),
        [
            (Money(200000, "USD"), "2,000 USD", "$2,000"),
            (Money(125050, "GBP"), "1,250.50 GBP", "£1,250.50"),
            (Money(80000, "EUR"), "800 EUR", "€800"),
            (Money(1500, "JPY"), "1,500 JPY", "¥1,500"),
            (Money(1234567, "KWD"), "1,234.567 KWD", "1,234.567 KWD"),
            (Money(-5, "USD"), "-0.05 USD", "-$0.05"),
            (Money(100, "CHF"), "1 CHF", "1 CHF"),
        ],
    )
    def test_formatting(self, money: Money, code: str, symbol: str) -> None:
        assert str(money) == money.format() == code
        assert money.format(symbol=True) == symbol

    def test_format_number(self) -> None:
        assert format_number(123456789, "USD") == "1,234,567.89"
        assert format_number(-100, "USD") == "1"

    @settings(max_examples=200, deadline=None)
    @given(a=usd_amounts, b=usd_amounts, c=usd_amounts)
    def test_addition_is_associative_and_commutative(self, a: Money, b: Money, c: Money) -> None:
        assert (a + b) + c == a + (b + c)
        assert a + b == b + a
        assert (a + b).amount_minor == a.amount_minor + b.amount_minor
        assert a - b == a + (-b)

    @settings(max_examples=200, deadline=None)
    @given(amount=usd_amounts, percent=st.integers(0, 100))
    def test_percent_matches_decimal_half_up(self, amount: Money, percent: int) -> None:
        exact = Decimal(amount.amount_minor) * percent / 100
        expected = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        assert amount.percent(percent).amount_minor == expected


class TestMoneyTotals:
    def test_keeps_one_total_per_currency(self) -> None:
        totals = MoneyTotals.of([Money(100, "USD"), Money(5, "EUR"), None, Money(50, "USD")])
        assert totals.amounts == (Money(5, "EUR"), Money(150, "USD"))
        assert totals.currencies == ("EUR", "USD")
        assert totals.get("USD") == Money(150, "USD") and totals.get("JPY") == Money(0, "JPY")
        assert str(totals) == "0.05 EUR + 1.50 USD"
        assert totals.format(symbol=True) == "€0.05 + $1.50"
        assert len(totals) == 2 and list(totals) == list(totals.amounts)

    def test_empty_and_zero(self) -> None:
        assert MoneyTotals().is_empty() and MoneyTotals().is_zero()
        assert str(MoneyTotals()) == "0" and MoneyTotals().format(empty="none") == "none"
        zero = MoneyTotals.of([Money(0, "USD")])
        assert not zero.is_empty() and zero.is_zero() and str(zero) == "0 USD"

    def test_adding(self) -> None:
        totals = MoneyTotals.of([Money(1, "USD")]) + Money(2, "USD") + MoneyTotals.of([Money(3, "EUR")])
        assert totals.amounts == (Money(3, "EUR"), Money(3, "USD"))
        with pytest.raises(TypeError):
            totals + 1  # type: ignore[operator]

    @settings(max_examples=100, deadline=None)
    @given(items=st.lists(moneys, max_size=20), seed=st.randoms())
    def test_order_never_matters(self, items: list[Money], seed: object) -> None:
        shuffled = list(items)
        seed.shuffle(shuffled)  # type: ignore[attr-defined]
        totals = MoneyTotals.of(items)
        assert totals == MoneyTotals.of(shuffled)
        for money in totals:
            assert money.amount_minor == sum(m.amount_minor for m in items if m.currency == money.currency)


class TestParseAmount:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("$2,000", Money(200000, "USD")),
            ("2000", Money(200000, "USD")),
            ("1.5k", Money(150000, "USD")),
            ("2k USD", Money(200000, "USD")),
            ("800 EUR", Money(80000, "EUR")),
            ("€800", Money(80000, "EUR")),
            ("800€", Money(80000, "EUR")),
            ("£1,250.50", Money(125050, "GBP")),
            ("USD 40,000", Money(4000000, "USD")),
            ("usd40,000", Money(4000000, "USD")),
            ("800 euros", Money(80000, "EUR")),
            ("¥1,500", Money(1500, "JPY")),
            ("US$ 2.5m", Money(250000000, "USD")),
            ("CA$5", Money(500, "CAD")),
            ("R$10", Money(1000, "BRL")),
            ("~$300", Money(30000, "USD")),
            ("about 2k", Money(200000, "USD")),
            (".5", Money(50, "USD")),
            ("1.2345k", Money(123450, "USD")),
            ("1 bn JPY", Money(1_000_000_000, "JPY")),
            ("0", Money(0, "USD")),
            ("+5", Money(500, "USD")),
        ],
    )
    def test_reads_amounts_as_typed(self, text: str, expected: Money) -> None:
        assert parse_amount(text, "USD") == expected

    def test_dollar_and_yen_follow_the_default_currency(self) -> None:
        assert parse_amount("$5", "CAD") == Money(500, "CAD")
        assert parse_amount("$5", "EUR") == Money(500, "USD")
        assert parse_amount("¥5", "CNY") == Money(500, "CNY")
        assert parse_amount("5 dollars", "AUD") == Money(500, "AUD")
        assert parse_amount("5", "JPY") == Money(5, "JPY")

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("", "'' is empty: type an amount such as 2,000 or $2,000"),
            ("12abc", "'12abc' is not an amount"),
            ("$2,000 $3,000", "'$2,000 $3,000' has two amounts: keep one amount per value"),
            ("-$5", "'-$5' is negative: amounts are entered as positive values"),
            ("$-5", "'$-5' is negative: amounts are entered as positive values"),
            (
                "1,25",
                "'1,25' is not an amount: use ',' only between groups of three digits (1,250) "
                "and '.' for decimals",
            ),
            ("¥100.5", "'¥100.5' has more decimals than JPY allows (no decimal places)"),
            ("0.001", "'0.001' has more decimals than USD allows (2 decimal places)"),
            (
                "1,000,000,000,000",
                "'1,000,000,000,000' is too large (the limit is 1,000,000,000,000 USD); "
                "check for a typing mistake",
            ),
            ("5 EUR GBP", "'5 EUR GBP' is not an amount"),
            ("€5 USD", "'€5 USD' has two currencies (EUR and USD)"),
            ("2..3", "'2..3' is not an amount"),
            ("5%", "'5%' is not an amount"),
            ("x" * 70, "'" + "x" * 57 + "…' is too long to be an amount"),
        ],
    )
    def test_refuses_with_a_reason(self, text: str, message: str) -> None:
        with pytest.raises(AmountError) as caught:
            parse_amount(text, "USD")
        assert str(caught.value) == message

    def test_refuses_an_unknown_default_currency(self) -> None:
        with pytest.raises(CoachingError, match=exactly("'ABC' is not an ISO 4217 currency code")):
            parse_amount("5", "ABC")

    def test_just_below_the_limit_is_fine(self) -> None:
        assert parse_amount("999,999,999,999.99", "USD") == Money(99_999_999_999_999, "USD")

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("$2,000", True),
            ("12abc", True),
            ("1.5k", True),
            ("800 EUR", True),
            ("USD 5", True),
            ("2 k USD", True),
            ("2 days", False),
            ("5%", False),
            ("abc", False),
            ("", False),
            ("Q3", False),
        ],
    )
    def test_looks_like_amount(self, text: str, expected: bool) -> None:
        assert looks_like_amount(text) is expected

    @settings(max_examples=300, deadline=None)
    @given(money=moneys)
    def test_round_trips_through_its_own_formatting(self, money: Money) -> None:
        assert parse_amount(str(money), "USD") == money
        if money.currency in SYMBOLS and money.currency not in ("USD",):
            assert parse_amount(money.format(symbol=True), "EUR") == money

    @settings(max_examples=100, deadline=None)
    @given(money=money_in("USD"))
    def test_dollar_symbol_round_trips(self, money: Money) -> None:
        assert parse_amount(money.format(symbol=True), "USD") == money

    @settings(max_examples=500, deadline=None)
    @given(text=st.text(max_size=40))
    def test_only_ever_raises_amount_error(self, text: str) -> None:
        try:
            result = parse_amount(text, "USD")
        except AmountError:
            return
        assert 0 <= result.amount_minor < MAX_MAJOR_UNITS * 10**result.decimals

    @settings(max_examples=300, deadline=None)
    @given(
        text=st.text(alphabet="0123456789,.$€£kKmM USDEURbn-~", max_size=20),
    )
    def test_amount_like_text_only_raises_amount_error(self, text: str) -> None:
        with contextlib.suppress(AmountError):
            parse_amount(text, "EUR")
