"""*Members* on the admin screen: a placeholder acknowledgement until the Members screen (issue 18)
registers its own handler for this action id; it only acks so the click never shows an error."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

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
