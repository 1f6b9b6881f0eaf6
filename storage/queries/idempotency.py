"""First-one-wins claims for submissions Slack may deliver twice (or users double-click)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import IdempotencyKey


def claim(session: Session, workspace_id: int, key: str, result: dict[str, Any] | None = None) -> bool:
    """Record ``key``; False if it was already there (a concurrent duplicate loses on the unique key)."""
    if session.scalar(
        select(IdempotencyKey.id).where(
            IdempotencyKey.workspace_id == workspace_id, IdempotencyKey.key == key
        )
    ):
        return False
    try:
        with session.begin_nested():
            session.add(IdempotencyKey(workspace_id=workspace_id, key=key[:255], result=result or {}))
    except IntegrityError:
        return False
    return True


def claimed_result(session: Session, workspace_id: int, key: str) -> dict[str, Any] | None:
    row = session.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.workspace_id == workspace_id, IdempotencyKey.key == key[:255]
        )
    )
    return None if row is None else dict(row.result)
