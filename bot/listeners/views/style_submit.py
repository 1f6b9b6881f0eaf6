"""The style assessment modal is submitted: check every answer, store the result, send the style card.

A database failure is answered in the modal by the central error handler (``bot.errors``): the
answers stay, nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.home_notifier import refresh_home
from bot.flows.style import AssessmentOrigin, answer_errors, question_id_of, record_assessment
from bot.flows.style_notifier import deliver_style_card
from bot.metadata import MetadataError, load
from bot.services import Services
from templates.ids.style import StyleAction


def read_answers(values: Mapping[str, Any]) -> dict[str, str | None]:
    """Question id → chosen option id (None if unanswered)."""
    return {
        question_id: option
        for block_id, option in edge.answers(values, StyleAction.ANSWER.value).items()
        if (question_id := question_id_of(block_id)) is not None
    }


def read_origin(raw: str | None) -> AssessmentOrigin:
    try:
        return load(AssessmentOrigin, raw)
    except MetadataError:
        return AssessmentOrigin()


def handle(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
) -> None:
    view = edge.view_of(body)
    answers = read_answers(edge.form_values(view))
    errors = answer_errors(answers)
    if errors:
        ack(response_action="errors", errors=errors)
        return
    chosen = {question_id: option for question_id, option in answers.items() if option is not None}
    actor = edge.actor(context)
    assessed = record_assessment(
        services, actor.workspace_id, actor.member_id, chosen, edge.submission_key(view)
    )
    ack()
    if assessed is None:  # the same submission again (a double click or a redelivery)
        return
    origin = read_origin(edge.private_metadata(view))
    deliver_style_card(client, actor.slack_user_id, assessed, origin, api_url=services.settings.slack_api_url)
    refresh_home(services, client, actor.workspace_id, actor.slack_user_id)
