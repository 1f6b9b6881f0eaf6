"""*Nudge settings* (a nudge or the commitments list): open the member's own reminder settings."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.commitments_presenter import settings_view
from bot.flows.commitments_settings import nudge_settings
from bot.replies import open_modal
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
    open_modal(client, respond, body, view, "settings form")
