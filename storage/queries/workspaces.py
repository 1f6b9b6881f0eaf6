"""Workspace lookups; every other query starts from the workspace row these return.

Enterprise Grid: an org-wide install serves many workspaces (``Workspace.enterprise_id``). The org
itself has one row too, whose ``team_id`` is the org's ``E…`` id (Slack team ids start with ``T``, so
the two never meet): it holds the org's settings and playbook versions, which apply to every
workspace of the org that has not overridden them. An org value is copied into each workspace's
settings and the key listed under :data:`INHERITED_KEY`, so every reader of ``Workspace.settings``
sees the value in force; a key a workspace admin sets is removed from that list and so becomes the
workspace's own (an override), which later org changes leave alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Workspace

INHERITED_KEY: Final = "org_inherited"
"""In a workspace's settings: the keys whose value came from its org (not set by the workspace)."""


def find_workspace(session: Session, team_id: str) -> Workspace | None:
    return session.scalar(select(Workspace).where(Workspace.team_id == team_id))


def is_org(workspace: Workspace) -> bool:
    """Whether the row is an Enterprise Grid org (its settings apply to the org's workspaces)."""
    return workspace.enterprise_id is not None and workspace.team_id == workspace.enterprise_id


def in_same_org(one: Workspace, other: Workspace) -> bool:
    """Both workspaces belong to the same Enterprise Grid org (never true outside Grid)."""
    return one.enterprise_id is not None and one.enterprise_id == other.enterprise_id


def find_org(session: Session, workspace: Workspace) -> Workspace | None:
    """The org row of a workspace of an Enterprise Grid org (None outside Grid or before any org value)."""
    if workspace.enterprise_id is None or is_org(workspace):
        return None
    return find_workspace(session, workspace.enterprise_id)


def ensure_org(session: Session, enterprise_id: str) -> Workspace:
    org = find_workspace(session, enterprise_id)
    if org is None:
        org = Workspace(team_id=enterprise_id, enterprise_id=enterprise_id, settings={})
        session.add(org)
        session.flush()
    return org


def org_workspaces(session: Session, org: Workspace, *, for_update: bool = False) -> Sequence[Workspace]:
    """The workspaces of an org (not the org row itself), by id."""
    query = (
        select(Workspace)
        .where(Workspace.enterprise_id == org.enterprise_id, Workspace.id != org.id)
        .order_by(Workspace.id)
    )
    return session.scalars(query.with_for_update() if for_update else query).all()


def own_keys(settings: Mapping[str, Any] | None) -> frozenset[str]:
    """The keys a workspace set itself (everything stored but what it inherited from its org)."""
    settings = settings or {}
    inherited = set(settings.get(INHERITED_KEY) or ())
    return frozenset(key for key in settings if key != INHERITED_KEY and key not in inherited)


def inherit(
    workspace: Workspace, org_values: Mapping[str, Any], keys: Sequence[str] | None = None
) -> list[str]:
    """Copy the org's values (``keys``, default all) into the workspace, except those it set itself;
    the keys changed. A key the org no longer sets is dropped if the workspace only inherited it."""
    settings = dict(workspace.settings or {})
    inherited = list(settings.get(INHERITED_KEY) or ())
    own = own_keys(settings)
    changed: list[str] = []
    for key in keys if keys is not None else list(org_values):
        if key in own or key == INHERITED_KEY:
            continue
        if key in org_values:
            if settings.get(key) != org_values[key] or key not in inherited:
                settings[key] = org_values[key]
                changed.append(key)
            if key not in inherited:
                inherited.append(key)
        elif key in inherited:
            settings.pop(key, None)
            inherited.remove(key)
            changed.append(key)
    if changed:
        settings[INHERITED_KEY] = sorted(inherited)
        workspace.settings = settings  # a new dict: JSON columns do not track changes in place
    return changed


def set_own(workspace: Workspace, values: Mapping[str, Any]) -> None:
    """Store values the workspace sets itself: they override the org's from now on."""
    settings = dict(workspace.settings or {})
    settings.update(values)
    inherited = [key for key in settings.get(INHERITED_KEY) or () if key not in values]
    if INHERITED_KEY in settings or inherited:
        settings[INHERITED_KEY] = inherited
    workspace.settings = settings


def ensure_workspace(session: Session, team_id: str, enterprise_id: str | None = None) -> Workspace:
    """Return the workspace for a Slack team, creating it (or marking it installed again) if needed.

    A new workspace of an Enterprise Grid org starts with the org's settings in force."""
    workspace = find_workspace(session, team_id)
    if workspace is None:
        workspace = Workspace(team_id=team_id, enterprise_id=enterprise_id, settings={})
        session.add(workspace)
        session.flush()
    else:
        if workspace.uninstalled_at is not None:
            workspace.uninstalled_at = None  # reinstalled: the erasure 30 days after uninstall is off
            workspace.erased_at = None
        if workspace.enterprise_id is None and enterprise_id is not None and team_id != enterprise_id:
            workspace.enterprise_id = enterprise_id  # a workspace that joined a Grid org (Slack says so)
        else:
            return workspace
    org = find_org(session, workspace)
    if org is not None:
        inherit(workspace, org.settings or {})
    return workspace


def mark_uninstalled(session: Session, team_id: str, at: datetime) -> bool:
    workspace = find_workspace(session, team_id)
    if workspace is None:
        return False
    workspace.uninstalled_at = at
    return True


def mark_org_uninstalled(session: Session, enterprise_id: str, at: datetime) -> int:
    """Mark every workspace of an Enterprise Grid org (and the org's row) uninstalled; how many."""
    rows = session.scalars(
        select(Workspace).where(Workspace.enterprise_id == enterprise_id, Workspace.uninstalled_at.is_(None))
    ).all()
    for workspace in rows:
        workspace.uninstalled_at = at
    return len(rows)
