"""Who approves for whom: members' managers, the workspace's admins and its fallback approver.

Managers are ``Member.manager_id`` (same workspace); the fallback approver and the extra admins are
Slack user ids in ``Workspace.settings`` (``"fallback_approver"``, ``"admins"``), so an admin can name
someone Parley has not met yet. Every lookup is scoped to one workspace.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from storage.models import Member, Workspace

FALLBACK_KEY = "fallback_approver"
ADMINS_KEY = "admins"
MAX_CHAIN = 200
"""Manager chains are walked at most this far (a guard; the team code never lets a loop form)."""


def is_admin(member: Member, workspace: Workspace) -> bool:
    """A Slack admin/owner (``users.info``), an admin by role, or listed in the workspace settings."""
    listed = (workspace.settings or {}).get(ADMINS_KEY) or []
    return bool(member.is_slack_admin or member.role == "admin" or member.slack_user_id in listed)


def admin_user_ids(session: Session, workspace: Workspace) -> list[str]:
    """Slack ids of everyone who may change the team structure, known members first."""
    known = session.scalars(
        select(Member.slack_user_id)
        .where(
            Member.workspace_id == workspace.id,
            or_(Member.is_slack_admin.is_(True), Member.role == "admin"),
        )
        .order_by(Member.id)
    ).all()
    listed = [str(uid) for uid in (workspace.settings or {}).get(ADMINS_KEY) or []]
    return list(dict.fromkeys([*known, *listed]))


def fallback_user_id(workspace: Workspace) -> str | None:
    value = (workspace.settings or {}).get(FALLBACK_KEY)
    return str(value) if value else None


def set_fallback_user_id(workspace: Workspace, slack_user_id: str | None) -> None:
    """Replace the settings dict (JSON columns do not see in-place changes)."""
    settings = dict(workspace.settings or {})
    if slack_user_id:
        settings[FALLBACK_KEY] = slack_user_id
    else:
        settings.pop(FALLBACK_KEY, None)
    workspace.settings = settings


def find_by_email(session: Session, workspace_id: int, email: str) -> list[Member]:
    """Members whose Slack profile email is ``email`` (case-insensitive); usually one."""
    return list(
        session.scalars(
            select(Member)
            .where(Member.workspace_id == workspace_id, func.lower(Member.email) == email.strip().lower())
            .order_by(Member.id)
        )
    )


def members_by_user_id(session: Session, workspace_id: int, user_ids: Iterable[str]) -> dict[str, Member]:
    wanted = sorted(set(user_ids))
    if not wanted:
        return {}
    rows = session.scalars(
        select(Member).where(Member.workspace_id == workspace_id, Member.slack_user_id.in_(wanted))
    )
    return {row.slack_user_id: row for row in rows}


def manager_links(session: Session, workspace_id: int) -> dict[int, int]:
    """Every ``member id → manager id`` in the workspace (for checking a whole import for loops)."""
    rows = session.execute(
        select(Member.id, Member.manager_id).where(
            Member.workspace_id == workspace_id, Member.manager_id.is_not(None)
        )
    )
    return {int(member_id): int(manager_id) for member_id, manager_id in rows if manager_id is not None}


def would_loop(session: Session, workspace_id: int, member_id: int, manager_id: int) -> bool:
    """Whether making ``manager_id`` the manager of ``member_id`` closes a loop: it does when
    ``member_id`` is ``manager_id`` or sits anywhere above them in the manager chain."""
    current: int | None = manager_id
    for _ in range(MAX_CHAIN):
        if current is None:
            return False
        if current == member_id:
            return True
        current = session.scalar(
            select(Member.manager_id).where(Member.workspace_id == workspace_id, Member.id == current)
        )
    return True  # a chain this long is treated as a loop
