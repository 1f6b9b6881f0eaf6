"""The prep modal was submitted: validate, save and enqueue the plan's delivery in one unit of work
(before the ack, so errors show in the modal); after the ack, run that delivery here: the plan in the
member's DM (the three-moves card, the full plan in its thread) and their Home tab
(``bot.flows.prep_delivery``). A process that dies before that leaves the row to the clock."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.delivery.jobs import run_after_ack
from bot.flows.prep import (
    NegotiationError,
    PrepResult,
    match_context,
    negotiation_currency,
    submit_prep,
)
from bot.flows.prep_modal import BLOCK_FOR, PrepModalMeta, counterpart_choice, prep_form, prep_view
from bot.members import Actor
from bot.playbook import playbook_of
from bot.replies import form_meta, saved_or_errors
from bot.services import Services
from templates import app_text
from templates.ids.prep import PrepBlock

logger = logging.getLogger(__name__)


def view_currency(services: Services, actor: Actor, negotiation_id: int | None) -> str:
    if negotiation_id is not None:
        return negotiation_currency(services, actor, negotiation_id)
    return playbook_of(services, actor.workspace_id).policy.default_currency


STALE_FORM = app_text("This form is out of date: close it and run `/negotiate prep` again.")


def handle(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
) -> None:
    view = edge.view_of(body)
    meta = form_meta(ack, view, PrepModalMeta, {PrepBlock.TITLE: STALE_FORM})
    if meta is None:
        return
    actor = edge.actor(context)
    values = edge.form_values(view)
    form = prep_form(values)
    try:
        result: PrepResult | NegotiationError = submit_prep(
            services,
            actor,
            form,
            negotiation_id=meta.negotiation_id,
            submission_key=edge.submission_key(view),
            counterpart_choice=counterpart_choice(values),
            deliver_to=meta.channel_id,
        )
    except NegotiationError as error:
        result = error
    if isinstance(result, PrepResult) and result.choose is not None:
        # Met them before? Ask in the same modal, everything typed kept; the next submit decides.
        currency = view_currency(services, actor, meta.negotiation_id)
        editing = meta.negotiation_id is not None
        match = match_context(result.choose)
        view = prep_view(
            form=form, meta=meta, style=actor.style, editing=editing, currency=currency, match=match
        )
        ack(response_action="update", view=view)
        return

    def outcome() -> PrepResult:
        if isinstance(result, NegotiationError):
            raise result
        return result

    saved = saved_or_errors(
        ack,
        outcome,
        refusal=NegotiationError,
        refusal_block=PrepBlock.TITLE,
        shown=lambda errors: {BLOCK_FOR[field]: text for field, text in errors.items()},
    )
    if saved is None:  # a problem shown in the modal, or a repeat of a submission already answered
        return
    if saved.delivery is not None:  # the plan and the Home tab, here and now (the outbox row is the promise)
        run_after_ack(services, client, [saved.delivery])
