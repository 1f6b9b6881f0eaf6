"""*Edit prep* on a prep plan: reopen the prep modal prefilled from what was saved (owner only)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.counterparts import linked_match
from bot.flows.prep import NegotiationError, match_context, prep_form_for_edit
from bot.flows.prep_modal import PrepModalMeta, prep_view
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
    ref = plan_button(respond, client, body, instead=app_text("Run `/negotiate prep` to prepare again."))
    if ref is None:
        return
    actor = edge.actor(context)
    found = run_or_answer(
        respond, client, body, "You can't edit this prep", NegotiationError,
        lambda: prep_form_for_edit(services, actor, ref.negotiation_id),
    )  # fmt: skip
    if found is None:
        return
    form, currency = found
    linked = linked_match(services, actor, ref.negotiation_id)
    view = prep_view(
        form=form,
        meta=PrepModalMeta(negotiation_id=ref.negotiation_id, channel_id=edge.channel_id(body)),
        style=actor.style,
        editing=True,
        currency=currency,
        match=match_context(linked, initial=str(linked.exact[0].id)) if linked else None,
    )
    open_modal(client, respond, body, view, "prep form")
