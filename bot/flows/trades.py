"""The concession-trade approval loop (DESIGN §5 flow 4): propose, decide, counter, withdraw, wait.

A learner proposes "if they give X (worth a), we give Y (costs b)". The coaching engine's policy
checks run first: a giveaway is refused in the modal; everything else (imbalance, out-of-bounds,
over the playbook's maximum) is shown to both sides. The approver — the learner's manager, else the
workspace's fallback approver — gets the request in a DM and approves, rejects (with a reason) or
counters; a counter goes back to the proposer, who accepts it, counters again or withdraws.

The state machine is :mod:`coaching.trades`; its state lives in the ``trade_proposals`` row
(``status``, ``rounds``, ``reminders``, ``turn_started_at``, ``escalated_*``). Every change is one
conditional UPDATE naming the status and round it expects (``storage.queries.trades.change_trade``),
so the first decision wins and a second click, a second approver or a retried request is told it was
already decided. Reading and authorising happen in one unit of work, the change in the next, with the
UPDATE as its first statement.

The clock's side (reminders, escalation, expiry) is the ``trade_timers`` job in
``bot.scheduler.trades``: :func:`due_event` says what is owed, the job moves the state and enqueues
the messages in one unit of work, and they are rendered at delivery. Use-case functions return plain
data; ``announce_*`` render the templates and make the Slack calls through :mod:`bot.messaging`.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from sqlalchemy.orm import Session

from bot.flows.home import refresh_home
from bot.flows.team import WhoCanSet, approver_for, who_can_set
from bot.members import Actor, resolve_actor
from bot.messaging import Posted, post_dm, update_message
from bot.playbook import current_playbook
from bot.services import Services
from coaching.money import AmountError, Money, is_currency, parse_amount
from coaching.parsing import LinesError, parse_text_lines
from coaching.playbook import Playbook, Policy
from coaching.styles import Style, profile_for
from coaching.trades import (
    AcceptCounter,
    Approve,
    CheckKind,
    Counter,
    Escalate,
    Expire,
    IllegalTransition,
    Party,
    Reject,
    Remind,
    TradeCheck,
    TradeEvent,
    TradeState,
    TradeStatus,
    TradeTerms,
    Withdraw,
    check_trade,
    event_name,
    next_timed_event,
    transition,
    worst_severity,
)
from coaching.trades import TradeProposal as Ask
from coaching.worktime import local_instant
from storage.models import Member, Negotiation, TradeProposal, Workspace
from storage.queries import audit, outbox
from storage.queries.idempotency import claim
from storage.queries.members import find_member, get_member
from storage.queries.negotiations import find_negotiation, find_prep, open_negotiations
from storage.queries.team import is_admin
from storage.queries.trades import (
    FINAL_STATUSES,
    add_trade,
    change_trade,
    get_trade,
    open_requested_by,
    record_on_ledger,
    set_approver_message,
    set_proposer_message,
    waiting_on_approver,
)
from templates import Message, render_message
from templates.fit import text_length
from templates.ids.trades import TradeBlock

logger = logging.getLogger(__name__)

# Lengths as Slack counts them (UTF-16 units), so what is stored can pre-fill a modal again.
MAX_ITEM = 500  # the columns' size
MAX_REASON = 2000
MAX_AMOUNT = 60
PENDING, COUNTERED = "pending", "countered"


class Role(StrEnum):
    """Who a request message is for: the approver, whom it was escalated to, or the proposer."""

    APPROVER = "approver"
    ESCALATION = "escalation"
    PROPOSER = "proposer"


class Move(StrEnum):
    """What a member asks for by clicking or submitting."""

    APPROVE = "approve"  # approver: approve a request, or accept the proposer's counter
    REJECT = "reject"
    COUNTER = "counter"  # whoever's turn it is
    ACCEPT = "accept"  # proposer: accept the approver's counter
    WITHDRAW = "withdraw"  # proposer, while open


@dataclass(frozen=True)
class TradeRef:
    """Button value / private_metadata: the trade and the round the clicked message showed."""

    trade_id: int
    round: int


# --------------------------------------------------------------------------------------------------
# Reading the terms typed in a modal.


@dataclass(frozen=True)
class TermsForm:
    """The terms as typed (raw strings); amounts are read with ``coaching.money.parse_amount``."""

    get: str = ""
    get_value: str = ""
    give: str = ""
    give_cost: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Invalid:
    """Field errors keyed by input block id; nothing was changed."""

    errors: dict[str, str]


def read_terms(
    form: TermsForm, *, default_currency: str, style: str | None, playbook: Playbook
) -> tuple[TradeTerms | None, dict[str, str]]:
    """The terms, or an error per field. Nothing asked in return is refused with the coaching."""
    errors: dict[str, str] = {}
    give, get = form.give.strip(), form.get.strip()
    if not give:
        errors[TradeBlock.GIVE] = "Say what we would give."
    elif text_length(give) > MAX_ITEM:
        errors[TradeBlock.GIVE] = f"Keep it to {MAX_ITEM} characters."
    if text_length(get) > MAX_ITEM:
        errors[TradeBlock.GET] = f"Keep it to {MAX_ITEM} characters."
    if text_length(form.reason.strip()) > MAX_REASON:
        errors[TradeBlock.REASON] = f"Keep it to {MAX_REASON} characters."
    cost = _amount(form.give_cost, default_currency, TradeBlock.GIVE_COST, errors)
    value = _amount(form.get_value, default_currency, TradeBlock.GET_VALUE, errors)
    if not get and TradeBlock.GET not in errors:
        errors[TradeBlock.GET] = giveaway_coaching(give or "it", style, playbook)
    if errors:
        return None, errors
    return TradeTerms(give=give, give_cost=cost, get=get, get_value=value), {}


def giveaway_coaching(give: str, style: str | None, playbook: Playbook) -> str:
    """The engine's giveaway explanation, followed by how the member's style tends to concede."""
    checks = check_trade(Ask(TradeTerms(give, None, "", None)), limits=(), playbook=playbook)
    message = next(check.message for check in checks if check.kind is CheckKind.GIVEAWAY)
    profile = profile_for(_style(style))
    return f"{message} {profile.label}: {profile.concedes}"


def _amount(text: str, currency: str, block: str, errors: dict[str, str]) -> Money | None:
    text = text.strip()
    if not text:
        return None
    if len(text) > MAX_AMOUNT:
        errors[block] = "That is too long to be an amount: type it like 2,000, $2,000 or 800 EUR."
        return None
    try:
        return parse_amount(text, currency)
    except AmountError as error:
        errors[block] = f"{error}: type it like 2,000, $2,000, 1.5k or 800 EUR."
        return None


# --------------------------------------------------------------------------------------------------
# Proposing.


@dataclass(frozen=True)
class NegotiationChoice:
    id: int
    label: str


@dataclass(frozen=True)
class ProposeModal:
    """What the propose modal shows."""

    approver_user_id: str
    negotiations: list[NegotiationChoice]
    selected: int | None
    currency: str


@dataclass(frozen=True)
class ProposalForm:
    terms: TermsForm
    negotiation_id: int | None = None
    needed_by: date | None = None


@dataclass(frozen=True)
class Proposed:
    workspace_id: int
    trade_id: int


@dataclass(frozen=True)
class Duplicate:
    """The same submission arrived again (a double click, a redelivery): it was already handled."""


def proposal_modal(
    services: Services, actor: Actor, *, negotiation_id: int | None = None, title_hint: str = ""
) -> ProposeModal | WhoCanSet:
    """The propose modal for ``actor``, or who can set them an approver when they have none."""
    playbook = current_playbook(services.settings)
    with services.db.session() as session:
        workspace, me = _workspace_and_member(session, actor)
        approver = approver_for(session, workspace, me)
        if approver is None:
            return who_can_set(session, workspace, me)
        negotiations = open_negotiations(session, workspace.id, me.id)
        selected: int | None = None
        if negotiation_id is not None:
            chosen = find_negotiation(session, workspace.id, negotiation_id)
            if chosen is not None and chosen.owner_id == me.id:
                selected = chosen.id
                if all(n.id != chosen.id for n in negotiations):
                    negotiations.insert(0, chosen)
        elif title_hint.strip():
            hint = title_hint.strip().casefold()
            selected = next((n.id for n in negotiations if hint in n.title.casefold()), None)
        return ProposeModal(
            approver_user_id=approver.slack_user_id,
            negotiations=[NegotiationChoice(n.id, _negotiation_label(n)) for n in negotiations],
            selected=selected,
            currency=playbook.policy.default_currency,
        )


def submit_proposal(
    services: Services, actor: Actor, form: ProposalForm, submission_key: str
) -> Proposed | Invalid | WhoCanSet | Duplicate:
    """Check and record a proposal (one unit of work); nothing is stored unless it can be sent."""
    now = services.clock()
    playbook = current_playbook(services.settings)
    with services.db.session() as session:
        workspace, me = _workspace_and_member(session, actor)
        errors: dict[str, str] = {}
        negotiation: Negotiation | None = None
        if form.negotiation_id is not None:
            negotiation = find_negotiation(session, workspace.id, form.negotiation_id)
            if negotiation is None or negotiation.owner_id != me.id:
                errors[TradeBlock.NEGOTIATION] = "Pick one of your own negotiations."
                negotiation = None
        currency = _currency(negotiation, playbook)
        terms, term_errors = read_terms(
            form.terms, default_currency=currency, style=me.style, playbook=playbook
        )
        errors.update(term_errors)
        today = now.astimezone(zone(me.tz)).date()
        if form.needed_by is not None and form.needed_by < today:
            errors[TradeBlock.NEEDED_BY] = "That date has passed: pick today or later, or leave it empty."
        if errors or terms is None:
            return Invalid(errors)
        approver = approver_for(session, workspace, me)
        if approver is None:
            return who_can_set(session, workspace, me)
        if not claim(session, workspace.id, submission_key):
            return Duplicate()
        reason = form.terms.reason.strip()
        checks = check_trade(
            Ask(terms, reason, form.needed_by),
            limits=_prep_limits(session, workspace.id, negotiation),
            playbook=playbook,
            today=today,
        )
        trade = add_trade(
            session,
            workspace_id=workspace.id,
            negotiation_id=negotiation.id if negotiation else None,
            requester_id=me.id,
            approver_id=approver.id,
            reason=reason,
            needed_by=form.needed_by,
            status=PENDING,
            rounds=0,
            reminders=0,
            turn_started_at=now,
            **_term_columns(terms, currency),
            checks=[_check_json(check) for check in checks],
        )
        audit.record(
            session,
            workspace.id,
            "trade.proposed",
            "trade",
            trade.id,
            now,
            actor_id=me.id,
            terms=terms.sentence,
            approver=approver.slack_user_id,
            negotiation_id=trade.negotiation_id,
            needed_by=form.needed_by.isoformat() if form.needed_by else None,
        )
        _record_checks(session, trade, checks, now, me.id)
        return Proposed(workspace.id, trade.id)


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
        if isinstance(proposer_post, Posted):
            set_proposer_message(session, trade, proposer_post.channel, proposer_post.ts)
    _refresh_homes(services, client, proposed.workspace_id, users.everyone)


# --------------------------------------------------------------------------------------------------
# Deciding (both sides), with authorisation and exactly-once.


class RefusalKind(StrEnum):
    NOT_YOURS = "not_yours"  # someone else's decision (or another workspace's trade)
    DECIDED = "decided"  # already final
    MOVED_ON = "moved_on"  # changed since that message (a counter, a new round), or not your turn


@dataclass(frozen=True)
class Refused:
    """Why nothing changed; rendered by ``messages/trade_refused`` or, in a modal, as :attr:`text`."""

    kind: RefusalKind
    status: str = ""
    user_id: str = ""  # who decided, or whom it waits on
    user_name: str = ""
    at: datetime | None = None

    @property
    def text(self) -> str:
        """Plain text for a modal field error (mentions do not render there)."""
        who = self.user_name or "someone else"
        if self.kind is RefusalKind.NOT_YOURS:
            return "This trade is not yours to decide: nothing was changed."
        if self.kind is RefusalKind.DECIDED:
            return f"Already decided: {self.status} by {who}. Nothing was changed."
        return f"This request has changed since (it now waits on {who}): nothing was changed."


@dataclass(frozen=True)
class Decided:
    workspace_id: int
    trade_id: int
    move: Move
    event: str  # the state machine's event name: approve, reject, counter, accept_counter, withdraw
    status: str
    actor_user_id: str


@dataclass(frozen=True)
class _Loaded:
    trade_id: int
    workspace_id: int
    member_id: int
    member_user_id: str
    status: str
    rounds: int
    state: TradeState
    limits: tuple[str, ...]
    currency: str
    style: str | None


@dataclass(frozen=True)
class Draft:
    """The terms on the table, for the reject and counter modals."""

    form: TermsForm  # as the counter modal pre-fills them
    sentence: str
    author_user_id: str  # who put these terms forward
    currency: str


def draft_for(services: Services, actor: Actor, ref: TradeRef, move: Move) -> Draft | Refused:
    """What the modal for ``move`` shows, if ``actor`` may make it now (checked again on submit)."""
    with services.db.session() as session:
        loaded = _load(session, actor, ref, move)
        if isinstance(loaded, Refused):
            return loaded
        trade = load_trade(session, loaded.workspace_id, loaded.trade_id)
        users = users_of(session, trade)
        terms = loaded.state.terms
        form = TermsForm(
            get=terms.get,
            get_value=str(terms.get_value) if terms.get_value else "",
            give=terms.give,
            give_cost=str(terms.give_cost) if terms.give_cost else "",
            reason=trade.reason,
        )
        author = users.approver if trade.rounds % 2 else users.proposer
        return Draft(form, terms.sentence, author, loaded.currency)


def decide(
    services: Services,
    actor: Actor,
    ref: TradeRef,
    move: Move,
    *,
    reason: str = "",
    terms: TermsForm | None = None,
) -> Decided | Refused | Invalid:
    """Make ``move`` on the trade if ``actor`` may, exactly once; ``reason`` for a rejection,
    ``terms`` for a counter."""
    now = services.clock()
    playbook = current_playbook(services.settings)
    with services.db.session() as session:
        loaded = _load(session, actor, ref, move)
    if isinstance(loaded, Refused):
        return loaded
    state = loaded.state
    new_terms: TradeTerms | None = None
    if move is Move.REJECT:
        reason = reason.strip()
        if not reason:
            return Invalid(
                {TradeBlock.REJECT_REASON: "Say why, so the proposer can come back with a better trade."}
            )
        if text_length(reason) > MAX_REASON:
            return Invalid({TradeBlock.REJECT_REASON: f"Keep it to {MAX_REASON} characters."})
    if move is Move.COUNTER:
        new_terms, errors = read_terms(
            terms or TermsForm(), default_currency=loaded.currency, style=actor.style, playbook=playbook
        )
        if new_terms is None:
            return Invalid(errors)
    event = _event(move, state, reason, new_terms)
    try:
        after = transition(state, event)
    except IllegalTransition:
        return Refused(RefusalKind.MOVED_ON, loaded.status)
    values: dict[str, Any] = {
        "status": db_status(after),
        "rounds": after.rounds,
        "reminders": after.reminders,
    }
    checks: tuple[TradeCheck, ...] = ()
    if isinstance(event, Counter):
        assert new_terms is not None
        counter_reason = (terms.reason if terms else "").strip()
        checks = check_trade(
            Ask(new_terms, counter_reason), limits=loaded.limits, playbook=playbook, today=None
        )
        values |= _term_columns(new_terms, loaded.currency) | {
            "reason": counter_reason,
            "turn_started_at": now,
            "checks": [_check_json(check) for check in checks],
        }
    if after.is_final:
        values |= {"decided_by_id": loaded.member_id, "decided_at": now}
        if isinstance(event, Reject):
            values["decision_reason"] = reason
    with services.db.session() as session:
        changed = change_trade(
            session,
            loaded.workspace_id,
            loaded.trade_id,
            expected_status=loaded.status,
            expected_rounds=loaded.rounds,
            values=values,
        )
        if not changed:
            fresh = load_trade(session, loaded.workspace_id, loaded.trade_id)
            return _refusal(session, fresh)
        trade = load_trade(session, loaded.workspace_id, loaded.trade_id)
        detail: dict[str, Any] = {"round": trade.rounds, "terms": after.terms.sentence}
        if isinstance(event, Reject):
            detail["reason"] = reason
        if isinstance(event, Counter):
            detail["reason"] = trade.reason
            detail["by"] = "approver" if trade.status == COUNTERED else "proposer"
        audit.record(
            session,
            trade.workspace_id,
            f"trade.{_action_name(event)}",
            "trade",
            trade.id,
            now,
            actor_id=loaded.member_id,
            **detail,
        )
        if checks:
            _record_checks(session, trade, checks, now, loaded.member_id)
        if after.is_final:
            record_on_ledger(session, trade, now)
        return Decided(
            trade.workspace_id, trade.id, move, event_name(event), trade.status, loaded.member_user_id
        )


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
        trade = get_trade(session, actor.workspace_id, trade_id)
        if trade is None:
            return
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


def _load(session: Session, actor: Actor, ref: TradeRef, move: Move) -> _Loaded | Refused:
    trade = get_trade(session, actor.workspace_id, ref.trade_id)
    if trade is None:
        return Refused(RefusalKind.NOT_YOURS)
    workspace, me = _workspace_and_member(session, actor)
    side = _side_for(move, trade, me)
    if not _may_act(trade, me, workspace, side):
        return Refused(RefusalKind.NOT_YOURS)
    if trade.status in FINAL_STATUSES:
        return _refusal(session, trade)
    if move is not Move.WITHDRAW and (trade.rounds != ref.round or _awaited(trade) is not side):
        return _refusal(session, trade)
    negotiation = (
        find_negotiation(session, trade.workspace_id, trade.negotiation_id) if trade.negotiation_id else None
    )
    requester = get_member(session, trade.workspace_id, trade.requester_id)
    return _Loaded(
        trade_id=trade.id,
        workspace_id=trade.workspace_id,
        member_id=me.id,
        member_user_id=me.slack_user_id,
        status=trade.status,
        rounds=trade.rounds,
        state=state_of(trade),
        limits=_prep_limits(session, trade.workspace_id, negotiation),
        currency=trade.currency,
        style=requester.style if requester is not None else None,
    )


def _side_for(move: Move, trade: TradeProposal, me: Member) -> Party:
    """The side a move is made for; a counter is the proposer's when they make it, else the approver's."""
    if move in (Move.APPROVE, Move.REJECT):
        return Party.APPROVER
    if move in (Move.ACCEPT, Move.WITHDRAW):
        return Party.PROPOSER
    return Party.PROPOSER if me.id == trade.requester_id else Party.APPROVER


def _awaited(trade: TradeProposal) -> Party | None:
    return {PENDING: Party.APPROVER, COUNTERED: Party.PROPOSER}.get(trade.status)


def _may_act(trade: TradeProposal, me: Member, workspace: Workspace, side: Party) -> bool:
    """The proposer acts for themself; the approver side is the approver, whom it was escalated to,
    or an admin — never the proposer, whatever their role."""
    if side is Party.PROPOSER:
        return me.id == trade.requester_id
    if me.id == trade.requester_id:
        return False
    return me.id == trade.approver_id or me.slack_user_id == trade.escalated_to or is_admin(me, workspace)


def _refusal(session: Session, trade: TradeProposal) -> Refused:
    if trade.status in FINAL_STATUSES:
        by = get_member(session, trade.workspace_id, trade.decided_by_id) if trade.decided_by_id else None
        return Refused(
            RefusalKind.DECIDED,
            trade.status,
            by.slack_user_id if by else "",
            by.display_name if by else "",
            trade.decided_at,
        )
    waiting = trade.approver_id if trade.status == PENDING else trade.requester_id
    member = get_member(session, trade.workspace_id, waiting) if waiting else None
    return Refused(
        RefusalKind.MOVED_ON,
        trade.status,
        member.slack_user_id if member else "",
        member.display_name if member else "",
        trade.turn_started_at,
    )


def _event(move: Move, state: TradeState, reason: str, terms: TradeTerms | None) -> TradeEvent:
    if move is Move.APPROVE:
        return Approve() if state.status is TradeStatus.PENDING else AcceptCounter()
    if move is Move.ACCEPT:
        return AcceptCounter()
    if move is Move.REJECT:
        return Reject(reason)
    if move is Move.WITHDRAW:
        return Withdraw()
    assert terms is not None
    return Counter(terms)


def _action_name(event: TradeEvent) -> str:
    """Audit action names: trade.approved, trade.rejected, trade.countered, trade.accepted, …"""
    return {
        "approve": "approved",
        "reject": "rejected",
        "counter": "countered",
        "accept_counter": "accepted",
        "withdraw": "withdrawn",
        "expire": "expired",
        "escalate": "escalated",
        "remind": "reminded",
    }[event_name(event)]


def _notify_role(decided: Decided, trade: TradeProposal) -> Role:
    """Whom to tell: the side that did not act."""
    if decided.move in (Move.WITHDRAW, Move.ACCEPT):
        return Role.APPROVER
    if decided.move is Move.COUNTER:
        return Role.PROPOSER if trade.status == COUNTERED else Role.APPROVER
    return Role.PROPOSER


def _notice_kind(decided: Decided) -> str:
    return {
        Move.APPROVE: "approved" if decided.status == "approved" else "accepted",
        Move.REJECT: "rejected",
        Move.COUNTER: "countered",
        Move.ACCEPT: "accepted",
        Move.WITHDRAW: "withdrawn",
    }[decided.move]


# --------------------------------------------------------------------------------------------------
# The state in the row.


def state_of(trade: TradeProposal) -> TradeState:
    """The state machine's view of a row (``status`` ``pending`` after a counter means COUNTERED
    waiting on the approver)."""
    if trade.status == PENDING:
        status = TradeStatus.PENDING if trade.rounds == 0 else TradeStatus.COUNTERED
        awaiting: Party | None = Party.APPROVER
    elif trade.status == COUNTERED:
        status, awaiting = TradeStatus.COUNTERED, Party.PROPOSER
    else:
        status, awaiting = TradeStatus(trade.status), None
    return TradeState(
        status=status,
        terms=terms_of(trade),
        awaiting=awaiting,
        escalated=trade.escalated_at is not None,
        reminders=trade.reminders,
        rounds=trade.rounds,
        rejection_reason=trade.decision_reason if trade.status == "rejected" else None,
    )


def db_status(state: TradeState) -> str:
    """The row's ``status`` for a state: whose turn it is while open, else the final state."""
    if state.is_final:
        return state.status.value
    return PENDING if state.awaiting is Party.APPROVER else COUNTERED


