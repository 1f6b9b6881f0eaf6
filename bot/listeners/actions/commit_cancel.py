"""*Cancel…* on a commitment: show what cancelling now would cost before the member confirms."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.flows.commitments import CancelOrigin, Refusal, cancel_view, preview_cancel
from bot.listeners.actions.commit_common import clicked_commitment, message_location, tell
from bot.services import Services
from templates.ids.commitments import CommitAction

logger = logging.getLogger(__name__)
MAX_RESPONSE_URL = 500


def register(app: App, services: Services) -> None:
    @app.action(CommitAction.CANCEL.value)
    def commitment_cancel(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        context: BoltContext,
        respond: Respond,
    ) -> None:
        ack()
        clicked = clicked_commitment(services, client, body, action, context, respond)
        if clicked is None:
            return
        ref, actor = clicked
        try:
            preview = preview_cancel(services, actor.workspace_id, actor.member_id, ref.commitment_id)
        except Refusal as refusal:
            tell(respond, "Nothing changed", str(refusal))
            return
        channel, ts, response_url = message_location(body)
        origin = CancelOrigin(
            commitment_id=ref.commitment_id,
            surface=ref.surface,
            channel_id=channel,
            message_ts=ts,
            response_url=response_url if len(response_url) <= MAX_RESPONSE_URL else "",
            shown_charge_minor=preview.charge_minor,
        )
        try:
            client.views_open(trigger_id=body["trigger_id"], view=cancel_view(preview, origin))
        except (SlackApiError, SlackRequestError, OSError) as error:
            logger.warning("could not open the cancel modal: %s", type(error).__name__)
            tell(
                respond,
                "The confirmation didn't open",
                "Slack didn't let Parley open it in time: click Cancel… again.",
            )
