"""What each kind of outbox row turns into when it is delivered.

Two ways to fill an outbox row, chosen per kind:

* **rendered at delivery** (nudges, debrief reminders): the payload is a reference (``commitment_id``
  and occurrence key); the kind's *preparer* reloads the current state, decides whether the message
  still applies (a nudge for a commitment done in the meantime is skipped; one that would land outside
  the member's working hours is deferred) and renders the template then, so what arrives is never stale;
* **rendered at enqueue** (reports of something that happened, e.g. a late cancellation): the payload
  *is* the message (``{"text": …, "blocks": […]}``), a record of the event; no preparer is needed.

Features register their preparers with :func:`register_kind` (at import; the scheduler imports every
module of ``bot/scheduler``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coaching.playbook import Playbook
from storage.models import Member
from storage.queries.outbox import Claimed


@dataclass(frozen=True, slots=True)
class Shows:
    """What a sent message shows (recorded with the entity, so a later change updates it in place)."""

    entity: str
    entity_id: int
    view: str
    viewer: str
    detail: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Send:
    """Send ``message`` (``text`` + ``blocks``); ``after_sent`` runs in the transaction that records it.

    ``update`` (channel, ts) makes it a ``chat.update`` of that message instead of a new post;
    ``shows`` records the posted message with the entity it shows.
    """

    message: dict[str, Any]
    after_sent: Callable[[Session, datetime], None] | None = field(default=None, compare=False)
    update: tuple[str, str] | None = None
    shows: Shows | None = None


@dataclass(frozen=True, slots=True)
class Skip:
    """Do not send: it no longer applies (kept as ``skipped`` with the reason)."""

    reason: str


@dataclass(frozen=True, slots=True)
class Defer:
    """Not now (e.g. outside the recipient's working hours): due again at ``until``."""

    until: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class DeliveryContext:
    """What a preparer sees besides the row: the instant of delivery and the playbook."""

    now: datetime
    playbook: Playbook


Prepared = Send | Skip | Defer
Preparer = Callable[[Session, Claimed, DeliveryContext], Prepared]

_PREPARERS: dict[str, Preparer] = {}


def register_kind(kind: str, preparer: Preparer) -> Preparer:
    """Render rows of ``kind`` at delivery with ``preparer(session, row, ctx)``."""
    existing = _PREPARERS.get(kind)
    if existing is not None and existing is not preparer:
        raise ValueError(f"outbox kind {kind!r} already has a preparer")
    _PREPARERS[kind] = preparer
    return preparer


def prepare(session: Session, row: Claimed, ctx: DeliveryContext) -> Prepared:
    if _recipient_left(session, row):  # people who leave get nothing more (bot.flows.leavers)
        return Skip("the recipient left Slack")
    preparer = _PREPARERS.get(row.kind)
    if preparer is not None:
        return preparer(session, row, ctx)
    return prerendered(row)


def _recipient_left(session: Session, row: Claimed) -> bool:
    left = session.scalar(
        select(Member.left_at).where(
            Member.workspace_id == row.workspace_id, Member.slack_user_id == row.target
        )
    )
    return left is not None


def prerendered(row: Claimed) -> Prepared:
    """A row whose payload is the message itself."""
    text, blocks = row.payload.get("text"), row.payload.get("blocks")
    if not isinstance(text, str) or not (blocks is None or isinstance(blocks, list)):
        return Skip(f"kind {row.kind!r} has no preparer and its payload is not a message")
    message: dict[str, Any] = {"text": text}
    if blocks:
        message["blocks"] = blocks
    return Send(message)
