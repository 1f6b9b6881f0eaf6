"""*Log the debrief* on a prep plan: open the debrief modal for that negotiation (owner only)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.debrief import debrief_target
from bot.flows.debrief_modal import DebriefModalMeta, debrief_view
from bot.flows.prep import NegotiationError
from bot.messaging import SLACK_FAILURES
from bot.metadata import MetadataError, NegotiationRef, load
from bot.replies import answer, form_did_not_open
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
        ref = load(NegotiationRef, edge.action_value(body))
    except MetadataError:
        answer(
            respond,
            client,
            body,
            "That button doesn't work any more",
            "Run `/negotiate debrief` to log a debrief.",
        )
        return
    actor = edge.actor(context)
    try:
        target = debrief_target(services, actor, ref.negotiation_id)
    except NegotiationError as error:
        answer(respond, client, body, "You can't log a debrief for this", str(error))
        return
    view = debrief_view(
        choices=[],
        target=target,
        meta=DebriefModalMeta(negotiation_id=target.negotiation_id, channel_id=edge.channel_id(body)),
        style=actor.style,
        currency=target.currency,
    )
    try:
        client.views_open(trigger_id=edge.trigger_id(body), view=view)
    except SLACK_FAILURES as error:
        form_did_not_open(respond, client, body, "debrief form", error)
