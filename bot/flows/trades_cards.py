"""Trade requests as recorded messages: each copy (approver, proposer, escalation) is rendered again
from the trade's current state, and every state change enqueues the update of every copy."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.delivery.cards import Renderer, register_card
from bot.delivery.kinds import DeliveryContext
from bot.flows.trades_records import Role
from storage.models import MessageRef, TradeProposal
from storage.queries import message_refs
from storage.queries.message_refs import TRADE
from storage.queries.trades import get_trade
from templates import Message


def refresh_trade(session: Session, trade: TradeProposal, now: datetime) -> int:
    """Enqueue an update of every recorded copy of ``trade`` (in the unit of work that changed it)."""
    version = f"{trade.status}:{trade.rounds}:{trade.escalated_to or ''}"
    return message_refs.enqueue_refresh(
        session, trade.workspace_id, TRADE, trade.id, now=now, version=version
    )


def record_copy(
    session: Session, trade: TradeProposal, role: Role, viewer: str, channel: str, ts: str
) -> None:
    message_refs.record(
        session,
        workspace_id=trade.workspace_id,
        entity=TRADE,
        entity_id=trade.id,
        view=role.value,
        viewer=viewer,
        channel=channel,
        ts=ts,
    )


def _render(role: Role) -> Renderer:
    def render(session: Session, ref: MessageRef, ctx: DeliveryContext) -> Message | None:
        from bot.flows.trades_presenter import (
            request_message,
        )  # it imports the deciding code, which imports this

        trade = get_trade(session, ref.workspace_id, ref.entity_id)
        return request_message(session, trade, role) if trade is not None else None

    return render


for _role in Role:
    register_card(TRADE, _role.value, _render(_role))
