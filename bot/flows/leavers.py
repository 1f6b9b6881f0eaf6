"""People who leave: a member deactivated in Slack stops getting anything, and their work moves on.

Slack says so with a ``user_change`` event whose user is ``deleted: true`` (and ``users.info`` says
the same when Parley next asks). Then, in one unit of work: the member is marked ``left_at``; every
message still waiting for them in the outbox is skipped (and delivery skips any later one, see
:func:`bot.delivery.kinds.prepare`); the trade requests waiting on them as approver go to the
requester's next approver (the fallback approver, else an admin), who gets the request, and the
requester is told. Their reports' Home tabs say the manager is missing. The workspace's leaver policy
(``leaver_policy``: ``keep`` or ``anonymise`` after ``leaver_anonymise_days``) is applied by the daily
job in :mod:`bot.flows.privacy_jobs`. A member reactivated in Slack is simply back.

Helper note: admin-rights refreshes on ``user_change`` live in ``bot/flows/admin_rights.py``; the one
listener calls both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from slack_sdk import WebClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.flows.leavers_notifier import tell
from bot.flows.team import approver_for
from bot.flows.trades_records import PENDING
from bot.services import Services
from storage.models import Member, OutboxMessage, TradeProposal, Workspace
from storage.queries import audit, message_refs
from storage.queries.members import find_member
from storage.queries.message_refs import TRADE
from storage.queries.team import admin_user_ids
from storage.queries.workspaces import find_workspace

LEFT_REASON: Final = "the recipient left Slack"
POLICY_KEY, DAYS_KEY = "leaver_policy", "leaver_anonymise_days"
DEFAULT_POLICY, DEFAULT_DAYS = "keep", 30


@dataclass(frozen=True)
class Moved:
    trade_id: int
    requester_user: str
    approver_user: str  # "" when nobody could take it
    approver_name: str


@dataclass
class Left:
    """What leaving changed, for the notices sent after the unit of work."""

    member_name: str
    skipped_messages: int = 0
    moved: list[Moved] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)  # Slack ids whose manager is now missing


def leaver_policy(settings: Mapping[str, Any] | None) -> tuple[str, int]:
    """The workspace's ``(policy, days)``, defaults for anything absent or malformed."""
    settings = settings or {}
    policy = settings.get(POLICY_KEY)
    days = settings.get(DAYS_KEY)
    return (
        policy if policy in ("keep", "anonymise") else DEFAULT_POLICY,
        days if isinstance(days, int) and not isinstance(days, bool) and days >= 0 else DEFAULT_DAYS,
    )


def on_user_change(
    services: Services, client: WebClient, team_id: str, user: Mapping[str, Any]
) -> Left | None:
    """Handle Slack's ``user_change`` for leavers; None when there is nothing to do."""
    user_id = user.get("id")
    if not isinstance(user_id, str) or not user_id:
        return None
    now = services.clock()
    with services.db.session() as session:
        workspace = find_workspace(session, team_id)
        member = find_member(session, workspace.id, user_id) if workspace is not None else None
        if workspace is None or member is None or member.erased_at is not None:
            return None  # Parley never met them: it holds nothing to change
        if not user.get("deleted"):
            if member.left_at is not None:  # reactivated
                member.left_at = None
                audit.record(session, workspace.id, "member.returned", "member", member.id, now)
            return None
        left = mark_left(session, workspace, member, now)
    tell(services, client, workspace.id, left)
    return left


def mark_left(session: Session, workspace: Workspace, member: Member, now: datetime) -> Left:
    """The database half of leaving (idempotent: a second event changes and moves nothing more)."""
    first = member.left_at is None
    if first:
        member.left_at = now
    skipped = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.workspace_id == workspace.id,
            OutboxMessage.target == member.slack_user_id,
            OutboxMessage.status == "pending",
        )
        .values(status="skipped", last_error=LEFT_REASON, lease_until=None)
    )
    left = Left(member.display_name, skipped_messages=int(getattr(skipped, "rowcount", 0) or 0))
    waiting = session.scalars(
        select(TradeProposal).where(
            TradeProposal.workspace_id == workspace.id,
            TradeProposal.approver_id == member.id,
            TradeProposal.status == PENDING,
        )
    ).all()
    for trade in waiting:
        requester = session.get(Member, trade.requester_id)
        if requester is None:
            continue
        target = approver_for(session, workspace, requester)
        if target is None or target.id == member.id or target.left_at is not None:
            target = _an_admin(session, workspace, exclude=(member.id, requester.id))
        trade.approver_id = target.id if target is not None else None
        trade.slack_channel = trade.slack_ts = None  # the new approver gets their own copy
        trade.reminders, trade.turn_started_at = 0, now
        # The proposer's card names the approver: it names the new one (the leaver's copy is theirs).
        message_refs.enqueue_refresh(
            session, workspace.id, TRADE, trade.id, now=now, version=f"reassigned:{trade.approver_id}"
        )
        audit.record(
            session,
            workspace.id,
            "trade.reassigned",
            "trade",
            trade.id,
            now,
            reason="approver_left",
            to=target.slack_user_id if target else None,
        )
        left.moved.append(
            Moved(
                trade.id,
                requester.slack_user_id,
                target.slack_user_id if target else "",
                target.display_name if target else "",
            )
        )
    left.reports = list(
        session.scalars(
            select(Member.slack_user_id).where(
                Member.workspace_id == workspace.id, Member.manager_id == member.id, Member.left_at.is_(None)
            )
        )
    )
    if first or left.moved or left.skipped_messages:
        audit.record(
            session,
            workspace.id,
            "member.left",
            "member",
            member.id,
            now,
            skipped_messages=left.skipped_messages,
            trades_moved=len(left.moved),
            reports=len(left.reports),
        )
    return left


def _an_admin(session: Session, workspace: Workspace, exclude: tuple[int, ...]) -> Member | None:
    for user_id in admin_user_ids(session, workspace):
        candidate = find_member(session, workspace.id, user_id)
        if candidate is not None and candidate.id not in exclude and candidate.left_at is None:
            return candidate
    return None
