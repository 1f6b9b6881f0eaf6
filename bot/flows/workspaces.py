"""A workspace's life cycle: uninstalling forgets its tokens (Bolt) and marks it, keeping its history."""

from __future__ import annotations

from bot.services import Services
from storage.queries.workspaces import mark_org_uninstalled, mark_uninstalled


def forget_workspace(services: Services, team_id: str) -> None:
    with services.db.session() as session:
        mark_uninstalled(session, team_id, services.clock())


def forget_org(services: Services, enterprise_id: str) -> None:
    """An org-wide install removed: every workspace of the org (and the org's row) is uninstalled."""
    with services.db.session() as session:
        mark_org_uninstalled(session, enterprise_id, services.clock())
