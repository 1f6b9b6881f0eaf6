"""*Add a commitment* (a prep plan or a debrief analysis): open the commit modal for that negotiation."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.commitments_notifier import open_commit_modal
from bot.metadata import MetadataError, NegotiationRef, load
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
        negotiation_id: int | None = load(NegotiationRef, edge.action_value(body)).negotiation_id
    except MetadataError:
        negotiation_id = None  # still useful: the member picks the negotiation in the modal
    open_commit_modal(services, body, client, context, respond, negotiation_id)
