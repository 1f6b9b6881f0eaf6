"""*Reject…* on a trade request: open its modal, only for whoever may decide and only while the trade
waits on them."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.flows.trades import Move
from bot.flows.trades_notifier import open_decision_modal
from bot.flows.trades_presenter import reject_view_context
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
    open_decision_modal(
        services, body, client, context, respond, Move.REJECT,
        lambda ref, draft: render_view("views/trade_reject", **reject_view_context(ref, draft)),
    )  # fmt: skip
