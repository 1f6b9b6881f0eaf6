"""A unit of work is all or nothing — including a savepoint taken before any other write (SQLite)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storage.db import Database
from storage.models import IdempotencyKey
from storage.queries.idempotency import claim
from storage.queries.workspaces import ensure_workspace


def test_rollback_undoes_a_claim_made_first(db: Database) -> None:
    with db.session() as session:
        workspace_id = ensure_workspace(session, "T0EXAMPLE").id
    with pytest.raises(RuntimeError), db.session() as session:
        assert claim(session, workspace_id, "view:V1:h1")
        raise RuntimeError("the rest of the unit of work failed")
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(IdempotencyKey)) == 0
        assert claim(session, workspace_id, "view:V1:h1")  # a resubmission goes through


def test_nul_characters_typed_by_people_never_reach_the_database(db: Database) -> None:
    from storage.models import AuditEvent

    with db.session() as session:
        workspace = ensure_workspace(session, "T0EXAMPLE")
        workspace.name = "Acme\x00 Ltd"
        session.flush()
        from datetime import UTC, datetime

        session.add(
            AuditEvent(
                workspace_id=workspace.id,
                action="test",
                subject_type="x",
                subject_id=None,
                detail={"typed\x00": ["a\x00b", {"c": "d\x00"}]},
                at=datetime(2026, 1, 1, tzinfo=UTC),
            )
        )
    with db.session() as session:
        assert ensure_workspace(session, "T0EXAMPLE").name == "Acme Ltd"
        assert session.scalars(select(AuditEvent)).one().detail == {"typed": ["ab", {"c": "d"}]}
