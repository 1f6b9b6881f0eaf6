"""Recorded messages of an entity, and the outbox rows that bring every one of them up to date.

A message is recorded once (its channel, ts and view are unique); recording it again is a no-op. A
change of state calls :func:`enqueue_refresh` in the unit of work that made the change, so the update
of every message survives a restart exactly like any other outbox row: the ``card_update`` row names
the message and is rendered from the entity's current state when it is delivered.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Final

from sqlalchemy import delete, select
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


# ------------------------------------------------------------------------------ deleted or anonymised

CARD_RETIRED_KIND: Final = "card_retired"
ERASED: Final = "erased"
"""Why a card was retired: its owner's data was erased (by them, an admin or the leaver policy)."""
RETENTION: Final = "retention"
"""Why a card was retired: the workspace's retention policy deleted the entity or its free text."""
RETIRE_REASONS: Final = (ERASED, RETENTION)


def retire(
    session: Session,
    workspace_id: int,
    entity: str,
    entity_ids: Sequence[int],
    *,
    reason: str,
    now: datetime,
    views: Sequence[str] | None = None,
) -> int:
    """Replace every recorded message of these entities (or only its ``views``) by a note saying why
    it went, then forget the messages; how many were retired.

    Call it in the unit of work that deletes or anonymises the entities. The ``card_retired`` row
    carries only the message's place, the kind of entity and the reason (never the entity's text), so
    it outlives the entity and the erasure; it is rendered at delivery as a ``chat.update`` with no
    buttons. The refs go at once: nothing can bring the old state back.
    """
    if reason not in RETIRE_REASONS:
        raise ValueError(f"unknown reason {reason!r}")
    if not entity_ids:
        return 0
    where = [
        MessageRef.workspace_id == workspace_id,
        MessageRef.entity == entity,
        MessageRef.entity_id.in_(list(entity_ids)),
    ]
    if views is not None:
        where.append(MessageRef.view.in_(list(views)))
    refs = list(session.scalars(select(MessageRef).where(*where).order_by(MessageRef.id)))
    for ref in refs:
        retire_place(session, workspace_id, ref.channel, ref.ts, entity, ref.view, reason=reason, now=now)
    if refs:
        session.execute(delete(MessageRef).where(MessageRef.id.in_([ref.id for ref in refs])))
    return len(refs)


def retire_place(
    session: Session,
    workspace_id: int,
    channel: str,
    ts: str,
    entity: str,
    view: str,
    *,
    reason: str,
    now: datetime,
) -> bool:
    """The ``card_retired`` row for one message (also for one never recorded as a ref, such as the
    full plan replied under a plan card); True if it was added."""
    return outbox.enqueue(
        session,
        workspace_id=workspace_id,
        kind=CARD_RETIRED_KIND,
        target=channel,
        payload={"channel": channel, "ts": ts, "entity": entity, "view": view, "reason": reason},
        dedupe_key=f"{CARD_RETIRED_KIND}:{workspace_id}:{channel}:{ts}"[: outbox.MAX_DEDUPE_KEY],
        due_at=now,
    )