def terms_of(trade: TradeProposal) -> TradeTerms:
    value_currency = trade.value_currency or trade.currency
    return TradeTerms(
        give=trade.give_item,
        give_cost=Money(trade.give_cost_minor, trade.currency) if trade.give_cost_minor is not None else None,
        get=trade.get_item,
        get_value=Money(trade.get_value_minor, value_currency) if trade.get_value_minor is not None else None,
    )


def _term_columns(terms: TradeTerms, currency: str) -> dict[str, Any]:
    cost_currency = terms.give_cost.currency if terms.give_cost else None
    value_currency = terms.get_value.currency if terms.get_value else None
    main = cost_currency or value_currency or currency
    return {
        "give_item": terms.give,
        "give_cost_minor": terms.give_cost.amount_minor if terms.give_cost else None,
        "get_item": terms.get,
        "get_value_minor": terms.get_value.amount_minor if terms.get_value else None,
        "currency": main,
        "value_currency": value_currency if value_currency not in (None, main) else None,
    }


def _check_json(check: TradeCheck) -> dict[str, str]:
    return {"kind": check.kind.value, "severity": check.severity.value, "message": check.message}


def _record_checks(
    session: Session, trade: TradeProposal, checks: tuple[TradeCheck, ...], at: datetime, actor_id: int
) -> None:
    worst = worst_severity(checks)
    audit.record(
        session,
        trade.workspace_id,
        "trade.checked",
        "trade",
        trade.id,
        at,
        actor_id=actor_id,
        round=trade.rounds,
        worst=worst.value if worst else None,
        checks=[_check_json(check) for check in checks],
    )


