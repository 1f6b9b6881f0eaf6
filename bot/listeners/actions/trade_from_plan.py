"""A suggested trade picked in the propose modal: the modal is updated with that trade's terms."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.trades import ProposeModal, proposal_modal
from bot.flows.trades_presenter import propose_view_context
from bot.messaging import SLACK_FAILURES, slack_error
from bot.metadata import MetadataError, load
from bot.services import Services
from templates import render_view

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlanPick:
    """The menu option's value: which negotiation's plan, and which of its trades."""

    negotiation_id: int
    index: int


def handle(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
) -> None:
    ack()
    selected = edge.action(body).get("selected_option")
    try:
        pick = load(PlanPick, selected.get("value") if isinstance(selected, dict) else None)
    except MetadataError:
        return  # not a value Parley wrote: the modal stays as it is
    modal = proposal_modal(services, edge.actor(context), negotiation_id=pick.negotiation_id)
    if not isinstance(modal, ProposeModal) or not 0 <= pick.index < len(modal.suggestions):
        return  # no approver any more, or the plan changed: the member types the terms
    filled = dataclasses.replace(modal, terms=modal.suggestions[pick.index])
    view = edge.view_of(body)
    try:
        client.views_update(
            view_id=str(view.get("id", "")),
            hash=str(view.get("hash", "")),
            view=render_view("views/trade_propose", **propose_view_context(filled)),
        )
    except SLACK_FAILURES as error:  # e.g. hash_conflict: the member kept typing; their text stays
        logger.info("propose modal not filled from the plan: %s", slack_error(error))
