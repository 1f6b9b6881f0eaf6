"""The debrief modal was submitted: validate and store it (before the ack, so problems show in the
modal), then DM the analysis and mark the prep plan as debriefed."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.flows.debrief import analysis_message_context, submit_debrief
from bot.flows.prep import NegotiationError, plan_message_context
from bot.listeners.views.debrief_modal import FALLBACK_BLOCK, DebriefModalMeta, debrief_request, modal_errors
from bot.listeners.views.prep_delivery import deliver, refresh, slack_error, tell_member
from bot.members import actor_for_interaction
from bot.messaging import Posted, retry_rate_limited, update_message
from bot.metadata import MetadataError, load
from bot.services import Services
from templates import render_message
from templates.ids.debrief import DebriefCallback

logger = logging.getLogger(__name__)

STALE_FORM = "This form is out of date: close it and run `/negotiate debrief` again."


class DebriefSubmission:
    def __init__(self, services: Services) -> None:
        self.services = services

    def __call__(
        self, ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        try:
            meta = load(DebriefModalMeta, view.get("private_metadata"))
        except MetadataError:
            ack(response_action="errors", errors={FALLBACK_BLOCK: STALE_FORM})
            return
        actor = actor_for_interaction(self.services, client, body, context)
        values = (view.get("state") or {}).get("values") or {}
        try:
            result = submit_debrief(
                self.services,
                actor,
                debrief_request(values, meta),
                submission_key=f"view:{view.get('id')}:{view.get('hash')}",
            )
        except NegotiationError as error:
            ack(response_action="errors", errors={FALLBACK_BLOCK: str(error)})
            return
        if result.errors:
            ack(response_action="errors", errors=modal_errors(result.errors, values))
            return
        ack()
        saved = result.saved
        if saved is None:  # a repeat of a submission already stored and answered
            return
        message = render_message("messages/debrief_analysis", **analysis_message_context(saved))
        try:
            deliver(client, actor.slack_user_id, message)
        except (SlackClientError, OSError) as error:
            logger.warning(
                "debrief analysis for %s not delivered: %s", actor.slack_user_id, slack_error(error)
            )
            tell_member(
                client,
                actor.slack_user_id,
                meta.channel_id,
                title="Your debrief is saved, but the analysis didn't arrive",
                body=(
                    f"Slack refused the message ({slack_error(error)}). Nothing you typed is lost: the "
                    "debrief and its ledger are stored, and Parley's Home tab shows the outcome."
                ),
            )
        if saved.plan is not None:
            plan, where = saved.plan
            done = render_message(
                "messages/prep_plan", **plan_message_context(plan, saved.negotiation_id, debriefed=True)
            )
            try:
                retry_rate_limited(lambda: update_message(client, Posted(where.channel, where.ts), done))
            except (SlackClientError, OSError) as error:  # the buttons answer "already debriefed" anyway
                logger.info(
                    "prep plan of %s not marked as debriefed: %s", actor.slack_user_id, slack_error(error)
                )
        refresh(self.services, client, actor)


def register(app: App, services: Services) -> None:
    app.view(DebriefCallback.SUBMIT.value)(DebriefSubmission(services))
