"""The debrief modal was submitted: validate and store it (before the ack, so problems show in the
modal), then DM the analysis and mark the prep plan as debriefed."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.debrief import submit_debrief
from bot.flows.debrief_modal import FALLBACK_BLOCK, DebriefModalMeta, debrief_request, modal_errors
from bot.flows.debrief_presenter import analysis_message_context
from bot.flows.home_notifier import refresh_home
from bot.flows.prep import NegotiationError, plan_message_context
from bot.messaging import SLACK_FAILURES, Posted, retry_rate_limited, slack_error, update_message
from bot.replies import deliver_saved, form_meta, saved_or_errors
from bot.services import Services
from templates import app_text, render_message

logger = logging.getLogger(__name__)

STALE_FORM = app_text("This form is out of date: close it and run `/negotiate debrief` again.")


def handle(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
) -> None:
    view = edge.view_of(body)
    meta = form_meta(ack, view, DebriefModalMeta, {FALLBACK_BLOCK: STALE_FORM})
    if meta is None:
        return
    actor = edge.actor(context)
    values = edge.form_values(view)
    saved = saved_or_errors(
        ack,
        lambda: submit_debrief(
            services, actor, debrief_request(values, meta), submission_key=edge.submission_key(view)
        ),
        refusal=NegotiationError,
        refusal_block=FALLBACK_BLOCK,
        shown=lambda errors: modal_errors(errors, values),
    )
    if saved is None:  # a problem shown in the modal, or a repeat of a submission already answered
        return
    message = render_message("messages/debrief_analysis", **analysis_message_context(saved))
    deliver_saved(
        client, actor.slack_user_id, meta.channel_id, message,
        title="Your debrief is saved, but the analysis didn't arrive",
        kept="the debrief and its ledger are stored, and Parley's Home tab shows the outcome.",
    )  # fmt: skip
    if saved.plan is not None:
        plan, where = saved.plan
        done = render_message(
            "messages/prep_plan", **plan_message_context(plan, saved.negotiation_id, debriefed=True)
        )
        try:
            retry_rate_limited(lambda: update_message(client, Posted(where.channel, where.ts), done))
        except SLACK_FAILURES as error:  # the buttons answer "already debriefed" anyway
            logger.info(
                "prep plan of %s not marked as debriefed: %s", actor.slack_user_id, slack_error(error)
            )
    refresh_home(services, client, actor.workspace_id, actor.slack_user_id)
