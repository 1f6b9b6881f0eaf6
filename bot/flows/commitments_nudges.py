"""Scheduled work for commitments: nudges (enqueued when due, rendered at delivery) and lapses.

*When* to nudge is :func:`coaching.commitments.nudge_schedule` for the member who answers for the
commitment: their own time zone (from ``users.info``, refreshed when the cached profile is older
than a day and a nudge is near), their working hours and their nudge setting. Each run enqueues at
most the latest nudge that has come due (:func:`~coaching.commitments.pending_nudge`), keyed
``nudge:<commitment>:<occurrence>``: a run every minute, a run after an hour's outage or two
schedulers at once all give that occurrence exactly one row. Nothing is enqueued outside the
member's working hours; the due nudge is picked up when their day starts.

At delivery the row is checked again against the commitment as it is then: done, cancelled, snoozed,
paused or superseded by a later nudge → skipped; outside working hours → deferred to the start of
the next working day.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from sqlalchemy.orm import Session

from bot.delivery.gateway import Team
from bot.delivery.kinds import Defer, DeliveryContext, Prepared, Send, Shows, Skip, register_kind
from bot.dnd import cached_dnd
from bot.flows.commitments_cards import NUDGE, refresh_commitment
from bot.flows.commitments_items import item_for
from bot.flows.commitments_settings import describe_hours, nudge_prefs, prefs_for
from bot.members import PROFILE_TTL
from bot.playbook import in_force_over, with_workspace_settings
from bot.scheduler.registry import JobContext, periodic_job
from coaching.away import away_from, dnd_from
from coaching.commitments import Nudge, lapse_instant, nudge_line, nudge_schedule, pending_nudge, zone
from coaching.dates import date_reader_of, dates_as
from coaching.items import Commitment as CommitmentValue
from coaching.items import Side
from coaching.playbook import Playbook
from coaching.worktime import WorkingHours, first_working_morning, next_working_instant
from coaching.zones import parse_style as _style
from coaching.zones import safe_zone_key as safe_zone
from storage.models import Commitment, Member, Workspace
from storage.queries import audit, outbox
from storage.queries import commitments as queries
from storage.queries.members import STATUS_KEY, save_profile
from storage.queries.message_refs import COMMITMENT
from storage.queries.outbox import Claimed
from templates import Message, render_message

logger = logging.getLogger(__name__)

NUDGE_KIND: Final = "nudge"
EVERY: Final = timedelta(minutes=1)
PROFILE_NEAR: Final = timedelta(days=1)
"""Refresh a stale profile only for nudges this close to now (a time zone moves a nudge ≤ 26 h)."""


def nudge_key(commitment_id: int, occurrence: str) -> str:
    return f"{NUDGE_KIND}:{commitment_id}:{occurrence}"


def schedule_for(
    playbook: Playbook, workspace: Workspace, member: Member, commitment: Commitment
) -> tuple[Nudge, ...]:
    prefs = nudge_prefs(playbook.policy, workspace.settings, member.settings, commitment.due, member.tz)
    if not prefs.cadence:
        return ()
    return nudge_schedule(
        commitment.due,
        safe_zone(member.tz),
        hours=prefs.hours,
        cadence=prefs.cadence,
        max_unanswered=prefs.max_unanswered,
        snoozed_until=commitment.snoozed_until,
    )


def _window(playbook: Playbook, workspace: Workspace, today: date) -> tuple[date, date]:
    """Due dates whose nudges could fall near ``today`` (generous: weekends, odd working weeks)."""
    cadence = with_workspace_settings(playbook, workspace.settings).policy.nudge_cadence
    before = max((step.days for step in cadence if step.kind.value == "before"), default=0)
    after = max((step.days for step in cadence if step.kind.value == "after"), default=0)
    return today - timedelta(days=after * 7 + 14), today + timedelta(days=before * 7 + 14)


@dataclass(frozen=True, slots=True)
class NudgeItem:
    workspace_id: int
    commitment_id: int


def _inside_hours(prefs_hours: WorkingHours, member: Member, now: datetime) -> bool:
    return prefs_hours.contains(now.astimezone(zone(safe_zone(member.tz))).replace(tzinfo=None))


def _stale_and_near(member: Member, schedule: tuple[Nudge, ...], now: datetime) -> bool:
    """Whether to ask Slack for the member's time zone first: the cache is old and a nudge is near."""
    refreshed = member.profile_refreshed_at
    if refreshed is not None and now - refreshed < PROFILE_TTL:
        return False
    return any(abs(nudge.at - now) <= PROFILE_NEAR for nudge in schedule)


