"""What the App Home tab shows, read in a fixed number of queries whatever the lists' lengths.

Every list comes back as a :class:`Page`: the first ``limit`` rows and the total count, so the Home tab
can show the start of a long list and say how many more there are without loading them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from storage.models import (
    Commitment,
    Debrief,
    LedgerEntry,
    Member,
    Negotiation,
    PrepPlan,
    TradeProposal,
)

T = TypeVar("T")

OPEN_NEGOTIATION_STATUSES = ("planned", "paused")
EXPANDED_KEY = "home_expanded"
"""``Member.settings`` key: the Home list the member expanded with *Show more* (absent: none)."""


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int

    @property
    def hidden(self) -> int:
        return max(self.total - len(self.items), 0)


@dataclass(frozen=True)
class OpenNegotiation:
    id: int
    title: str
    counterpart_kind: str
    counterpart_name: str
    date: date | None
    status: str
    has_prep: bool


@dataclass(frozen=True)
class PendingCommitment:
    id: int
    text: str
    due: date
    owed_to_user_id: str | None
    negotiation_title: str | None


@dataclass(frozen=True)
class Amount:
    currency: str
    minor: int


@dataclass(frozen=True)
class Outcome:
    """A debriefed negotiation with its give/get totals from the concession ledger."""

    negotiation_id: int
    title: str
    outcome: str
    submitted_at: datetime
    analysis: dict[str, Any]
    conceded: list[Amount] = field(default_factory=list)
    received: list[Amount] = field(default_factory=list)
    concessions: int = 0
    giveaways: int = 0


@dataclass(frozen=True)
class TeamItem:
    """One thing waiting on a manager: ``kind`` is ``trade``, ``overdue`` or ``debrief``."""

    kind: str
    id: int
    member_user_id: str
    text: str
    other_text: str
    when: date | None


@dataclass(frozen=True)
class TeamPending:
    reports: int
    trades: Page[TeamItem]
    overdue: Page[TeamItem]
    debriefs: Page[TeamItem]


def _page(session: Session, query: Select[*tuple[Any, ...]], limit: int, convert: Any) -> Page[Any]:
    """The first ``limit`` rows of ``query`` and its count: two queries, whatever the list's length."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = session.execute(query.limit(limit)).all() if limit > 0 and total else []
    return Page([convert(row) for row in rows], int(total))


def _not_debriefed() -> Any:
    return ~exists().where(Debrief.negotiation_id == Negotiation.id)


def open_negotiations(
    session: Session, workspace_id: int, member_id: int, limit: int
) -> Page[OpenNegotiation]:
    """The member's negotiations not yet debriefed, soonest (and overdue) first, undated last."""
    has_prep = exists().where(
        PrepPlan.negotiation_id == Negotiation.id, PrepPlan.workspace_id == workspace_id
    )
    query = (
        select(
            Negotiation.id,
            Negotiation.title,
            Negotiation.counterpart_kind,
            Negotiation.counterpart_name,
            Negotiation.date,
            Negotiation.status,
            has_prep.label("has_prep"),
        )
        .where(
            Negotiation.workspace_id == workspace_id,
            Negotiation.owner_id == member_id,
            Negotiation.status.in_(OPEN_NEGOTIATION_STATUSES),
            _not_debriefed(),
        )
        .order_by(Negotiation.date.is_(None), Negotiation.date, Negotiation.id)
    )
    return _page(
        session,
        query,
        limit,
        lambda row: OpenNegotiation(
            id=row[0],
            title=row[1],
            counterpart_kind=row[2],
            counterpart_name=row[3],
            date=row[4],
            status=row[5],
            has_prep=bool(row[6]),
        ),
    )


def pending_commitments(
    session: Session, workspace_id: int, member_id: int, limit: int
) -> Page[PendingCommitment]:
    """Open commitments the member owns, earliest due first."""
    owed_to = aliased(Member)
    query = (
        select(Commitment.id, Commitment.text, Commitment.due, owed_to.slack_user_id, Negotiation.title)
        .outerjoin(owed_to, and_(owed_to.id == Commitment.owed_to_id, owed_to.workspace_id == workspace_id))
        .outerjoin(
            Negotiation,
            and_(Negotiation.id == Commitment.negotiation_id, Negotiation.workspace_id == workspace_id),
        )
        .where(
            Commitment.workspace_id == workspace_id,
            Commitment.owner_id == member_id,
            Commitment.status == "open",
        )
        .order_by(Commitment.due, Commitment.id)
    )
    return _page(session, query, limit, lambda row: PendingCommitment(*row))


