"""`user_change`: a member's Slack profile, role or status changed. Refresh what Parley caches (admin
rights, time zone, status: bot.flows.admin_rights); a deactivated member is a leaver (bot.flows.leavers)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows import admin_rights, leavers
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
    admin_rights.on_user_change(services, team_id, user)
    leavers.on_user_change(services, client, team_id, user)
