"""*Log the debrief* on a prep plan: open the debrief modal for that negotiation (owner only)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.flows.debrief import debrief_target
from bot.flows.prep import NegotiationError
from bot.listeners.views.debrief_modal import DebriefModalMeta, open_debrief_modal
from bot.listeners.views.prep_delivery import answer, click_channel, click_value, slack_error
from bot.members import actor_for_interaction
from bot.metadata import MetadataError, NegotiationRef, load
from bot.services import Services
from templates.ids.negotiation import NegotiationAction

logger = logging.getLogger(__name__)


class LogDebrief:
    def __init__(self, services: Services) -> None:
        self.services = services

    def __call__(
        self, ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
    ) -> None:
        ack()
        try:
            ref = load(NegotiationRef, click_value(body))
        except MetadataError:
            answer(
                respond,
                client,
                body,
                "That button doesn't work any more",
                "Run `/negotiate debrief` to log a debrief.",
            )
            return
        actor = actor_for_interaction(self.services, client, body, context)
        try:
            target = debrief_target(self.services, actor, ref.negotiation_id)
        except NegotiationError as error:
            answer(respond, client, body, "You can't log a debrief for this", str(error))
            return
        try:
            open_debrief_modal(
                client,
                body["trigger_id"],
                choices=[],
                target=target,
                meta=DebriefModalMeta(negotiation_id=target.negotiation_id, channel_id=click_channel(body)),
                style=actor.style,
                currency=target.currency,
            )
        except (SlackClientError, OSError) as error:
            logger.warning(
                "could not open the debrief modal for %s: %s", actor.slack_user_id, slack_error(error)
            )
            answer(
                respond,
                client,
                body,
                "The debrief form didn't open",
                "Slack didn't let Parley open it in time; click again.",
            )


def register(app: App, services: Services) -> None:
    app.action(NegotiationAction.LOG_DEBRIEF.value)(LogDebrief(services))
