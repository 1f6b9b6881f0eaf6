"""*Edit prep* on a prep plan: reopen the prep modal prefilled from what was saved (owner only)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.prep import NegotiationError, prep_form_for_edit
from bot.flows.prep_modal import PrepModalMeta, prep_view
from bot.metadata import NegotiationRef
from bot.replies import answer, button_ref, open_modal
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
    ref = button_ref(
        NegotiationRef,
        respond,
        client,
        body,
        title="That button doesn't work any more",
        instead="Run `/negotiate prep` to prepare again.",
    )
    if ref is None:
        return
    actor = edge.actor(context)
    try:
        form, currency = prep_form_for_edit(services, actor, ref.negotiation_id)
    except NegotiationError as error:
        answer(respond, client, body, "You can't edit this prep", str(error))
        return
    view = prep_view(
        form=form,
        meta=PrepModalMeta(negotiation_id=ref.negotiation_id, channel_id=edge.channel_id(body)),
        style=actor.style,
        editing=True,
        currency=currency,
    )
    open_modal(client, respond, body, view, "prep form")
