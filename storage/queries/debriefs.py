"""Debriefs, the concession ledger they write and the commitments they record (workspace-scoped).

The caller holds one unit of work for all of it, so a debrief is never stored without its ledger.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Commitment, Debrief, LedgerEntry
from storage.queries.counterparts import stamp_ledger_entry

LEDGER_KINDS = ("offered", "conceded", "held", "received")


def find_debrief(session: Session, workspace_id: int, negotiation_id: int) -> Debrief | None:
    return session.scalar(
        select(Debrief).where(Debrief.workspace_id == workspace_id, Debrief.negotiation_id == negotiation_id)
    )


def create_debrief(
    session: Session,
    workspace_id: int,
    negotiation_id: int,
    member_id: int,
    *,
    outcome: str,
    reflection: str,
    analysis: dict[str, Any],
    submitted_at: datetime,
) -> Debrief:
    """Insert the debrief; a second one for the same negotiation fails on the unique key at flush."""
    debrief = Debrief(
        workspace_id=workspace_id,
        negotiation_id=negotiation_id,
        member_id=member_id,
        outcome=outcome,
        reflection=reflection,
        analysis=analysis,
        submitted_at=submitted_at,
    )
    session.add(debrief)
    session.flush()
    return debrief


def add_ledger_entry(
    session: Session,
    workspace_id: int,
    negotiation_id: int,
    *,
    kind: str,
    item: str,
    value_minor: int | None,
    currency: str,
    position: int,
    recorded_at: datetime,
    debrief_id: int | None = None,
    received_item: str | None = None,
    received_value_minor: int | None = None,
) -> LedgerEntry:
    """One ledger line. ``received_value_minor`` is in the row's ``currency``."""
    if kind not in LEDGER_KINDS:
        raise ValueError(f"unknown ledger kind {kind!r}")
    entry = LedgerEntry(
        workspace_id=workspace_id,
        negotiation_id=negotiation_id,
        debrief_id=debrief_id,
        kind=kind,
        item=item,
        value_minor=value_minor,
        currency=currency,
        received_item=received_item,
        received_value_minor=received_value_minor,
        position=position,
        recorded_at=recorded_at,
    )
    stamp_ledger_entry(session, entry)
    session.add(entry)
    return entry


def ledger_for(session: Session, workspace_id: int, negotiation_id: int) -> list[LedgerEntry]:
    return list(
        session.scalars(
            select(LedgerEntry)
            .where(LedgerEntry.workspace_id == workspace_id, LedgerEntry.negotiation_id == negotiation_id)
            .order_by(LedgerEntry.kind, LedgerEntry.position, LedgerEntry.id)
        )
    )


def add_commitment(
    session: Session,
    workspace_id: int,
    negotiation_id: int | None,
    *,
    text: str,
    due: date,
    currency: str,
    source: str,
    owner_id: int | None = None,
    owner_label: str = "",
    owed_to_id: int | None = None,
) -> Commitment:
    """An open commitment; ``owner_id`` for a member, else ``owner_label`` names the other side."""
    if owner_id is None and not owner_label:
        raise ValueError("a commitment needs an owner: a member or a label")
    commitment = Commitment(
        workspace_id=workspace_id,
        negotiation_id=negotiation_id,
        owner_id=owner_id,
        owner_label=owner_label,
        owed_to_id=owed_to_id,
        text=text,
        due=due,
        status="open",
        source=source,
        currency=currency,
        nudges_sent=0,
    )
    session.add(commitment)
    return commitment
