"""Scheduled work as rows: messages waiting to be sent, and which digests went to whom."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base
from storage.models._columns import CreatedAt, IntPK, MemberFK, WorkspaceFK


class OutboxMessage(Base):
    """A message to deliver; ``dedupe_key`` makes enqueueing the same logical message a no-op."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        UniqueConstraint("dedupe_key"),
        Index(None, "status", "due_at"),
        Index(None, "workspace_id", "kind"),
    )

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    kind: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(32))  # a Slack user or channel id
    payload: Mapped[dict[str, Any]]
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|sending|sent|failed
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    dedupe_key: Mapped[str] = mapped_column(String(255))
    lease_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    slack_channel: Mapped[str | None] = mapped_column(String(32))
    slack_ts: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[CreatedAt]


class DigestRun(Base):
    """One digest per recipient, kind and ISO week — the unique key is what makes it exactly once."""

    __tablename__ = "digest_runs"
    __table_args__ = (
        UniqueConstraint("workspace_id", "recipient_id", "kind", "iso_week"),
        Index(None, "workspace_id", "iso_week"),  # which digests a week already has (migration 0004)
    )

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    recipient_id: Mapped[MemberFK]
    kind: Mapped[str] = mapped_column(String(16))  # learner | manager | organisation
    iso_week: Mapped[str] = mapped_column(String(8))  # e.g. 2026-W48
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id", ondelete="SET NULL"))
    created_at: Mapped[CreatedAt]
