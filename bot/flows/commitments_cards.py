"""Commitments as recorded messages: its cards (one per person it was DMed to) and its nudges are
rendered again from the commitment's current state, and every change enqueues their update.

The words a card says about its state (:func:`state_note`) are the same whether the card was just
clicked or brought up to date later by the outbox, so a card never flickers between two versions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.delivery.cards import register_card, render_card
from bot.delivery.kinds import DeliveryContext
from bot.flows.commitments_items import CommitmentItem, conditions_of, item_for
from bot.messaging import Posted
from bot.playbook import current_playbook, in_force_over
from bot.services import Services
from coaching.commitments import UnitValue
from coaching.money import Money
from coaching.zones import local_today
from storage.models import Commitment, MessageRef
from storage.queries import commitments as queries
from storage.queries import message_refs
from storage.queries.members import find_member
from storage.queries.message_refs import COMMITMENT
from templates import Message, mention, render_message, trusted

CARD = "card"
NUDGE = "nudge"
RECORDED = "Recorded. Parley reminds the owner in their own working hours."
CANCELLED_LATE = "Cancelled inside the notice window: the agreed charge below applies."


def refresh_commitment(session: Session, commitment: Commitment, now: datetime) -> int:
    """Enqueue an update of every recorded message of ``commitment`` (in the changing unit of work)."""
    snoozed = commitment.snoozed_until.isoformat() if commitment.snoozed_until else ""
    version = f"{commitment.status}:{commitment.units}:{snoozed}"
    return message_refs.enqueue_refresh(
        session, commitment.workspace_id, COMMITMENT, commitment.id, now=now, version=version
    )


def remember_card(
    services: Services, workspace_id: int, commitment_id: int, viewer: str, posted: Posted, recorded_by: str
) -> None:
    """Record a card DMed on the request path (after the post: a failed post records nothing)."""
    with services.db.session() as session:
        message_refs.record(
            session, workspace_id=workspace_id, entity=COMMITMENT, entity_id=commitment_id, view=CARD,
            viewer=viewer, channel=posted.channel, ts=posted.ts, detail={"recorded_by": recorded_by},
        )  # fmt: skip


def current_card(services: Services, workspace_id: int, posted: Posted) -> Message | None:
    """The clicked message as the outbox would render it now, if it is a recorded commitment card."""
    with services.db.session() as session:
        ref = message_refs.find_ref(session, workspace_id, posted.channel, posted.ts)
        if ref is None or ref.entity != COMMITMENT:
            return None
        context = DeliveryContext(services.clock(), current_playbook(services.settings))
        return render_card(session, ref, context)


def state_note(commitment: Commitment, item: CommitmentItem, viewer_tz: str | None) -> str:
    """What a card says about where the commitment stands (the same words wherever it is shown)."""
    if commitment.status == queries.DONE:
        closed = commitment.closed_at
        late = closed is not None and local_today(closed, viewer_tz) > commitment.due
        if item.theirs:  # the other side delivered: nothing of the reader's to praise
            return "Marked received, after its due date." if late else "Marked received, on time."
        return "Marked done, after its due date." if late else "Marked done. Nicely kept."
    if commitment.status == queries.CANCELLED:
        if (commitment.consequence or {}).get("sentence"):  # the charge itself is in the details
            return CANCELLED_LATE
        if conditions_of(commitment) is not None:
            return "Cancelled, with enough notice: no charge."
        return "Cancelled."
    if commitment.status == queries.LAPSED:
        return "Lapsed: the due date passed without it being marked done."
    if item.snoozed:
        return f"Snoozed: the next reminder comes {item.snoozed}."
    consequence = commitment.consequence or {}
    if consequence.get("units") and consequence.get("sentence"):  # some of its units were cancelled
        count = int(consequence["units"])
        size = UnitValue(
            max(commitment.units, 1) + count, commitment.unit or "", Money(0, commitment.currency)
        )
        return f"Cancelled {count} of {size.count()}. {consequence['sentence']}."
    return RECORDED


def _intro(detail: dict[str, Any] | None, viewer: str) -> str:
    recorded_by = str((detail or {}).get("recorded_by") or "")
    if not recorded_by or recorded_by == viewer:
        return ""
    return trusted(f"{mention(recorded_by)} recorded a commitment you own.")


def _render_card(session: Session, ref: MessageRef, ctx: DeliveryContext) -> Message | None:
    commitment = queries.get_commitment(session, ref.workspace_id, ref.entity_id)
    if commitment is None:
        return None
    viewer = find_member(session, ref.workspace_id, ref.viewer)
    tz = viewer.tz if viewer else None
    item = item_for(session, commitment, viewer.id if viewer else None, ctx.now, tz)
    return render_message(
        "messages/commitment_card",
        item=item,
        note=state_note(commitment, item, tz),
        intro=_intro(ref.detail, ref.viewer) if ref.view == CARD else "",
    )


def _render_nudge(session: Session, ref: MessageRef, ctx: DeliveryContext) -> Message | None:
    """A nudge stays a nudge while nothing has happened to it; after Done, Snooze, Cancel or a lapse
    it shows the commitment as a card does (as clicking on it does)."""
    from bot.flows.commitments_nudges import nudge_message  # the nudges module imports this one
    from bot.flows.commitments_settings import prefs_for

    commitment = queries.get_commitment(session, ref.workspace_id, ref.entity_id)
    key = str((ref.detail or {}).get("key") or "")
    if commitment is None:
        return None
    untouched = commitment.status in queries.LIVE_STATUSES and (
        commitment.snoozed_until is None or commitment.snoozed_until <= ctx.now
    )
    member = queries.member_by_id(session, ref.workspace_id, queries.responsible_id(commitment))
    if untouched and key and member is not None and member.slack_user_id == ref.viewer:
        hours = prefs_for(session, in_force_over(session, ctx.playbook, member.workspace_id), member).hours
        return nudge_message(session, commitment, member, key, ctx.now, hours)
    return _render_card(session, ref, ctx)


register_card(COMMITMENT, CARD, _render_card)
register_card(COMMITMENT, NUDGE, _render_nudge)
