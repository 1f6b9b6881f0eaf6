"""*Withdraw* on a trade request: decided on the click (the flow authorises it against the database)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.flows.trades import Move
from bot.flows.trades_notifier import decide_on_click
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
    decide_on_click(services, body, client, context, respond, Move.WITHDRAW)
