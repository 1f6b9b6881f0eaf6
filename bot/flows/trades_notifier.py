"""Trades' outgoing Slack effects: DM a new request, update every copy after a decision and tell the
other side, repair an out-of-date copy, refresh the Home tabs. A Slack failure here never undoes
what is recorded (logged, and the copy is repaired on the next click)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot import edge
from bot.flows.home_notifier import refresh_home
from bot.flows.trades import Invalid, Move, Proposed, TermsForm, TradeRef
from bot.flows.trades_cards import record_copy
from bot.flows.trades_decisions import (
    Decided,
    Draft,
    RefusalKind,
    Refused,
    _notice_kind,
    _notify_role,
    decide,
    draft_for,
)
from bot.flows.trades_presenter import notice_message, refused_message, request_message
from bot.flows.trades_records import Role, _escalation_post, _posted, load_trade, trade_for, users_of
from bot.members import Actor, resolve_actor
from bot.messaging import SLACK_FAILURES, Posted, open_dm, post_dm, slack_error, update_message
from bot.metadata import MetadataError, load
from bot.replies import form_did_not_open, form_meta
from bot.services import Services
from storage.models import Workspace
from storage.queries.members import get_member
from storage.queries.trades import (
    set_approver_message,
    set_proposer_message,
)

logger = logging.getLogger(__name__)
R = TypeVar("R")


def announce_request(services: Services, client: WebClient, proposed: Proposed) -> None:
    """DM the new request to the approver and the proposer's copy to the proposer (after the ack)."""
    with services.db.session() as session:
        trade = load_trade(session, proposed.workspace_id, proposed.trade_id)
        workspace = session.get(Workspace, trade.workspace_id)
        approver = get_member(session, trade.workspace_id, trade.approver_id or 0)
        assert workspace is not None and approver is not None
        team_id, enterprise_id, approver_user_id = (
            workspace.team_id,
            workspace.enterprise_id,
            approver.slack_user_id,
        )
    _quietly(
        "refresh the approver's profile",
        lambda: resolve_actor(services, client, team_id, approver_user_id, enterprise_id),
    )
    with services.db.session() as session:
        trade = load_trade(session, proposed.workspace_id, proposed.trade_id)
        approver_message = request_message(session, trade, Role.APPROVER)
        proposer_message = request_message(session, trade, Role.PROPOSER)
        users = users_of(session, trade)
    approver_post = _quietly("DM the request", lambda: post_dm(client, users.approver, approver_message))
    proposer_post = _quietly(
        "DM the proposer's copy", lambda: post_dm(client, users.proposer, proposer_message)
    )
    with services.db.session() as session:
        trade = load_trade(session, proposed.workspace_id, proposed.trade_id)
        if isinstance(approver_post, Posted):
            set_approver_message(session, trade, approver_post.channel, approver_post.ts)
            record_copy(
                session, trade, Role.APPROVER, users.approver, approver_post.channel, approver_post.ts
            )
        if isinstance(proposer_post, Posted):
            set_proposer_message(session, trade, proposer_post.channel, proposer_post.ts)
            record_copy(
                session, trade, Role.PROPOSER, users.proposer, proposer_post.channel, proposer_post.ts
            )
    _refresh_homes(services, client, proposed.workspace_id, users.everyone)


def announce_decision(services: Services, client: WebClient, decided: Decided) -> None:
    """Update every copy of the request in place and tell the other side in their thread."""
    with services.db.session() as session:
        trade = load_trade(session, decided.workspace_id, decided.trade_id)
        users = users_of(session, trade)
        copies = [
            (_posted(trade.slack_channel, trade.slack_ts), request_message(session, trade, Role.APPROVER)),
            (
                _posted(trade.proposer_channel, trade.proposer_ts),
                request_message(session, trade, Role.PROPOSER),
            ),
        ]
        escalation = _escalation_post(session, trade)
        if escalation is not None:
            copies.append((escalation, request_message(session, trade, Role.ESCALATION)))
        to_role = _notify_role(decided, trade)
        notice = notice_message(
            session, trade, _notice_kind(decided), to_role, by_user_id=decided.actor_user_id
        )
        thread = (
            _posted(trade.proposer_channel, trade.proposer_ts)
            if to_role is Role.PROPOSER
            else _posted(trade.slack_channel, trade.slack_ts)
        )
        recipient = users.proposer if to_role is Role.PROPOSER else users.approver
    for posted, message in copies:
        if posted is not None:
            _quietly("update a request message", functools.partial(update_message, client, posted, message))
    _quietly(
        "notify the other side",
        lambda: post_dm(client, recipient, notice, thread_ts=thread.ts if thread is not None else None),
    )
    _refresh_homes(services, client, decided.workspace_id, users.everyone)


