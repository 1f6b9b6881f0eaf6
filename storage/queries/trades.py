"""Trade requests: creating them, changing their state exactly once, and listing who waits on whom.

``status`` reads: ``pending`` — waiting on the approver (a new request, or a counter sent back by the
proposer); ``countered`` — the approver countered and it waits on the proposer; ``approved``,
``rejected``, ``accepted``, ``withdrawn``, ``expired`` — final. So "pending approvals for a manager"
stays ``approver_id = manager AND status = 'pending'``.

Every state change goes through :func:`change_trade`, a conditional UPDATE that names the status and
round it expects: of two concurrent decisions exactly one matches, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from storage.models import AuditEvent, LedgerEntry, Negotiation, TradeProposal
from storage.queries.counterparts import stamp_ledger_entry, tally, untally

OPEN_STATUSES = ("pending", "countered")
FINAL_STATUSES = ("approved", "rejected", "accepted", "withdrawn", "expired")
# What a trade's final state puts on its negotiation's ledger.
LEDGER_KIND = {
    "approved": "offered",
    "accepted": "offered",
    "rejected": "held",
    "withdrawn": "held",
    "expired": "held",
}


def add_trade(session: Session, **fields: Any) -> TradeProposal:
    trade = TradeProposal(**fields)
    if trade.negotiation_id is not None and trade.counterpart_id is None:  # linked like its negotiation
        negotiation = session.get(Negotiation, trade.negotiation_id)
        if negotiation is not None and negotiation.workspace_id == trade.workspace_id:
            trade.counterpart_id = negotiation.counterpart_id
    session.add(trade)
    session.flush()
    return trade


def get_trade(session: Session, workspace_id: int, trade_id: int) -> TradeProposal | None:
    """By id inside the workspace (an id from another tenant finds nothing), freshly read."""
    return session.scalar(
        select(TradeProposal)
        .where(TradeProposal.workspace_id == workspace_id, TradeProposal.id == trade_id)
        .execution_options(populate_existing=True)
    )


def change_trade(
    session: Session,
    workspace_id: int,
    trade_id: int,
    *,
    expected_status: str,
    expected_rounds: int,
    values: dict[str, Any],
    expected_reminders: int | None = None,
    not_escalated: bool = False,
) -> bool:
    """Apply ``values`` only if the trade is still in the expected status and round; True if it was.

    Run it as the first statement of its unit of work: the row lock (PostgreSQL) or the write lock
    (SQLite) is then taken before anything is read, so the loser of a race sees the winner's commit
    and matches nothing.
    """
    conditions = [
        TradeProposal.workspace_id == workspace_id,
        TradeProposal.id == trade_id,
        TradeProposal.status == expected_status,
        TradeProposal.rounds == expected_rounds,
    ]
    if expected_reminders is not None:
        conditions.append(TradeProposal.reminders == expected_reminders)
    if not_escalated:
        conditions.append(TradeProposal.escalated_at.is_(None))
    result = session.execute(
        update(TradeProposal).where(*conditions).values(**values).execution_options(synchronize_session=False)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def set_approver_message(session: Session, trade: TradeProposal, channel: str, ts: str) -> None:
    trade.slack_channel, trade.slack_ts = channel, ts


def set_proposer_message(session: Session, trade: TradeProposal, channel: str, ts: str) -> None:
    trade.proposer_channel, trade.proposer_ts = channel, ts


def open_requested_by(
    session: Session, workspace_id: int, requester_id: int, limit: int = 20
) -> list[TradeProposal]:
    """The member's own open requests, oldest first."""
    return list(
        session.scalars(
            select(TradeProposal)
            .where(
                TradeProposal.workspace_id == workspace_id,
                TradeProposal.requester_id == requester_id,
                TradeProposal.status.in_(OPEN_STATUSES),
            )
            .order_by(TradeProposal.created_at, TradeProposal.id)
            .limit(limit)
        )
    )


def waiting_on_approver(
    session: Session, workspace_id: int, member_id: int, slack_user_id: str, limit: int = 20
) -> list[TradeProposal]:
    """Requests waiting on this member's decision: as the approver, or as whom it was escalated to."""
    return list(
        session.scalars(
            select(TradeProposal)
            .where(
                TradeProposal.workspace_id == workspace_id,
                TradeProposal.status == "pending",
                or_(
                    TradeProposal.approver_id == member_id,
                    TradeProposal.escalated_to == slack_user_id,
                ),
                TradeProposal.requester_id != member_id,
            )
            .order_by(TradeProposal.needed_by.is_(None), TradeProposal.needed_by, TradeProposal.id)
            .limit(limit)
        )
    )


def open_trades(session: Session, *, after_id: int = 0, limit: int = 200) -> Sequence[TradeProposal]:
    """Open requests of every workspace, by id, for the scheduler (page with ``after_id``)."""
    return session.scalars(
        select(TradeProposal)
        .where(TradeProposal.status.in_(OPEN_STATUSES), TradeProposal.id > after_id)
        .order_by(TradeProposal.id)
        .limit(limit)
    ).all()


def record_on_ledger(session: Session, trade: TradeProposal, at: datetime) -> LedgerEntry | None:
    """Put a trade's final state on its negotiation's ledger: approved/accepted terms as ``offered``
    (with what comes back), a rejected, withdrawn or expired concession as ``held``. Once per trade.
    The kind's tallies follow at once (an approved or rejected request is evidence at prep)."""
    kind = LEDGER_KIND.get(trade.status)
    if kind is None or trade.negotiation_id is None:
        return None
    existing = session.scalar(
        select(LedgerEntry.id).where(
            LedgerEntry.workspace_id == trade.workspace_id, LedgerEntry.trade_id == trade.id
        )
    )
    if existing is not None:
        return None
    same_currency = trade.value_currency in (None, trade.currency)
    entry = LedgerEntry(
        workspace_id=trade.workspace_id,
        negotiation_id=trade.negotiation_id,
        trade_id=trade.id,
        kind=kind,
        item=trade.give_item,
        value_minor=trade.give_cost_minor,
        currency=trade.currency,
        received_item=trade.get_item if kind == "offered" else None,
        received_value_minor=trade.get_value_minor if kind == "offered" and same_currency else None,
        position=0,
        recorded_at=at,
    )
    stamp_ledger_entry(session, entry)
    untally(session, trade.workspace_id, [trade.negotiation_id])  # "trades that work here" counts it now
    session.add(entry)
    tally(session, trade.workspace_id, [trade.negotiation_id])
    return entry


def last_counter_by(session: Session, workspace_id: int, trade_id: int) -> int | None:
    """The member who made the trade's latest counter (from its audit trail): on the approver's side
    that may be the approver, whom it was escalated to, or an admin."""
    return session.scalar(
        select(AuditEvent.actor_id)
        .where(
            AuditEvent.workspace_id == workspace_id,
            AuditEvent.subject_type == "trade",
            AuditEvent.subject_id == trade_id,
            AuditEvent.action == "trade.countered",
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
