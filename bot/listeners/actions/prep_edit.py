"""*Edit prep* on a prep plan: reopen the prep modal prefilled from what was saved (owner only)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.flows.prep import NegotiationError, prep_form_for_edit
from bot.listeners.views.prep_delivery import answer, click_channel, click_value, slack_error
from bot.listeners.views.prep_modal import PrepModalMeta, open_prep_modal
from bot.members import actor_for_interaction
from bot.metadata import MetadataError, NegotiationRef, load
from bot.services import Services
from templates.ids.negotiation import NegotiationAction

logger = logging.getLogger(__name__)


class EditPrep:
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
                "Run `/negotiate prep` to prepare again.",
            )
            return
        actor = actor_for_interaction(self.services, client, body, context)
        try:
            form, currency = prep_form_for_edit(self.services, actor, ref.negotiation_id)
        except NegotiationError as error:
            answer(respond, client, body, "You can't edit this prep", str(error))
            return
        try:
            open_prep_modal(
                client,
                body["trigger_id"],
                form=form,
                meta=PrepModalMeta(negotiation_id=ref.negotiation_id, channel_id=click_channel(body)),
                style=actor.style,
                editing=True,
                currency=currency,
            )
        except (SlackClientError, OSError) as error:
            logger.warning(
                "could not open the prep modal for %s: %s", actor.slack_user_id, slack_error(error)
            )
            answer(
                respond,
                client,
                body,
                "The prep form didn't open",
                "Slack didn't let Parley open it in time; click again.",
            )


def register(app: App, services: Services) -> None:
    app.action(NegotiationAction.EDIT_PREP.value)(EditPrep(services))
