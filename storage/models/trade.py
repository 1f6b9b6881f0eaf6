"""Concession trades proposed for approval ("if they give X, we give Y")."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base
from storage.models._columns import CreatedAt, Currency, IntPK, MemberFK, OptionalMemberFK, WorkspaceFK


class TradeProposal(Base):
    """A proposal or a counter; counters point at what they answer so the chain is kept."""

    __tablename__ = "trade_proposals"
    __table_args__ = (
        Index(None, "workspace_id", "approver_id", "status"),
        Index(None, "workspace_id", "requester_id", "status"),
        Index(None, "status", "needed_by"),
    )

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    negotiation_id: Mapped[int | None] = mapped_column(ForeignKey("negotiations.id", ondelete="SET NULL"))
    counterpart_id: Mapped[int | None] = mapped_column(ForeignKey("counterparts.id", ondelete="SET NULL"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("trade_proposals.id", ondelete="SET NULL"))
    requester_id: Mapped[MemberFK]
    approver_id: Mapped[OptionalMemberFK]
    get_item: Mapped[str] = mapped_column(String(500))
    get_value_minor: Mapped[int | None]
    give_item: Mapped[str] = mapped_column(String(500))
    give_cost_minor: Mapped[int | None]
    currency: Mapped[Currency]
    reason: Mapped[str] = mapped_column(Text, default="")
    needed_by: Mapped[date | None]
    # pending = waiting on the approver (a proposal, or a counter back from the proposer);
    # countered = the approver countered and it waits on the proposer; the rest are final.
    status: Mapped[str] = mapped_column(String(16), default="pending")
    rounds: Mapped[int] = mapped_column(default=0, server_default="0")  # counters so far
    reminders: Mapped[int] = mapped_column(default=0, server_default="0")  # in the current turn
    turn_started_at: Mapped[datetime | None]  # when the side now awaited was handed the turn
    value_currency: Mapped[str | None] = mapped_column(String(3))  # of get_value_minor, if not `currency`
    escalated_to: Mapped[str | None] = mapped_column(String(32))  # Slack user id it was escalated to
    proposer_channel: Mapped[str | None] = mapped_column(String(32))  # the proposer's copy
    proposer_ts: Mapped[str | None] = mapped_column(String(32))
    checks: Mapped[list[Any]] = mapped_column(default=list)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[OptionalMemberFK]
    decided_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    slack_channel: Mapped[str | None] = mapped_column(String(32))  # the approver's request message
    slack_ts: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[CreatedAt]
