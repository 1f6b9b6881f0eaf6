"""`tokens_revoked`: forget the revoked tokens (the workspace stays installed)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_bolt.listener.builtins import TokenRevocationListeners
from slack_sdk import WebClient

from bot.middleware import REVOCATION_KEY
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
    revocation = context.get(REVOCATION_KEY)
    if isinstance(revocation, TokenRevocationListeners):
        revocation.handle_tokens_revoked_events(body.get("event") or {}, context)
    logger.info("tokens revoked in team=%s", context.team_id)
