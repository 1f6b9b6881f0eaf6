"""Style assessment results (one row per sitting, so retakes keep history) and the first-contact offer."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import AssessmentResult, Member

WELCOMED_KEY = "welcomed_at"
"""``Member.settings`` key: when Parley offered the style assessment on first contact (ISO-8601)."""


def add_result(
    session: Session,
    workspace_id: int,
    member_id: int,
    *,
    answers: Mapping[str, str],
    primary: str,
    secondary: str,
    scores: Mapping[str, int],
    confidence: str,
    taken_at: datetime,
) -> AssessmentResult:
    """Store one sitting; earlier sittings are left as they are."""
    row = AssessmentResult(
        workspace_id=workspace_id,
        member_id=member_id,
        answers=dict(answers),
        primary_style=primary,
        secondary_style=secondary,
        scores=dict(scores),
        confidence=confidence,
        taken_at=taken_at,
    )
    session.add(row)
    session.flush()
    return row


def latest_result(session: Session, workspace_id: int, member_id: int) -> AssessmentResult | None:
    return session.scalar(
        select(AssessmentResult)
        .where(AssessmentResult.workspace_id == workspace_id, AssessmentResult.member_id == member_id)
        .order_by(AssessmentResult.taken_at.desc(), AssessmentResult.id.desc())
        .limit(1)
    )


def results_for(session: Session, workspace_id: int, member_id: int) -> list[AssessmentResult]:
    """Every sitting of one member, oldest first."""
    return list(
        session.scalars(
            select(AssessmentResult)
            .where(AssessmentResult.workspace_id == workspace_id, AssessmentResult.member_id == member_id)
            .order_by(AssessmentResult.taken_at, AssessmentResult.id)
        )
    )


def lock_member(session: Session, workspace_id: int, member_id: int) -> Member | None:
    """The member row, locked for update on PostgreSQL so two writers of ``settings`` don't clobber."""
    return session.scalar(
        select(Member).where(Member.workspace_id == workspace_id, Member.id == member_id).with_for_update()
    )


def set_setting(member: Member, key: str, value: Any) -> None:
    """Change one ``Member.settings`` key (a new dict, so the JSON column is seen as changed)."""
    settings = dict(member.settings or {})
    if value is None:
        settings.pop(key, None)
    else:
        settings[key] = value
    member.settings = settings


def mark_welcomed(session: Session, workspace_id: int, member_id: int, at: datetime) -> bool:
    """Record that the assessment was offered; False if it already was (or the member has a style)."""
    member = lock_member(session, workspace_id, member_id)
    if member is None or member.style is not None or (member.settings or {}).get(WELCOMED_KEY):
        return False
    set_setting(member, WELCOMED_KEY, at.isoformat())
    return True
