"""The buttons on a trade request (Approve, Reject…, Counter…, Accept counter, Withdraw) and the
*Propose a trade* button on a prep plan.

Every click is authorised by the flow against the database (the button's value only names the trade
and the round it showed); anything refused gets an ephemeral explanation and changes nothing, and the
clicked copy is redrawn as it stands now when it was out of date.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.flows.team import WhoCanSet
from bot.flows.trades import (
    Decided,
    Move,
    RefusalKind,
    Refused,
    TradeRef,
    announce_decision,
    counter_view_context,
    decide,
    draft_for,
    no_approver_context,
    proposal_modal,
    propose_view_context,
    refused_message,
    reject_view_context,
    repair_message,
)
from bot.members import Actor, actor_for_interaction
from bot.messaging import Posted
from bot.metadata import MetadataError, NegotiationRef, load
from bot.services import Services
from templates import render_message, render_view
from templates.ids.trades import TradeAction

logger = logging.getLogger(__name__)


def _value(body: dict[str, Any]) -> str | None:
    actions = body.get("actions") or [{}]
    value = actions[0].get("value")
    return value if isinstance(value, str) else None


def _clicked(body: dict[str, Any]) -> Posted | None:
    container = body.get("container") or {}
    channel, ts = container.get("channel_id"), container.get("message_ts")
    return Posted(channel, ts) if isinstance(channel, str) and isinstance(ts, str) else None


def _refuse(
    services: Services,
    client: WebClient,
    respond: Respond,
    actor: Actor,
    refused: Refused,
    ref: TradeRef,
    body: dict[str, Any],
) -> None:
    message = refused_message(refused, actor.tz)
    respond(response_type="ephemeral", replace_original=False, **message.as_kwargs())
    clicked = _clicked(body)
    if refused.kind is not RefusalKind.NOT_YOURS and clicked is not None:
        repair_message(services, client, actor, ref.trade_id, clicked)


def load_ref(body: dict[str, Any]) -> TradeRef:
    return load(TradeRef, _value(body))


def _clicked_trade(
    services: Services, client: WebClient, body: dict[str, Any], respond: Respond, context: BoltContext
) -> tuple[Actor, TradeRef] | None:
    """Who clicked and on which trade; None (after saying so) when the button's value is not one
    Parley wrote: to the member it reads as a trade that is not theirs to act on."""
    actor = actor_for_interaction(services, client, body, context)
    try:
        return actor, load_ref(body)
    except MetadataError:
        _not_yours(respond, actor.tz)
        return None


def _not_yours(respond: Respond, tz: str) -> None:
    message = refused_message(Refused(RefusalKind.NOT_YOURS), tz)
    respond(response_type="ephemeral", replace_original=False, **message.as_kwargs())


def _open(client: WebClient, respond: Respond, trigger_id: str, view: dict[str, Any], who: str) -> None:
    try:
        client.views_open(trigger_id=trigger_id, view=view)
    except (SlackClientError, OSError) as error:
        logger.warning("could not open a trade modal for %s: %s", who, error)
        notice = render_message(
            "messages/notice",
            level="warning",
            title="The form didn't open",
            body="Slack didn't let Parley open it in time; click again.",
            details=[],
        )
        respond(response_type="ephemeral", replace_original=False, **notice.as_kwargs())


class DecideNow:
    """Approve, Accept counter and Withdraw: decided on the click."""

    def __init__(self, services: Services, move: Move) -> None:
        self.services, self.move = services, move

    def __call__(
        self, ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
    ) -> None:
        ack()
        clicked = _clicked_trade(self.services, client, body, respond, context)
        if clicked is None:
            return
        actor, ref = clicked
        result = decide(self.services, actor, ref, self.move)
        if isinstance(result, Refused):
            _refuse(self.services, client, respond, actor, result, ref, body)
        elif isinstance(result, Decided):
            announce_decision(self.services, client, result)


class OpenDecisionModal:
    """Reject… (the reason modal) and Counter… (the trade modal pre-filled with the terms on the
    table): only for whoever may decide, and only while the trade waits on them."""

    def __init__(
        self,
        services: Services,
        move: Move,
        template: str,
        context_for: Callable[[Any, Any], dict[str, Any]],
    ) -> None:
        self.services = services
        self.move = move
        self.template = template
        self.context_for = context_for

    def __call__(
        self, ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
    ) -> None:
        ack()
        clicked = _clicked_trade(self.services, client, body, respond, context)
        if clicked is None:
            return
        actor, ref = clicked
        draft = draft_for(self.services, actor, ref, self.move)
        if isinstance(draft, Refused):
            _refuse(self.services, client, respond, actor, draft, ref, body)
            return
        view = render_view(self.template, **self.context_for(ref, draft))
        _open(client, respond, body["trigger_id"], view, actor.slack_user_id)


class ProposeFromPrep:
    """*Propose a trade* on a prep plan: the trade modal with that negotiation chosen."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def __call__(
        self, ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, context: BoltContext
    ) -> None:
        ack()
        actor = actor_for_interaction(self.services, client, body, context)
        try:
            negotiation_id: int | None = load(NegotiationRef, _value(body)).negotiation_id
        except MetadataError:
            negotiation_id = None
        modal = proposal_modal(self.services, actor, negotiation_id=negotiation_id)
        if isinstance(modal, WhoCanSet):
            view = render_view("views/trade_no_approver", **no_approver_context(modal))
        else:
            view = render_view("views/trade_propose", **propose_view_context(modal))
        _open(client, respond, body["trigger_id"], view, actor.slack_user_id)


def register(app: App, services: Services) -> None:
    app.action(TradeAction.APPROVE.value)(DecideNow(services, Move.APPROVE))
    app.action(TradeAction.ACCEPT.value)(DecideNow(services, Move.ACCEPT))
    app.action(TradeAction.WITHDRAW.value)(DecideNow(services, Move.WITHDRAW))
    app.action(TradeAction.REJECT.value)(
        OpenDecisionModal(services, Move.REJECT, "views/trade_reject", reject_view_context)
    )
    app.action(TradeAction.COUNTER.value)(
        OpenDecisionModal(services, Move.COUNTER, "views/trade_propose", counter_view_context)
    )
    app.action(TradeAction.PROPOSE.value)(ProposeFromPrep(services))