# --------------------------------------------------------------------------------------------------
# The clock: reminders, escalation, expiry (rows for the scheduler to deliver).


def due_event(
    trade: TradeProposal, now: datetime, policy: Policy, proposer_tz: str
) -> Remind | Escalate | Expire | None:
    """What the clock owes an open request now: the playbook's remind / escalate / expire steps
    (``coaching.trades.next_timed_event``), and expiry once the needed-by date is over in the
    proposer's time zone."""
    state = state_of(trade)
    if state.is_final:
        return None
    if past_needed_by(trade, now, proposer_tz):
        return Expire()
    started = trade.turn_started_at or trade.created_at
    return next_timed_event(state, waiting_since=started, now=now, policy=policy)


def past_needed_by(trade: TradeProposal, now: datetime, proposer_tz: str) -> bool:
    """Whether the needed-by day is over in the proposer's time zone."""
    if trade.needed_by is None:
        return False
    return now >= local_instant(trade.needed_by + timedelta(days=1), time(0, 0), zone(proposer_tz))


def escalation_key(trade_id: int) -> str:
    return f"trade:{trade_id}:escalation"


def _escalation_post(session: Session, trade: TradeProposal) -> Posted | None:
    """Where the escalation DM went (the outbox row records it once sent)."""
    if trade.escalated_to is None:
        return None
    row = outbox.find_by_dedupe_key(session, trade.workspace_id, escalation_key(trade.id))
    return _posted(row.slack_channel, row.slack_ts) if row is not None else None


