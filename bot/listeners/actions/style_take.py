"""*Take the style assessment* (welcome DM, Home tab): open the assessment modal."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.flows.style import AssessmentOrigin, open_assessment
from bot.members import actor_for_interaction
from bot.services import Services
from templates import render_message
from templates.ids.style import StyleAction

logger = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    @app.action(StyleAction.TAKE_ASSESSMENT.value)
    def take_assessment(
        ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        ack()
        user_id = body["user"]["id"]
        actor = actor_for_interaction(services, client, body, context)
        response_url = str(body.get("response_url") or "")  # present for a button in a message
        try:
            open_assessment(client, body["trigger_id"], actor.style, AssessmentOrigin.of(response_url))
        except (SlackApiError, SlackRequestError, OSError) as error:
            reason = error.response.get("error") if isinstance(error, SlackApiError) else type(error).__name__
            logger.warning("could not open the style assessment for %s: %s", user_id, reason)
            if response_url:
                notice = render_message(
                    "messages/notice",
                    level="error",
                    title="The assessment didn't open",
                    body="Slack didn't let Parley open it in time. Click the button again, "
                    "or run `/negotiate style`.",
                )
                respond(response_type="ephemeral", replace_original=False, **notice.as_kwargs())
