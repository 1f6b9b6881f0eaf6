"""First-one-wins claims for submissions Slack may deliver twice (or users double-click)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.models import IdempotencyKey


def claim(session: Session, workspace_id: int, key: str, result: dict[str, Any] | None = None) -> bool:
    """Record ``key``; False if it was already there (a concurrent duplicate loses on the unique key).

    One statement, one round trip: ``INSERT … ON CONFLICT DO NOTHING RETURNING``. No savepoint is
    needed, since a conflict is not an error: on PostgreSQL an insert racing a concurrent
    transaction's uncommitted claim of the same key waits for it, then inserts nothing if it committed.
    """
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(IdempotencyKey)
        .values(workspace_id=workspace_id, key=key[:255], result=result or {})
        .on_conflict_do_nothing(index_elements=["workspace_id", "key"])
        .returning(IdempotencyKey.id)
    )
    return session.execute(statement).scalar() is not None


def claimed_result(session: Session, workspace_id: int, key: str) -> dict[str, Any] | None:
    row = session.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.workspace_id == workspace_id, IdempotencyKey.key == key[:255]
        )
    )
    return None if row is None else dict(row.result)
