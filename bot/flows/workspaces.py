"""A workspace's life cycle: uninstalling forgets its tokens (Bolt) and marks it, keeping its history."""

from __future__ import annotations

from bot.services import Services
from storage.queries.workspaces import mark_uninstalled


def forget_workspace(services: Services, team_id: str) -> None:
    with services.db.session() as session:
        mark_uninstalled(session, team_id, services.clock())