def repair_message(
    services: Services, client: WebClient, actor: Actor, trade_id: int, posted: Posted
) -> None:
    """After a refused click on an out-of-date copy, show that copy as it stands now."""
    with services.db.session() as session:
        found = trade_for(session, actor, trade_id)
        if found is None:
            return
        trade = found[0]
        role = None
        if (trade.slack_channel, trade.slack_ts) == (posted.channel, posted.ts):
            role = Role.APPROVER
        elif (trade.proposer_channel, trade.proposer_ts) == (posted.channel, posted.ts):
            role = Role.PROPOSER
        elif _escalation_post(session, trade) == posted:
            role = Role.ESCALATION
        if role is None:
            return
        message = request_message(session, trade, role)
    _quietly("repair a request message", lambda: update_message(client, posted, message))


def _quietly(what: str, call: Callable[[], Any]) -> Any:
    """A Slack call whose failure must not undo what is already recorded (logged, returns None)."""
    try:
        return call()
    except (SlackApiError, SlackRequestError, OSError) as error:
        name = error.response.get("error") if isinstance(error, SlackApiError) else type(error).__name__
        logger.warning("could not %s: %s", what, name)
        return None


def _refresh_homes(services: Services, client: WebClient, workspace_id: int, user_ids: list[str]) -> None:
    for user_id in user_ids:
        _quietly(
            "refresh the App Home", functools.partial(refresh_home, services, client, workspace_id, user_id)
        )


# --- what every trade button does first and last: who clicked on which trade, a refusal's reply

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


def unless_refused(
    services: Services,
    body: Mapping[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
    act: Callable[[Actor, TradeRef], R | Refused],
) -> tuple[Actor, TradeRef, R] | None:
    """Who clicked which trade and what ``act`` answers them; None once a refusal (a value Parley
    did not write, or ``act`` refusing) has been said and the clicked message repaired."""
    clicked = clicked_trade(body, client, respond, context)
    if clicked is None:
        return None
    actor, ref = clicked
    result = act(actor, ref)
    if isinstance(result, Refused):
        refuse(services, client, respond, actor, result, ref, body)
        return None
    return actor, ref, result


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
    ref = form_meta(ack, edge.view_of(body), TradeRef, {error_block: STALE_FORM})
    if ref is None:
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


def decide_on_click(
    services: Services,
    body: Mapping[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
    move: Move,
) -> None:
    """Approve, Accept counter and Withdraw: decided on the click, then every copy is updated."""
    clicked = unless_refused(
        services, body, client, context, respond, lambda actor, ref: decide(services, actor, ref, move)
    )
    if clicked is not None and isinstance(clicked[2], Decided):
        announce_decision(services, client, clicked[2])


def open_decision_modal(
    services: Services,
    body: Mapping[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
    move: Move,
    view_for: Callable[[TradeRef, Draft], dict[str, Any]],
) -> None:
    """Reject… and Counter…: the modal, only for whoever may decide and only while it waits on them."""
    clicked = unless_refused(
        services, body, client, context, respond, lambda actor, ref: draft_for(services, actor, ref, move)
    )
    if clicked is None:
        return
    _, ref, draft = clicked
    try:
        client.views_open(trigger_id=edge.trigger_id(body), view=view_for(ref, draft))
    except SLACK_FAILURES as error:
        form_did_not_open(respond, client, body, "form", error)
