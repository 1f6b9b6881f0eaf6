"""The cancel confirmation is submitted: cancel, applying the conditions exactly as shown."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.flows.commitments import CancelOrigin, Refusal, cancel, cancel_view
from bot.listeners.actions.commit_common import notice_message, show_changed
from bot.members import actor_for_interaction
from bot.messaging import post_dm
from bot.metadata import MetadataError, load
from bot.services import Services
from templates.ids.commitments import CommitCallback

logger = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    @app.view(CommitCallback.CANCEL.value)
    def cancel_confirmed(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        try:
            origin = load(CancelOrigin, view.get("private_metadata"))
        except MetadataError:
            ack()
            return
        user_id = body["user"]["id"]
        actor = actor_for_interaction(services, client, body, context)
        try:
            outcome = cancel(
                services, actor.workspace_id, actor.member_id, origin.commitment_id,
                shown_charge_minor=origin.shown_charge_minor,
                idempotency_key=f"view:{view['id']}:{view['hash']}",
            )  # fmt: skip
        except Refusal as refusal:
            ack()
            try:
                post_dm(client, user_id, notice_message("Nothing changed", str(refusal)))
            except (SlackApiError, SlackRequestError, OSError):
                logger.warning("could not tell %s why the cancellation was refused", user_id)
            return
        if outcome.preview is not None:  # a day passed since it was shown: show the new consequence
            again = replace(origin, shown_charge_minor=outcome.preview.charge_minor)
            ack(response_action="update", view=cancel_view(outcome.preview, again, changed=True))
            return
        ack()
        assert outcome.changed is not None
        show_changed(
            services, client, actor, outcome.changed, surface=origin.surface, channel_id=origin.channel_id,
            message_ts=origin.message_ts, response_url=origin.response_url,
        )  # fmt: skip
