"""Trade requests left waiting: reminders, escalation and expiry (DESIGN §5 flow 4).

*When* is :func:`bot.flows.trades.due_event`: the playbook's ``approval_reminder_hours`` (every that
many hours into a turn), ``approval_escalation_hours`` (once, to the approver's own manager or the
fallback approver) and ``approval_expiry_hours``, counted from when the side now awaited got the
turn, plus expiry once the needed-by day is over in the proposer's time zone.

Each step is a conditional UPDATE of the trade (status, round and the reminder count or escalation it
expects) and its outbox rows, in one unit of work: a second clock, a rerun or a tick at the same
instant changes and enqueues nothing more. The rows are rendered at delivery: a reminder for a
request decided in the meantime is skipped, and reminders and escalations land inside the
recipient's working hours (deferred otherwise). Expiry notices go to both sides at once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy.orm import Session

from bot.delivery.kinds import Defer, DeliveryContext, Prepared, Send, Shows, Skip, register_kind
from bot.flows.team import escalation_target
from bot.flows.trades_cards import refresh_trade
from bot.flows.trades_presenter import notice_message, request_message, thread_of
from bot.flows.trades_records import (
    COUNTERED,
    PENDING,
    Role,
    due_event,
    escalation_key,
    load_trade,
    past_needed_by,
    users_of,
    zone,
)
from bot.holidays import member_holidays
from bot.playbook import in_force_over, playbook_for, with_workspace_settings
from bot.scheduler.registry import JobContext, periodic_job
from coaching.playbook import Playbook
from coaching.trades import Escalate, Remind
from coaching.worktime import next_working_instant
from storage.models import Member, TradeProposal, Workspace
from storage.queries import audit, outbox
from storage.queries.members import find_member, get_member
from storage.queries.message_refs import TRADE
from storage.queries.outbox import Claimed
from storage.queries.trades import FINAL_STATUSES, change_trade, get_trade, open_trades, record_on_ledger

REMINDER_KIND: Final = "trade_reminder"
ESCALATION_KIND: Final = "trade_escalation"
NOTICE_KIND: Final = "trade_notice"
EVERY: Final = timedelta(minutes=5)
PAGE: Final = 500


@dataclass(frozen=True, slots=True)
class TradeItem:
    workspace_id: int
    trade_id: int


def _open(session: Session, ctx: JobContext) -> list[TradeItem]:
    items: list[TradeItem] = []
    after = 0
    while True:
        page = open_trades(session, after_id=after, limit=PAGE)
        items += [TradeItem(trade.workspace_id, trade.id) for trade in page]
        if len(page) < PAGE:
            return items
        after = page[-1].id


@periodic_job("trade_timers", every=EVERY, find=_open)
def advance_trade(item: TradeItem, ctx: JobContext) -> int:
    """Remind, escalate or expire one waiting trade request when the playbook says it is time."""
    with ctx.services.db.session() as session:
        policy = playbook_for(ctx.services, session, item.workspace_id).policy  # settings apply at once
        trade = get_trade(session, item.workspace_id, item.trade_id)
        if trade is None:
            return 0
        requester = get_member(session, item.workspace_id, trade.requester_id)
        proposer_tz = requester.tz if requester else "UTC"
        event = due_event(trade, ctx.now, policy, proposer_tz)
        status, rounds, reminders = trade.status, trade.rounds, trade.reminders
        why = "needed_by" if past_needed_by(trade, ctx.now, proposer_tz) else "no_decision"
    if event is None:
        return 0
    with ctx.services.db.session() as session:  # the conditional UPDATE first (see change_trade)

        def moved(values: dict[str, Any], **expected: Any) -> bool:
            """The UPDATE, only if the trade is still in the status and round this job read."""
            return change_trade(
                session,
                item.workspace_id,
                item.trade_id,
                expected_status=status,
                expected_rounds=rounds,
                values=values,
                **expected,
            )

        if isinstance(event, Remind):
            if not moved({"reminders": reminders + 1, "reminded_at": ctx.now}, expected_reminders=reminders):
                return 0
            return _reminded(session, load_trade(session, item.workspace_id, item.trade_id), ctx)
        if isinstance(event, Escalate):
            target = _escalation_member(session, item)
            escalated = {"escalated_at": ctx.now, "escalated_to": target.slack_user_id if target else None}
            if not moved(escalated, not_escalated=True):
                return 0
            return _escalated(session, load_trade(session, item.workspace_id, item.trade_id), target, ctx)
        if not moved({"status": "expired", "decided_at": ctx.now}):
            return 0
        trade = load_trade(session, item.workspace_id, item.trade_id)
        audit.record(session, trade.workspace_id, "trade.expired", "trade", trade.id, ctx.now, reason=why)
        record_on_ledger(session, trade, ctx.now)
        refreshed = refresh_trade(session, trade, ctx.now)
        return refreshed + sum(
            _notice(session, trade, "expired", role, ctx.now) for role in (Role.PROPOSER, Role.APPROVER)
        )


def _escalation_member(session: Session, item: TradeItem) -> Member | None:
    trade = load_trade(session, item.workspace_id, item.trade_id)
    workspace = session.get(Workspace, trade.workspace_id)
    requester = get_member(session, trade.workspace_id, trade.requester_id)
    approver = get_member(session, trade.workspace_id, trade.approver_id) if trade.approver_id else None
    if workspace is None or requester is None:
        return None
    return escalation_target(session, workspace, approver, requester)


def _reminded(session: Session, trade: TradeProposal, ctx: JobContext) -> int:
    to = Role.APPROVER if trade.status == PENDING else Role.PROPOSER
    user_id = users_of(session, trade).of(to)
    audit.record(
        session,
        trade.workspace_id,
        "trade.reminded",
        "trade",
        trade.id,
        ctx.now,
        to=user_id,
        count=trade.reminders,
    )
    if not user_id:
        return 0
    member = find_member(session, trade.workspace_id, user_id)
    return int(
        outbox.enqueue(
            session,
            workspace_id=trade.workspace_id,
            kind=REMINDER_KIND,
            target=user_id,
            payload={
                "trade_id": trade.id,
                "round": trade.rounds,
                "reminder": trade.reminders,
                "to": to.value,
            },
            dedupe_key=f"trade:{trade.id}:round:{trade.rounds}:reminder:{trade.reminders}",
            due_at=_working(ctx.now, member, playbook_for(ctx.services, session, trade.workspace_id)),
        )
    )


def _escalated(session: Session, trade: TradeProposal, target: Member | None, ctx: JobContext) -> int:
    users = users_of(session, trade)
    audit.record(
        session,
        trade.workspace_id,
        "trade.escalated",
        "trade",
        trade.id,
        ctx.now,
        to=target.slack_user_id if target else None,
        approver=users.approver or None,
    )
    enqueued = refresh_trade(session, trade, ctx.now)
    if target is not None:
        enqueued += outbox.enqueue(
            session,
            workspace_id=trade.workspace_id,
            kind=ESCALATION_KIND,
            target=target.slack_user_id,
            payload={"trade_id": trade.id},
            dedupe_key=escalation_key(trade.id),
            due_at=_working(ctx.now, target, playbook_for(ctx.services, session, trade.workspace_id)),
        )
    return enqueued + sum(
        _notice(session, trade, "escalated", role, ctx.now) for role in (Role.PROPOSER, Role.APPROVER)
    )


def _notice(session: Session, trade: TradeProposal, kind: str, to: Role, now: datetime) -> int:
    user_id = users_of(session, trade).of(to)
    if not user_id:
        return 0
    return int(
        outbox.enqueue(
            session,
            workspace_id=trade.workspace_id,
            kind=NOTICE_KIND,
            target=user_id,
            payload={"trade_id": trade.id, "notice": kind, "to": to.value},
            dedupe_key=f"trade:{trade.id}:{kind}:{to.value}",
            due_at=now,
        )
    )


def _working(now: datetime, member: Member | None, playbook: Playbook) -> datetime:
    """The first moment at or after ``now`` inside the member's working hours."""
    return next_working_instant(now, zone(member.tz if member else None), playbook.policy.working_hours)


