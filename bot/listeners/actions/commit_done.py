"""*Done* on a commitment (a nudge, its card or the list): close it and tell whoever is owed."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.commitments_changes import mark_done
from bot.flows.commitments_items import CommitmentRef
from bot.flows.commitments_notifier import change_and_show
from bot.replies import button_ref
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
    ref = button_ref(
        CommitmentRef,
        respond,
        client,
        body,
        title="That button is out of date",
        instead=app_text("Run `/negotiate commitments` to see your commitments."),
    )
    if ref is None:
        return
    actor = edge.actor(context)
    change_and_show(
        services, client, body, respond, actor, ref.surface,
        lambda: mark_done(services, actor.workspace_id, actor.member_id, ref.commitment_id),
    )  # fmt: skip
