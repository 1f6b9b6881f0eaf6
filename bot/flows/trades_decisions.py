"""Deciding a trade (both sides), with authorisation and exactly-once: approve, reject, counter,
accept, withdraw. Reading and authorising happen in one unit of work, the change in the next, with
the conditional UPDATE as its first statement, so the first decision wins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from bot.flows.trades import Invalid, Move, TermsForm, TradeRef, read_terms
from bot.flows.trades_cards import refresh_trade
from bot.flows.trades_records import (
    COUNTERED,
    PENDING,
    Role,
    _check_json,
    _prep_limits,
    _record_checks,
    _term_columns,
    db_status,
    load_trade,
    state_of,
    trade_for,
    users_of,
)
from bot.members import Actor
from bot.playbook import playbook_of
from bot.services import Services
from coaching.trade_form import reject_reason_problem
from coaching.trades import (
    AcceptCounter,
    Approve,
    Counter,
    IllegalTransition,
    Party,
    Reject,
    TradeCheck,
    TradeEvent,
    TradeState,
    TradeStatus,
    TradeTerms,
    Withdraw,
    check_trade,
    event_name,
    transition,
)
from coaching.trades import TradeProposal as Ask
from storage.models import Member, TradeProposal, Workspace
from storage.queries import audit
from storage.queries.members import get_member
from storage.queries.negotiations import find_negotiation
from storage.queries.team import is_admin
from storage.queries.trades import (
    FINAL_STATUSES,
    change_trade,
    record_on_ledger,
)
from templates.ids.trades import TradeBlock


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
    with services.db.session() as session:
        loaded = _load(session, actor, ref, move)
    if isinstance(loaded, Refused):
        return loaded
    playbook = playbook_of(services, loaded.workspace_id)  # the trade's workspace's (Grid: maybe not mine)
    state = loaded.state
    new_terms: TradeTerms | None = None
    if move is Move.REJECT:
        reason = reason.strip()
        problem = reject_reason_problem(reason)
        if problem is not None:
            return Invalid({TradeBlock.REJECT_REASON: problem})
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
        refresh_trade(session, trade, now)
        return Decided(
            trade.workspace_id, trade.id, move, event_name(event), trade.status, loaded.member_user_id
        )


def _load(session: Session, actor: Actor, ref: TradeRef, move: Move) -> _Loaded | Refused:
    found = trade_for(session, actor, ref.trade_id)
    workspace = session.get(Workspace, found[0].workspace_id) if found is not None else None
    if found is None or workspace is None:
        return Refused(RefusalKind.NOT_YOURS)
    trade, me = found
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
    """Why the click changes nothing: decided already (by whom, when), or moved on to whose turn."""
    if trade.status in FINAL_STATUSES:
        kind, who, since = RefusalKind.DECIDED, trade.decided_by_id, trade.decided_at
    else:
        waiting = trade.approver_id if trade.status == PENDING else trade.requester_id
        kind, who, since = RefusalKind.MOVED_ON, waiting, trade.turn_started_at
    member = get_member(session, trade.workspace_id, who) if who else None
    return Refused(
        kind,
        trade.status,
        member.slack_user_id if member else "",
        member.display_name if member else "",
        since,
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
