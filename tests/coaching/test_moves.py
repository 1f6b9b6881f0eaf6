"""The first screen ("Your three moves") for any prep: within its size, no placeholders, at most three
moves, each counter said once (property tests over typed preps)."""

from __future__ import annotations

from datetime import date

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from coaching.counterparts import CounterpartKind
from coaching.moves import MAX_FIRST_SCREEN
from coaching.plaintext import render_prep_plan
from coaching.playbook import Playbook
from coaching.prep import PrepForm, build_prep_plan, validate_prep
from coaching.styles import Style

WORDS = st.sampled_from(
    ["Discount", "term", "seats", "Onboarding", "day", "Case", "study", "fee", "payment", "course", "extra"]
)
NUMBERS = st.sampled_from(
    ["", " 12%", " 5 %", " $900", " 1.2k", " 6 months", " 24-month", " 10 seats", " 2 days"]
)
LINE = st.builds(
    lambda words, number: " ".join(words) + number, st.lists(WORDS, min_size=1, max_size=30), NUMBERS
)
LONG = st.text(alphabet="abcdefghij ", min_size=150, max_size=199).map(lambda t: "x" + t.strip() + " $900")
FIELD = st.lists(st.one_of(LINE, LONG), max_size=8).map("\n".join)
LIMIT = st.sampled_from(
    [
        "No more than 7% off",
        "Minimum term 12 months",
        "No free seats",
        "Fee above $60,000",
        "Cutting a full day",
    ]
)


@settings(max_examples=80, deadline=None)
@given(
    kind=st.sampled_from(list(CounterpartKind)),
    style=st.sampled_from([None, *Style]),
    limits=st.lists(LIMIT, max_size=4).map("\n".join),
    tradeables=FIELD,
    wants=FIELD,
    asks=FIELD,
)
def test_the_first_screen_fits_and_never_prints_a_placeholder(
    playbook: Playbook,
    kind: CounterpartKind,
    style: Style | None,
    limits: str,
    tradeables: str,
    wants: str,
    asks: str,
) -> None:
    form = PrepForm(
        title="Case",
        counterpart_kind=kind.value,
        date="2026-12-20",
        objectives="Agree",
        limits=limits,
        tradeables=tradeables,
        wants=wants,
        asks=asks,
    )
    prep = validate_prep(form, today=date(2026, 12, 7), default_currency="USD").prep
    assume(prep is not None)  # an item typed on both sides is a field error, tested elsewhere
    assert prep is not None
    plan = build_prep_plan(prep, style, playbook)
    assert plan.first_screen is not None
    screen = plan.first_screen.text()
    assert len(screen) <= MAX_FIRST_SCREEN
    assert len(plan.first_screen.moves) <= 3
    text = render_prep_plan(plan)
    assert "[what you want in return" not in text and "[something" not in text
    for ask in plan.asks:
        if ask.script and ask.branch.value == "counter":
            assert screen.count(ask.script) <= 1
