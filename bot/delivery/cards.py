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
from storage.queries.message_refs import CARD_UPDATE_KIND, get_ref
from storage.queries.outbox import Claimed
from templates import Message

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
