"""`app_uninstalled`: forget the tokens, keep the workspace's history."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.flows.workspaces import forget_workspace
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
        revocation.handle_app_uninstalled_events(context)
    if context.team_id:
        forget_workspace(services, context.team_id)
    logger.info("app uninstalled from team=%s", context.team_id)
