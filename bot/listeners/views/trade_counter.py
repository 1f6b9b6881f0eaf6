"""The counter modal is submitted: the decider's terms go back to the other side."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.trades import Move
from bot.flows.trades_modal import terms_form
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
    values = edge.form_values(edge.view_of(body))
    decide_in_modal(
        services, ack, body, client, context, Move.COUNTER, TradeBlock.GIVE, terms=terms_form(values)
    )