# --------------------------------------------------------------------------------------------------
# Lists: /negotiate trade and the App Home.


@dataclass(frozen=True)
class TradeLine:
    trade_id: int
    sentence: str
    status: str
    other_user_id: str  # the approver (own requests) or the proposer (waiting on me)
    since: datetime | None
    needed_by: date | None


@dataclass(frozen=True)
class TradeOverview:
    mine: list[TradeLine] = field(default_factory=list)
    waiting: list[TradeLine] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.mine and not self.waiting


def trade_overview(services: Services, actor: Actor, limit: int = 20) -> TradeOverview:
    """The member's open requests, and the requests waiting on their decision."""
    with services.db.session() as session:
        mine, waiting = [], []
        for trade in open_requested_by(session, actor.workspace_id, actor.member_id, limit):
            users = users_of(session, trade)
            other = users.approver if trade.status == PENDING else users.proposer
            mine.append(_line(trade, other))
        for trade in waiting_on_approver(
            session, actor.workspace_id, actor.member_id, actor.slack_user_id, limit
        ):
            waiting.append(_line(trade, users_of(session, trade).proposer))
        return TradeOverview(mine, waiting)


def _line(trade: TradeProposal, other: str) -> TradeLine:
    return TradeLine(
        trade.id, terms_of(trade).sentence, trade.status, other, trade.turn_started_at, trade.needed_by
    )


