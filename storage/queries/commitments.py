"""Commitments and the scheduled work around them, always scoped to one workspace.

Who answers for a commitment: its owner when a member owns it; when the other side owns it
(``owner_label``, e.g. "Acme"), the member it is owed to, who chases it. Nudges go to that member and
only they may close it; the member owed may confirm it done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from storage.models import Commitment, Debrief, Member, Negotiation, Workspace

OPEN: Final = "open"
DONE: Final = "done"
CANCELLED: Final = "cancelled"
LAPSED: Final = "lapsed"
LIVE_STATUSES: Final = (OPEN, LAPSED)  # still to be delivered: nudged, and can be done or cancelled
SOURCES: Final = ("manual", "prep", "debrief")


@dataclass(frozen=True, slots=True)
class NewCommitment:
    text: str
    due: date
    currency: str
    source: str = "manual"
    negotiation_id: int | None = None
    owner_id: int | None = None
    owner_label: str = ""
    owed_to_id: int | None = None
    notice_days: int | None = None
    chargeback_percent: int | None = None
    chargeback_base_minor: int | None = None
    charged_to: str | None = None
    units: int = 1
    unit: str = ""


def create_commitment(session: Session, workspace_id: int, new: NewCommitment) -> Commitment:
    if new.owner_id is None and not new.owner_label:
        raise ValueError("a commitment needs an owner: a member or a label")
    if new.source not in SOURCES:
        raise ValueError(f"unknown commitment source {new.source!r}")
    commitment = Commitment(
        workspace_id=workspace_id,
        negotiation_id=new.negotiation_id,
        owner_id=new.owner_id,
        owner_label=new.owner_label,
        owed_to_id=new.owed_to_id,
        text=new.text,
        due=new.due,
        status=OPEN,
        source=new.source,
        currency=new.currency,
        notice_days=new.notice_days,
        chargeback_percent=new.chargeback_percent,
        chargeback_base_minor=new.chargeback_base_minor,
        charged_to=new.charged_to,
        units=new.units,
        unit=new.unit,
        nudges_sent=0,
    )
    session.add(commitment)
    session.flush()
    return commitment


def get_commitment(session: Session, workspace_id: int, commitment_id: int) -> Commitment | None:
    """By id inside the workspace (an id from another tenant finds nothing)."""
    return session.scalar(
        select(Commitment).where(Commitment.workspace_id == workspace_id, Commitment.id == commitment_id)
    )


def lock_commitment(session: Session, workspace_id: int, commitment_id: int) -> Commitment | None:
    """Like :func:`get_commitment`, holding the row until commit (two clicks at once: one wins)."""
    return session.scalar(
        select(Commitment)
        .where(Commitment.workspace_id == workspace_id, Commitment.id == commitment_id)
        .with_for_update()
    )


def responsible_id(commitment: Commitment) -> int | None:
    """The member who answers for it: the owner, or the member owed when the other side owns it."""
    return commitment.owner_id if commitment.owner_id is not None else commitment.owed_to_id


def commitments_of(session: Session, workspace_id: int, member_id: int, limit: int = 40) -> list[Commitment]:
    """Live commitments the member answers for, soonest due first."""
    return list(
        session.scalars(
            select(Commitment)
            .where(
                Commitment.workspace_id == workspace_id,
                Commitment.status.in_(LIVE_STATUSES),
                or_(
                    Commitment.owner_id == member_id,
                    (Commitment.owner_id.is_(None)) & (Commitment.owed_to_id == member_id),
                ),
            )
            .order_by(Commitment.due, Commitment.id)
            .limit(limit)
        )
    )


def commitments_owed_to(
    session: Session, workspace_id: int, member_id: int, limit: int = 40
) -> list[Commitment]:
    """Live commitments other members owe this member, soonest due first."""
    return list(
        session.scalars(
            select(Commitment)
            .where(
                Commitment.workspace_id == workspace_id,
                Commitment.status.in_(LIVE_STATUSES),
                Commitment.owed_to_id == member_id,
                Commitment.owner_id.is_not(None),
                Commitment.owner_id != member_id,
            )
            .order_by(Commitment.due, Commitment.id)
            .limit(limit)
        )
    )


def negotiation_choices(
    session: Session, workspace_id: int, owner_id: int, limit: int = 100
) -> list[Negotiation]:
    """The member's negotiations a commitment can be linked to, newest first."""
    return list(
        session.scalars(
            select(Negotiation)
            .where(Negotiation.workspace_id == workspace_id, Negotiation.owner_id == owner_id)
            .order_by(Negotiation.created_at.desc(), Negotiation.id.desc())
            .limit(limit)
        )
    )


