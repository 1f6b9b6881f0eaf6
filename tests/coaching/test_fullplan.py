"""The whole plan is shaped by style and counterpart kind: order, emphasis, scripts and questions
differ, so a reader who is not told the style can tell it, and no two styles' plans for the same case
share most of their coaching lines. Each principle is said once; the first screen stays short."""

from __future__ import annotations

import re
from itertools import combinations

import pytest

from coaching.counterparts import CounterpartKind
from coaching.debrief import analyse_debrief, validate_debrief
from coaching.fullplan import MOVES, coaching_lines, full_plan_sections, order_for
from coaching.moves import MAX_FIRST_SCREEN
from coaching.plaintext import render_prep_plan
from coaching.playbook import Playbook
from coaching.prep import PrepInput, PrepPlan, build_prep_plan, validate_prep
from coaching.samples import CASES, SAMPLE_TODAY, SAMPLES, Case
from coaching.styleplans import PLANS
from coaching.styles import Style

CASE_IDS = [case.name for case in CASES]


def prep_of(case: Case) -> PrepInput:
    prep = validate_prep(case.sample.prep, today=SAMPLE_TODAY, default_currency="USD").prep
    assert prep is not None
    return prep


def plan_for(kind: CounterpartKind, style: Style | None, playbook: Playbook) -> PrepPlan:
    prep = validate_prep(SAMPLES[kind].prep, today=SAMPLE_TODAY, default_currency="USD").prep
    assert prep is not None
    return build_prep_plan(prep, style, playbook)


