"""*Counter…* on a trade request: open its modal, only for whoever may decide and only while the
trade waits on them."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.flows.trades import Move
from bot.flows.trades_decisions import Refused, draft_for
from bot.flows.trades_notifier import clicked_trade, refuse
from bot.flows.trades_presenter import counter_view_context
from bot.messaging import SLACK_FAILURES
from bot.replies import form_did_not_open
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
    clicked = clicked_trade(body, client, respond, context)
    if clicked is None:
        return
    actor, ref = clicked
    draft = draft_for(services, actor, ref, Move.COUNTER)
    if isinstance(draft, Refused):
        refuse(services, client, respond, actor, draft, ref, body)
        return
    view = render_view("views/trade_propose", **counter_view_context(ref, draft))
    try:
        client.views_open(trigger_id=body["trigger_id"], view=view)
    except SLACK_FAILURES as error:
        form_did_not_open(respond, client, body, "form", error)
