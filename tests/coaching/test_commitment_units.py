"""Commitments with quantities: ``12 seats × $1,800`` read as typed, the chargeback per unit."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coaching.commitments import (
    CommitmentConditions,
    UnitValue,
    late_cancellation_consequence,
    parse_unit_value,
    read_count,
)
from coaching.errors import CoachingError
from coaching.money import Money


@pytest.mark.parametrize(
    ("typed", "units", "unit", "each"),
    [
        ("12 seats × $1,800", 12, "seat", 180000),
        ("12 seats x $1,800", 12, "seat", 180000),
        ("12 x 1800", 12, "", 180000),
        ("12 seats at $1,800 each", 12, "seat", 180000),
        ("3 * €500 per day", 3, "", 50000),
        ("2 VPs × 1.2k", 2, "VP", 120000),
        ("1 seat × $900", 1, "seat", 90000),
        ("$4,000", 1, "", 400000),
        ("4,000 USD", 1, "", 400000),
    ],
)
def test_a_value_is_read_as_units_at_a_value_each(typed: str, units: int, unit: str, each: int) -> None:
    size = parse_unit_value(typed, default_currency="USD")
    assert (size.units, size.unit, size.each.amount_minor) == (units, unit, each)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("12 seats × lots", "'lots' is not an amount"),
        ("0 × $5", "the number of units must be from 1 to 10,000"),
        ("20000 seats × $5", "the number of units must be from 1 to 10,000"),
        ("12 seats", "'12 seats' is not an amount"),
    ],
)
def test_a_value_that_cannot_be_read_says_why(typed: str, reason: str) -> None:
    with pytest.raises(CoachingError, match=reason):
        parse_unit_value(typed, default_currency="USD")


def test_describe_names_the_units() -> None:
    each = Money(180000, "USD")
    assert UnitValue(12, "seat", each).describe() == "12 seats × 1,800 USD"
    assert UnitValue(1, "", each).describe() == "1,800 USD"
    assert UnitValue(3, "", each).count() == "3 units"


@given(
    units=st.integers(1, 10_000),
    dollars=st.integers(0, 10**6),
    sep=st.sampled_from([" × ", " x ", "×", " * ", " at "]),
)
def test_any_count_and_value_typed_round_trips(units: int, dollars: int, sep: str) -> None:
    size = parse_unit_value(f"{units} seats{sep}${dollars:,}", default_currency="USD")
    assert (size.units, size.each) == (units, Money(dollars * 100, "USD"))


@given(total=st.integers(1, 500), cancelled=st.integers(1, 500), cents=st.integers(0, 10**7))
def test_the_chargeback_is_per_unit(total: int, cancelled: int, cents: int) -> None:
    conditions = CommitmentConditions(14, 50, Money(cents, "USD"), "Ops")
    k = min(cancelled, total)
    consequence = late_cancellation_consequence(
        conditions, event_date=date(2026, 12, 10), cancelled_on=date(2026, 12, 1), units=k
    )
    assert consequence is not None
    assert consequence.charge == Money(cents, "USD").percent(50) * k
    assert consequence.units == k


def test_three_of_twelve_seats() -> None:
    conditions = CommitmentConditions(14, 50, Money(180000, "USD"), "Ops")
    consequence = late_cancellation_consequence(
        conditions, event_date=date(2026, 12, 10), cancelled_on=date(2026, 12, 1), units=3
    )
    assert consequence is not None
    assert consequence.sentence == "3 × 50 % of 1,800 USD = 2,700 USD charged back to Ops"
    assert conditions.describe("seat") == (
        "Cancelling with less than 14 days' notice: 50 % of 1,800 USD per seat charged back to Ops."
    )


@pytest.mark.parametrize(
    ("typed", "count"),
    [("3", 3), (" 12 ", 12), ("0", 0), ("x", None), ("", None), ("2.5", None), ("١٢", None)],
)
def test_read_count(typed: str, count: int | None) -> None:
    assert read_count(typed) == count
