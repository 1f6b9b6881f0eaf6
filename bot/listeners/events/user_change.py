"""`user_change`: a member's Slack profile or role changed; refresh what Parley caches (admin rights,
time zone, status). Issue 18's leaver handling joins this listener when the branches merge."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.admin_rights import on_user_change
from bot.services import Services


def handle(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
) -> None:
    event = body.get("event")
    user = event.get("user") if isinstance(event, dict) else None
    if isinstance(user, dict):
        on_user_change(services, edge.team_id(body, context), user)