# --------------------------------------------------------------------------------------------------
# Rendering at delivery.


def _role(row: Claimed) -> Role | None:
    try:
        return Role(str(row.payload.get("to")))
    except ValueError:
        return None


def _in_thread(message: dict[str, object], trade: TradeProposal, to: Role) -> dict[str, object]:
    """Under the recipient's copy of the request, and shown in the DM too (it needs attention)."""
    thread = thread_of(trade, to)
    return {**message, "thread_ts": thread, "reply_broadcast": True} if thread else message


def _outside_hours(session: Session, row: Claimed, ctx: DeliveryContext) -> Defer | None:
    member = find_member(session, row.workspace_id, row.target)
    tz = zone(member.tz if member else None)
    workspace = session.get(Workspace, row.workspace_id)
    playbook = in_force_over(session, ctx.playbook, row.workspace_id)
    policy = with_workspace_settings(playbook, workspace.settings if workspace else None).policy
    hours = replace(
        policy.working_hours,
        holidays=member_holidays(
            policy,
            workspace.settings if workspace else None,
            member.settings if member else None,
            member.tz if member else None,
            ctx.now.date(),
        ),
    )
    if hours.contains(ctx.now.astimezone(tz).replace(tzinfo=None)):
        return None
    return Defer(next_working_instant(ctx.now, tz, hours), "outside the recipient's working hours")