def _due_commitments(session: Session, ctx: JobContext) -> list[NudgeItem]:
    """Commitments with a nudge to enqueue now (or a stale time zone to refresh first), in bulk:
    one query for the candidates, pure schedule arithmetic, one query for the keys already queued.
    Each workspace's own playbook in force (an uploaded version, else the process one) decides."""
    items: list[NudgeItem] = []
    for workspace in queries.active_workspaces(session):
        playbook = in_force_over(session, ctx.playbook, workspace.id)
        due_from, due_to = _window(playbook, workspace, ctx.now.date())
        wanted: dict[str, NudgeItem] = {}
        for commitment, member in queries.nudge_candidates(
            session, workspace.id, due_from=due_from, due_to=due_to
        ):
            item = NudgeItem(workspace.id, commitment.id)
            schedule = schedule_for(playbook, workspace, member, commitment)
            if _stale_and_near(member, schedule, ctx.now):
                items.append(item)
                continue
            nudge = pending_nudge(schedule, now=ctx.now, sent_keys=())
            prefs = nudge_prefs(
                playbook.policy, workspace.settings, member.settings, ctx.now.date(), member.tz
            )
            if nudge is not None and _inside_hours(prefs.hours, member, ctx.now):
                wanted[nudge_key(commitment.id, nudge.key)] = item
        queued = outbox.existing_keys(session, wanted)
        items += [item for key, item in wanted.items() if key not in queued]
    return items


@periodic_job("commitment_nudges", every=EVERY, find=_due_commitments)
def enqueue_nudge(item: NudgeItem, ctx: JobContext) -> int:
    """Enqueue the nudge that has come due for one commitment, if any (inside working hours)."""
    for attempt in range(2):
        with ctx.services.db.session() as session:
            loaded = _load(session, item.workspace_id, item.commitment_id)
            if loaded is None:
                return 0
            workspace, commitment, member = loaded
            playbook = in_force_over(session, ctx.playbook, workspace.id)
            schedule = schedule_for(playbook, workspace, member, commitment)
            if attempt == 0 and _stale_and_near(member, schedule, ctx.now):
                team, slack_user_id = Team(workspace.team_id, workspace.enterprise_id), member.slack_user_id
            else:
                nudge = pending_nudge(schedule, now=ctx.now, sent_keys=())
                prefs = nudge_prefs(
                    playbook.policy, workspace.settings, member.settings, ctx.now.date(), member.tz
                )
                if nudge is None or not _inside_hours(prefs.hours, member, ctx.now):
                    return 0  # never at night: the same nudge is still pending when their day starts
                added = outbox.enqueue(
                    session,
                    workspace_id=workspace.id,
                    kind=NUDGE_KIND,
                    target=member.slack_user_id,
                    payload={"commitment_id": commitment.id, "key": nudge.key},
                    dedupe_key=nudge_key(commitment.id, nudge.key),
                    due_at=nudge.at,
                )
                return int(added)
        profile = ctx.gateway.user_profile(team, slack_user_id)  # outside any transaction
        with ctx.services.db.session() as session:
            if profile is not None:
                save_profile(session, item.workspace_id, slack_user_id, profile, ctx.now)
            else:  # Slack could not say: keep the cached zone, and ask again tomorrow, not every run
                stale = queries.member_by_id(session, item.workspace_id, member.id)
                if stale is not None:
                    stale.profile_refreshed_at = ctx.now
    return 0


def _load(
    session: Session, workspace_id: int, commitment_id: int
) -> tuple[Workspace, Commitment, Member] | None:
    commitment = queries.get_commitment(session, workspace_id, commitment_id)
    if commitment is None or commitment.status not in queries.LIVE_STATUSES:
        return None
    member = queries.member_by_id(session, workspace_id, queries.responsible_id(commitment))
    workspace = session.get(Workspace, workspace_id)
    if member is None or workspace is None or workspace.uninstalled_at is not None:
        return None
    return workspace, commitment, member


# ------------------------------------------------------------------------------------------ delivery


