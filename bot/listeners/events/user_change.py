"""`user_change`: a member's Slack profile changed; a deactivated one is a leaver (bot.flows.leavers)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.leavers import on_user_change
from bot.services import Services


def handle(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
) -> None:
    event = body.get("event") or {}
    user = event.get("user") if isinstance(event, dict) else None
    team_id = edge.team_id(body, context)
    if not isinstance(user, dict) or not team_id:
        return
    on_user_change(services, client, team_id, user)
