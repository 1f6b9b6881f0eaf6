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
        event = body.get("event") or {}
        revocation.handle_tokens_revoked_events(event, context)
        bots = (event.get("tokens") or {}).get("bot") if isinstance(event, dict) else None
        if bots and context.is_enterprise_install and context.enterprise_id and context.team_id:
            # an org-wide install's bot is stored with no team (Bolt deleted the workspace's only)
            revocation.installation_store.delete_bot(enterprise_id=context.enterprise_id, team_id=None)
    logger.info("tokens revoked in team=%s", context.team_id)