def prepare_nudge(session: Session, row: Claimed, ctx: DeliveryContext) -> Prepared:
    """Render a nudge from the commitment as it is now, or say why it no longer applies."""
    now, playbook = ctx.now, in_force_over(session, ctx.playbook, row.workspace_id)
    key = str(row.payload.get("key", ""))
    commitment_id = row.payload.get("commitment_id")
    if not isinstance(commitment_id, int):
        return Skip("nudge payload without a commitment id")
    loaded = _load(session, row.workspace_id, commitment_id)
    if loaded is None:
        return Skip("the commitment is closed")
    workspace, commitment, member = loaded
    if member.slack_user_id != row.target:
        return Skip("the commitment is answered for by someone else now")
    schedule = schedule_for(playbook, workspace, member, commitment)
    nudge = next((n for n in schedule if n.key == key), None)
    if nudge is None:
        return Skip("no longer scheduled (snoozed, paused or rescheduled)")
    latest = pending_nudge(schedule, now=now, sent_keys=())
    if latest is not None and latest.key != key and latest.at > nudge.at:
        return Skip(f"superseded by the {latest.key} nudge")
    tz = zone(safe_zone(member.tz))
    prefs = prefs_for(session, playbook, member, now.date())
    policy = with_workspace_settings(playbook, workspace.settings).policy
    away = away_from((member.settings or {}).get(STATUS_KEY), policy.away_statuses, now)
    if away is not None:  # deferred, not dropped: it arrives on their first working morning back
        back = away.until if away.until is not None else now + timedelta(days=1)
        return Defer(first_working_morning(back, tz, prefs.hours), f"away ({away.reason})")
    dnd = dnd_from(cached_dnd(member.settings), now)
    if dnd is not None and dnd.until is not None:  # deferred to when it ends (inside working hours)
        return Defer(next_working_instant(dnd.until, tz, prefs.hours), dnd.reason)
    if not prefs.hours.contains(now.astimezone(tz).replace(tzinfo=None)):
        return Defer(next_working_instant(now, tz, prefs.hours), "outside the member's working hours")
    with dates_as(date_reader_of(member.settings)):  # written the way its reader chose
        message = nudge_message(session, commitment, member, key, now, prefs.hours)

    def after_sent(session: Session, at: datetime) -> None:
        sent = queries.get_commitment(session, row.workspace_id, commitment_id)
        if sent is not None:
            sent.nudges_sent = (sent.nudges_sent or 0) + 1
            sent.last_nudged_at = at

    shows = Shows(COMMITMENT, commitment.id, NUDGE, row.target, detail={"key": key})
    return Send(message.as_kwargs(), after_sent, shows=shows)


def nudge_message(
    session: Session, commitment: Commitment, member: Member, key: str, now: datetime, hours: WorkingHours
) -> Message:
    """The nudge ``key`` for the member who answers for ``commitment``, as it stands at ``now`` (in
    their time zone and working days: "Overdue by 4 working days" on the day it is read)."""
    value = CommitmentValue(
        who=member.display_name,
        what=commitment.text,
        due=commitment.due,
        side=Side.OURS if commitment.owner_id is not None else Side.THEIRS,
    )
    # The conditions are in the message's details: the line does not repeat them.
    line = nudge_line(
        value,
        _style(member.style),
        key=key,
        owner=commitment.owner_label or "",
        today=now.astimezone(zone(safe_zone(member.tz))).date(),
        hours=hours,
    )
    return render_message(
        "messages/nudge",
        line=line,
        item=item_for(session, commitment, member.id, now, member.tz),
        hours=describe_hours(hours),
    )


register_kind(NUDGE_KIND, prepare_nudge)


# ------------------------------------------------------------------------------------------ lapses


def _lapse_candidates(session: Session, ctx: JobContext) -> list[NudgeItem]:
    """Open commitments whose due date has ended in their owner's time zone."""
    items = []
    for workspace in queries.active_workspaces(session):
        for commitment, member in queries.lapse_candidates(
            session, workspace.id, due_on_or_before=ctx.now.date()
        ):
            if ctx.now >= lapse_instant(commitment.due, safe_zone(member.tz if member else None)):
                items.append(NudgeItem(workspace.id, commitment.id))
    return items


@periodic_job("commitment_lapses", every=EVERY, find=_lapse_candidates)
def lapse_commitment(item: NudgeItem, ctx: JobContext) -> int:
    """Mark an open commitment lapsed once its due date has ended in its owner's time zone."""
    with ctx.services.db.session() as session:
        commitment = queries.lock_commitment(session, item.workspace_id, item.commitment_id)
        if commitment is None or commitment.status != queries.OPEN:
            return 0
        member = queries.member_by_id(session, item.workspace_id, queries.responsible_id(commitment))
        at = lapse_instant(commitment.due, safe_zone(member.tz if member else None))
        if ctx.now < at:
            return 0
        queries.mark_closed(commitment, queries.LAPSED, at)
        audit.record(session, item.workspace_id, "commitment.lapsed", "commitment", commitment.id, ctx.now)
        return refresh_commitment(session, commitment, ctx.now)
