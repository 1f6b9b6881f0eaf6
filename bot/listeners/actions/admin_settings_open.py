"""*Workspace settings* on an admin's App Home: open the admin screen (refused for non-admins)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.admin_notifier import open_overview, refuse_non_admin
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
    if refuse_non_admin(actor, respond, client, body):
        return
    open_overview(services, actor, client, respond, body)
