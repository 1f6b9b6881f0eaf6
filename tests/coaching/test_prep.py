from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coaching.counterparts import CounterpartKind
from coaching.items import Tradeable, Want
from coaching.money import Money
from coaching.parsing import LineProblem, LinesError
from coaching.playbook import Playbook
from coaching.prep import (
    MAX_TEXT_LENGTH,
    PrepField,
    PrepForm,
    PrepInput,
    build_prep_plan,
    lines_message,
    rank_tradeables,
    rank_wants,
    read_lines,
    suggest_trades,
    validate_prep,
)
from coaching.styles import PROFILES, Style

TODAY = date(2025, 3, 3)


def usd(major: int | str) -> Money:
    return Money.of(major, "USD")


GOOD_FORM = PrepForm(
    title=" Leadership course length ",
    counterpart_kind="management",
    counterpart_name="Dana",
    date="2025-03-10",
    objectives="- Keep 3 days\n\n- Exec sponsor",
    limits="Cutting a full day",
    walk_away="2.5 days",
    tradeables="Extra coaching – $300 – worth $2,000\nno cost: earlier start date",
    wants="Seat at quarterly planning – worth $5,000",
    counterpart_style="closer",
)


class TestValidatePrep:
    def test_a_good_form(self) -> None:
        result = validate_prep(GOOD_FORM, today=TODAY, default_currency="USD")
        assert result.ok and dict(result.errors) == {}
        assert result.prep == PrepInput(
            title="Leadership course length",
            counterpart_kind=CounterpartKind.MANAGEMENT,
            counterpart_name="Dana",
            date=date(2025, 3, 10),
            objectives=("Keep 3 days", "Exec sponsor"),
            limits=("Cutting a full day",),
            walk_away="2.5 days",
            tradeables=(
                Tradeable("Extra coaching", usd(300), usd(2000)),
                Tradeable("earlier start date", usd(0)),
            ),
            wants=(Want("Seat at quarterly planning", usd(5000)),),
            currency="USD",
            counterpart_style=Style.CLOSER,
        )

    def test_today_is_allowed_and_currency_applies(self) -> None:
        result = validate_prep(replace(GOOD_FORM, date="2025-03-03"), today=TODAY, default_currency="EUR")
        assert result.prep is not None and result.prep.tradeables[0].cost_to_us == Money.of(300, "USD")
        assert result.prep.tradeables[1].cost_to_us == Money(0, "EUR") and result.prep.currency == "EUR"

    def test_errors_are_keyed_by_field(self) -> None:
        form = PrepForm(
            title="x" * 151,
            counterpart_kind="boss",
            counterpart_name="n" * 151,
            date="2025-03-02",
            objectives="  \n ",
            tradeables="Day – 12abc\nok\nDay – $1 – $2\n– $5\nFee – -5",
            wants="Seat – costs $4",
            walk_away="w" * 3001,
            counterpart_style="shark",
        )
        result = validate_prep(form, today=TODAY, default_currency="USD")
        assert result.prep is None and not result.ok
        assert dict(result.errors) == {
            PrepField.TITLE: "Keep this under 150 characters (it has 151).",
            PrepField.COUNTERPART_NAME: "Keep this under 150 characters (it has 151).",
            PrepField.WALK_AWAY: "Keep this under 3,000 characters (it has 3,001).",
            PrepField.COUNTERPART_KIND: "Choose who you are negotiating with.",
            PrepField.COUNTERPART_STYLE: "Choose one of the four styles, or leave it empty.",
            PrepField.DATE: "2025-03-02 has already passed; pick today (2025-03-03) or later.",
            PrepField.OBJECTIVES: "Write at least one objective: what you want to come away with.",
            PrepField.TRADEABLES: (
                "Line 1 “Day – 12abc”: value '12abc' is not an amount; "
                "line 3 “Day – $1 – $2”: two costs ('$1' and '$2'): keep one per line; "
                "line 4 “– $5”: label empty: say what the item is, e.g. 'Extra training day – $2,000' "
                "(and 1 more)"
            ),
            PrepField.WANTS: "Line 1 “Seat – costs $4”: a want has a "
            "value to us (e.g. 'worth $500'), not a cost",
        }

    def test_required_and_unreadable_date(self) -> None:
        result = validate_prep(PrepForm(), today=TODAY, default_currency="USD")
        assert result.errors[PrepField.TITLE] == "Give the negotiation a title."
        assert result.errors[PrepField.DATE] == "Pick the date of the negotiation."
        bad = validate_prep(replace(GOOD_FORM, date="next week"), today=TODAY, default_currency="USD")
        assert dict(bad.errors) == {PrepField.DATE: "'next week' is not a date; use YYYY-MM-DD."}

    def test_over_long_multiline_fields(self) -> None:
        text = "x\n" * (MAX_TEXT_LENGTH // 2 + 1)
        result = validate_prep(replace(GOOD_FORM, limits=text), today=TODAY, default_currency="USD")
        assert dict(result.errors) == {PrepField.LIMITS: "Keep this under 3,000 characters (it has 3,002)."}

    def test_read_lines_and_lines_message(self) -> None:
        errors: dict[PrepField, str] = {}
        assert read_lines(errors, PrepField.LIMITS, "a\nb", lambda text: tuple(text.split())) == ("a", "b")
        error = LinesError((LineProblem(2, "x", "why"),))
        assert lines_message(error) == "Line 2 “x”: why"


class TestRanking:
    def test_tradeables_best_first(self, management_prep: PrepInput) -> None:
        ranked = [t.item for t in rank_tradeables(management_prep.tradeables)]
        assert ranked == [
            "Free parking",  # free, known value
            "Extra coaching session",  # 2000/300
            "Tailored job aids",  # 1500/800
            "Earlier start date",  # free, value unknown
            "Cutting a full day",  # value unknown
        ]

    def test_leverage(self) -> None:
        assert Tradeable("x", usd(300), usd(2000)).leverage() == Fraction(20, 3)
        assert Tradeable("x", usd(0), usd(2000)).leverage() is None
        assert Tradeable("x", usd(1), Money.of(2, "EUR")).leverage() is None
        assert Tradeable("x").leverage() is None

    def test_wants_most_valuable_first_and_currencies_never_compared(self) -> None:
        wants = (
            Want("unpriced"),
            Want("yen", Money.of(900000, "JPY")),
            Want("small", usd(10)),
            Want("big", usd(5000)),
        )
        assert [w.item for w in rank_wants(wants, "USD")] == ["big", "small", "yen", "unpriced"]


class TestSuggestTrades:
    def test_pairs_cheap_gives_with_valuable_asks_and_never_offers_a_limit(
        self, management_prep: PrepInput
    ) -> None:
        trades, held_back = suggest_trades(
            management_prep.tradeables, management_prep.wants, management_prep.limits, "USD"
        )
        assert [(t.give.item, t.ask.item if t.ask else None) for t in trades] == [
            ("Free parking", "Seat at quarterly planning"),
            ("Extra coaching session", "Sponsor opens the course"),
            ("Tailored job aids", "Seat at quarterly planning"),
            ("Earlier start date", "Seat at quarterly planning"),
        ]
        assert [(h.tradeable.item, h.limit) for h in held_back] == [
            ("Cutting a full day", "Cutting a full day")
        ]
        assert trades[1].sentence == (
            "If you agree to “Sponsor opens the course”, then we’ll agree to “Extra coaching session”."
        )
        assert trades[1].why == (
            "Costs us 300 USD; worth 2,000 USD to them; 6.7× as valuable to them as it is costly to us; "
            "“Sponsor opens the course” is worth 1,000 USD to us."
        )
        assert trades[0].why == (
            "Costs us nothing; worth 100 USD to them; “Seat at quarterly planning” is worth 5,000 USD to us."
        )

    def test_flags_an_ask_worth_less_than_the_give_costs(self) -> None:
        trades, _ = suggest_trades(
            (Tradeable("Big", usd(900), usd(1000)),), (Want("Small", usd(100)),), (), "USD"
        )
        assert trades[0].why.endswith("ask for more: that is worth less to us than this costs.")

    def test_no_wants_leaves_a_gap_to_fill(self) -> None:
        trades, _ = suggest_trades((Tradeable("Day"),), (), (), "USD")
        assert trades[0].ask is None
        assert trades[0].sentence == (
            "If you agree to [what you want in return: decide before the meeting], then we’ll agree to “Day”."
        )
        assert trades[0].why == "Cost to us not yet known."

    def test_at_most_five(self) -> None:
        tradeables = tuple(Tradeable(f"t{n}", usd(n + 1), usd(10)) for n in range(8))
        trades, _ = suggest_trades(tradeables, (), (), "USD")
        assert [t.give.item for t in trades] == ["t0", "t1", "t2", "t3", "t4"]

    def test_a_leverage_below_one_is_called_out(self) -> None:
        trades, _ = suggest_trades((Tradeable("Pricey", usd(500), usd(100)),), (), (), "USD")
        assert "offer it last: it costs us more than it is worth to them" in trades[0].why


class TestPlan:
    def test_plan_for_a_diplomat(self, management_prep: PrepInput, playbook: Playbook) -> None:
        plan = build_prep_plan(management_prep, Style.DIPLOMAT, playbook)
        assert plan.headline == "🐬 Diplomat · “Leadership course length” with Dana · Management · 2025-03-10"
        assert plan.questions == playbook.questions_for(CounterpartKind.MANAGEMENT)
        assert plan.style_notes == (  # two lines: this style with this kind, and its pattern
            "Back their goal, not their cut: agree on what they want, then trade on the course.",
            "Your pattern: you give early to keep the mood, often before they ask.",
        )
        assert plan.checklist == playbook.checklists.prep and plan.in_the_room == playbook.checklists.room
        assert [guard.limit for guard in plan.limits] == ["Cutting a full day", "Dropping the assessment"]
        guard = plan.limits[0]
        assert guard.counter_example == playbook.counter_for(CounterpartKind.MANAGEMENT)
        assert guard.if_reasonable == (
            "A reasonable request still gets a trade, not a plain yes: "
            "If you agree to “Seat at quarterly planning”, then we’ll agree to “Free parking”."
        )
        assert plan.todo == (
            "Estimate what these are worth to them: “Earlier start date”.",
            "Take “Cutting a full day” off your tradeables: it matches your limit “Cutting a full day”.",
        )
        assert plan.counterpart_notes == ()
        commit = next(move for move in plan.moves if move.id == "commit-early")
        assert "14 days' notice" in commit.language[1]

    def test_counterpart_style_adds_a_reading(self, management_prep: PrepInput, playbook: Playbook) -> None:
        prep = replace(management_prep, counterpart_style=Style.CLOSER)
        plan = build_prep_plan(prep, Style.STRATEGIST, playbook)
        assert plan.counterpart_notes[0].startswith("Signs of a 🦁 Closer: Pushes for a decision")
        assert plan.counterpart_notes[-1] == PROFILES[Style.CLOSER].as_counterpart.avoid  # type: ignore[union-attr]

    def test_gaps_become_todos(self, playbook: Playbook) -> None:
        bare = PrepInput("t", CounterpartKind.OTHER, "", date(2025, 3, 10), ("o",))
        plan = build_prep_plan(bare, None, playbook)
        assert plan.headline == "🧭 No style yet · “t” with other · Other · 2025-03-10"
        assert plan.todo == (
            "Decide what is out of bounds before the meeting: list at least one limit.",
            "Write your walk-away: the point at which no deal is better than this deal.",
            "List what you could trade: things cheap for you and valuable to them.",
            "Decide what you want in return, so every concession has a price.",
        )
        assert plan.trades == () and plan.limits == ()
        with_items = replace(bare, tradeables=(Tradeable("A"),), wants=(Want("B"),), limits=("C",))
        assert build_prep_plan(with_items, None, playbook).todo[-3:] == (
            "Put a cost to us on: “A”.",
            "Estimate what these are worth to them: “A”.",
            "Put a value on what you want: “B”.",
        )

    @pytest.mark.parametrize("kind", list(CounterpartKind))
    def test_each_style_reads_differently_for_every_kind(
        self, kind: CounterpartKind, management_prep: PrepInput, playbook: Playbook
    ) -> None:
        prep = replace(management_prep, counterpart_kind=kind)
        plans = {style: build_prep_plan(prep, style, playbook) for style in (*Style, None)}
        for first, second in itertools.combinations(plans.values(), 2):
            assert first.style_notes != second.style_notes
            assert not set(first.style_notes) & set(second.style_notes)
        assert {plan.questions for plan in plans.values()} == {playbook.questions_for(kind)}

    def test_each_kind_reads_differently_for_a_style(
        self, management_prep: PrepInput, playbook: Playbook
    ) -> None:
        notes = {
            kind: build_prep_plan(
                replace(management_prep, counterpart_kind=kind), Style.CLOSER, playbook
            ).style_notes[0]
            for kind in CounterpartKind
        }
        assert len(set(notes.values())) == len(CounterpartKind)


@settings(max_examples=200, deadline=None)
@given(
    fields=st.fixed_dictionaries(
        {
            **{name: st.text(max_size=120) for name in PrepForm.__dataclass_fields__},
            "title": st.just("t") | st.text(max_size=20),
            "counterpart_kind": st.sampled_from([kind.value for kind in CounterpartKind])
            | st.text(max_size=5),
            "counterpart_style": st.sampled_from(["", "closer"]) | st.text(max_size=5),
            "date": st.dates().map(date.isoformat) | st.text(max_size=12),
            "objectives": st.just("o") | st.text(max_size=40),
        },
    )
)
def test_any_submission_gives_a_prep_or_field_errors(fields: dict[str, str]) -> None:
    result = validate_prep(PrepForm(**fields), today=TODAY, default_currency="USD")
    assert (result.prep is None) == bool(result.errors)
    assert set(result.errors) <= set(PrepField)
    assert all(message and len(message) < 2000 for message in result.errors.values())