def get_negotiation(session: Session, workspace_id: int, negotiation_id: int) -> Negotiation | None:
    return session.scalar(
        select(Negotiation).where(Negotiation.workspace_id == workspace_id, Negotiation.id == negotiation_id)
    )


# ------------------------------------------------------------------------------------------ scheduled work


def active_workspaces(session: Session) -> list[Workspace]:
    """Workspaces the app is still installed in (scheduled work skips the others)."""
    return list(session.scalars(select(Workspace).where(Workspace.uninstalled_at.is_(None))))


def nudge_candidates(
    session: Session, workspace_id: int, *, due_from: date, due_to: date
) -> list[tuple[Commitment, Member]]:
    """Live commitments due in ``[due_from, due_to]`` with their responsible member, if a member."""
    owner = select(Commitment, Member).join(Member, Member.id == Commitment.owner_id)
    owed = select(Commitment, Member).join(Member, Member.id == Commitment.owed_to_id)
    common = (
        Commitment.workspace_id == workspace_id,
        Commitment.status.in_(LIVE_STATUSES),
        Commitment.due >= due_from,
        Commitment.due <= due_to,
    )
    rows = [(c, m) for c, m in session.execute(owner.where(*common).order_by(Commitment.id))]
    rows += [
        (c, m)
        for c, m in session.execute(
            owed.where(*common, Commitment.owner_id.is_(None)).order_by(Commitment.id)
        )
    ]
    return rows


def lapse_candidates(
    session: Session, workspace_id: int, *, due_on_or_before: date
) -> list[tuple[Commitment, Member | None]]:
    """Open commitments whose due date has (nearly) passed somewhere in the world, with the member
    who answers for each (None when nobody in the workspace does)."""
    commitments = list(
        session.scalars(
            select(Commitment)
            .where(
                Commitment.workspace_id == workspace_id,
                Commitment.status == OPEN,
                Commitment.due <= due_on_or_before,
            )
            .order_by(Commitment.id)
        )
    )
    ids = {responsible_id(c) for c in commitments} - {None}
    members = {
        m.id: m
        for m in session.scalars(
            select(Member).where(Member.workspace_id == workspace_id, Member.id.in_(ids))
        )
    }
    return [(c, members.get(responsible_id(c) or 0)) for c in commitments]


def negotiations_awaiting_debrief(
    session: Session, workspace_id: int, *, dated_from: date, dated_to: date
) -> list[tuple[Negotiation, Member]]:
    """Negotiations dated in ``[dated_from, dated_to]`` with no debrief yet, and their owners.

    Lives here because the debrief reminder is scheduled work of this feature (DESIGN §5 flow 3).
    """
    debriefed = select(Debrief.negotiation_id).where(Debrief.workspace_id == workspace_id)
    query = (
        select(Negotiation, Member)
        .join(Member, Member.id == Negotiation.owner_id)
        .where(
            Negotiation.workspace_id == workspace_id,
            Negotiation.date.is_not(None),
            Negotiation.date >= dated_from,
            Negotiation.date <= dated_to,
            Negotiation.status != "paused",
            Negotiation.id.not_in(debriefed),
        )
        .order_by(Negotiation.id)
    )
    return [(negotiation, member) for negotiation, member in session.execute(query)]


def has_debrief(session: Session, workspace_id: int, negotiation_id: int) -> bool:
    return (
        session.scalar(
            select(Debrief.id).where(
                Debrief.workspace_id == workspace_id, Debrief.negotiation_id == negotiation_id
            )
        )
        is not None
    )


def member_by_id(session: Session, workspace_id: int, member_id: int | None) -> Member | None:
    if member_id is None:
        return None
    return session.scalar(select(Member).where(Member.workspace_id == workspace_id, Member.id == member_id))


def mark_closed(commitment: Commitment, status: str, at: datetime) -> None:
    if status not in (DONE, CANCELLED, LAPSED):
        raise ValueError(f"cannot close a commitment as {status!r}")
    commitment.status = status
    commitment.closed_at = at
