"""`tokens_revoked`: forget the revoked tokens (the workspace stays installed)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.middleware import revocation_of
from bot.services import Services

logger = logging.getLogger(__name__)


def handle(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
) -> None:
    revocation = revocation_of(context)
    if revocation is not None:
        revocation.handle_tokens_revoked_events(body.get("event") or {}, context)
    logger.info("tokens revoked in team=%s", context.team_id)
