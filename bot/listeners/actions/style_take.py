"""*Take the style assessment* (welcome DM, Home tab): open the assessment modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.style import AssessmentOrigin
from bot.flows.style_notifier import open_assessment
from bot.messaging import SLACK_FAILURES
from bot.replies import form_did_not_open
from bot.services import Services
from templates import app_text


def handle(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
) -> None:
    ack()
    actor = edge.actor(context)
    origin = AssessmentOrigin.of(edge.response_url(body))  # a button in a message has one
    try:
        open_assessment(client, edge.trigger_id(body), actor.style, origin)
    except SLACK_FAILURES as error:
        again = app_text("Click the button again, or run `/negotiate style`.")
        form_did_not_open(respond, client, body, "assessment", error, again=again)
