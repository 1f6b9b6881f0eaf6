"""Their asks: which branch each takes, and the script for it (the examples in docs/coaching.md)."""

from __future__ import annotations

import pytest

from coaching.asks import Branch, counter_template, parse_ask_lines, plan_asks
from coaching.counterparts import CounterpartKind
from coaching.items import Want
from coaching.money import Money
from coaching.playbook import Playbook
from coaching.trades import CheckKind, TradeProposal, TradeTerms, check_trade

WANTS = (Want("Seat at the quarterly planning meeting", Money.of(5000, "USD")), Want("Sponsor opens"))


def test_management_breaking_ask_gets_the_articles_counter_and_a_question_first() -> None:
    asks = parse_ask_lines("Cut the course to 2 days\nCut the course to 2.5 days", "USD")
    counter, trade = plan_asks(
        asks, ("Course shorter than 2.5 days",), WANTS, CounterpartKind.MANAGEMENT, "USD"
    )
    assert counter.branch is Branch.COUNTER and counter.constraint == "course ≥ 2.5 days"
    assert counter.script == (
        "2 days keeps the course at full value only as two very long days with no breaks; "
        "would the managers accept that?"
    )
    assert counter.first.startswith("Ask first: what's driving “Cut the course to 2 days”")
    assert trade.branch is Branch.TRADE
    assert trade.script == (
        "If you agree to “Seat at the quarterly planning meeting”, then we can agree to "
        "“Cut the course to 2.5 days”."
    )


def test_customer_counter_uses_their_number_and_the_limit() -> None:
    [counter] = plan_asks(
        parse_ask_lines("12% discount", "USD"),
        ("No more than 7% off",),
        WANTS,
        CounterpartKind.CUSTOMER,
        "USD",
    )
    assert counter.script == (
        "12 % off works only on a 36-month term, paid in full up front, with a public case study. "
        "At 7 % we keep the terms we discussed."
    )


def test_a_learner_is_never_countered() -> None:
    [plan] = plan_asks(
        parse_ask_lines("Missing the afternoon: 4 hours", "USD"),
        ("Missing more than 2 hours of the course",),
        WANTS,
        CounterpartKind.LEARNER,
        "USD",
    )
    assert plan.branch is Branch.EXPLORE and plan.first.startswith("Ask first")


def test_an_unpinned_ask_is_flagged_and_trades_pair_the_best_want_first() -> None:
    plans = plan_asks(
        parse_ask_lines("Extra discount\nFree parking", "USD"),
        ("No more than 7% off",),
        WANTS,
        CounterpartKind.CUSTOMER,
        "USD",
    )
    assert [p.want for p in plans] == [WANTS[0], WANTS[1]]
    assert plans[0].note.startswith("Pin their number first")


def test_every_kind_has_a_counter_for_every_kind_of_limit() -> None:
    for kind in CounterpartKind:
        for limit_kind in ("percent", "money", "duration", "count", "worded"):
            assert counter_template(kind, limit_kind)


def test_the_trade_check_names_the_constraint_and_the_number(playbook: Playbook) -> None:
    terms = TradeTerms("12% discount", Money.of(100, "USD"), "Case study", Money.of(500, "USD"))
    checks = check_trade(TradeProposal(terms, "why"), limits=("No more than 7% off",), playbook=playbook)
    [blocked] = [c for c in checks if c.kind is CheckKind.OUT_OF_BOUNDS]
    assert blocked.message == "“12% discount” breaks the prep's limit discount ≤ 7 %: 12 % is out of bounds."


def test_a_learners_limit_is_held_by_asking_first_not_by_a_counter(playbook: Playbook) -> None:
    from datetime import date

    from coaching.prep import PrepInput, build_prep_plan

    prep = PrepInput(
        title="Skip day 2",
        counterpart_kind=CounterpartKind.LEARNER,
        counterpart_name="Jo",
        date=date(2026, 12, 20),
        objectives=("Keep Jo on track",),
        limits=("Missing the final assessment",),
    )
    [guard] = build_prep_plan(prep, None, playbook).limits
    assert guard.counter_example == ""
    assert guard.when_pushed.startswith("Ask first: what's behind the request, and can it move?")
    assert "refuse" not in guard.when_pushed.replace("never by refusing", "")


def test_a_worded_limit_is_countered_with_their_ask_as_typed() -> None:
    [counter] = plan_asks(
        parse_ask_lines("Free onboarding for every seat", "USD"),
        ("Free onboarding",),
        WANTS,
        CounterpartKind.CUSTOMER,
        "USD",
    )
    assert counter.branch is Branch.COUNTER
    assert (counter.limit, counter.constraint, counter.their_number) == ("Free onboarding", "", "")
    assert counter.script == (
        "We could only look at “Free onboarding for every seat” on a 36-month term, paid up front, "
        "with a public case study."
    )


def test_a_kind_without_its_own_counters_uses_the_general_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    from coaching import asks

    data = {**asks._DATA, "counter": {k: v for k, v in asks._DATA["counter"].items() if k != "supplier"}}
    monkeypatch.setattr(asks, "_DATA", data)
    assert counter_template(CounterpartKind.SUPPLIER, "percent") == data["counter"]["other"]["percent"]
    partial = {**data["counter"], "customer": {"percent": "only percent"}}
    monkeypatch.setattr(asks, "_DATA", {**data, "counter": partial})
    assert counter_template(CounterpartKind.CUSTOMER, "money") == data["counter"]["other"]["money"]
    assert counter_template(CounterpartKind.CUSTOMER, "percent") == "only percent"


def test_every_slot_a_counter_template_may_use_is_filled() -> None:
    """asks.toml documents five slots; an organisation's template may use any of them."""
    from coaching.asks import _fill
    from coaching.constraints import check_item, read_limit

    template = "{their}|{ask}|{bound}|{limit}|{want}"
    numeric = check_item("12% discount", read_limit("No more than 7% off", "USD"), default_currency="USD")
    assert _fill(template, ask="12% discount", check=numeric, want=WANTS[0]) == (
        "12 %|“12% discount”|7 %|discount ≤ 7 %|“Seat at the quarterly planning meeting”"
    )
    worded = check_item("Free onboarding", read_limit("Free onboarding", "USD"), default_currency="USD")
    assert _fill(template, ask="free onboarding", check=worded, want=None) == (
        "“free onboarding”|“free onboarding”|Free onboarding|“Free onboarding”|"
    )
    assert _fill("{ask} first", ask="free onboarding", check=worded, want=None) == "“free onboarding” first"
    assert _fill("we {ask}", ask="x", check=worded, want=None) == "We “x”"


def test_asks_are_read_one_per_line_in_the_negotiations_currency() -> None:
    asks = parse_ask_lines("Fee of 1.2k\n\nA 12% discount", "EUR")
    assert [ask.text for ask in asks] == ["Fee of 1.2k", "A 12% discount"]
    assert [str(q) for ask in asks for q in ask.quantities] == ["1,200 EUR", "12 %"]
