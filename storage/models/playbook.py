"""Playbook versions a workspace uploaded in Slack (``/negotiate playbook``).

A pasted or shared TOML is kept as a draft until an admin applies or discards it; applying gives it
the next version number. The version in force is the applied one activated last (a rollback
re-activates an earlier one; ``activation`` orders them even within one clock tick); without any,
the process default (``PARLEY_PLAYBOOK``) applies.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base
from storage.models._columns import CreatedAt, IntPK, OptionalMemberFK, WorkspaceFK


class PlaybookVersion(Base):
    __tablename__ = "playbook_versions"
    __table_args__ = (
        UniqueConstraint("workspace_id", "version"),
        Index(None, "workspace_id", "activation"),
    )

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    version: Mapped[int | None]  # given when applied; drafts have none
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft | applied | discarded
    name: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(200), default="")  # "pasted" or the shared file's name
    text: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")  # the diff summary shown before applying
    created_by: Mapped[OptionalMemberFK]
    created_at: Mapped[CreatedAt]
    activated_at: Mapped[datetime | None]
    activation: Mapped[int | None]  # increases with every apply or rollback: the highest is in force
