"""The prep modal was submitted: validate and save (before the ack, so errors show in the modal),
then post or update the plan in the member's DM: the three-moves card, the full plan in its thread."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.home_notifier import refresh_home
from bot.flows.prep import NegotiationError, plan_message_context, record_plan_message, submit_prep
from bot.flows.prep_modal import BLOCK_FOR, PrepModalMeta, prep_form
from bot.flows.prep_notifier import deliver_plan
from bot.replies import form_meta, saved_or_errors
from bot.services import Services
from templates import app_text, render_message
from templates.ids.prep import PrepBlock

logger = logging.getLogger(__name__)

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
    form = prep_form(edge.form_values(view))
    saved = saved_or_errors(
        ack,
        lambda: submit_prep(
            services,
            actor,
            form,
            negotiation_id=meta.negotiation_id,
            submission_key=edge.submission_key(view),
        ),
        refusal=NegotiationError,
        refusal_block=PrepBlock.TITLE,
        shown=lambda errors: {BLOCK_FOR[field]: text for field, text in errors.items()},
    )
    if saved is None:  # a problem shown in the modal, or a repeat of a submission already answered
        return
    plan = plan_message_context(saved.plan, saved.negotiation_id, updated=not saved.created)
    posted = deliver_plan(
        client,
        actor.slack_user_id,
        meta.channel_id,
        render_message("messages/prep_plan", **plan),
        render_message("messages/prep_plan_full", **plan),
        saved.message,
    )
    if posted is not None and posted != saved.message:
        record_plan_message(services, actor, saved.negotiation_id, posted)
    refresh_home(services, client, actor.workspace_id, actor.slack_user_id)
