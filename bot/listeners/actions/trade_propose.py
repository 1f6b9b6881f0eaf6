"""*Propose a trade* on a prep plan: the trade modal with that negotiation chosen."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.team import WhoCanSet
from bot.flows.trades import proposal_modal
from bot.flows.trades_presenter import no_approver_context, propose_view_context
from bot.metadata import MetadataError, NegotiationRef, load
from bot.replies import open_modal
from bot.services import Services
from templates import render_view


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
    try:
        negotiation_id: int | None = load(NegotiationRef, edge.action_value(body)).negotiation_id
    except MetadataError:
        negotiation_id = None
    modal = proposal_modal(services, actor, negotiation_id=negotiation_id)
    if isinstance(modal, WhoCanSet):
        view = render_view("views/trade_no_approver", **no_approver_context(modal))
    else:
        view = render_view("views/trade_propose", **propose_view_context(modal))
    open_modal(client, respond, body, view, "form")
