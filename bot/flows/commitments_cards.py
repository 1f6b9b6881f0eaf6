"""Commitments as recorded messages: its cards (one per person it was DMed to) and its nudges are
rendered again from the commitment's current state, and every change enqueues their update."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.delivery.cards import register_card
from bot.delivery.kinds import DeliveryContext
from bot.flows.commitments_items import CommitmentItem, item_for
from bot.messaging import Posted
from bot.services import Services
from storage.models import Commitment, MessageRef
from storage.queries import commitments as queries
from storage.queries import message_refs
from storage.queries.members import find_member
from storage.queries.message_refs import COMMITMENT
from templates import Message, render_message

CARD = "card"
NUDGE = "nudge"


def refresh_commitment(session: Session, commitment: Commitment, now: datetime) -> int:
    """Enqueue an update of every recorded message of ``commitment`` (in the changing unit of work)."""
    snoozed = commitment.snoozed_until.isoformat() if commitment.snoozed_until else ""
    version = f"{commitment.status}:{commitment.units}:{snoozed}"
    return message_refs.enqueue_refresh(
        session, commitment.workspace_id, COMMITMENT, commitment.id, now=now, version=version
    )


def record_card(
    session: Session, workspace_id: int, commitment_id: int, view: str, viewer: str, channel: str, ts: str
) -> None:
    message_refs.record(
        session,
        workspace_id=workspace_id,
        entity=COMMITMENT,
        entity_id=commitment_id,
        view=view,
        viewer=viewer,
        channel=channel,
        ts=ts,
    )


def remember_card(
    services: Services, workspace_id: int, commitment_id: int, viewer: str, posted: Posted
) -> None:
    """Record a card DMed on the request path (after the post: a failed post records nothing)."""
    with services.db.session() as session:
        record_card(session, workspace_id, commitment_id, CARD, viewer, posted.channel, posted.ts)


def state_note(item: CommitmentItem) -> str:
    """What the card says about where the commitment stands (the same words wherever it is shown)."""
    if item.status == "done":
        return "Marked done."
    if item.status == "cancelled":
        return "Cancelled."
    if item.status == "lapsed":
        return "Lapsed: the due date passed without it being marked done."
    if item.snoozed:
        return f"Snoozed: the next reminder comes {item.snoozed}."
    return ""


def _render(session: Session, ref: MessageRef, ctx: DeliveryContext) -> Message | None:
    commitment = queries.get_commitment(session, ref.workspace_id, ref.entity_id)
    if commitment is None:
        return None
    viewer = find_member(session, ref.workspace_id, ref.viewer)
    item = item_for(
        session, commitment, viewer.id if viewer else None, ctx.now, viewer.tz if viewer else None
    )
    return render_message("messages/commitment_card", item=item, note=state_note(item), intro="")


register_card(COMMITMENT, CARD, _render)
register_card(COMMITMENT, NUDGE, _render)