# --------------------------------------------------------------------------------------------------
# Messages (template contexts are plain data built here; the templates own the wording).


@dataclass(frozen=True)
class Users:
    proposer: str
    approver: str
    escalated_to: str

    def of(self, role: Role) -> str:
        return {
            Role.PROPOSER: self.proposer,
            Role.APPROVER: self.approver,
            Role.ESCALATION: self.escalated_to,
        }[role]

    @property
    def everyone(self) -> list[str]:
        return [uid for uid in dict.fromkeys((self.proposer, self.approver, self.escalated_to)) if uid]


def users_of(session: Session, trade: TradeProposal) -> Users:
    requester = get_member(session, trade.workspace_id, trade.requester_id)
    approver = get_member(session, trade.workspace_id, trade.approver_id) if trade.approver_id else None
    return Users(
        requester.slack_user_id if requester else "",
        approver.slack_user_id if approver else "",
        trade.escalated_to or "",
    )


def request_context(session: Session, trade: TradeProposal, role: Role) -> dict[str, Any]:
    """The ``messages/trade_request`` context for one copy of the request."""
    users = users_of(session, trade)
    requester = get_member(session, trade.workspace_id, trade.requester_id)
    negotiation = (
        find_negotiation(session, trade.workspace_id, trade.negotiation_id) if trade.negotiation_id else None
    )
    decided_by = get_member(session, trade.workspace_id, trade.decided_by_id) if trade.decided_by_id else None
    reader = _reader_tz(session, trade, role)
    terms = terms_of(trade)
    profile = profile_for(_style(requester.style if requester else None))
    final = trade.status in FINAL_STATUSES
    if final:
        actions: list[str] = []
    elif role is Role.PROPOSER:
        actions = ["accept", "counter", "withdraw"] if trade.status == COUNTERED else ["withdraw"]
    else:
        actions = ["approve", "reject", "counter"] if trade.status == PENDING else []
    waiting_on = "" if final else (users.approver if trade.status == PENDING else users.proposer)
    countered_by = ""
    if trade.rounds:
        countered_by = users.approver if trade.rounds % 2 else users.proposer
    return {
        "ref": {"trade_id": trade.id, "round": trade.rounds},
        "role": role.value,
        "status": trade.status,
        "sentence": terms.sentence,
        "negotiation": _negotiation_label(negotiation) if negotiation else "",
        "receive": terms.get,
        "receive_value": terms.get_value.format() if terms.get_value else "",
        "give": terms.give,
        "give_cost": terms.give_cost.format() if terms.give_cost else "",
        "reason": trade.reason or "",
        "needed_by": _day(trade.needed_by) if trade.needed_by else "",
        "checks": [
            {"severity": str(check.get("severity", "info")), "message": str(check.get("message", ""))}
            for check in (trade.checks or [])
        ],
        "limits": list(_prep_limits(session, trade.workspace_id, negotiation)),
        "proposer": users.proposer,
        "approver": users.approver,
        "escalated_to": users.escalated_to,
        "style": profile.label,
        "concedes": profile.concedes,
        "rounds": trade.rounds,
        "countered_by": countered_by,
        "waiting_on": waiting_on,
        "since": when(trade.turn_started_at, reader),
        "decided_by": decided_by.slack_user_id if decided_by else "",
        "decided_at": when(trade.decided_at, reader),
        "decision_reason": trade.decision_reason or "",
        "actions": actions,
    }


