"""What every trade button does first and last: who clicked on which trade, and a refusal's reply.

A refusal gets an ephemeral explanation and changes nothing; the clicked copy is redrawn as it
stands now when it was out of date (``repair_message``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.trades import (
    Decided,
    Invalid,
    Move,
    RefusalKind,
    Refused,
    TermsForm,
    TradeRef,
    announce_decision,
    decide,
    refused_message,
    repair_message,
)
from bot.members import Actor
from bot.messaging import SLACK_FAILURES, Posted, open_dm, slack_error
from bot.metadata import MetadataError, load
from bot.services import Services
from templates.ids.trades import TradeBlock

logger = logging.getLogger(__name__)
STALE_FORM = "This form is out of date: close it and click again."


def refuse(
    services: Services,
    client: WebClient,
    respond: Respond | None,
    actor: Actor,
    refused: Refused,
    ref: TradeRef,
    body: Mapping[str, Any],
) -> None:
    _say(respond, client, actor, refused)
    clicked = edge.clicked_message(body)
    if refused.kind is not RefusalKind.NOT_YOURS and clicked is not None:
        repair_message(services, client, actor, ref.trade_id, Posted(clicked.channel, clicked.ts))


def clicked_trade(
    body: Mapping[str, Any], client: WebClient, respond: Respond | None, context: BoltContext
) -> tuple[Actor, TradeRef] | None:
    """Who clicked and on which trade; None (after saying so) when the button's value is not one
    Parley wrote: to the member it reads as a trade that is not theirs to act on."""
    actor = edge.actor(context)
    try:
        return actor, load(TradeRef, edge.action_value(body))
    except MetadataError:
        _say(respond, client, actor, Refused(RefusalKind.NOT_YOURS))
        return None


def _say(respond: Respond | None, client: WebClient, actor: Actor, refused: Refused) -> None:
    """The refusal, ephemerally where the member clicked (their DM for a Home-tab button)."""
    message = refused_message(refused, actor.tz)
    if respond is not None:
        respond(response_type="ephemeral", replace_original=False, **message.as_kwargs())
        return
    try:
        channel = open_dm(client, actor.slack_user_id)
        client.chat_postEphemeral(channel=channel, user=actor.slack_user_id, **message.as_kwargs())
    except SLACK_FAILURES as error:
        logger.warning("could not tell %s why nothing changed: %s", actor.slack_user_id, slack_error(error))


def read_terms(values: Mapping[str, Any]) -> TermsForm:
    def text(block: str) -> str:
        return edge.state_value(values, block) or ""

    return TermsForm(
        get=text(TradeBlock.GET),
        get_value=text(TradeBlock.GET_VALUE),
        give=text(TradeBlock.GIVE),
        give_cost=text(TradeBlock.GIVE_COST),
        reason=text(TradeBlock.REASON),
    )


def decide_in_modal(
    services: Services,
    ack: Ack,
    body: Mapping[str, Any],
    client: WebClient,
    context: BoltContext,
    move: Move,
    error_block: str,
    *,
    reason: str = "",
    terms: TermsForm | None = None,
) -> None:
    """Counter and Reject: decide from the modal, problems shown under error_block."""
    try:
        ref = load(TradeRef, edge.private_metadata(edge.view_of(body)))
    except MetadataError:
        ack(response_action="errors", errors={error_block: STALE_FORM})
        return
    result = decide(services, edge.actor(context), ref, move, reason=reason, terms=terms)
    if isinstance(result, Invalid):
        ack(response_action="errors", errors=result.errors)
    elif isinstance(result, Refused):
        ack(response_action="errors", errors={error_block: result.text})
    else:
        assert isinstance(result, Decided)
        ack()
        announce_decision(services, client, result)
