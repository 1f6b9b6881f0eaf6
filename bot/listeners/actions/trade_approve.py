"""*Approve* on a trade request: decided on the click (the flow authorises it against the database)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.flows.trades import Move
from bot.flows.trades_decisions import Decided, Refused, decide
from bot.flows.trades_notifier import announce_decision, clicked_trade, refuse
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
    clicked = clicked_trade(body, client, respond, context)
    if clicked is None:
        return
    actor, ref = clicked
    result = decide(services, actor, ref, Move.APPROVE)
    if isinstance(result, Refused):
        refuse(services, client, respond, actor, result, ref, body)
    elif isinstance(result, Decided):
        announce_decision(services, client, result)
