"""What the App Home tab shows, read in a fixed number of queries whatever the lists' lengths.

Every list comes back as a :class:`Page`: the first ``limit`` rows and the total count, so the Home tab
can show the start of a long list and say how many more there are without loading them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import BindParameter, Date, Integer, Select, and_, bindparam, case, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from coaching import vocabulary
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
LIVE_STATUSES = tuple(sorted(vocabulary.LIVE_STATUSES))
"""A commitment still to be delivered (open, or lapsed and not yet done), as ``coaching.vocabulary``."""
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


@dataclass(frozen=True)
class _Listing:
    """A Home list's query, built once with bind parameters, as its count and its first page.

    The Home tab is rebuilt after every change a member makes, and building a SQLAlchemy statement
    costs more than running it on a small table, so each list is built here, at import, and only
    executed per request (the values go in as parameters).
    """

    count: Select[*tuple[Any, ...]]
    first: Select[*tuple[Any, ...]]

    @classmethod
    def of(cls, query: Select[*tuple[Any, ...]]) -> _Listing:
        return cls(
            select(func.count()).select_from(query.order_by(None).subquery()),
            # The count rides along as a last column (a window over every row, before the LIMIT):
            # the page and its total in one round trip.
            query.add_columns(func.count().over().label("total")).limit(bindparam("limit")),
        )


def _page(session: Session, listing: _Listing, params: dict[str, Any], limit: int, convert: Any) -> Page[Any]:
    """The first ``limit`` rows of a list and its count: one query (two when no row is wanted)."""
    if limit <= 0:
        return Page([], int(session.scalar(listing.count, params) or 0))
    rows = session.execute(listing.first, {**params, "limit": limit}).all()
    total = rows[0][-1] if rows else 0
    return Page([convert(tuple(row)[:-1]) for row in rows], int(total))


_WORKSPACE: BindParameter[int] = bindparam("workspace_id", type_=Integer)
_MEMBER: BindParameter[int] = bindparam("member_id", type_=Integer)
_NOT_DEBRIEFED = ~exists().where(Debrief.negotiation_id == Negotiation.id)

_OPEN_NEGOTIATIONS = _Listing.of(
    select(
        Negotiation.id,
        Negotiation.title,
        Negotiation.counterpart_kind,
        Negotiation.counterpart_name,
        Negotiation.date,
        Negotiation.status,
        exists()
        .where(PrepPlan.negotiation_id == Negotiation.id, PrepPlan.workspace_id == _WORKSPACE)
        .label("has_prep"),
    )
    .where(
        Negotiation.workspace_id == _WORKSPACE,
        Negotiation.owner_id == _MEMBER,
        Negotiation.status.in_(OPEN_NEGOTIATION_STATUSES),
        _NOT_DEBRIEFED,
    )
    .order_by(Negotiation.date.is_(None), Negotiation.date, Negotiation.id)
)


def open_negotiations(
    session: Session, workspace_id: int, member_id: int, limit: int
) -> Page[OpenNegotiation]:
    """The member's negotiations not yet debriefed, soonest (and overdue) first, undated last."""
    return _page(
        session,
        _OPEN_NEGOTIATIONS,
        {"workspace_id": workspace_id, "member_id": member_id},
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


_OWED_TO = aliased(Member)
_PENDING_COMMITMENTS = _Listing.of(
    select(Commitment.id, Commitment.text, Commitment.due, _OWED_TO.slack_user_id, Negotiation.title)
    .outerjoin(_OWED_TO, and_(_OWED_TO.id == Commitment.owed_to_id, _OWED_TO.workspace_id == _WORKSPACE))
    .outerjoin(
        Negotiation,
        and_(Negotiation.id == Commitment.negotiation_id, Negotiation.workspace_id == _WORKSPACE),
    )
    .where(
        Commitment.workspace_id == _WORKSPACE,
        Commitment.owner_id == _MEMBER,
        Commitment.status.in_(LIVE_STATUSES),
    )
    .order_by(Commitment.due, Commitment.id)
)


def pending_commitments(
    session: Session, workspace_id: int, member_id: int, limit: int
) -> Page[PendingCommitment]:
    """Open commitments the member owns, earliest due first."""
    params = {"workspace_id": workspace_id, "member_id": member_id}
    return _page(session, _PENDING_COMMITMENTS, params, limit, lambda row: PendingCommitment(*row))


_RECENT_OUTCOMES = _Listing.of(
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
        and_(Negotiation.id == Debrief.negotiation_id, Negotiation.workspace_id == _WORKSPACE),
    )
    .where(Debrief.workspace_id == _WORKSPACE, Negotiation.owner_id == _MEMBER)
    .order_by(Debrief.submitted_at.desc(), Debrief.id.desc())
)


def recent_outcomes(session: Session, workspace_id: int, member_id: int, limit: int) -> Page[Outcome]:
    """The member's latest debriefs, newest first, with ledger totals (three queries in all)."""
    params = {"workspace_id": workspace_id, "member_id": member_id}
    page = _page(session, _RECENT_OUTCOMES, params, limit, tuple)
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


