"""Members' data requests: an archive to send, or an erasure to carry out, off the request path."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base
from storage.models._columns import CreatedAt, IntPK, OptionalMemberFK, WorkspaceFK


class DataRequest(Base):
    """One ``export`` or ``erase`` of a member's data; the clock process picks up ``pending`` ones.

    ``deliver_to`` is the Slack user whose DM gets the archive (the member, or the admin who asked);
    once a member is erased, no request row keeps their Slack id.
    """

    __tablename__ = "data_requests"
    __table_args__ = (
        Index(None, "workspace_id", "member_id", "status"),
        Index(None, "status", "requested_at"),
    )

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    member_id: Mapped[OptionalMemberFK]  # whose data
    requested_by_id: Mapped[OptionalMemberFK]  # the member themself, or an admin
    kind: Mapped[str] = mapped_column(String(16))  # export | erase
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|running|done|failed
    deliver_to: Mapped[str | None] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)  # counts, file id
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    requested_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    created_at: Mapped[CreatedAt]
