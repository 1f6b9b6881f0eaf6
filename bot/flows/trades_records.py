"""A trade's row and its state machine's state, both ways, and the small reads every trade module
shares (who the sides are, the negotiation's label and currency, the escalation copy)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from bot.members import Actor
from bot.messaging import Posted
from coaching.dates import day_words
from coaching.money import Money, is_currency
from coaching.parsing import LinesError, parse_text_lines
from coaching.playbook import Playbook, Policy
from coaching.trades import (
    Escalate,
    Expire,
    Party,
    Remind,
    TradeCheck,
    TradeState,
    TradeStatus,
    TradeTerms,
    next_timed_event,
    worst_severity,
)
from coaching.worktime import local_instant
from coaching.zones import safe_zone as zone
from storage.models import Member, Negotiation, TradeProposal, Workspace
from storage.queries import audit, outbox
from storage.queries.members import find_member, get_member
from storage.queries.negotiations import find_prep
from storage.queries.trades import (
    get_trade,
    last_counter_by,
)
from storage.queries.workspaces import in_same_org

PENDING, COUNTERED = "pending", "countered"


class Role(StrEnum):
    """Who a request message is for: the approver, whom it was escalated to, or the proposer."""

    APPROVER = "approver"
    ESCALATION = "escalation"
    PROPOSER = "proposer"


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
    return Users(slack_id(requester), slack_id(approver), trade.escalated_to or "")


def slack_id(member: Member | None) -> str:
    """A member's Slack id to mention, or "" for nobody (or an erased member: their tombstone's id is
    not a Slack user, and they are named nowhere any more)."""
    if member is None or member.erased_at is not None:
        return ""
    return member.slack_user_id


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
    return day_words(day)


def _posted(channel: str | None, ts: str | None) -> Posted | None:
    return Posted(channel, ts) if channel and ts else None


def load_trade(session: Session, workspace_id: int, trade_id: int) -> TradeProposal:
    """The trade (inside the workspace); raises LookupError if it is not there."""
    trade = get_trade(session, workspace_id, trade_id)
    if trade is None:
        raise LookupError(f"trade {trade_id} is not in workspace {workspace_id}")
    return trade


def trade_for(session: Session, actor: Actor, trade_id: int) -> tuple[TradeProposal, Member] | None:
    """The trade and the member ``actor`` is in the trade's workspace, or None.

    A trade of the actor's own workspace; or, on Enterprise Grid, of another workspace of the same
    org, where the same Slack user (Grid user ids are the same in every workspace of an org) acts as
    the member recorded there — a manager in one workspace deciding for a report in another. Never a
    trade of a workspace outside the actor's org, nor of another workspace outside Grid: tenant
    isolation holds, and whether such a trade exists is not revealed.
    """
    trade = get_trade(session, actor.workspace_id, trade_id)
    if trade is not None:
        member = get_member(session, actor.workspace_id, actor.member_id)
        return (trade, member) if member is not None else None
    other = session.get(TradeProposal, trade_id, populate_existing=True)
    if other is None:
        return None
    home = session.get(Workspace, other.workspace_id)
    mine = session.get(Workspace, actor.workspace_id)
    if home is None or mine is None or not in_same_org(home, mine):
        return None
    member = find_member(session, home.id, actor.slack_user_id)
    return (other, member) if member is not None else None


def _workspace_and_member(session: Session, actor: Actor) -> tuple[Workspace, Member]:
    workspace = session.get(Workspace, actor.workspace_id)
    member = get_member(session, actor.workspace_id, actor.member_id)
    assert workspace is not None and member is not None, "the actor was resolved in this workspace"
    return workspace, member


def approver_side(session: Session, trade: TradeProposal, users: Users) -> str:
    """Who acts for the approver's side now, by Slack id: whoever made its latest counter while it
    is with the proposer (an escalation target who countered, not the original approver), else whom
    it was escalated to, else the approver."""
    if trade.rounds % 2:
        return countered_by(session, trade, users)
    return users.escalated_to or users.approver


def countered_by(session: Session, trade: TradeProposal, users: Users) -> str:
    """Who made the latest counter ("" before any): the member recorded in the audit trail, else
    the side whose turn it was (the approver for odd rounds, the proposer for even ones)."""
    if not trade.rounds:
        return ""
    actor = last_counter_by(session, trade.workspace_id, trade.id)
    if actor is not None:
        member = get_member(session, trade.workspace_id, actor)
        if member is not None:
            return slack_id(member)
    if trade.rounds % 2:
        return users.escalated_to or users.approver
    return users.proposer
