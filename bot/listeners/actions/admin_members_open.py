"""*Members* in the admin settings: the screen where an admin exports or erases any member's data."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.member_data_screens import NOBODY, data_view, is_workspace_admin
from bot.messaging import SLACK_FAILURES
from bot.replies import answer, form_did_not_open
from bot.services import Services

ADMINS_ONLY = "Only admins can open the Members screen."


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
    if not is_workspace_admin(services, actor):
        answer(respond, client, body, "The Members screen didn't open", ADMINS_ONLY)
        return
    view = data_view(NOBODY, "", admin=True, picker=True)
    try:
        if edge.view_of(body).get("type") == "modal":  # from the settings modal: on top of it
            client.views_push(trigger_id=edge.trigger_id(body), view=view)
        else:
            client.views_open(trigger_id=edge.trigger_id(body), view=view)
    except SLACK_FAILURES as error:
        form_did_not_open(respond, client, body, "Members screen", error)