def recent_outcomes(session: Session, workspace_id: int, member_id: int, limit: int) -> Page[Outcome]:
    """The member's latest debriefs, newest first, with ledger totals (three queries in all)."""
    query = (
        select(
            Debrief.negotiation_id,
            Negotiation.title,
            Debrief.outcome,
            Debrief.submitted_at,
            Debrief.analysis,
            Debrief.id,
        )
        .join(
            Negotiation,
            and_(Negotiation.id == Debrief.negotiation_id, Negotiation.workspace_id == workspace_id),
        )
        .where(Debrief.workspace_id == workspace_id, Negotiation.owner_id == member_id)
        .order_by(Debrief.submitted_at.desc(), Debrief.id.desc())
    )
    page = _page(session, query, limit, tuple)
    totals = _ledger_totals(session, workspace_id, [row[5] for row in page.items])
    outcomes = []
    for negotiation_id, title, outcome, submitted_at, analysis, debrief_id in page.items:
        conceded, received, concessions, giveaways = totals.get(debrief_id, ([], [], 0, 0))
        outcomes.append(
            Outcome(
                negotiation_id=negotiation_id,
                title=title,
                outcome=outcome,
                submitted_at=submitted_at,
                analysis=dict(analysis or {}),
                conceded=conceded,
                received=received,
                concessions=concessions,
                giveaways=giveaways,
            )
        )
    return Page(outcomes, page.total)


def _ledger_totals(
    session: Session, workspace_id: int, debrief_ids: Sequence[int]
) -> dict[int, tuple[list[Amount], list[Amount], int, int]]:
    """Per debrief: conceded cost and value received per currency, concessions and giveaways."""
    if not debrief_ids:
        return {}
    giveaway = or_(LedgerEntry.received_item.is_(None), LedgerEntry.received_item == "")
    rows = session.execute(
        select(
            LedgerEntry.debrief_id,
            LedgerEntry.currency,
            func.coalesce(func.sum(LedgerEntry.value_minor), 0),
            func.coalesce(func.sum(LedgerEntry.received_value_minor), 0),
            func.count(LedgerEntry.value_minor),
            func.count(LedgerEntry.received_value_minor),
            func.count(),
            func.sum(case((giveaway, 1), else_=0)),
        )
        .where(
            LedgerEntry.workspace_id == workspace_id,
            LedgerEntry.debrief_id.in_(list(debrief_ids)),
            LedgerEntry.kind == "conceded",
        )
        .group_by(LedgerEntry.debrief_id, LedgerEntry.currency)
        .order_by(LedgerEntry.debrief_id, LedgerEntry.currency)
    ).all()
    totals: dict[int, tuple[list[Amount], list[Amount], int, int]] = {}
    for debrief_id, currency, gave, got, priced, valued, count, giveaways in rows:
        conceded, received, concessions, gifts = totals.get(debrief_id, ([], [], 0, 0))
        if priced:
            conceded.append(Amount(currency, int(gave)))
        if valued:
            received.append(Amount(currency, int(got)))
        totals[debrief_id] = (conceded, received, concessions + int(count), gifts + int(giveaways or 0))
    return totals


def team_pending(
    session: Session, workspace_id: int, manager_id: int, today: date, limit: int
) -> TeamPending | None:
    """What waits on a manager: trades to decide, reports' overdue commitments and missing debriefs.

    None when the member manages nobody and has no trade to decide (seven queries otherwise).
    """
    reports = (
        session.scalar(
            select(func.count()).where(Member.workspace_id == workspace_id, Member.manager_id == manager_id)
        )
        or 0
    )
    requester = aliased(Member)
    trades = _page(
        session,
        select(
            TradeProposal.id,
            requester.slack_user_id,
            TradeProposal.give_item,
            TradeProposal.get_item,
            TradeProposal.needed_by,
        )
        .join(
            requester,
            and_(requester.id == TradeProposal.requester_id, requester.workspace_id == workspace_id),
        )
        .where(
            TradeProposal.workspace_id == workspace_id,
            TradeProposal.approver_id == manager_id,
            TradeProposal.status == "pending",
        )
        .order_by(TradeProposal.needed_by.is_(None), TradeProposal.needed_by, TradeProposal.id),
        limit,
        lambda row: TeamItem("trade", row[0], row[1], row[2], row[3], row[4]),
    )
    if not reports and not trades.total:
        return None
    owner = aliased(Member)
    overdue = _page(
        session,
        select(Commitment.id, owner.slack_user_id, Commitment.text, Commitment.due)
        .join(owner, and_(owner.id == Commitment.owner_id, owner.workspace_id == workspace_id))
        .where(
            Commitment.workspace_id == workspace_id,
            owner.manager_id == manager_id,
            Commitment.status == "open",
            Commitment.due < today,
        )
        .order_by(Commitment.due, Commitment.id),
        limit,
        lambda row: TeamItem("overdue", row[0], row[1], row[2], "", row[3]),
    )
    debriefs = _page(
        session,
        select(Negotiation.id, owner.slack_user_id, Negotiation.title, Negotiation.date)
        .join(owner, and_(owner.id == Negotiation.owner_id, owner.workspace_id == workspace_id))
        .where(
            Negotiation.workspace_id == workspace_id,
            owner.manager_id == manager_id,
            Negotiation.status.in_(OPEN_NEGOTIATION_STATUSES),
            Negotiation.date < today,
            _not_debriefed(),
        )
        .order_by(Negotiation.date, Negotiation.id),
        limit,
        lambda row: TeamItem("debrief", row[0], row[1], row[2], "", row[3]),
    )
    return TeamPending(int(reports), trades, overdue, debriefs)
