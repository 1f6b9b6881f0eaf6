"""Limits read as numbers, and the same verdict in prep, trade checks and the debrief (property tests)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coaching.constraints import Op, Verdict, check_item, read_limit
from coaching.counterparts import CounterpartKind
from coaching.debrief import DebriefInput, Outcome, analyse_debrief
from coaching.items import Concession, Tradeable, Want
from coaching.money import Money
from coaching.playbook import Playbook
from coaching.prep import PrepInput, suggest_trades
from coaching.trades import CheckKind, TradeProposal, TradeTerms, check_trade


@dataclass(frozen=True)
class Case:
    """A limit as typed, its bound, and a way to write an item with a given number."""

    limit: str
    op: Op
    bound: int
    item: str  # with {n}


UPPER = [  # the limit allows at most (or under) the bound
    ("no more than {b}% off", Op.LE, "{n}% off"),
    ("Discount above {b}%", Op.LE, "{n}% discount"),
    ("Discount max {b}%", Op.LE, "Discount {n}%"),
    ("Don't go over {b}% discount", Op.LE, "{n} % discount"),
    ("discount ≤ {b} %", Op.LE, "Extra {n} percent off"),
    ("Payment within {b} days", Op.LE, "Payment in {n} days"),
    ("At most {b} free seats", Op.LE, "{n} free seats"),
    ("Budget cap ${b},000", Op.LE, "Price ${n},000"),
]
LOWER = [  # the limit allows at least (or over) the bound
    ("Minimum term {b} months", Op.GE, "{n}-month term"),
    ("term ≥ {b} months", Op.GE, "Shorter term: {n} months"),
    ("Term under {b} months", Op.GE, "Term of {n} months"),
    ("Never go below ${b},000 on price", Op.GE, "Price ${n},000"),
    ("at least {b} seats", Op.GE, "{n} seats"),
    ("Fee no lower than {b}k", Op.GE, "Fee {n}k"),
]


@st.composite
def cases(draw: st.DrawFn) -> tuple[Case, int, bool]:
    """A case, an item number and whether that number breaks the limit."""
    limit, op, item = draw(st.sampled_from(UPPER + LOWER))
    bound = draw(st.integers(min_value=2, max_value=90))
    breaks = draw(st.booleans())
    if op is Op.LE:
        n = draw(st.integers(bound + 1, bound + 50)) if breaks else draw(st.integers(0, bound))
    else:
        n = draw(st.integers(0, bound - 1)) if breaks else draw(st.integers(bound, bound + 50))
    return Case(limit.format(b=bound), op, bound, item), n, breaks


def prep_with(limit: str, tradeable: Tradeable) -> PrepInput:
    return PrepInput(
        title="Renewal",
        counterpart_kind=CounterpartKind.CUSTOMER,
        counterpart_name="Acme",
        date=date(2026, 12, 20),
        objectives=("Renew",),
        limits=(limit,),
        tradeables=(tradeable,),
        wants=(Want("Case study", Money.of(500, "USD")),),
    )


@given(case=cases())
def test_every_readable_limit_becomes_a_constraint(case: tuple[Case, int, bool]) -> None:
    limit = read_limit(case[0].limit)
    assert limit.constraint is not None
    assert limit.constraint.op is case[0].op
    scale = 1000 if ",000" in case[0].limit or "k" in case[0].limit.split()[-1] else 1
    assert limit.constraint.bound is not None and limit.constraint.bound.value == case[0].bound * scale


@given(case=cases())
def test_prep_trades_and_debrief_agree_on_every_breach(
    playbook: Playbook, case: tuple[Case, int, bool]
) -> None:
    spec, n, breaks = case
    item = spec.item.format(n=n)
    limit = read_limit(spec.limit)
    check = check_item(item, limit)
    assert check.verdict is (Verdict.BREAKS if breaks else Verdict.WITHIN), (item, str(limit.constraint))

    tradeable = Tradeable(item, Money.of(100, "USD"), Money.of(900, "USD"))
    trades, held_back = suggest_trades((tradeable,), (Want("Case study"),), (spec.limit,), "USD")
    assert bool(held_back) is breaks and bool(trades) is not breaks
    if breaks:
        assert str(limit.constraint) in held_back[0].reason

    proposal = TradeProposal(TradeTerms(item, Money.of(100, "USD"), "Case study", Money.of(500, "USD")), "x")
    kinds = [c.kind for c in check_trade(proposal, limits=(spec.limit,), playbook=playbook)]
    assert (CheckKind.OUT_OF_BOUNDS in kinds) is breaks

    debrief = DebriefInput(Outcome.AGREED, conceded=(Concession(item, Money.of(100, "USD")),))
    analysis = analyse_debrief(debrief, prep_with(spec.limit, tradeable), None, playbook)
    if breaks:
        [breach] = analysis.limits_breached
        assert f"your limit was {limit.constraint}" in breach.detail
        assert analysis.limits_held == ()
    else:
        assert analysis.limits_breached == ()
        assert [s.limit for s in analysis.limits_held] == [spec.limit]
    assert analysis.limits_unchecked == ()


def test_the_issue_example(playbook: Playbook) -> None:
    debrief = DebriefInput(Outcome.AGREED, conceded=(Concession("9% off", Money.of(3000, "USD")),))
    prep = prep_with("no more than 7% off", Tradeable("12% off"))
    [breach] = analyse_debrief(debrief, prep, None, playbook).limits_breached
    assert breach.detail == "9 % conceded (“9% off”) — your limit was discount ≤ 7 %"
    trades, held = suggest_trades((Tradeable("12% off"),), (), ("no more than 7% off",), "USD")
    assert trades == () and held[0].constraint == "discount ≤ 7 %"


def test_free_seats_zero() -> None:
    limit = read_limit("No free seats")
    assert str(limit.constraint) == "free seats = 0"
    assert check_item("2 free seats", limit).verdict is Verdict.BREAKS
    assert check_item("Free seats for the pilot", limit).verdict is Verdict.BREAKS
    assert check_item("10 seats at list price", limit).verdict is Verdict.UNRELATED


@pytest.mark.parametrize(
    "text", ["Cutting a full day", "Dropping the assessment", "Anything that hurts quality", "Payment terms"]
)
def test_limits_without_a_bound_stay_worded(text: str) -> None:
    assert read_limit(text).constraint is None


WORDED = st.lists(
    st.sampled_from(["Cutting a full day", "Dropping the assessment", "Weekend sessions", "Exclusivity"]),
    min_size=1,
    max_size=4,
    unique=True,
)
CONCEDED = st.lists(
    st.sampled_from(["Extra workshop", "Case study", "Earlier start", "Cutting a full day", "5% off"]),
    max_size=4,
)


@given(limits=WORDED, conceded=CONCEDED, numeric=st.booleans())
def test_no_limit_is_claimed_held_unless_checked_by_number(
    playbook: Playbook, limits: list[str], conceded: list[str], numeric: bool
) -> None:
    all_limits = (*limits, "no more than 7% off") if numeric else tuple(limits)
    prep = replace(prep_with("x", Tradeable("y")), limits=all_limits)
    debrief = DebriefInput(Outcome.AGREED, conceded=tuple(Concession(c) for c in conceded))
    analysis = analyse_debrief(debrief, prep, None, playbook)
    held = {s.limit for s in analysis.limits_held}
    assert held <= {"no more than 7% off"}
    accounted = (
        {b.limit for b in analysis.limits_breached} | held | {s.limit for s in analysis.limits_unchecked}
    )
    assert accounted == set(all_limits)
    for limit in limits:
        assert limit not in held


def test_a_related_item_without_a_number_leaves_the_limit_unchecked(playbook: Playbook) -> None:
    prep = prep_with("no more than 7% off", Tradeable("Extra discount"))
    debrief = DebriefInput(Outcome.AGREED, conceded=(Concession("Extra discount"),))
    analysis = analyse_debrief(debrief, prep, None, playbook)
    assert analysis.limits_held == () and analysis.limits_breached == ()
    [unchecked] = analysis.limits_unchecked
    assert "no number" in unchecked.why


def test_unknown_percent_bound_fraction() -> None:
    limit = read_limit("Discount max 7.5%")
    assert limit.constraint is not None and limit.constraint.bound is not None
    assert limit.constraint.bound.value == Fraction(15, 2)
    assert check_item("7.6% off", limit).verdict is Verdict.BREAKS


@pytest.mark.parametrize(
    ("op", "below", "equal", "above"),
    [
        (Op.LE, True, True, False),
        (Op.LT, True, False, False),
        (Op.GE, False, True, True),
        (Op.GT, False, False, True),
        (Op.EQ, False, True, False),
    ],
)
def test_each_bound_at_and_around_its_number(op: Op, below: bool, equal: bool, above: bool) -> None:
    bound = Fraction(7)
    assert (op.allows(Fraction(6), bound), op.allows(bound, bound), op.allows(Fraction(8), bound)) == (
        below,
        equal,
        above,
    )


def test_a_limit_reads_as_its_constraint_or_as_typed() -> None:
    assert str(read_limit("No more than 7% off", "USD")) == "discount ≤ 7 %"
    assert str(read_limit("Cutting a full day", "USD")) == "Cutting a full day"


def test_the_explanation_says_what_was_conceded_against_which_limit() -> None:
    seven = read_limit("No more than 7% off", "USD")
    above = check_item("Discount above 10%", seven, default_currency="USD")
    assert above.explain("Discount above 10%", "offered") == (
        "more than 10 % offered (“Discount above 10%”) — your limit was discount ≤ 7 %"
    )
    at = check_item("7% off", seven, default_currency="USD")
    assert at.explain("7% off") == "7 % conceded (“7% off”) — within your limit discount ≤ 7 %"
    vague = check_item("A discount", seven, default_currency="USD")
    assert (
        vague.explain("A discount") == "“A discount” has no number to check against your limit discount ≤ 7 %"
    )
    seats = read_limit("No free seats", "USD")
    unread = check_item("2 extra free seats", seats, default_currency="USD")  # its number isn't the limit's
    assert unread.verdict is Verdict.BREAKS and unread.found is None
    assert unread.explain("2 extra free seats") == (
        "“2 extra free seats” conceded — your limit was free seats = 0"
    )
    assert check_item("2 Free Seats", seats, default_currency="USD").verdict is Verdict.BREAKS
