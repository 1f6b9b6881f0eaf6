"""Members: lookups scoped to a workspace, and the cached Slack profile."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, select
from sqlalchemy.orm import Session

from coaching.dates import SLACK_LOCALE_KEY
from storage.models import Member, Workspace


@dataclass(frozen=True)
class Profile:
    """What Parley keeps from ``users.info``."""

    display_name: str
    tz: str
    email: str | None = None
    is_slack_admin: bool = False
    deleted: bool = False  # deactivated in Slack: a leaver (bot.flows.leavers)
    status: dict[str, Any] | None = None  # Slack status {text, emoji, expiration}: vacations
    is_org_admin: bool = False  # an admin or owner of the Enterprise Grid org (``enterprise_user``)
    locale: str | None = None  # their Slack language (``include_locale``), e.g. "en-US"; None: not given


ORG_ADMIN_KEY = "org_admin"
"""In ``Member.settings``: the member is an admin or owner of their Enterprise Grid org (cached with
the profile, like ``is_slack_admin``)."""

STATUS_KEY = "slack_status"
"""Where the member's Slack status is cached in ``Member.settings`` (refreshed with the profile)."""
DND_KEY = "slack_dnd"
"""Where the member's Do Not Disturb (``dnd.info``) is cached in ``Member.settings`` (bot.dnd)."""


def find_member(session: Session, workspace_id: int, slack_user_id: str) -> Member | None:
    return session.scalar(
        select(Member).where(Member.workspace_id == workspace_id, Member.slack_user_id == slack_user_id)
    )


# Who is asking, read on every request: built once (building a statement costs more than running it
# here), its columns named as on Member so either can stand for the other.
_FIND_ASKER = (
    select(
        Member.workspace_id,
        Member.id,
        Member.slack_user_id,
        Member.display_name,
        Member.tz,
        Member.style,
        Member.is_slack_admin,
        Member.role,
        Member.manager_id,
        Member.settings,
        Member.profile_refreshed_at,
    )
    .join(Workspace, Workspace.id == Member.workspace_id)
    .where(
        Workspace.team_id == bindparam("team_id"),
        Workspace.uninstalled_at.is_(None),
        Member.slack_user_id == bindparam("slack_user_id"),
    )
)


def find_asker(connection: Connection | Session, team_id: str, slack_user_id: str) -> Row[Any] | None:
    """A member of an installed workspace, by Slack ids, in one statement (every request starts here).

    None when the workspace is unknown or marked uninstalled, or the member is new: the caller then
    takes the slower path that records them.
    """
    return connection.execute(_FIND_ASKER, {"team_id": team_id, "slack_user_id": slack_user_id}).first()


def get_member(session: Session, workspace_id: int, member_id: int) -> Member | None:
    """By id, but only inside the workspace: a member id from another tenant finds nothing."""
    return session.scalar(select(Member).where(Member.workspace_id == workspace_id, Member.id == member_id))


def save_profile(
    session: Session, workspace_id: int, slack_user_id: str, profile: Profile, now: datetime
) -> tuple[Member, bool]:
    """Create or refresh a member from their Slack profile; returns the member and whether it is new."""
    member = find_member(session, workspace_id, slack_user_id)
    created = member is None
    if member is None:
        member = Member(workspace_id=workspace_id, slack_user_id=slack_user_id, settings={})
        session.add(member)
    member.display_name = profile.display_name
    member.tz = profile.tz
    member.email = profile.email
    member.is_slack_admin = profile.is_slack_admin
    member.profile_refreshed_at = now
    if profile.deleted and member.left_at is None:
        member.left_at = now  # the daily leavers job moves their approvals on
    elif not profile.deleted and member.left_at is not None:
        member.left_at = None
    if profile.status is not None and (member.settings or {}).get(STATUS_KEY) != profile.status:
        member.settings = {**(member.settings or {}), STATUS_KEY: profile.status}
    if profile.locale is not None and (member.settings or {}).get(SLACK_LOCALE_KEY) != profile.locale:
        member.settings = {**(member.settings or {}), SLACK_LOCALE_KEY: profile.locale}
    if bool((member.settings or {}).get(ORG_ADMIN_KEY)) != profile.is_org_admin:
        member.settings = {**(member.settings or {}), ORG_ADMIN_KEY: profile.is_org_admin}
    session.flush()
    return member, created


def touch_member(session: Session, workspace_id: int, slack_user_id: str) -> tuple[Member, bool]:
    """Make sure a member row exists without a profile (when Slack cannot be asked right now)."""
    member = find_member(session, workspace_id, slack_user_id)
    if member is not None:
        return member, False
    member = Member(
        workspace_id=workspace_id, slack_user_id=slack_user_id, display_name=slack_user_id, settings={}
    )
    session.add(member)
    session.flush()
    return member, True
