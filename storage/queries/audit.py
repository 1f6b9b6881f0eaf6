"""The audit trail: append-only records of who did what to which record."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from storage.models import AuditEvent


def record(
    session: Session,
    workspace_id: int,
    action: str,
    subject_type: str,
    subject_id: int | None,
    at: datetime,
    actor_id: int | None = None,
    **detail: Any,
) -> AuditEvent:
    event = AuditEvent(
        workspace_id=workspace_id,
        actor_id=actor_id,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        detail=detail,
        at=at,
    )
    session.add(event)
    return event
