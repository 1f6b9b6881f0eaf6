"""The reject modal is submitted: the trade is rejected with the reason given."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.trades import Move
from bot.flows.trades_notifier import decide_in_modal
from bot.services import Services
from templates.ids.trades import TradeBlock


def handle(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
) -> None:
    reason = edge.state_value(edge.form_values(edge.view_of(body)), TradeBlock.REJECT_REASON) or ""
    decide_in_modal(
        services, ack, body, client, context, Move.REJECT, TradeBlock.REJECT_REASON, reason=reason
    )
