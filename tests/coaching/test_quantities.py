"""Reading numbers however they are typed: money, percentages, durations, counts (property tests)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coaching.parsing import parse_concession, parse_tradeable, parse_want
from coaching.quantities import Kind, read_quantities, read_term, trailing_money

LABEL_WORDS = ("Onboarding", "day", "Extra", "coaching", "session", "job", "aids", "Renewal", "support")
labels = st.lists(st.sampled_from(LABEL_WORDS), min_size=1, max_size=4).map(" ".join)


def grouped(n: int) -> str:
    return f"{n:,}"


@st.composite
def money_texts(draw: st.DrawFn) -> tuple[str, Fraction, str]:
    """An amount in one of the ways people type it, with its value and currency."""
    major = draw(st.integers(min_value=1, max_value=9_999_999))
    style = draw(
        st.sampled_from(["$grouped", "$plain", "k", "code_first", "code_after", "euro", "words", "£"])
    )
    if style == "$grouped":
        return f"${grouped(major)}", Fraction(major), "USD"
    if style == "$plain":
        return f"${major}", Fraction(major), "USD"
    if style == "k":
        tenths = draw(st.integers(min_value=1, max_value=9_999))
        text = f"{tenths // 10}.{tenths % 10}k" if tenths % 10 else f"{tenths // 10}k"
        return text, Fraction(tenths * 100), "USD"
    if style == "code_first":
        return f"USD {grouped(major)}", Fraction(major), "USD"
    if style == "code_after":
        return f"{grouped(major)} EUR", Fraction(major), "EUR"
    if style == "euro":
        return f"€{grouped(major)}", Fraction(major), "EUR"
    if style == "words":
        return f"{major} euros", Fraction(major), "EUR"
    return f"£{grouped(major)}", Fraction(major), "GBP"


@given(label=labels, money=money_texts(), joiner=st.sampled_from([" ", " – ", ": ", " - "]))
def test_money_is_read_anywhere_in_a_line_and_the_text_is_kept(
    label: str, money: tuple[str, Fraction, str], joiner: str
) -> None:
    text, value, currency = money
    if text.endswith("k") and not text[0].isdigit():
        return
    line = f"{label}{joiner}{text}"
    [quantity] = [q for q in read_quantities(line) if q.kind is Kind.MONEY]
    assert (quantity.value, quantity.unit) == (value, currency)
    assert line[quantity.start : quantity.end] == quantity.text
    assert read_term(line).text == line


@given(label=labels, money=money_texts())
def test_an_amount_typed_after_the_label_without_a_separator_is_the_cost(
    label: str, money: tuple[str, Fraction, str]
) -> None:
    text, value, currency = money
    tradeable = parse_tradeable(f"{label} {text}", "USD")
    assert tradeable.item == label
    assert tradeable.cost_to_us is not None
    assert (tradeable.cost_to_us.amount_minor, tradeable.cost_to_us.currency) == (int(value * 100), currency)
    assert parse_want(f"{label} {text}", "USD").value_to_us == tradeable.cost_to_us


def test_onboarding_day_900() -> None:
    concession = parse_concession("Onboarding day $900 -> nothing", "USD")
    assert (concession.item, str(concession.cost)) == ("Onboarding day", "900 USD")


@given(
    label=labels,
    whole=st.integers(min_value=0, max_value=100),
    tenth=st.integers(min_value=0, max_value=9),
    mark=st.sampled_from(["%", " %", " percent", " per cent", " pct"]),
    tail=st.sampled_from(["", " off", " discount"]),
)
def test_percentages(label: str, whole: int, tenth: int, mark: str, tail: str) -> None:
    number = f"{whole}.{tenth}" if tenth else str(whole)
    line = f"{label} {number}{mark}{tail}"
    [quantity] = read_quantities(line)
    assert quantity.kind is Kind.PERCENT
    assert quantity.value == Fraction(whole) + Fraction(tenth, 10)
    assert str(quantity).endswith(" %")


DURATIONS = {
    "day": ["day", "days", "working days"],
    "week": ["week", "weeks", "wks"],
    "month": ["month", "months", "mo", "-month"],
    "year": ["year", "years", "yrs"],
}


@given(
    n=st.integers(min_value=1, max_value=240),
    unit=st.sampled_from(sorted(DURATIONS)),
    data=st.data(),
)
def test_durations(n: int, unit: str, data: st.DataObject) -> None:
    form = data.draw(st.sampled_from(DURATIONS[unit]))
    line = f"Renewal {n}{form if form.startswith('-') else ' ' + form} term"
    [quantity] = read_quantities(line)
    assert (quantity.kind, quantity.value, quantity.unit) == (Kind.DURATION, Fraction(n), unit)


def test_durations_compare_across_units() -> None:
    [year] = read_quantities("1 year")
    [months] = read_quantities("12 months")
    [weeks] = read_quantities("2 weeks")
    [days] = read_quantities("14 days")
    assert year.base() == months.base() and weeks.base() == days.base()


@given(
    n=st.integers(min_value=0, max_value=5_000),
    noun=st.sampled_from(["seats", "licences", "VPs", "people", "learners", "free seats", "extra seats"]),
)
def test_counts(n: int, noun: str) -> None:
    [quantity] = read_quantities(f"{n:,} {noun}")
    assert (quantity.kind, quantity.value) == (Kind.COUNT, Fraction(n))
    assert quantity.unit == {"seats": "seat", "licences": "licence", "VPs": "vp", "people": "person"}.get(
        noun.split()[-1], noun.split()[-1].rstrip("s")
    )


def test_number_words() -> None:
    [quantity] = read_quantities("four VPs cancel")
    assert (quantity.kind, quantity.value, quantity.unit) == (Kind.COUNT, 4, "vp")


@pytest.mark.parametrize("text", ["$1,2,3", "$12,34", "€1,0000"])
def test_unreadable_money_is_unknown_never_zero(text: str) -> None:
    [quantity] = read_quantities(f"Fee {text}")
    assert quantity.kind is Kind.MONEY and quantity.value is None and quantity.money is None
    assert str(quantity).startswith("an unknown amount")


def test_numbers_glued_to_words_and_plain_numbers() -> None:
    assert read_quantities("Q3 review") == ()
    assert [q.kind for q in read_quantities("Option 2 or 3")] == [Kind.NUMBER, Kind.NUMBER]
    assert trailing_money("Review 2 days", "USD") is None
    assert trailing_money("$900", "USD") is None


@given(st.text(max_size=80))
def test_reading_never_raises_and_spans_are_exact(text: str) -> None:
    for quantity in read_quantities(text):
        assert text[quantity.start : quantity.end] == quantity.text
        assert quantity.value is None or quantity.value >= 0
