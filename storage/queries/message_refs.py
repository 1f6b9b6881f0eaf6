"""Recorded messages of an entity, and the outbox rows that bring every one of them up to date.

A message is recorded once (its channel, ts and view are unique); recording it again is a no-op. A
change of state calls :func:`enqueue_refresh` in the unit of work that made the change, so the update
of every message survives a restart exactly like any other outbox row: the ``card_update`` row names
the message and is rendered from the entity's current state when it is delivered.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import MessageRef
from storage.queries import outbox

CARD_UPDATE_KIND: Final = "card_update"
TRADE: Final = "trade"
COMMITMENT: Final = "commitment"
NEGOTIATION: Final = "negotiation"


def record(
    session: Session,
    *,
    workspace_id: int,
    entity: str,
    entity_id: int,
    view: str,
    viewer: str,
    channel: str,
    ts: str,
    detail: dict[str, Any] | None = None,
) -> MessageRef:
    """Remember that ``channel``/``ts`` shows ``entity`` as ``view`` to ``viewer`` (idempotent)."""
    existing = session.scalars(
        select(MessageRef).where(MessageRef.channel == channel, MessageRef.ts == ts, MessageRef.view == view)
    ).first()
    if existing is not None:
        return existing
    ref = MessageRef(
        workspace_id=workspace_id,
        entity=entity,
        entity_id=entity_id,
        view=view,
        viewer=viewer,
        channel=channel,
        ts=ts,
        detail=detail,
    )
    session.add(ref)
    session.flush()
    return ref


def refs_of(session: Session, workspace_id: int, entity: str, entity_id: int) -> list[MessageRef]:
    """Every recorded message of one entity, oldest first."""
    return list(
        session.scalars(
            select(MessageRef)
            .where(
                MessageRef.workspace_id == workspace_id,
                MessageRef.entity == entity,
                MessageRef.entity_id == entity_id,
            )
            .order_by(MessageRef.id)
        )
    )


def get_ref(session: Session, workspace_id: int, ref_id: int) -> MessageRef | None:
    ref = session.get(MessageRef, ref_id)
    return ref if ref is not None and ref.workspace_id == workspace_id else None


def find_ref(session: Session, workspace_id: int, channel: str, ts: str) -> MessageRef | None:
    """The recorded message at ``channel``/``ts`` (the first, if several views share it)."""
    return session.scalars(
        select(MessageRef)
        .where(MessageRef.workspace_id == workspace_id, MessageRef.channel == channel, MessageRef.ts == ts)
        .order_by(MessageRef.id)
    ).first()


def enqueue_refresh(
    session: Session, workspace_id: int, entity: str, entity_id: int, *, now: datetime, version: str
) -> int:
    """One ``card_update`` row per recorded message of the entity, due now; how many were added.

    ``version`` names the state being shown (e.g. ``expired:2``): offering the same state twice adds
    nothing, a new state adds a new row. The row is rendered at delivery from whatever the state is
    then, so rows delivered out of order still leave every message showing the latest state.
    """
    added = 0
    for ref in refs_of(session, workspace_id, entity, entity_id):
        key = f"{CARD_UPDATE_KIND}:{ref.id}:{version}"[: outbox.MAX_DEDUPE_KEY]
        added += outbox.enqueue(
            session,
            workspace_id=workspace_id,
            kind=CARD_UPDATE_KIND,
            target=ref.channel,
            payload={"ref_id": ref.id},
            dedupe_key=key,
            due_at=now,
        )
    return added
