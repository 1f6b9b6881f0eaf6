"""*Nudge settings* (a nudge or the commitments list): open the member's own reminder settings."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.commitments_presenter import settings_view
from bot.flows.commitments_settings import nudge_settings
from bot.messaging import SLACK_FAILURES
from bot.replies import form_did_not_open
from bot.services import Services


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
    view = settings_view(nudge_settings(services, actor.workspace_id, actor.member_id))
    try:
        client.views_open(trigger_id=edge.trigger_id(body), view=view)
    except SLACK_FAILURES as error:
        form_did_not_open(respond, client, body, "settings form", error)
