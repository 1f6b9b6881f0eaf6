"""The full plan is shaped by style: order, emphasis and scripts differ, so that no two styles'
plans for the same case share most of their coaching lines."""

from __future__ import annotations

from itertools import combinations

import pytest

from coaching.counterparts import CounterpartKind
from coaching.fullplan import ORDER, coaching_lines, full_plan_sections
from coaching.playbook import Playbook
from coaching.prep import PrepPlan, build_prep_plan, validate_prep
from coaching.samples import SAMPLE_TODAY, SAMPLES
from coaching.styles import Style


def plan_for(kind: CounterpartKind, style: Style | None, playbook: Playbook) -> PrepPlan:
    prep = validate_prep(SAMPLES[kind].prep, today=SAMPLE_TODAY, default_currency="USD").prep
    assert prep is not None
    return build_prep_plan(prep, style, playbook)


def overlap(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """Lines both plans write, as a share of the shorter plan's lines."""
    first, second = set(a), set(b)
    return len(first & second) / min(len(first), len(second))


@pytest.mark.parametrize("kind", list(CounterpartKind))
def test_no_two_styles_share_most_of_their_coaching_lines(kind: CounterpartKind, playbook: Playbook) -> None:
    lines = {style: coaching_lines(plan_for(kind, style, playbook)) for style in Style}
    for first, second in combinations(Style, 2):
        share = overlap(lines[first], lines[second])
        assert share < 0.5, (kind, first, second, share, sorted(set(lines[first]) & set(lines[second])))


@pytest.mark.parametrize("kind", list(CounterpartKind))
def test_each_style_reads_its_sections_in_its_own_order(kind: CounterpartKind, playbook: Playbook) -> None:
    for style in Style:
        keys = [s.key for s in full_plan_sections(plan_for(kind, style, playbook))]
        assert keys == [key for key in ORDER[style] if key in keys]
    assert len({ORDER[style] for style in Style}) == len(Style)


def test_each_style_opens_the_full_plan_with_what_its_failure_mode_needs(playbook: Playbook) -> None:
    kind = CounterpartKind.CUSTOMER  # the sample reads the customer's style, so every section is there
    firsts = {style: full_plan_sections(plan_for(kind, style, playbook))[0].key for style in Style}
    assert firsts == {
        Style.CLOSER: "questions",  # ask before you propose
        Style.DIPLOMAT: "limits",  # the firm line first
        Style.STRATEGIST: "reading",  # the person behind the numbers
        Style.GAME_CHANGER: "trades",  # the ideas, already costed
    }


def test_each_style_scripts_its_trades_its_own_way(playbook: Playbook) -> None:
    scripts = {
        style: next(
            s
            for s in full_plan_sections(plan_for(CounterpartKind.CUSTOMER, style, playbook))
            if s.key == "trades"
        ).lines[0]
        for style in Style
    }
    assert scripts[Style.CLOSER].startswith("To close: if you agree to “24-month term” today")
    assert scripts[Style.DIPLOMAT] == (
        "Say: I can do “Quarterly business review”, if you can agree to “24-month term”."
    )
    assert "Costs us 500 USD" in scripts[Style.STRATEGIST]
    assert scripts[Style.GAME_CHANGER].startswith(
        "Idea: “Quarterly business review” (costs us 500 USD, inside your limits)"
    )


def test_the_neutral_plan_keeps_every_question_and_the_checklist(playbook: Playbook) -> None:
    plan = plan_for(CounterpartKind.CUSTOMER, None, playbook)
    sections = {s.key: s for s in full_plan_sections(plan)}
    assert sections["questions"].lines == plan.questions
    assert sections["checklist"].lines == plan.checklist