def overlap(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """Lines both plans write, as a share of the shorter plan's lines."""
    first, second = set(a), set(b)
    return len(first & second) / min(len(first), len(second))


def card(plan: PrepPlan) -> str:
    assert plan.first_screen is not None
    return plan.first_screen.text()


def full_plan(plan: PrepPlan) -> str:
    """The full plan as text: everything after the card."""
    return render_prep_plan(plan).split("— full plan (a reply in the card's thread) —", 1)[-1]


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_no_two_styles_share_most_of_their_coaching_lines(case: Case, playbook: Playbook) -> None:
    prep = prep_of(case)
    lines = {style: coaching_lines(build_prep_plan(prep, style, playbook)) for style in Style}
    for first, second in combinations(Style, 2):
        share = overlap(lines[first], lines[second])
        assert share < 0.5, (first, second, share, sorted(set(lines[first]) & set(lines[second])))


def test_the_cases_cover_every_kind_with_and_without_their_asks() -> None:
    for kind in CounterpartKind:
        mine = [prep_of(case) for case in CASES if case.kind is kind]
        assert any(prep.asks for prep in mine) and any(not prep.asks for prep in mine)
    assert any(prep_of(case).limits and len(prep_of(case).asks) == 2 for case in CASES)


# What a trainer reads a style from, without its name: its own moves and scripts.
SIGNS: dict[Style, tuple[str, ...]] = {
    Style.CLOSER: ("Ask before you propose", "Price the close as a trade", "To close: if you agree to"),
    Style.DIPLOMAT: ("Your firm line", "Every yes has an “if”", "Say: I can do", "ask instead"),
    Style.STRATEGIST: ("One number to hold", "Two questions about the person", "the people and the decision"),
    Style.GAME_CHANGER: ("already costed", "Idea: ", "Before you float a new idea"),
}


def guess_style(text: str) -> Style | None:
    """A style-blind reader: the style whose signs the text shows most (None on a tie)."""
    counts = {style: sum(sign in text for sign in signs) for style, signs in SIGNS.items()}
    best = max(counts.values())
    winners = [style for style, count in counts.items() if count == best]
    return winners[0] if best and len(winners) == 1 else None


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_a_reader_not_told_the_style_can_tell_it(case: Case, playbook: Playbook) -> None:
    prep = prep_of(case)
    for style in Style:
        text = render_prep_plan(build_prep_plan(prep, style, playbook)).split("\n", 1)[1]  # no headline
        assert guess_style(text) is style, (style, text)
        assert sum(sign in text for sign in SIGNS[style]) >= 2, (style, text)
        others = [sign for other in Style if other is not style for sign in SIGNS[other] if sign in text]
        assert others == [], (style, others)
    neutral = render_prep_plan(build_prep_plan(prep, None, playbook))
    assert guess_style(neutral) is None


# Each principle, however it is worded; the full plan says each at most once.
PRINCIPLES = {
    "trade, never give": r"never give|trade rather than give|rather than simply",
    "stop talking after a number": r"stop talking",
    "a counter they'll refuse": r"terms they('ll| will) refuse|counter they('ll| will) refuse",
    "nothing is final until all of it is": r"nothing is (final|settled) until",
    "never split the difference": r"split the difference",
    "who owns it, and by when": r"who (on your side )?(owns|will own) (it|this|each)|who owns “",
}


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_each_principle_is_said_once_in_the_full_plan(case: Case, playbook: Playbook) -> None:
    prep = prep_of(case)
    for style in (*Style, None):
        text = full_plan(build_prep_plan(prep, style, playbook))
        for principle, pattern in PRINCIPLES.items():
            said = len(re.findall(pattern, text, flags=re.IGNORECASE))
            assert said <= 1, (style, principle, said)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_the_first_screen_fits_for_every_style(case: Case, playbook: Playbook) -> None:
    prep = prep_of(case)
    for style in (*Style, None):
        plan = build_prep_plan(prep, style, playbook)
        assert 0 < len(card(plan)) <= MAX_FIRST_SCREEN, (style, len(card(plan)))
        assert plan.first_screen is not None and len(plan.first_screen.moves) <= 3
        assert "[" not in render_prep_plan(plan), style  # never a slot to fill


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_moves_that_do_not_apply_to_the_kind_are_left_out(case: Case, playbook: Playbook) -> None:
    prep = prep_of(case)
    names = {move.id: move.name for move in playbook.moves}
    for style in (*Style, None):
        plan = build_prep_plan(prep, style, playbook)
        text = full_plan(plan)
        for move in playbook.moves:
            if not move.applies_to(case.kind):
                assert f"*{names[move.id]}*" not in text, (style, move.id)
        if case.kind is CounterpartKind.LEARNER:
            assert "refuse" not in render_prep_plan(plan).lower(), style


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_the_debrief_rewrites_the_giveaway_as_a_conditional_sentence_in_every_style(
    case: Case, playbook: Playbook
) -> None:
    prep = prep_of(case)
    debrief = validate_debrief(case.sample.debrief, default_currency="USD").debrief
    assert debrief is not None
    notes = set()
    for style in (*Style, None):
        analysis = analyse_debrief(debrief, prep, style, playbook)
        if not analysis.giveaways:
            assert analysis.giveaway_note == ""
            continue
        named = [g.item for g in analysis.giveaways if f"“{g.item}”" in analysis.giveaway_note]
        assert named, (style, analysis.giveaway_note)
        sentence = analysis.giveaway_note.split(": “", 1)[1]
        assert re.search(r"\bif you\b", sentence, re.IGNORECASE) and named[0] in sentence, (style, sentence)
        assert prep.wants[0].item in sentence or any(w.item in sentence for w in prep.wants)
        notes.add(analysis.giveaway_note)
    assert len(notes) in (0, 5)  # each style rewrites it its own way


@pytest.mark.parametrize("kind", list(CounterpartKind))
def test_each_style_reads_its_sections_in_its_own_order(kind: CounterpartKind, playbook: Playbook) -> None:
    for style in Style:
        keys = [s.key for s in full_plan_sections(plan_for(kind, style, playbook))]
        assert keys == [key for key in order_for(style, kind) if key in keys]
    assert len({order_for(style, kind) for style in Style}) == len(Style)


def test_the_playbook_data_is_per_style_and_kind() -> None:
    """Every style × kind has its own questions and "For you" line: no two cells share one."""
    questions = [q for data in PLANS.values() for q in data.questions]
    assert len(questions) == len(set(questions)) == len(Style) * len(CounterpartKind) * 2
    lines = [data.for_you for data in PLANS.values()]
    assert len(lines) == len(set(lines))
    assert all(len(data.for_you) <= 110 for data in PLANS.values())


def test_a_diplomat_facing_a_learner_asks_before_holding_the_line(playbook: Playbook) -> None:
    learner = plan_for(CounterpartKind.LEARNER, Style.DIPLOMAT, playbook)
    assert learner.first_screen is not None
    first = learner.first_screen.moves[0]
    assert (first.title, first.lines) == (
        "Ask before you answer",
        ("Can the appointment move?", "What else would let you do both?"),
    )
    sections = full_plan_sections(learner)
    assert sections[0].key == "trades" and "questions" not in {s.key for s in sections}  # said once
    customer = full_plan_sections(plan_for(CounterpartKind.CUSTOMER, Style.DIPLOMAT, playbook))
    assert customer[0].key == "limits"  # the firm line first, word for word


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


def test_a_move_phrasing_with_a_slot_to_fill_is_never_printed(playbook: Playbook) -> None:
    plan = plan_for(CounterpartKind.CUSTOMER, None, playbook)
    moves = next(s for s in full_plan_sections(plan) if s.key == "moves").lines
    never = next(line for line in moves if line.startswith("Trade, never give:"))
    assert never == f"Trade, never give: {playbook.move('trade-never-give').why}"  # type: ignore[union-attr]
    assert all(move in {m.id for m in playbook.moves} for style in Style for move, _ in MOVES[style])


def test_the_neutral_plan_keeps_every_question_and_the_checklist(playbook: Playbook) -> None:
    plan = plan_for(CounterpartKind.CUSTOMER, None, playbook)
    sections = {s.key: s for s in full_plan_sections(plan)}
    assert sections["questions"].lines == plan.questions
    assert sections["checklist"].lines == plan.checklist
