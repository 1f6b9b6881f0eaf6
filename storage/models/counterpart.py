"""Counterparts: the organisations (or people) a workspace negotiates with, one record each.

A merge never rewrites the rows that point at a counterpart: the merged one keeps its id and gets
``merged_into_id`` (always a counterpart that is not itself merged), so a merge is undone by clearing
it. A delete is soft (``deleted_at``): the negotiations keep the name as typed, nothing is lost.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base
from storage.models._columns import CreatedAt, IntPK, WorkspaceFK


class Counterpart(Base):
    __tablename__ = "counterparts"
    __table_args__ = (
        Index(None, "workspace_id", "key"),
        Index(None, "workspace_id", "merged_into_id"),
    )

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    name: Mapped[str] = mapped_column(String(200))  # as first typed (or as renamed)
    key: Mapped[str] = mapped_column(String(200))  # coaching.counterpart_names.name_key(name)
    kind: Mapped[str] = mapped_column(String(16), default="other")  # the kind last prepared for
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("counterparts.id", ondelete="SET NULL"))
    deleted_at: Mapped[datetime | None]
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[datetime | None]
