"""Counterparts: the organisations (or people) a workspace negotiates with, one record each.

A merge never rewrites the rows that point at a counterpart: the merged one keeps its id and gets
``merged_into_id`` (always a counterpart that is not itself merged), so a merge is undone by clearing
it. A delete is soft (``deleted_at``): the negotiations keep the name as typed, nothing is lost.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
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


class KindTradeTally(Base):
    """How often each item was accepted or refused with each kind of counterpart, by value ratio
    (tenths; -1 when not valued): the "same kind" evidence at prep, kept as debriefs are logged so
    prep reads a few rows instead of every ledger line of the kind (bench/counterparts.py)."""

    __tablename__ = "kind_trade_tallies"
    __table_args__ = (
        UniqueConstraint(
            "workspace_id",
            "counterpart_kind",
            "item_key",
            "accepted",
            "bucket",
            name="uq_kind_trade_tallies_key",
        ),
    )

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    counterpart_kind: Mapped[str] = mapped_column(String(16))
    item_key: Mapped[str] = mapped_column(String(200))
    item: Mapped[str] = mapped_column(String(500))  # as first typed, for the review
    accepted: Mapped[bool]
    bucket: Mapped[int]
    count: Mapped[int] = mapped_column(default=0)
