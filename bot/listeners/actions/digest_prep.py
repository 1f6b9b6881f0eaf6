"""*Prep your next negotiation* on a learner digest: open an empty prep modal."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.flows.prep import new_prep_form
from bot.listeners.views.prep_delivery import click_channel, slack_error
from bot.listeners.views.prep_modal import PrepModalMeta, open_prep_modal
from bot.members import actor_for_interaction
from bot.playbook import current_playbook
from bot.services import Services
from templates.ids.digests import DigestAction

logger = logging.getLogger(__name__)


class NewPrepFromDigest:
    def __init__(self, services: Services) -> None:
        self.services = services

    def __call__(self, ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ack()
        actor = actor_for_interaction(self.services, client, body, context)
        try:
            open_prep_modal(
                client,
                body["trigger_id"],
                form=new_prep_form(""),
                meta=PrepModalMeta(negotiation_id=None, channel_id=click_channel(body)),
                style=actor.style,
                editing=False,
                currency=current_playbook(self.services.settings).policy.default_currency,
            )
        except (SlackClientError, OSError) as error:
            logger.warning("could not open the prep modal from a digest: %s", slack_error(error))


def register(app: App, services: Services) -> None:
    app.action(DigestAction.NEW_PREP.value)(NewPrepFromDigest(services))
