"""Which Slack messages show which entity, so a change of state can update every one in place."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base
from storage.models._columns import CreatedAt, IntPK, WorkspaceFK


class MessageRef(Base):
    """One message (``channel`` + ``ts``) showing ``entity`` ``entity_id`` as ``view`` to ``viewer``.

    ``entity`` is ``trade``, ``commitment`` or ``negotiation``; ``view`` says which rendering it is
    (the approver's request, a commitment's card or nudge, the debrief reminder …), so the same
    rendering can be made again from the entity's current state and written over the old one.
    """

    __tablename__ = "message_refs"
    __table_args__ = (
        UniqueConstraint("channel", "ts", "view"),
        Index(None, "workspace_id", "entity", "entity_id"),
    )

    id: Mapped[IntPK]
    workspace_id: Mapped[WorkspaceFK]
    entity: Mapped[str] = mapped_column(String(24))
    entity_id: Mapped[int]
    view: Mapped[str] = mapped_column(String(24))
    viewer: Mapped[str] = mapped_column(String(32))  # the Slack user id the message was rendered for
    channel: Mapped[str] = mapped_column(String(32))
    ts: Mapped[str] = mapped_column(String(32))
    # what the first rendering needed besides the entity (a nudge's occurrence, who recorded a card)
    detail: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    created_at: Mapped[CreatedAt]
