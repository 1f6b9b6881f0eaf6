"""*Log the debrief* on a prep plan: open the debrief modal for that negotiation (owner only)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.flows.debrief import debrief_target
from bot.flows.prep import NegotiationError
from bot.listeners.views.debrief_modal import DebriefModalMeta, open_debrief_modal
from bot.listeners.views.prep_delivery import answer, click_channel, clicked_negotiation, modal_did_not_open
from bot.services import Services
from templates.ids.negotiation import NegotiationAction


class LogDebrief:
    def __init__(self, services: Services) -> None:
        self.services = services

    def __call__(
        self, ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
    ) -> None:
        ack()
        clicked = clicked_negotiation(
            self.services,
            client,
            body,
            respond,
            context,
            instead="Run `/negotiate debrief` to log a debrief.",
        )
        if clicked is None:
            return
        ref, actor = clicked
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
            modal_did_not_open(respond, client, body, actor, "debrief", error)


def register(app: App, services: Services) -> None:
    app.action(NegotiationAction.LOG_DEBRIEF.value)(LogDebrief(services))
