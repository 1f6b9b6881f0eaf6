"""`app_uninstalled`: forget the tokens, keep the workspace's history.

For an org-wide install (Enterprise Grid, ``is_enterprise_install``) the event means the app left the
whole org: the org's installation (stored with no team) goes, and every workspace of the org is
marked uninstalled."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.flows.workspaces import forget_org, forget_workspace
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
    org_wide = bool(context.is_enterprise_install and context.enterprise_id)
    if revocation is not None:
        revocation.handle_app_uninstalled_events(context)
        if org_wide and context.team_id:  # Bolt deleted (org, workspace): the org's row has no team
            revocation.installation_store.delete_all(enterprise_id=context.enterprise_id, team_id=None)
    if org_wide and context.enterprise_id:
        forget_org(services, context.enterprise_id)
    elif context.team_id:
        forget_workspace(services, context.team_id)
    logger.info("app uninstalled from team=%s enterprise=%s", context.team_id, context.enterprise_id)
