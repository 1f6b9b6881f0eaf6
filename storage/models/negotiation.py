"""A negotiation and what was written about it: the prep, the debrief and the concession ledger."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base
from storage.models._columns import CreatedAt, Currency, IntPK, MemberFK, WorkspaceFK


class Negotiation(Base):
    __tablename__ = "negotiations"
    __table_args__ = (
        Index(None, "workspace_id", "owner_id", "status"),
        Index(None, "workspace_id", "date"),
        Index(None, "workspace_id", "counterpart_id"),
    )

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    owner_id: Mapped[MemberFK]
    title: Mapped[str] = mapped_column(String(200))
    counterpart_kind: Mapped[str] = mapped_column(String(16))
    counterpart_name: Mapped[str] = mapped_column(String(200), default="")
    counterpart_id: Mapped[int | None] = mapped_column(ForeignKey("counterparts.id", ondelete="SET NULL"))
    date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default="planned")  # planned|agreed|no_deal|paused
    currency: Mapped[Currency]
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[datetime | None]


class PrepPlan(Base):
    """What the learner typed before the negotiation, kept verbatim so nothing typed is lost."""

    __tablename__ = "prep_plans"
    __table_args__ = (UniqueConstraint("negotiation_id"),)

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    negotiation_id: Mapped[int] = mapped_column(ForeignKey("negotiations.id", ondelete="CASCADE"))
    objectives: Mapped[str] = mapped_column(Text, default="")
    limits: Mapped[str] = mapped_column(Text, default="")
    walk_away: Mapped[str] = mapped_column(Text, default="")
    tradeables: Mapped[str] = mapped_column(Text, default="")
    wants: Mapped[str] = mapped_column(Text, default="")
    asks: Mapped[str] = mapped_column(Text, default="", server_default="")  # what they will ask for
    style: Mapped[str | None] = mapped_column(String(16))  # the style the plan was written for
    counterpart_style: Mapped[str | None] = mapped_column(String(16))  # as read by the learner, if given
    playbook_version: Mapped[int | None]  # the workspace's playbook version it used (None: the default)
    slack_channel: Mapped[str | None] = mapped_column(String(32))
    slack_ts: Mapped[str | None] = mapped_column(String(32))
    slack_thread_ts: Mapped[str | None] = mapped_column(String(32))  # the full plan, a reply to the card
    created_at: Mapped[CreatedAt]
    updated_at: Mapped[datetime | None]


class Debrief(Base):
    __tablename__ = "debriefs"
    __table_args__ = (UniqueConstraint("negotiation_id"), Index(None, "workspace_id", "submitted_at"))

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    negotiation_id: Mapped[int] = mapped_column(ForeignKey("negotiations.id", ondelete="CASCADE"))
    member_id: Mapped[MemberFK]
    outcome: Mapped[str] = mapped_column(String(16))
    reflection: Mapped[str] = mapped_column(Text, default="")
    analysis: Mapped[dict[str, Any]] = mapped_column(default=dict)
    playbook_version: Mapped[int | None]  # the workspace's playbook version it used (None: the default)
    submitted_at: Mapped[datetime]


class LedgerEntry(Base):
    """One line of the concession ledger: offered, conceded (with what came back), held or received."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        Index(None, "workspace_id", "negotiation_id"),
        Index(None, "workspace_id", "recorded_at"),
        Index(None, "workspace_id", "counterpart_kind", "item_key"),
        # the recall's ranges: a counterpart's rows, and its rows for the prep's items (evidence)
        Index(None, "workspace_id", "counterpart_id", "item_key"),
        # the few lines trade requests wrote, so the recall's request counts don't read every line
        Index(
            "ix_ledger_entries_request_lines",
            "workspace_id",
            "counterpart_id",
            postgresql_where=text("trade_id IS NOT NULL"),
            sqlite_where=text("trade_id IS NOT NULL"),
        ),
    )

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    negotiation_id: Mapped[int] = mapped_column(ForeignKey("negotiations.id", ondelete="CASCADE"))
    debrief_id: Mapped[int | None] = mapped_column(ForeignKey("debriefs.id", ondelete="CASCADE"))
    trade_id: Mapped[int | None] = mapped_column(ForeignKey("trade_proposals.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))  # offered | conceded | held | received
    item: Mapped[str] = mapped_column(String(500))
    value_minor: Mapped[int | None]
    currency: Mapped[Currency]
    received_item: Mapped[str | None] = mapped_column(String(500))
    received_value_minor: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)
    recorded_at: Mapped[datetime]
    # Copied from the negotiation (and the item's matching key) so "what worked with this counterpart,
    # or this kind" is one index range, not a join over every negotiation (bench/counterparts.py).
    counterpart_id: Mapped[int | None] = mapped_column(ForeignKey("counterparts.id", ondelete="SET NULL"))
    counterpart_kind: Mapped[str | None] = mapped_column(String(16))
    item_key: Mapped[str | None] = mapped_column(String(200))
