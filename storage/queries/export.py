"""A workspace's negotiations, ledger, trades and commitments as streams of rows with stable columns.

Each table is one ``SELECT`` read with ``yield_per`` (a server-side cursor on PostgreSQL; SQLite
steps through its result), so an export holds one batch in memory however large the workspace is.
Members appear by their Slack user id (never the internal row id), so an export is readable on its
own. The columns and their meanings are documented in ``docs/export.md``; they only ever grow.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from coaching.vocabulary import standing
from coaching.zones import local_today
from storage.models import Commitment, Debrief, LedgerEntry, Member, Negotiation, TradeProposal

BATCH: Final = 2_000


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[str, ...]


NEGOTIATIONS: Final = Table(
    "negotiations",
    (
        "id", "created_at", "owner_slack_id", "owner_name", "title", "counterpart_kind", "counterpart_name",
        "date", "status", "currency", "debriefed_at", "outcome",
    ),
)  # fmt: skip
LEDGER: Final = Table(
    "ledger_entries",
    (
        "id", "negotiation_id", "recorded_at", "owner_slack_id", "kind", "item", "value_minor", "currency",
        "received_item", "received_value_minor", "position", "trade_id",
    ),
)  # fmt: skip
TRADES: Final = Table(
    "trades",
    (
        "id", "created_at", "negotiation_id", "parent_id", "requester_slack_id", "approver_slack_id",
        "give_item", "give_cost_minor", "get_item", "get_value_minor", "currency", "value_currency", "reason",
        "needed_by", "status", "rounds", "decided_by_slack_id", "decided_at", "decision_reason",
    ),
)  # fmt: skip
COMMITMENTS: Final = Table(
    "commitments",
    (
        "id", "created_at", "negotiation_id", "owner_slack_id", "owner_label", "owed_to_slack_id", "text",
        "due", "status", "source", "notice_days", "chargeback_percent", "chargeback_base_minor", "currency",
        "charged_to", "nudges_sent", "closed_at", "units", "unit", "unit_value_minor", "units_cancelled",
        "chargeback_minor",
        "standing",
    ),
)  # fmt: skip
TABLES: Final = (NEGOTIATIONS, LEDGER, TRADES, COMMITMENTS)


def _stream(session: Session, query: Any, table: Table) -> Iterator[dict[str, Any]]:
    result = session.execute(query.execution_options(yield_per=BATCH, stream_results=True))
    for row in result:
        yield dict(zip(table.columns, row, strict=True))


def units_of(status: str, units: int, cancellations: dict[str, Any] | None) -> tuple[int, int, int | None]:
    """A commitment's units as agreed, how many were cancelled and the chargeback in all.

    ``Commitment.units`` is what is still committed (a cancelled one keeps the count it had when
    cancelled); ``Commitment.consequence`` adds up its cancellations when there was more than one, or
    a charge (``units_cancelled``; a record from before it was kept is one late cancellation of its
    ``units``). No record and cancelled: every unit went in one on-time cancellation."""
    units = max(units, 1)
    if cancellations is None:
        return units, units if status == "cancelled" else 0, None
    cancelled = int(cancellations.get("units_cancelled", cancellations.get("units", 1)))
    charge = cancellations.get("charge_minor")
    agreed = cancelled if status == "cancelled" else units + cancelled
    return agreed, cancelled, None if charge is None else int(charge)


def negotiations(
    session: Session, workspace_id: int, since: datetime | None = None
) -> Iterator[dict[str, Any]]:
    owner = aliased(Member)
    query = (
        select(
            Negotiation.id,
            Negotiation.created_at,
            owner.slack_user_id,
            owner.display_name,
            Negotiation.title,
            Negotiation.counterpart_kind,
            Negotiation.counterpart_name,
            Negotiation.date,
            Negotiation.status,
            Negotiation.currency,
            Debrief.submitted_at,
            Debrief.outcome,
        )
        .join(owner, owner.id == Negotiation.owner_id)
        .outerjoin(Debrief, Debrief.negotiation_id == Negotiation.id)
        .where(Negotiation.workspace_id == workspace_id)
        .order_by(Negotiation.id)
    )
    if since is not None:
        query = query.where(Negotiation.created_at >= since)
    return _stream(session, query, NEGOTIATIONS)


def ledger_entries(
    session: Session, workspace_id: int, since: datetime | None = None
) -> Iterator[dict[str, Any]]:
    owner = aliased(Member)
    query = (
        select(
            LedgerEntry.id,
            LedgerEntry.negotiation_id,
            LedgerEntry.recorded_at,
            owner.slack_user_id,
            LedgerEntry.kind,
            LedgerEntry.item,
            LedgerEntry.value_minor,
            LedgerEntry.currency,
            LedgerEntry.received_item,
            LedgerEntry.received_value_minor,
            LedgerEntry.position,
            LedgerEntry.trade_id,
        )
        .join(Negotiation, Negotiation.id == LedgerEntry.negotiation_id)
        .join(owner, owner.id == Negotiation.owner_id)
        .where(LedgerEntry.workspace_id == workspace_id)
        .order_by(LedgerEntry.id)
    )
    if since is not None:
        query = query.where(LedgerEntry.recorded_at >= since)
    return _stream(session, query, LEDGER)


def trades(session: Session, workspace_id: int, since: datetime | None = None) -> Iterator[dict[str, Any]]:
    requester, approver, decider = aliased(Member), aliased(Member), aliased(Member)
    query = (
        select(
            TradeProposal.id,
            TradeProposal.created_at,
            TradeProposal.negotiation_id,
            TradeProposal.parent_id,
            requester.slack_user_id,
            approver.slack_user_id,
            TradeProposal.give_item,
            TradeProposal.give_cost_minor,
            TradeProposal.get_item,
            TradeProposal.get_value_minor,
            TradeProposal.currency,
            TradeProposal.value_currency,
            TradeProposal.reason,
            TradeProposal.needed_by,
            TradeProposal.status,
            TradeProposal.rounds,
            decider.slack_user_id,
            TradeProposal.decided_at,
            TradeProposal.decision_reason,
        )
        .join(requester, requester.id == TradeProposal.requester_id)
        .outerjoin(approver, approver.id == TradeProposal.approver_id)
        .outerjoin(decider, decider.id == TradeProposal.decided_by_id)
        .where(TradeProposal.workspace_id == workspace_id)
        .order_by(TradeProposal.id)
    )
    if since is not None:
        query = query.where(TradeProposal.created_at >= since)
    return _stream(session, query, TRADES)


def commitments(
    session: Session, workspace_id: int, since: datetime | None = None, *, today: date | None = None
) -> Iterator[dict[str, Any]]:
    """Every commitment, with ``standing``: where it stands on ``today`` (UTC; default the current
    date) in :mod:`coaching.vocabulary`'s words, the same words Home, nudges and digests use."""
    if today is None:
        today = datetime.now(UTC).date()
    owner, owed_to = aliased(Member), aliased(Member)
    query = (
        select(
            Commitment.id,
            Commitment.created_at,
            Commitment.negotiation_id,
            owner.slack_user_id,
            Commitment.owner_label,
            owed_to.slack_user_id,
            Commitment.text,
            Commitment.due,
            Commitment.status,
            Commitment.source,
            Commitment.notice_days,
            Commitment.chargeback_percent,
            Commitment.chargeback_base_minor,
            Commitment.currency,
            Commitment.charged_to,
            Commitment.nudges_sent,
            Commitment.closed_at,
            Commitment.units,
            Commitment.unit,
            Commitment.chargeback_base_minor,
            Commitment.consequence,
            func.coalesce(owner.tz, owed_to.tz),
        )
        .outerjoin(owner, owner.id == Commitment.owner_id)
        .outerjoin(owed_to, owed_to.id == Commitment.owed_to_id)
        .where(Commitment.workspace_id == workspace_id)
        .order_by(Commitment.id)
    )
    if since is not None:
        query = query.where(Commitment.created_at >= since)
    plain = COMMITMENTS.columns[: COMMITMENTS.columns.index("unit_value_minor")]
    shape = Table(COMMITMENTS.name, (*plain, "unit_value_minor", "consequence", "zone"))
    for row in _stream(session, query, shape):
        agreed, cancelled, charge = units_of(row["status"], row["units"], row.pop("consequence"))
        closed, zone_key = row["closed_at"], row.pop("zone")
        # kept or done late by the owner's own calendar (whoever answers for it), as the card says
        closed_on = (
            local_today(closed if closed.tzinfo else closed.replace(tzinfo=UTC), zone_key) if closed else None
        )
        state = standing(row["status"], row["due"], today, closed_on).value
        yield {
            **row,
            "units": agreed,
            "units_cancelled": cancelled,
            "chargeback_minor": charge,
            "standing": state,
        }


READERS: Final = {
    NEGOTIATIONS.name: negotiations,
    LEDGER.name: ledger_entries,
    TRADES.name: trades,
    COMMITMENTS.name: commitments,
}
