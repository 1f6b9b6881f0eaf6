"""The debrief names the giveaway and rewrites it as the conditional sentence that would have traded it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from coaching.counterparts import CounterpartKind
from coaching.debrief import DebriefInput, Outcome, analyse_debrief
from coaching.items import Concession, Want
from coaching.money import Money
from coaching.parsing import parse_concession
from coaching.playbook import Playbook
from coaching.prep import PrepInput
from coaching.rewrites import giveaway_rewrite

PREP = PrepInput(
    title="Renewal",
    counterpart_kind=CounterpartKind.CUSTOMER,
    counterpart_name="Northwind",
    date=date(2026, 12, 20),
    objectives=("Renew",),
    wants=(Want("Case study", Money.of(3000, "USD")), Want("24-month term", Money.of(20000, "USD"))),
)


def test_the_costliest_giveaway_is_named_and_rewritten_with_the_best_want(playbook: Playbook) -> None:
    conceded = (
        parse_concession("Onboarding day $900 -> nothing", "USD"),
        parse_concession("Quarterly review – $500 -> nothing", "USD"),
    )
    analysis = analyse_debrief(DebriefInput(Outcome.AGREED, conceded=conceded), PREP, None, playbook)
    assert analysis.giveaway_note == (
        "You gave “Onboarding day” (900 USD) for nothing. The sentence that would have traded it: "
        "“I can do Onboarding day, if you can agree to 24-month term.”"
    )


def test_without_wants_there_is_no_blank_to_fill(playbook: Playbook) -> None:
    conceded = (Concession("Free seats"),)
    analysis = analyse_debrief(
        DebriefInput(Outcome.AGREED, conceded=conceded), replace(PREP, wants=()), None, playbook
    )
    assert analysis.giveaway_note == (
        "You gave “Free seats” for nothing. Next time, decide before the meeting what you want back for it."
    )
    assert "[" not in analysis.giveaway_note and "…" not in analysis.giveaway_note


def test_no_giveaway_no_note() -> None:
    assert giveaway_rewrite((), PREP.wants) == ""
    traded = (Concession("Extra day", Money.of(900, "USD"), "Case study"),)
    assert giveaway_rewrite(tuple(c for c in traded if c.is_giveaway), PREP.wants) == ""


def test_an_unvalued_concession_makes_the_totals_incomplete_not_zero(playbook: Playbook) -> None:
    conceded = (
        parse_concession("9% off – $3,000 -> nothing", "USD"),
        parse_concession("Onboarding day $900 -> a case study", "USD"),
    )
    analysis = analyse_debrief(DebriefInput(Outcome.AGREED, conceded=conceded), PREP, None, playbook)
    assert [c.item for c in analysis.unassessed] == ["Onboarding day"]
    assert analysis.summary.endswith("1 concession not valued, so these totals are incomplete.")
