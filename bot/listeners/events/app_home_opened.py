"""`app_home_opened`: record the member (first contact) and publish their Home tab."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.edge import ACTOR_KEY
from bot.flows.home_notifier import refresh_home
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
    if event.get("tab", "home") != "home":  # the Messages tab needs nothing from us
        return
    if ACTOR_KEY not in context:  # a payload that names no user: nobody to show a tab to
        return
    actor = edge.actor(context)
    refresh_home(services, client, actor.workspace_id, actor.slack_user_id)
