"""`app_uninstalled` and `tokens_revoked`: forget the tokens, keep the workspace's history."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_bolt.listener.builtins import TokenRevocationListeners

from bot.services import Services
from storage.queries.workspaces import mark_uninstalled

logger = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    revocation = TokenRevocationListeners(app.installation_store) if app.installation_store else None

    @app.event("app_uninstalled")
    def app_uninstalled(context: BoltContext) -> None:
        if revocation is not None:
            revocation.handle_app_uninstalled_events(context)
        if context.team_id:
            with services.db.session() as session:
                mark_uninstalled(session, context.team_id, services.clock())
        logger.info("app uninstalled from team=%s", context.team_id)

    @app.event("tokens_revoked")
    def tokens_revoked(event: dict[str, Any], context: BoltContext) -> None:
        if revocation is not None:
            revocation.handle_tokens_revoked_events(event, context)
        logger.info("tokens revoked in team=%s", context.team_id)
