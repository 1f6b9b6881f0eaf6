"""Playbook versions: drafts, applying, the version in force, and rollback (callers own the session)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import PlaybookVersion

DRAFT, APPLIED, DISCARDED = "draft", "applied", "discarded"


def in_force(session: Session, workspace_id: int) -> PlaybookVersion | None:
    """The applied version activated last, or None (the process default is in force)."""
    return session.scalars(
        select(PlaybookVersion)
        .where(
            PlaybookVersion.workspace_id == workspace_id,
            PlaybookVersion.status == APPLIED,
            PlaybookVersion.activation.is_not(None),
        )
        .order_by(PlaybookVersion.activation.desc())
        .limit(1)
    ).first()


def applied_versions(session: Session, workspace_id: int) -> list[PlaybookVersion]:
    """Every applied version, newest number first."""
    return list(
        session.scalars(
            select(PlaybookVersion)
            .where(PlaybookVersion.workspace_id == workspace_id, PlaybookVersion.status == APPLIED)
            .order_by(PlaybookVersion.version.desc())
        )
    )


def add_draft(
    session: Session,
    workspace_id: int,
    *,
    text: str,
    name: str,
    source: str,
    summary: str,
    created_by: int | None,
) -> PlaybookVersion:
    draft = PlaybookVersion(
        workspace_id=workspace_id,
        status=DRAFT,
        name=name[:200],
        source=source[:200],
        text=text,
        summary=summary,
        created_by=created_by,
    )
    session.add(draft)
    session.flush()
    return draft


def get_version(session: Session, workspace_id: int, version_id: int) -> PlaybookVersion | None:
    row = session.get(PlaybookVersion, version_id, with_for_update=True)
    return row if row is not None and row.workspace_id == workspace_id else None


def apply_draft(session: Session, draft: PlaybookVersion, now: datetime) -> int:
    """Number the draft (the next version of its workspace) and put it in force; its number."""
    highest = session.scalar(
        select(func.max(PlaybookVersion.version)).where(PlaybookVersion.workspace_id == draft.workspace_id)
    )
    draft.version = (highest or 0) + 1
    draft.status = APPLIED
    _activate(session, draft, now)
    return draft.version


def activate(session: Session, row: PlaybookVersion, now: datetime) -> None:
    """Put an applied version back in force (a rollback)."""
    _activate(session, row, now)


def _activate(session: Session, row: PlaybookVersion, now: datetime) -> None:
    highest = session.scalar(
        select(func.max(PlaybookVersion.activation)).where(PlaybookVersion.workspace_id == row.workspace_id)
    )
    row.activation = (highest or 0) + 1
    row.activated_at = now
    session.flush()