def request_message(session: Session, trade: TradeProposal, role: Role) -> Message:
    return render_message("messages/trade_request", trade=request_context(session, trade, role))


def notice_message(
    session: Session, trade: TradeProposal, kind: str, to: Role, *, by_user_id: str = ""
) -> Message:
    """A short note in a side's thread: decided, countered, withdrawn, reminded, escalated, expired."""
    users = users_of(session, trade)
    return render_message(
        "messages/trade_notice",
        kind=kind,
        to=to.value,
        by=by_user_id,
        sentence=terms_of(trade).sentence,
        reason=trade.decision_reason or "",
        proposer=users.proposer,
        approver=users.approver,
        escalated_to=users.escalated_to,
        since=when(trade.turn_started_at, _reader_tz(session, trade, to)),
    )


def thread_of(trade: TradeProposal, to: Role) -> str | None:
    """The ts of ``to``'s copy of the request, to thread notes under it."""
    if to is Role.PROPOSER:
        return trade.proposer_ts
    if to is Role.APPROVER:
        return trade.slack_ts
    return None


def overview_message(overview: TradeOverview, tz: str) -> Message:
    return render_message(
        "messages/trade_list",
        mine=[_line_context(line, tz) for line in overview.mine],
        waiting=[_line_context(line, tz) for line in overview.waiting],
    )


