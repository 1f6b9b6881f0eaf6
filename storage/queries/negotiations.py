"""Negotiations and their preps, always scoped to one workspace (tenant isolation).

Authorisation is the caller's job, but these functions make it easy to get right: every lookup takes
the workspace, and :func:`find_negotiation` returns the row whoever owns it so the caller can tell
"not yours" from "not there".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import Debrief, Negotiation, PrepPlan

OPEN_STATUSES = ("planned", "paused")
STATUSES = ("planned", "agreed", "no_deal", "paused")


@dataclass(frozen=True)
class PrepText:
    """The prep modal's free-text fields exactly as typed (stored verbatim so nothing is lost)."""

    objectives: str
    limits: str
    walk_away: str
    tradeables: str
    wants: str
    counterpart_style: str | None
    asks: str = ""


def create_negotiation(
    session: Session,
    workspace_id: int,
    owner_id: int,
    *,
    title: str,
    counterpart_kind: str,
    counterpart_name: str,
    when: date | None,
    currency: str,
    status: str = "planned",
    counterpart_id: int | None = None,
) -> Negotiation:
    if status not in STATUSES:
        raise ValueError(f"unknown negotiation status {status!r}")
    negotiation = Negotiation(
        workspace_id=workspace_id,
        owner_id=owner_id,
        title=title,
        counterpart_kind=counterpart_kind,
        counterpart_name=counterpart_name,
        date=when,
        status=status,
        currency=currency,
        counterpart_id=counterpart_id,
    )
    session.add(negotiation)
    session.flush()
    return negotiation


def find_negotiation(session: Session, workspace_id: int, negotiation_id: int) -> Negotiation | None:
    """By id inside the workspace (an id from another tenant finds nothing); any owner."""
    return session.scalar(
        select(Negotiation).where(Negotiation.workspace_id == workspace_id, Negotiation.id == negotiation_id)
    )


def open_negotiations(
    session: Session, workspace_id: int, owner_id: int, limit: int = 99
) -> list[Negotiation]:
    """The owner's planned or paused negotiations that have no debrief yet, soonest date first."""
    debriefed = select(Debrief.negotiation_id).where(Debrief.workspace_id == workspace_id)
    rows = session.scalars(
        select(Negotiation)
        .where(
            Negotiation.workspace_id == workspace_id,
            Negotiation.owner_id == owner_id,
            Negotiation.status.in_(OPEN_STATUSES),
            Negotiation.id.not_in(debriefed),
        )
        .order_by(Negotiation.date.is_(None), Negotiation.date, Negotiation.id)
        .limit(limit)
    )
    return list(rows)


def find_prep(session: Session, workspace_id: int, negotiation_id: int) -> PrepPlan | None:
    return session.scalar(
        select(PrepPlan).where(
            PrepPlan.workspace_id == workspace_id, PrepPlan.negotiation_id == negotiation_id
        )
    )


def save_prep(
    session: Session,
    workspace_id: int,
    negotiation_id: int,
    text: PrepText,
    *,
    style: str | None,
    now: datetime,
    new: bool = False,
    playbook_version: int | None = None,
) -> tuple[PrepPlan, bool]:
    """Create the negotiation's prep, or update it in place; returns the row and whether it is new.

    ``new``: the negotiation was created in this unit of work, so it has no prep to look for (one
    round trip fewer on the submission's path)."""
    prep = None if new else find_prep(session, workspace_id, negotiation_id)
    created = prep is None
    if prep is None:
        prep = PrepPlan(workspace_id=workspace_id, negotiation_id=negotiation_id)
        session.add(prep)
    else:
        prep.updated_at = now
    prep.objectives = text.objectives
    prep.limits = text.limits
    prep.walk_away = text.walk_away
    prep.tradeables = text.tradeables
    prep.wants = text.wants
    prep.asks = text.asks
    prep.counterpart_style = text.counterpart_style
    prep.style = style
    prep.playbook_version = playbook_version  # what its plan is written with
    session.flush()
    return prep, created


def set_plan_message(
    session: Session,
    workspace_id: int,
    negotiation_id: int,
    channel: str,
    ts: str,
    thread_ts: str | None = None,
) -> bool:
    """Remember where the plan was posted (the card, and the full plan replied under it), so *Edit
    prep* can update both messages in place. One UPDATE (no read first); True if the prep exists."""
    result = session.execute(
        update(PrepPlan)
        .where(PrepPlan.workspace_id == workspace_id, PrepPlan.negotiation_id == negotiation_id)
        .values(slack_channel=channel, slack_ts=ts, slack_thread_ts=thread_ts)
        .returning(PrepPlan.id)
        .execution_options(synchronize_session=False)
    )
    return result.first() is not None
