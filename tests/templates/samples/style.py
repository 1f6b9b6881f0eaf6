"""Sample contexts for the style assessment's templates: the modal, the style card and the welcome DM."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from hypothesis import strategies as st

from bot.flows.style import MAX_RESPONSE_URL, AssessmentOrigin, question_block_id
from coaching.assessment import QUESTIONS
from tests.templates.conftest import Kit, sample

QUESTION_IDS = [question.id for question in QUESTIONS]
LONGEST_URL = ("https://hooks.slack.com/" + "%2F" * MAX_RESPONSE_URL)[: MAX_RESPONSE_URL - 8]
OPTION_IDS = [option.id for question in QUESTIONS for option in question.options]


@sample("views/assessment")
def _assessment(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    option = st.tuples(st.sampled_from(OPTION_IDS), kit.text)
    question = st.fixed_dictionaries(
        {
            "block_id": st.sampled_from(QUESTION_IDS).map(question_block_id),
            "prompt": kit.text,
            "options": st.lists(option, min_size=1, max_size=4, unique_by=lambda pair: pair[0]),
        }
    )
    questions = kit.many(question).map(_unique_blocks)
    return st.fixed_dictionaries(
        {
            "metadata": st.one_of(kit.text, st.just(LONGEST_URL)).map(
                lambda url: asdict(AssessmentOrigin.of(url))
            ),
            "current": kit.text,
            "questions": questions,
        }
    )


def _unique_blocks(questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Block ids are unique in a view; a repeated sample gets a numbered suffix, as many as needed."""
    return [{**question, "block_id": f"{question['block_id']}-{i}"} for i, question in enumerate(questions)]


@sample("messages/style_card")
def _style_card(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "label": kit.text,
            "essence": kit.text,
            "strengths": kit.many(kit.text),
            "blind_spots": kit.many(kit.text),
            "concedes": kit.text,
            "coaching": kit.many(kit.text),
            "confidence": kit.text,
            "secondary": kit.text,
            "previous": kit.text,
            "note": kit.text,
        }
    )


@sample("messages/welcome")
def _welcome(kit: Kit) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"user_id": kit.user_id})
