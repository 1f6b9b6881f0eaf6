"""Members: lookups scoped to a workspace, and the cached Slack profile."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Member


@dataclass(frozen=True)
class Profile:
    """What Parley keeps from ``users.info``."""

    display_name: str
    tz: str
    email: str | None = None
    is_slack_admin: bool = False


def find_member(session: Session, workspace_id: int, slack_user_id: str) -> Member | None:
    return session.scalar(
        select(Member).where(Member.workspace_id == workspace_id, Member.slack_user_id == slack_user_id)
    )


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
