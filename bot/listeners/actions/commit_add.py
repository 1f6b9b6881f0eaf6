"""*Add a commitment* (a prep plan, a debrief analysis, or the commitments list): open the commit modal."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.flows.commitments import commit_defaults, commit_view
from bot.listeners.actions.commit_common import tell
from bot.members import actor_for_interaction
from bot.metadata import MetadataError, NegotiationRef, load
from bot.services import Services
from templates.ids.commitments import CommitAction

logger = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    def add_commitment(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        context: BoltContext,
        respond: Respond,
    ) -> None:
        ack()
        negotiation_id = None
        if action.get("action_id") == CommitAction.ADD.value:
            try:
                negotiation_id = load(NegotiationRef, action.get("value")).negotiation_id
            except MetadataError:
                negotiation_id = None  # still useful: the member picks the negotiation in the modal
        actor = actor_for_interaction(services, client, body, context)
        defaults = commit_defaults(
            services, actor.workspace_id, actor.member_id, tz=actor.tz, slack_user_id=actor.slack_user_id,
            negotiation_id=negotiation_id,
        )  # fmt: skip
        try:
            client.views_open(trigger_id=body["trigger_id"], view=commit_view(defaults))
        except (SlackApiError, SlackRequestError, OSError) as error:
            logger.warning("could not open the commit modal: %s", type(error).__name__)
            tell(respond, "The form didn't open", "Slack didn't let Parley open it in time: click again.")

    app.action(CommitAction.ADD.value)(add_commitment)
    app.action(CommitAction.NEW.value)(add_commitment)
