"""Bringing a recorded message up to date: the ``card_update`` outbox kind and its renderers.

Each feature registers, per (entity, view), a renderer that makes the message again from the entity's
current state for the viewer it was made for (``register_card``). A ``card_update`` row names one
recorded message; at delivery it is rendered and sent as ``chat.update`` over the old message, so what
the member sees is the state at delivery time, whatever order the rows arrive in.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Final

from sqlalchemy.orm import Session

from bot.delivery.kinds import DeliveryContext, Prepared, Send, Skip, register_kind
from storage.models import MessageRef
from storage.queries.message_refs import (
    CARD_RETIRED_KIND,
    CARD_UPDATE_KIND,
    ERASED,
    RETENTION,
    get_ref,
)
from storage.queries.outbox import Claimed
from templates import Message, render_message

Renderer = Callable[[Session, MessageRef, DeliveryContext], Message | None]
"""The message ``ref`` should show now, or None when there is nothing to show (the entity is gone)."""

CARD_MODULES: Final = (
    "bot.flows.trades_cards",
    "bot.flows.commitments_cards",
    "bot.flows.debrief_cards",
)
"""Modules that register renderers (imported before the first render, wherever delivery runs)."""

_RENDERERS: dict[tuple[str, str], Renderer] = {}


def register_card(entity: str, view: str, renderer: Renderer) -> Renderer:
    _RENDERERS[(entity, view)] = renderer
    return renderer


def render_card(session: Session, ref: MessageRef, ctx: DeliveryContext) -> Message | None:
    """The current rendering of a recorded message (None when its entity or view is unknown)."""
    for module in CARD_MODULES:
        importlib.import_module(module)
    renderer = _RENDERERS.get((ref.entity, ref.view))
    return renderer(session, ref, ctx) if renderer is not None else None


def prepare_card_update(session: Session, row: Claimed, ctx: DeliveryContext) -> Prepared:
    ref_id = row.payload.get("ref_id")
    ref = get_ref(session, row.workspace_id, ref_id) if isinstance(ref_id, int) else None
    if ref is None:
        return Skip("the recorded message is gone")
    message = render_card(session, ref, ctx)
    if message is None:
        return Skip(f"nothing to show for {ref.entity} {ref.entity_id} as {ref.view}")
    return Send(message.as_kwargs(), update=(ref.channel, ref.ts))


register_kind(CARD_UPDATE_KIND, prepare_card_update)


NOUNS: Final = {
    ("trade", "approver"): "trade request",
    ("trade", "proposer"): "trade request",
    ("trade", "escalation"): "trade request",
    ("commitment", "card"): "commitment",
    ("commitment", "nudge"): "commitment reminder",
    ("negotiation", "plan"): "prep plan",
    ("negotiation", "plan_full"): "prep plan",
    ("negotiation", "debrief_reminder"): "debrief reminder",
}
"""What a retired message was, as its reader knew it (by entity and view)."""

WHY: Final = {
    ERASED: "was erased with its owner's data",
    RETENTION: "was removed under the workspace's retention policy",
}


def retired_headline(entity: str, view: str, reason: str) -> str:
    """The one sentence a retired message shows in place of what it showed (nothing of the entity)."""
    noun = NOUNS.get((entity, view)) or {"trade": "trade request", "negotiation": "negotiation"}.get(
        entity, entity
    )
    why = WHY.get(reason, "was removed")
    return f"This {noun} {why}."


def retired_message(entity: str, view: str, reason: str) -> Message:
    return render_message("messages/card_retired", headline=retired_headline(entity, view, reason))


def prepare_card_retired(session: Session, row: Claimed, ctx: DeliveryContext) -> Prepared:
    """A message whose entity was erased or removed: overwritten with why, whatever it showed."""
    payload = row.payload
    channel, ts = payload.get("channel"), payload.get("ts")
    if not isinstance(channel, str) or not isinstance(ts, str):
        return Skip("the retired message has no place")
    message = retired_message(
        str(payload.get("entity", "")), str(payload.get("view", "")), str(payload.get("reason", ""))
    )
    return Send(message.as_kwargs(), update=(channel, ts))


register_kind(CARD_RETIRED_KIND, prepare_card_retired)
