"""Tenants and people: the Slack workspace, its members, their assessments, and the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base
from storage.models._columns import CreatedAt, IntPK, MemberFK, OptionalMemberFK, WorkspaceFK


class Workspace(Base):
    """A Slack team (or an Enterprise Grid org-wide install); every other row belongs to one."""

    __tablename__ = "workspaces"

    id: Mapped[IntPK]
    team_id: Mapped[str] = mapped_column(String(32), unique=True)
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str | None]
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    installed_at: Mapped[CreatedAt]
    uninstalled_at: Mapped[datetime | None]
    erased_at: Mapped[datetime | None]  # its data erased after an uninstall (migration 0012)


class Member(Base):
    """A Slack user Parley has met; profile fields are a cache of ``users.info``."""

    __tablename__ = "members"
    __table_args__ = (
        UniqueConstraint("workspace_id", "slack_user_id"),
        Index(None, "workspace_id", "manager_id"),
    )

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    slack_user_id: Mapped[str] = mapped_column(String(32))
    display_name: Mapped[str] = mapped_column(default="")
    email: Mapped[str | None]
    tz: Mapped[str] = mapped_column(String(64), default="UTC")
    is_slack_admin: Mapped[bool] = mapped_column(default=False)
    role: Mapped[str] = mapped_column(String(16), default="learner")  # learner | manager | admin
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    style: Mapped[str | None] = mapped_column(String(16))
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)  # digest cadence, nudge hours, …
    profile_refreshed_at: Mapped[datetime | None]
    created_at: Mapped[CreatedAt]
    left_at: Mapped[datetime | None]  # deactivated in Slack (migration 0012)
    erased_at: Mapped[datetime | None]  # a tombstone: "a former member" (migration 0012)


class AssessmentResult(Base):
    """One sitting of the style assessment; retakes add rows so history is kept."""

    __tablename__ = "assessment_results"
    __table_args__ = (Index(None, "workspace_id", "member_id", "taken_at"),)

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    member_id: Mapped[MemberFK]
    answers: Mapped[dict[str, Any]]
    primary_style: Mapped[str] = mapped_column(String(16))
    secondary_style: Mapped[str] = mapped_column(String(16))
    scores: Mapped[dict[str, Any]]
    confidence: Mapped[str] = mapped_column(String(16))
    taken_at: Mapped[datetime]


class AuditEvent(Base):
    """Who did what to which record, when; append-only."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index(None, "workspace_id", "subject_type", "subject_id"),
        Index(None, "workspace_id", "at"),
    )

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    actor_id: Mapped[OptionalMemberFK]
    action: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int | None]
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[datetime]


class IdempotencyKey(Base):
    """A submission already processed (Slack redelivers, users double-click): the first one wins."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    key: Mapped[str] = mapped_column(String(255))
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[CreatedAt]
