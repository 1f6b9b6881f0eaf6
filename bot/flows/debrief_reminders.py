"""The debrief reminder: the working day after a negotiation's date, if no debrief exists, one DM.

Sent at the start of the owner's working day (their time zone and hours), once per negotiation (key
``debrief_reminder:<negotiation>``), with a *Log the debrief* button. A reminder missed because the
clock was down is still sent within :data:`CATCH_UP` of its time; after that it is left alone
rather than arriving out of the blue. At delivery it is skipped if the debrief was logged meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy.orm import Session

from bot.delivery.kinds import Defer, DeliveryContext, Prepared, Send, Shows, Skip, register_kind
from bot.flows.commitments_items import format_day
from bot.flows.commitments_settings import NudgeMode, describe_hours, prefs_for
from bot.playbook import in_force_over
from bot.scheduler.registry import JobContext, periodic_job
from coaching.commitments import zone
from coaching.playbook import Playbook
from coaching.worktime import add_working_days, local_instant, next_working_instant
from coaching.zones import safe_zone_key as safe_zone
from storage.models import Member, Negotiation
from storage.queries import commitments as queries
from storage.queries import outbox
from storage.queries.message_refs import NEGOTIATION
from storage.queries.outbox import Claimed
from templates import Message, render_message

KIND: Final = "debrief_reminder"
VIEW: Final = "debrief_reminder"  # how the reminder is recorded with its negotiation
EVERY: Final = timedelta(minutes=5)
CATCH_UP: Final = timedelta(days=3)
LOOKBACK_DAYS: Final = 21


@dataclass(frozen=True, slots=True)
class ReminderItem:
    workspace_id: int
    negotiation_id: int


def reminder_at(
    session: Session, playbook: Playbook, negotiation: Negotiation, member: Member
) -> datetime | None:
    """When the owner should be reminded: their next working day after the date, at its start."""
    if negotiation.date is None:
        return None
    prefs = prefs_for(session, playbook, member)
    tz = zone(safe_zone(member.tz))
    day = add_working_days(negotiation.date, 1, prefs.hours)
    return next_working_instant(local_instant(day, prefs.hours.start, tz), tz, prefs.hours)


def _key(negotiation_id: int) -> str:
    return f"{KIND}:{negotiation_id}"


def _awaiting(session: Session, ctx: JobContext) -> list[ReminderItem]:
    """Recent negotiations without a debrief whose reminder is not queued yet."""
    today = ctx.now.date()
    items = [
        ReminderItem(workspace.id, negotiation.id)
        for workspace in queries.active_workspaces(session)
        for negotiation, _member in queries.negotiations_awaiting_debrief(
            session,
            workspace.id,
            dated_from=today - timedelta(days=LOOKBACK_DAYS),
            dated_to=today,
        )
    ]
    queued = outbox.existing_keys(session, (_key(item.negotiation_id) for item in items))
    return [item for item in items if _key(item.negotiation_id) not in queued]


@periodic_job("debrief_reminders", every=EVERY, find=_awaiting)
def enqueue_debrief_reminder(item: ReminderItem, ctx: JobContext) -> int:
    """Enqueue the reminder for one negotiation once its time has come (inside working hours)."""
    with ctx.services.db.session() as session:
        negotiation = queries.get_negotiation(session, item.workspace_id, item.negotiation_id)
        if negotiation is None or queries.has_debrief(session, item.workspace_id, negotiation.id):
            return 0
        member = queries.member_by_id(session, item.workspace_id, negotiation.owner_id)
        if member is None:
            return 0
        playbook = in_force_over(session, ctx.playbook, item.workspace_id)  # uploads apply at once
        prefs = prefs_for(session, playbook, member, ctx.now.date())
        at = reminder_at(session, playbook, negotiation, member)
        if prefs.mode is NudgeMode.PAUSED or at is None or not at <= ctx.now <= at + CATCH_UP:
            return 0
        if not prefs.hours.contains(ctx.now.astimezone(zone(safe_zone(member.tz))).replace(tzinfo=None)):
            return 0
        return int(
            outbox.enqueue(
                session,
                workspace_id=item.workspace_id,
                kind=KIND,
                target=member.slack_user_id,
                payload={"negotiation_id": negotiation.id},
                dedupe_key=_key(negotiation.id),
                due_at=at,
            )
        )


def prepare_reminder(session: Session, row: Claimed, ctx: DeliveryContext) -> Prepared:
    negotiation_id = row.payload.get("negotiation_id")
    if not isinstance(negotiation_id, int):
        return Skip("reminder payload without a negotiation id")
    negotiation = queries.get_negotiation(session, row.workspace_id, negotiation_id)
    if negotiation is None or negotiation.date is None:
        return Skip("the negotiation is gone")
    if queries.has_debrief(session, row.workspace_id, negotiation.id):
        return Skip("the debrief was logged")
    member = queries.member_by_id(session, row.workspace_id, negotiation.owner_id)
    if member is None or member.slack_user_id != row.target:
        return Skip("the negotiation changed hands")
    prefs = prefs_for(session, in_force_over(session, ctx.playbook, row.workspace_id), member, ctx.now.date())
    tz = zone(safe_zone(member.tz))
    if not prefs.hours.contains(ctx.now.astimezone(tz).replace(tzinfo=None)):
        return Defer(next_working_instant(ctx.now, tz, prefs.hours), "outside the member's working hours")
    message = reminder_message(negotiation, describe_hours(prefs.hours), logged=False)
    return Send(message.as_kwargs(), shows=Shows(NEGOTIATION, negotiation.id, VIEW, row.target))


def reminder_message(negotiation: Negotiation, hours: str, *, logged: bool) -> Message:
    """The reminder; once the debrief is logged, the same message without its button."""
    assert negotiation.date is not None
    return render_message(
        "messages/debrief_reminder",
        title=negotiation.title,
        counterpart=negotiation.counterpart_name or "",
        when=format_day(negotiation.date),
        value={"negotiation_id": negotiation.id},
        hours=hours,
        logged=logged,
    )


register_kind(KIND, prepare_reminder)
