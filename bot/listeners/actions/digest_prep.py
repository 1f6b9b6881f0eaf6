"""*Prep your next negotiation* on a learner digest: open an empty prep modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.prep import new_prep_form
from bot.flows.prep_modal import PrepModalMeta, prep_view
from bot.playbook import playbook_of
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
    view = prep_view(
        form=new_prep_form(""),
        meta=PrepModalMeta(negotiation_id=None, channel_id=edge.channel_id(body)),
        style=actor.style,
        editing=False,
        currency=playbook_of(services, actor.workspace_id).policy.default_currency,
    )
    open_modal(client, respond, body, view, "prep form")