def prepare_reminder(session: Session, row: Claimed, ctx: DeliveryContext) -> Prepared:
    trade = _trade_of(session, row)
    to = _role(row)
    if trade is None or to is None:
        return Skip("the trade is gone")
    awaited = {PENDING: Role.APPROVER, COUNTERED: Role.PROPOSER}.get(trade.status)
    if awaited is not to or trade.rounds != row.payload.get("round"):
        return Skip("the request moved on: decided, countered or withdrawn")
    if users_of(session, trade).of(to) != row.target:
        return Skip("the request is waiting on someone else now")
    deferred = _outside_hours(session, row, ctx)
    if deferred is not None:
        return deferred
    message = notice_message(session, trade, "reminder", to).as_kwargs()
    return Send(_in_thread(message, trade, to))


def prepare_escalation(session: Session, row: Claimed, ctx: DeliveryContext) -> Prepared:
    trade = _trade_of(session, row)
    if trade is None or trade.status != PENDING:
        return Skip("the request was decided or moved on")
    if trade.escalated_to != row.target:
        return Skip("escalated to someone else")
    deferred = _outside_hours(session, row, ctx)
    if deferred is not None:
        return deferred
    shows = Shows(TRADE, trade.id, Role.ESCALATION.value, row.target)
    return Send(request_message(session, trade, Role.ESCALATION).as_kwargs(), shows=shows)


def prepare_notice(session: Session, row: Claimed, ctx: DeliveryContext) -> Prepared:
    trade = _trade_of(session, row)
    to = _role(row)
    kind = row.payload.get("notice")
    if trade is None or to is None or kind not in ("expired", "escalated"):
        return Skip("the trade is gone")
    if kind == "escalated" and trade.status in FINAL_STATUSES:
        return Skip("decided since it was escalated")
    message = notice_message(session, trade, str(kind), to).as_kwargs()
    return Send(_in_thread(message, trade, to))


def _trade_of(session: Session, row: Claimed) -> TradeProposal | None:
    trade_id = row.payload.get("trade_id")
    return get_trade(session, row.workspace_id, trade_id) if isinstance(trade_id, int) else None


register_kind(REMINDER_KIND, prepare_reminder)
register_kind(ESCALATION_KIND, prepare_escalation)
register_kind(NOTICE_KIND, prepare_notice)
