"""The style assessment modal is submitted: check every answer, store the result, send the style card."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from sqlalchemy.exc import SQLAlchemyError

from bot.flows.home import refresh_home
from bot.flows.style import (
    SAVE_FAILED,
    AssessmentOrigin,
    answer_errors,
    deliver_style_card,
    question_block_id,
    question_id_of,
    record_assessment,
)
from bot.members import actor_for_interaction
from bot.metadata import MetadataError, load
from bot.services import Services
from coaching.assessment import QUESTIONS
from templates.ids.style import StyleAction, StyleCallback

logger = logging.getLogger(__name__)


def read_answers(values: Any) -> dict[str, str | None]:
    """Question id → chosen option id (None if unanswered) from ``view.state.values``."""
    answers: dict[str, str | None] = {}
    if not isinstance(values, dict):
        return answers
    for block_id, actions in values.items():
        question_id = question_id_of(str(block_id))
        if question_id is None or not isinstance(actions, dict):
            continue
        state = actions.get(StyleAction.ANSWER.value)
        selected = state.get("selected_option") if isinstance(state, dict) else None
        value = selected.get("value") if isinstance(selected, dict) else None
        answers[question_id] = value if isinstance(value, str) else None
    return answers


def read_origin(raw: Any) -> AssessmentOrigin:
    try:
        return load(AssessmentOrigin, raw if isinstance(raw, str) else None)
    except MetadataError:
        return AssessmentOrigin()


def register(app: App, services: Services) -> None:
    @app.view(StyleCallback.ASSESSMENT.value)
    def assessment_submitted(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        answers = read_answers((view.get("state") or {}).get("values"))
        errors = answer_errors(answers)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        user_id = body["user"]["id"]
        chosen = {question_id: option for question_id, option in answers.items() if option is not None}
        try:
            actor = actor_for_interaction(services, client, body, context)
            assessed = record_assessment(
                services, actor.workspace_id, actor.member_id, chosen, f"view:{view['id']}:{view['hash']}"
            )
        except SQLAlchemyError:
            logger.exception("could not store the style assessment of %s", user_id)
            ack(response_action="errors", errors={question_block_id(QUESTIONS[0].id): SAVE_FAILED})
            return
        ack()
        if assessed is None:  # the same submission again (a double click or a redelivery)
            return
        origin = read_origin(view.get("private_metadata"))
        deliver_style_card(client, user_id, assessed, origin, api_url=services.settings.slack_api_url)
        refresh_home(services, client, actor.workspace_id, user_id)
