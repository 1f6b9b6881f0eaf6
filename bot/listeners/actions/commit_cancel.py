"""*Cancel…* on a commitment: show what cancelling now would cost before the member confirms."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.commitments_changes import Refusal, preview_cancel
from bot.flows.commitments_items import CancelOrigin, CommitmentRef
from bot.flows.commitments_presenter import cancel_view
from bot.replies import button_ref, open_modal, run_or_answer
from bot.services import Services
from templates import app_text

MAX_RESPONSE_URL = 500
STALE = app_text("Run `/negotiate commitments` to see your commitments.")


def handle(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
) -> None:
    ack()
    ref = button_ref(CommitmentRef, respond, client, body, title="That button is out of date", instead=STALE)
    if ref is None:
        return
    actor = edge.actor(context)
    preview = run_or_answer(
        respond, client, body, "Nothing changed", Refusal,
        lambda: preview_cancel(services, actor.workspace_id, actor.member_id, ref.commitment_id),
    )  # fmt: skip
    if preview is None:
        return
    where = edge.clicked_message(body)
    response_url = edge.response_url(body)
    origin = CancelOrigin(
        commitment_id=ref.commitment_id,
        surface=ref.surface,
        channel_id=where.channel if where else edge.channel_id(body),
        message_ts=where.ts if where else "",
        response_url=response_url if len(response_url) <= MAX_RESPONSE_URL else "",
        shown_charge_minor=preview.charge_minor,
        shown_units=preview.units,
    )
    open_modal(
        client, respond, body, cancel_view(preview, origin), "confirmation", again="Click Cancel… again."
    )