def refused_message(refused: Refused, tz: str) -> Message:
    return render_message(
        "messages/trade_refused",
        kind=refused.kind.value,
        status=refused.status,
        user=refused.user_id,
        at=when(refused.at, tz),
    )


def _line_context(line: TradeLine, tz: str) -> dict[str, Any]:
    return {
        "sentence": line.sentence,
        "status": line.status,
        "other": line.other_user_id,
        "since": when(line.since, tz),
        "needed_by": _day(line.needed_by) if line.needed_by else "",
    }


def no_approver_context(who: WhoCanSet) -> dict[str, Any]:
    return {"admins": who.admins[:20], "can_set_own": who.can_set_own}


def propose_view_context(modal: ProposeModal) -> dict[str, Any]:
    return {
        "mode": "propose",
        "metadata": {},
        "approver": modal.approver_user_id,
        "negotiations": [{"id": str(n.id), "label": n.label} for n in modal.negotiations[:100]],
        "selected": str(modal.selected) if modal.selected is not None else "",
        "terms": {"receive": "", "receive_value": "", "give": "", "give_cost": "", "reason": ""},
        "currency": modal.currency,
        "sentence": "",
        "author": "",
    }


def counter_view_context(ref: TradeRef, draft: Draft) -> dict[str, Any]:
    form = draft.form
    return {
        "mode": "counter",
        "metadata": {"trade_id": ref.trade_id, "round": ref.round},
        "approver": "",
        "negotiations": [],
        "selected": "",
        "terms": {
            "receive": form.get,
            "receive_value": form.get_value,
            "give": form.give,
            "give_cost": form.give_cost,
            "reason": form.reason,
        },
        "currency": draft.currency,
        "sentence": draft.sentence,
        "author": draft.author_user_id,
    }


