"""The member picker in the team modal: refresh the modal with that member's manager."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.team import team_form, team_view
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
    form = team_form(services, edge.actor(context), edge.action_selected_user(body))
    view = edge.view_of(body)
    client.views_update(view_id=view["id"], hash=view.get("hash"), view=team_view(form))
