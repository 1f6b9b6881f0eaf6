from __future__ import annotations

import json
import random
import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coaching.assessment import (
    CLEAR_MARGIN,
    LEANING_MARGIN,
    PRIMARY_WEIGHT,
    QUESTIONS,
    SECONDARY_WEIGHT,
    AssessmentError,
    AssessmentResult,
    Confidence,
    Option,
    question,
    score,
)
from coaching.styles import Style


def exactly(message: str) -> str:
    """A ``pytest.raises`` pattern for ``message`` exactly: nothing may be wrapped around it."""
    return rf"\A{re.escape(message)}\Z"


def consistent(style: Style) -> dict[str, str]:
    return {q.id: next(o.id for o in q.options if o.primary is style) for q in QUESTIONS}


def picks(styles: list[Style]) -> dict[str, str]:
    """The answer whose primary style is ``styles[i]`` for question i."""
    return {
        q.id: next(o.id for o in q.options if o.primary is style)
        for q, style in zip(QUESTIONS, styles, strict=True)
    }


answer_sets = st.fixed_dictionaries({q.id: st.sampled_from([o.id for o in q.options]) for q in QUESTIONS})


class TestQuestions:
    def test_between_ten_and_fourteen_scenarios(self) -> None:
        assert 10 <= len(QUESTIONS) <= 14

    def test_each_question_has_one_answer_per_style(self) -> None:
        for q in QUESTIONS:
            assert len(q.options) == 4
            assert sorted(o.primary for o in q.options) == sorted(Style)
            assert all(o.secondary is None or o.secondary is not o.primary for o in q.options)

    def test_fits_slack_limits(self) -> None:
        for q in QUESTIONS:
            assert len(q.prompt) <= 2000 and len(q.id) <= 150
            for o in q.options:
                assert len(o.text) <= 75 and len(o.id) <= 150
                assert o.id.startswith(q.id + ".")

    def test_ids_are_unique_and_stable_strings(self) -> None:
        ids = [q.id for q in QUESTIONS] + [o.id for q in QUESTIONS for o in q.options]
        assert len(ids) == len(set(ids))
        assert QUESTIONS[0].id == "course-cut" and QUESTIONS[0].options[0].id == "course-cut.sign-today"
        assert question("course-cut").option("course-cut.ask-why") is not None

    def test_every_style_sits_in_every_position_equally_often(self) -> None:
        for position in range(4):
            counts = Counter(q.options[position].primary for q in QUESTIONS)
            assert counts == dict.fromkeys(Style, len(QUESTIONS) // 4), position

    def test_built_in_answers_score_one_style_only(self) -> None:
        assert all(o.secondary is None for q in QUESTIONS for o in q.options)

    def test_covers_the_real_moments(self) -> None:
        ids = {q.id for q in QUESTIONS}
        assert {"course-cut", "consultant-fee", "learner-excused", "customer-price", "exec-cancels"} <= ids

    def test_lookup(self) -> None:
        assert question("silence").option("silence.wait") == Option(
            "silence.wait", "Wait, and note what they react to", Style.STRATEGIST
        )
        assert question("silence").option("nope") is None
        with pytest.raises(AssessmentError, match=exactly("unknown questions: nope")):
            question("nope")

    def test_weights(self) -> None:
        option = question("consultant-fee").option("consultant-fee.flex")
        assert option is not None
        assert dict(option.weights()) == {Style.GAME_CHANGER: PRIMARY_WEIGHT}
        custom = Option("x.y", "A custom playbook answer", Style.CLOSER, Style.DIPLOMAT)
        assert dict(custom.weights()) == {Style.CLOSER: PRIMARY_WEIGHT, Style.DIPLOMAT: SECONDARY_WEIGHT}


class TestScoring:
    @pytest.mark.parametrize("style", list(Style))
    def test_every_style_is_reachable_with_a_consistent_answer_set(self, style: Style) -> None:
        result = score(consistent(style))
        assert result.primary is style
        assert result.confidence is Confidence.CLEAR
        assert result.scores[style] == result.max_score == PRIMARY_WEIGHT * len(QUESTIONS)
        assert result.decisive[style] == len(QUESTIONS)

    def test_exact_scores_for_the_closer_set(self) -> None:
        result = score(consistent(Style.CLOSER))
        assert dict(result.scores) == {
            Style.CLOSER: 24,
            Style.DIPLOMAT: 0,
            Style.STRATEGIST: 0,
            Style.GAME_CHANGER: 0,
        }
        assert result.secondary is None
        assert result.margin == 24
        assert result.ranking() == (Style.CLOSER, Style.DIPLOMAT, Style.STRATEGIST, Style.GAME_CHANGER)

    def test_secondary_is_none_when_nobody_else_scored(self) -> None:
        result = score(consistent(Style.GAME_CHANGER))
        others = {style: points for style, points in result.scores.items() if style is not Style.GAME_CHANGER}
        assert result.secondary is (None if not any(others.values()) else result.ranking()[1])

    def test_missing_and_unknown_answers_are_listed(self) -> None:
        answers = consistent(Style.DIPLOMAT)
        del answers["silence"], answers["deadlock"]
        answers["bogus"] = "x"
        answers["course-cut"] = "course-cut.nope"
        with pytest.raises(AssessmentError) as caught:
            score(answers)
        error = caught.value
        assert error.missing == ("silence", "deadlock")
        assert error.unknown_questions == ("bogus",)
        assert error.unknown_options == ("course-cut.nope",)
        assert str(error) == (
            "unanswered questions: silence, deadlock; unknown questions: bogus; "
            "unknown answers: course-cut.nope"
        )

    def test_empty_answers_list_every_question(self) -> None:
        with pytest.raises(AssessmentError) as caught:
            score({})
        assert caught.value.missing == tuple(q.id for q in QUESTIONS)

    def test_an_answer_from_another_question_is_unknown(self) -> None:
        answers = consistent(Style.CLOSER)
        answers["silence"] = "deadlock.split"
        with pytest.raises(AssessmentError, match=exactly("unknown answers: deadlock.split")):
            score(answers)

    def test_a_tie_goes_to_the_style_picked_first(self) -> None:
        c, d, s, g = Style.CLOSER, Style.DIPLOMAT, Style.STRATEGIST, Style.GAME_CHANGER
        result = score(picks([g, s, c, c, s, c, s, c, s, d, d, g]))
        assert result.scores[c] == result.scores[s] == 8
        assert result.first_pick[s] == 1 and result.first_pick[c] == 2
        assert result.primary is s and result.secondary is c
        assert result.confidence is Confidence.MIXED and result.margin == 0
        flipped = score(picks([g, c, s, s, c, s, c, s, c, d, d, g]))
        assert flipped.primary is c and flipped.secondary is s

    def test_styles_never_picked_follow_the_fixed_order(self) -> None:
        result = score(consistent(Style.GAME_CHANGER))
        assert result.ranking() == (Style.GAME_CHANGER, Style.CLOSER, Style.DIPLOMAT, Style.STRATEGIST)

    def test_confidence_thresholds(self) -> None:
        assert (CLEAR_MARGIN, LEANING_MARGIN) == (6, 3)

    @settings(max_examples=300, deadline=None)
    @given(answers=answer_sets, order=st.randoms())
    def test_answer_order_never_matters(self, answers: dict[str, str], order: object) -> None:
        items = list(answers.items())
        order.shuffle(items)  # type: ignore[attr-defined]
        assert score(dict(items)) == score(answers)
        assert score(json.loads(json.dumps(dict(reversed(items))))) == score(answers)

    @settings(max_examples=300, deadline=None)
    @given(answers=answer_sets)
    def test_result_follows_the_documented_rule(self, answers: dict[str, str]) -> None:
        result = score(answers)
        assert isinstance(result, AssessmentResult)
        order = list(Style)
        never = len(QUESTIONS)
        expected = sorted(
            Style,
            key=lambda s: (
                -result.scores[s],
                -result.decisive[s],
                result.first_pick.get(s, never),
                order.index(s),
            ),
        )
        assert result.ranking() == tuple(expected)
        assert result.primary is expected[0]
        assert sum(result.decisive.values()) == len(QUESTIONS)
        margin = result.scores[expected[0]] - result.scores[expected[1]]
        assert result.margin == margin
        if margin >= CLEAR_MARGIN:
            assert result.confidence is Confidence.CLEAR
        elif margin >= LEANING_MARGIN:
            assert result.confidence is Confidence.LEANING
        else:
            assert result.confidence is Confidence.MIXED

    @settings(max_examples=200, deadline=None)
    @given(
        style=st.sampled_from(list(Style)),
        changed=st.lists(st.sampled_from([q.id for q in QUESTIONS]), max_size=3, unique=True),
        data=st.data(),
    )
    def test_a_mostly_consistent_set_keeps_its_style(
        self, style: Style, changed: list[str], data: st.DataObject
    ) -> None:
        answers = consistent(style)
        for qid in changed:
            answers[qid] = data.draw(st.sampled_from([o.id for o in question(qid).options]))
        assert score(answers).primary is style


class TestFairness:
    def test_random_respondents_get_each_style_a_quarter_of_the_time(self) -> None:
        """100,000 respondents answering at random: every style 25 % ± 3 (seeded, so repeatable)."""
        rng = random.Random(20261207)
        options = [(q.id, [o.id for o in q.options]) for q in QUESTIONS]
        results = Counter(
            score({qid: rng.choice(ids) for qid, ids in options}).primary for _ in range(100_000)
        )
        for style in Style:
            assert abs(results[style] / 100_000 - 0.25) <= 0.03, (style, results)

    @pytest.mark.parametrize("position", range(4))
    def test_always_picking_the_same_position_favours_no_style_by_design(self, position: int) -> None:
        result = score({q.id: q.options[position].id for q in QUESTIONS})
        assert sorted(result.scores.values()) == [6, 6, 6, 6]

    @pytest.mark.parametrize("style", list(Style))
    def test_each_style_is_reachable_with_a_clear_result_without_answering_every_question_its_way(
        self, style: Style
    ) -> None:
        answers = consistent(style)
        others = [s for s in Style if s is not style]
        for q, other in zip(QUESTIONS[:4], others + others[:1], strict=False):
            answers[q.id] = next(o.id for o in q.options if o.primary is other)
        result = score(answers)
        assert result.primary is style and result.confidence is Confidence.CLEAR
