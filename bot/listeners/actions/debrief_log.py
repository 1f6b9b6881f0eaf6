"""*Log the debrief* on a prep plan: open the debrief modal for that negotiation (owner only)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.debrief import debrief_target
from bot.flows.debrief_modal import DebriefModalMeta, debrief_view
from bot.flows.prep import NegotiationError
from bot.replies import open_modal, plan_button, run_or_answer
from bot.services import Services
from templates import app_text


def handle(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
) -> None:
    ack()
    ref = plan_button(respond, client, body, instead=app_text("Run `/negotiate debrief` to log a debrief."))
    if ref is None:
        return
    actor = edge.actor(context)
    target = run_or_answer(
        respond, client, body, "You can't log a debrief for this", NegotiationError,
        lambda: debrief_target(services, actor, ref.negotiation_id),
    )  # fmt: skip
    if target is None:
        return
    view = debrief_view(
        choices=[],
        target=target,
        meta=DebriefModalMeta(negotiation_id=target.negotiation_id, channel_id=edge.channel_id(body)),
        style=actor.style,
        currency=target.currency,
    )
    open_modal(client, respond, body, view, "debrief form")
