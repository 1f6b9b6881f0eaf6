"""*New commitment* (the commitments list, the Home tab): open an empty commit modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.flows.commitments_notifier import open_commit_modal
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
    open_commit_modal(services, body, client, context, respond, None)
