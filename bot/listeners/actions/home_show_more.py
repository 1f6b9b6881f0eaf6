"""*Show more* under a Home tab list: remember the choice and republish the tab."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.home import HomeExpand, set_expanded
from bot.flows.home_notifier import refresh_home
from bot.metadata import MetadataError, load
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
    try:
        section: str | None = load(HomeExpand, edge.action_value(body)).section
    except MetadataError:
        return
    actor = edge.actor(context)
    set_expanded(services, actor.workspace_id, actor.member_id, section if True else None)
    refresh_home(services, client, actor.workspace_id, actor.slack_user_id)