_GIVEAWAY = or_(LedgerEntry.received_item.is_(None), LedgerEntry.received_item == "")
_LEDGER_TOTALS = (
    select(
        LedgerEntry.debrief_id,
        LedgerEntry.currency,
        func.coalesce(func.sum(LedgerEntry.value_minor), 0),
        func.coalesce(func.sum(LedgerEntry.received_value_minor), 0),
        func.count(LedgerEntry.value_minor),
        func.count(LedgerEntry.received_value_minor),
        func.count(),
        func.sum(case((_GIVEAWAY, 1), else_=0)),
    )
    .where(
        LedgerEntry.workspace_id == _WORKSPACE,
        LedgerEntry.debrief_id.in_(bindparam("debrief_ids", expanding=True)),
        LedgerEntry.kind == "conceded",
    )
    .group_by(LedgerEntry.debrief_id, LedgerEntry.currency)
    .order_by(LedgerEntry.debrief_id, LedgerEntry.currency)
)


def _ledger_totals(
    session: Session, workspace_id: int, debrief_ids: Sequence[int]
) -> dict[int, tuple[list[Amount], list[Amount], int, int]]:
    """Per debrief: conceded cost and value received per currency, concessions and giveaways."""
    if not debrief_ids:
        return {}
    rows = session.execute(
        _LEDGER_TOTALS, {"workspace_id": workspace_id, "debrief_ids": list(debrief_ids)}
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


_MANAGER: BindParameter[int] = bindparam("manager_id", type_=Integer)
_TODAY = bindparam("today", type_=Date)
_REPORTS = select(func.count()).where(Member.workspace_id == _WORKSPACE, Member.manager_id == _MANAGER)
_REQUESTER = aliased(Member)
_TRADES_TO_DECIDE = _Listing.of(
    select(
        TradeProposal.id,
        _REQUESTER.slack_user_id,
        TradeProposal.give_item,
        TradeProposal.get_item,
        TradeProposal.needed_by,
    )
    .join(
        _REQUESTER,
        and_(_REQUESTER.id == TradeProposal.requester_id, _REQUESTER.workspace_id == _WORKSPACE),
    )
    .where(
        TradeProposal.workspace_id == _WORKSPACE,
        or_(  # theirs to decide, or escalated to them
            TradeProposal.approver_id == _MANAGER,
            TradeProposal.escalated_to
            == select(Member.slack_user_id)
            .where(Member.workspace_id == _WORKSPACE, Member.id == _MANAGER)
            .scalar_subquery(),
        ),
        TradeProposal.status == "pending",
    )
    .order_by(TradeProposal.needed_by.is_(None), TradeProposal.needed_by, TradeProposal.id)
)
_OWNER = aliased(Member)


def _reports_list(model: Any, shown: tuple[Any, ...], *conditions: Any, order: tuple[Any, ...]) -> _Listing:
    """Rows owned by the manager's reports: the row's id, the owner's Slack id, then ``shown``."""
    return _Listing.of(
        select(model.id, _OWNER.slack_user_id, *shown)
        .join(_OWNER, and_(_OWNER.id == model.owner_id, _OWNER.workspace_id == _WORKSPACE))
        .where(model.workspace_id == _WORKSPACE, _OWNER.manager_id == _MANAGER, *conditions)
        .order_by(*order)
    )


_REPORTS_OVERDUE = _reports_list(
    Commitment,
    (Commitment.text, Commitment.due),
    Commitment.status.in_(LIVE_STATUSES),  # overdue: coaching.vocabulary.is_overdue
    Commitment.due < _TODAY,
    order=(Commitment.due, Commitment.id),
)
_REPORTS_UNDEBRIEFED = _reports_list(
    Negotiation,
    (Negotiation.title, Negotiation.date),
    Negotiation.status.in_(OPEN_NEGOTIATION_STATUSES),
    Negotiation.date < _TODAY,
    _NOT_DEBRIEFED,
    order=(Negotiation.date, Negotiation.id),
)


def team_pending(
    session: Session, workspace_id: int, manager_id: int, today: date, limit: int
) -> TeamPending | None:
    """What waits on a manager: trades to decide, reports' overdue commitments and missing debriefs.

    None when the member manages nobody and has no trade to decide (seven queries otherwise).
    """
    params: dict[str, Any] = {"workspace_id": workspace_id, "manager_id": manager_id}
    reports = session.scalar(_REPORTS, params) or 0
    trades = _page(
        session,
        _TRADES_TO_DECIDE,
        params,
        limit,
        lambda row: TeamItem("trade", row[0], row[1], row[2], row[3], row[4]),
    )
    if not reports and not trades.total:
        return None
    params["today"] = today
    overdue = _page(
        session,
        _REPORTS_OVERDUE,
        params,
        limit,
        lambda row: TeamItem("overdue", row[0], row[1], row[2], "", row[3]),
    )
    debriefs = _page(
        session,
        _REPORTS_UNDEBRIEFED,
        params,
        limit,
        lambda row: TeamItem("debrief", row[0], row[1], row[2], "", row[3]),
    )
    return TeamPending(int(reports), trades, overdue, debriefs)
