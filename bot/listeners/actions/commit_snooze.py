"""*Snooze…* on a commitment: no reminders until the chosen moment (in the member's working hours)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.commitments_changes import snooze
from bot.flows.commitments_items import SnoozeRef
from bot.flows.commitments_notifier import change_and_show
from bot.metadata import MetadataError, load
from bot.replies import answer
from bot.services import Services
from coaching.commitments import SnoozeChoice
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
    selected = edge.action(body).get("selected_option")
    try:
        ref = load(SnoozeRef, selected.get("value") if isinstance(selected, dict) else None)
        choice = SnoozeChoice(ref.until)
    except (MetadataError, ValueError):
        answer(
            respond,
            client,
            body,
            "That menu is out of date",
            app_text("Run `/negotiate commitments` to see your commitments."),
        )
        return
    actor = edge.actor(context)
    change_and_show(
        services, client, body, respond, actor, ref.surface,
        lambda: snooze(services, actor.workspace_id, actor.member_id, ref.commitment_id, choice),
    )  # fmt: skip
