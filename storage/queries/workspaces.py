"""Workspace lookups; every other query starts from the workspace row these return."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Workspace


def find_workspace(session: Session, team_id: str) -> Workspace | None:
    return session.scalar(select(Workspace).where(Workspace.team_id == team_id))


def ensure_workspace(session: Session, team_id: str, enterprise_id: str | None = None) -> Workspace:
    """Return the workspace for a Slack team, creating it (or marking it installed again) if needed."""
    workspace = find_workspace(session, team_id)
    if workspace is None:
        workspace = Workspace(team_id=team_id, enterprise_id=enterprise_id, settings={})
        session.add(workspace)
        session.flush()
    elif workspace.uninstalled_at is not None:
        workspace.uninstalled_at = None  # reinstalled: the erasure 30 days after uninstall is off
        workspace.erased_at = None
    return workspace


def mark_uninstalled(session: Session, team_id: str, at: datetime) -> bool:
    workspace = find_workspace(session, team_id)
    if workspace is None:
        return False
    workspace.uninstalled_at = at
    return True
