"""The cancel confirmation is submitted: cancel, applying the conditions exactly as shown (for a
commitment of several units, the number typed; a different number first shows its charge)."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.commitments_changes import Refusal, TooMany, cancel
from bot.flows.commitments_items import CancelOrigin
from bot.flows.commitments_notifier import show_changed
from bot.flows.commitments_presenter import cancel_view
from bot.messaging import SLACK_FAILURES, post_dm
from bot.replies import form_meta, notice
from bot.services import Services
from coaching.commitments import read_count
from templates.ids.commitments import CommitBlock

logger = logging.getLogger(__name__)

NOT_A_COUNT = "Type how many to cancel: a whole number, like 3."


def handle(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
) -> None:
    view = edge.view_of(body)
    origin = form_meta(ack, view, CancelOrigin)
    if origin is None:
        return
    actor = edge.actor(context)
    units: int | None = None
    typed = edge.state_value(edge.form_values(view), CommitBlock.CANCEL_UNITS)
    if typed is not None:  # the modal asked how many (the commitment has more than one unit)
        units = read_count(typed)
        if units is None:
            ack(response_action="errors", errors={CommitBlock.CANCEL_UNITS: NOT_A_COUNT})
            return
    try:
        outcome = cancel(
            services, actor.workspace_id, actor.member_id, origin.commitment_id,
            shown_charge_minor=origin.shown_charge_minor, idempotency_key=edge.submission_key(view),
            units=units, shown_units=origin.shown_units if units is not None else None,
        )  # fmt: skip
    except TooMany as refusal:
        ack(response_action="errors", errors={CommitBlock.CANCEL_UNITS: str(refusal)})
        return
    except Refusal as refusal:
        ack()
        try:
            post_dm(client, actor.slack_user_id, notice("Nothing changed", str(refusal)))
        except SLACK_FAILURES:
            logger.warning("could not tell %s why the cancellation was refused", actor.slack_user_id)
        return
    if outcome.preview is not None:  # a day passed since it was shown: show the new consequence
        again = replace(
            origin, shown_charge_minor=outcome.preview.charge_minor, shown_units=outcome.preview.units
        )
        ack(response_action="update", view=cancel_view(outcome.preview, again, changed=True))
        return
    ack()
    assert outcome.changed is not None
    show_changed(
        services, client, actor, outcome.changed, surface=origin.surface, channel_id=origin.channel_id,
        message_ts=origin.message_ts, response_url=origin.response_url,
    )  # fmt: skip
