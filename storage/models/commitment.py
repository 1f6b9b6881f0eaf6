"""Commitments made in or around a negotiation, with their conditions and nudge state."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base
from storage.models._columns import CreatedAt, Currency, IntPK, OptionalMemberFK, WorkspaceFK


class Commitment(Base):
    """Reminder state lives here (nudges sent, snoozes), not in the scheduler's memory."""

    __tablename__ = "commitments"
    __table_args__ = (
        Index(None, "workspace_id", "status", "due"),
        Index(None, "workspace_id", "owner_id", "status"),
        Index(None, "workspace_id", "closed_at"),  # kept and lapsed per week (digests)
        Index(None, "workspace_id", "negotiation_id"),  # a counterpart's open ones, at prep (recall)
    )

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    negotiation_id: Mapped[int | None] = mapped_column(ForeignKey("negotiations.id", ondelete="SET NULL"))
    owner_id: Mapped[OptionalMemberFK]  # a member, or None when the other side owns it
    owner_label: Mapped[str] = mapped_column(String(200), default="")  # "they", "Acme", …
    owed_to_id: Mapped[OptionalMemberFK]
    text: Mapped[str] = mapped_column(Text)
    due: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), default="open")  # open|done|cancelled|lapsed
    source: Mapped[str] = mapped_column(String(16), default="manual")  # manual|prep|debrief
    notice_days: Mapped[int | None]
    chargeback_percent: Mapped[int | None]
    chargeback_base_minor: Mapped[int | None]
    currency: Mapped[Currency]
    charged_to: Mapped[str | None] = mapped_column(String(200))
    # N units at chargeback_base_minor each (12 seats × 1,800 USD); a partial cancel lowers ``units``
    units: Mapped[int] = mapped_column(default=1, server_default="1")
    unit: Mapped[str] = mapped_column(String(40), default="", server_default="")  # "seat"; "" unnamed
    # Its cancellations added up (``units_cancelled``, ``units`` charged back, ``charge_minor`` in all,
    # each one in ``cancellations``, the card's ``sentence``); None until one is late or partial.
    consequence: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    snoozed_until: Mapped[datetime | None]
    nudges_sent: Mapped[int] = mapped_column(default=0)
    last_nudged_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    created_at: Mapped[CreatedAt]