def reject_view_context(ref: TradeRef, draft: Draft) -> dict[str, Any]:
    return {
        "metadata": {"trade_id": ref.trade_id, "round": ref.round},
        "sentence": draft.sentence,
        "proposer": draft.author_user_id,
    }


# --------------------------------------------------------------------------------------------------
# Small helpers.


def zone(tz: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(tz or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _style(style: str | None) -> Style | None:
    try:
        return Style(style) if style else None
    except ValueError:
        return None


def _currency(negotiation: Negotiation | None, playbook: Playbook) -> str:
    if negotiation is not None and is_currency(negotiation.currency):
        return negotiation.currency
    return playbook.policy.default_currency


def _prep_limits(session: Session, workspace_id: int, negotiation: Negotiation | None) -> tuple[str, ...]:
    """The prep's out-of-bounds items, as typed (one per line)."""
    if negotiation is None:
        return ()
    prep = find_prep(session, workspace_id, negotiation.id)
    if prep is None or not prep.limits.strip():
        return ()
    try:
        return parse_text_lines(prep.limits)
    except LinesError:
        return tuple(line.strip() for line in prep.limits.splitlines() if line.strip())


def _negotiation_label(negotiation: Negotiation) -> str:
    parts = [negotiation.title]
    if negotiation.counterpart_name:
        parts.append(negotiation.counterpart_name)
    if negotiation.date:
        parts.append(_day(negotiation.date))
    return " · ".join(parts)


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def when(moment: datetime | None, tz: str | None) -> str:
    """``Mon 23 Nov, 09:30 GMT`` in the reader's time zone ("" for no moment)."""
    if moment is None:
        return ""
    local = moment.astimezone(zone(tz))
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M} {local.tzname()}"


def _reader_tz(session: Session, trade: TradeProposal, role: Role) -> str:
    if role is Role.PROPOSER:
        member = get_member(session, trade.workspace_id, trade.requester_id)
    elif role is Role.APPROVER:
        member = get_member(session, trade.workspace_id, trade.approver_id) if trade.approver_id else None
    else:
        member = find_member(session, trade.workspace_id, trade.escalated_to) if trade.escalated_to else None
    return member.tz if member is not None else "UTC"


def _posted(channel: str | None, ts: str | None) -> Posted | None:
    return Posted(channel, ts) if channel and ts else None


def load_trade(session: Session, workspace_id: int, trade_id: int) -> TradeProposal:
    """The trade (inside the workspace); raises LookupError if it is not there."""
    trade = get_trade(session, workspace_id, trade_id)
    if trade is None:
        raise LookupError(f"trade {trade_id} is not in workspace {workspace_id}")
    return trade


def _workspace_and_member(session: Session, actor: Actor) -> tuple[Workspace, Member]:
    workspace = session.get(Workspace, actor.workspace_id)
    member = get_member(session, actor.workspace_id, actor.member_id)
    assert workspace is not None and member is not None, "the actor was resolved in this workspace"
    return workspace, member


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
