"""Weekly digests: who gets which digest when, what is in it, and the member's digest settings.

One use case builds every digest of a workspace due at an instant (:func:`build_workspace_digests`):
the data comes from :func:`storage.queries.digests.load_digest_data` (a constant number of aggregate
queries, whatever the workspace's size), the content from the pure :mod:`coaching.digests`, and each
digest is handed back as a template name and context (:class:`PreparedDigest`) plus, for managers
and the organisation, the 12-week chart's numbers. The clock process renders the chart, uploads it
and renders the message with the file (``bot/scheduler/digests.py``); ``/negotiate digest`` renders the
same content without a chart, on demand.

Recipients (DESIGN §5 flow 6):

* every member — their learner digest, unless they switched it off (``digest off``);
* every member who is someone's manager (``Member.manager_id``) — the team digest;
* the organisation roll-up — to ``Workspace.settings["executive_owner"]`` (a Slack user id, DM) and/or
  ``Workspace.settings["digest_channel"]`` (a channel id the bot is in), in the owner's time zone, or
  ``Workspace.settings["digest_tz"]`` for a channel. It names teams, never individuals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.digests.content import learner_context, manager_context, org_context, period_words
from bot.digests.index import Acc, DigestIndex, style_of
from bot.digests.schedule import (
    CHART_WEEKS,
    HISTORY_WEEKS,
    Cadence,
    DueWeek,
    Quiet,
    Slot,
    cadence_of,
    due_week,
    quiet_of,
    slot_for,
    week_windows,
    window_starts,
)
from coaching.away import away_from
from coaching.dates import ENGLISH_SHORT, date_reader_of, dates_as
from coaching.digests import (
    NO_TEAM,
    ApprovalRow,
    ChartSeries,
    GroupTally,
    Tally,
    chart_series,
    learner_digest_of,
    manager_digest_of,
    org_digest_of,
    suppress_small_cells,
)
from coaching.playbook import Playbook
from coaching.styles import Style
from coaching.vocabulary import upcoming_until
from coaching.zones import local_today
from storage.models import Member, Workspace
from storage.queries import digests as digests_queries
from storage.queries.digests import MemberInfo, load_digest_data
from storage.queries.members import STATUS_KEY
from templates import Message, render_message

logger = logging.getLogger(__name__)

EXECUTIVE_OWNER_KEY: Final = "executive_owner"
DIGEST_CHANNEL_KEY: Final = "digest_channel"
DIGEST_TZ_KEY: Final = "digest_tz"
DIGEST_OUTBOX_KIND: Final = "digest"
UPCOMING_HORIZON: Final = timedelta(days=9)
"""Open commitments due before today + this (everyone's today, whatever their zone) are loaded."""


class DigestKind(StrEnum):
    LEARNER = "learner"
    MANAGER = "manager"
    ORGANISATION = "organisation"

    @property
    def template(self) -> str:
        return f"messages/digest_{'org' if self is DigestKind.ORGANISATION else self.value}"


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who gets a digest and for which week. ``member_id`` is None for a channel."""

    kind: DigestKind
    target: str  # Slack user id (DM) or channel id
    member_id: int | None
    tz: str
    week: DueWeek
    quiet: Quiet = Quiet.SEND

    @property
    def every_weeks(self) -> int:
        return self.week.weeks

    def dedupe_key(self, workspace_id: int) -> str:
        """``digest:<workspace>:<recipient>:<kind>:<ISO week>`` — one per recipient, kind and week."""
        return f"digest:{workspace_id}:{self.target}:{self.kind.value}:{self.week.label}"


@dataclass(frozen=True, slots=True)
class PreparedDigest:
    """A digest ready to render: ``render_message(template, **context, chart=…)``; ``skip`` says why
    it is not sent (a quiet week for someone who asked for none)."""

    recipient: Recipient
    template: str
    context: dict[str, Any]
    chart: ChartSeries | None = None
    skip: str | None = None
    quiet: bool = False


@dataclass(frozen=True, slots=True)
class ChartFile:
    """The uploaded chart, for the digest's image block."""

    file_id: str
    alt_text: str


# ------------------------------------------------------------------------------------------ recipients


def executive_owner(workspace: Workspace) -> str | None:
    value = (workspace.settings or {}).get(EXECUTIVE_OWNER_KEY)
    return str(value) if isinstance(value, str) and value else None


def digest_channel(workspace: Workspace) -> str | None:
    value = (workspace.settings or {}).get(DIGEST_CHANNEL_KEY)
    return str(value) if isinstance(value, str) and value else None


def org_zone(workspace: Workspace, members: Iterable[MemberInfo]) -> str:
    """The time zone the organisation roll-up follows: ``digest_tz``, else the owner's, else UTC."""
    configured = (workspace.settings or {}).get(DIGEST_TZ_KEY)
    if isinstance(configured, str) and configured:
        return configured
    owner = executive_owner(workspace)
    for member in members:
        if member.slack_user_id == owner:
            return member.tz
    return "UTC"


def due_recipients(
    workspace: Workspace,
    members: Sequence[MemberInfo],
    *,
    now: datetime,
    slot: Slot,
    sent: Iterable[str] = (),
    away_statuses: Iterable[str] = (),
    own_holidays: Callable[[MemberInfo], frozenset[date]] | None = None,
) -> list[Recipient]:
    """Every digest of the workspace due at ``now`` whose dedupe key is not in ``sent``;
    ``own_holidays`` adds a member's own public holidays to the slot's (``bot.holidays``)."""
    done = set(sent)
    managers = {m.manager_id for m in members if m.manager_id is not None}
    found: list[Recipient] = []

    def add(recipient: Recipient) -> None:
        if recipient.dedupe_key(workspace.id) not in done:
            found.append(recipient)

    markers = tuple(away_statuses)
    for member in members:
        cadence = cadence_of(member.settings)
        own = own_holidays(member) if own_holidays is not None else frozenset()
        week = due_week(now, member.tz, replace(slot, holidays=slot.holidays | own) if own else slot, cadence)
        if week is None:
            continue
        if away_from((member.settings or {}).get(STATUS_KEY), markers, now) is not None:
            continue  # on vacation: no digest to come back to (nudges are deferred instead)
        quiet = quiet_of(member.settings)
        add(Recipient(DigestKind.LEARNER, member.slack_user_id, member.id, member.tz, week, quiet))
        if member.id in managers:
            add(Recipient(DigestKind.MANAGER, member.slack_user_id, member.id, member.tz, week, quiet))
    zone_key = org_zone(workspace, members)
    org_week = due_week(now, zone_key, slot, Cadence.WEEKLY)
    if org_week is not None:
        owner = executive_owner(workspace)
        by_user = {m.slack_user_id: m for m in members}
        if owner is not None:
            known = by_user.get(owner)
            add(Recipient(DigestKind.ORGANISATION, owner, known.id if known else None, zone_key, org_week))
        channel = digest_channel(workspace)
        if channel is not None:
            add(Recipient(DigestKind.ORGANISATION, channel, None, zone_key, org_week))
    return found


def done_keys(session: Session, workspace_id: int, candidates: Sequence[Recipient]) -> set[str]:
    """Dedupe keys of ``candidates`` already taken care of: a recorded run (members — sent, or
    skipped as a quiet week) or an outbox row (channels). Two queries, whatever the number."""
    targets = {r.member_id: r.target for r in candidates if r.member_id is not None}
    done = {
        f"digest:{workspace_id}:{targets[recipient_id]}:{kind}:{week}"
        for recipient_id, kind, week in digests_queries.runs_for_weeks(
            session, workspace_id, {r.week.label for r in candidates}
        )
        if recipient_id in targets
    }
    channel_keys = [r.dedupe_key(workspace_id) for r in candidates if r.member_id is None]
    return done | digests_queries.outbox_keys(session, workspace_id, channel_keys)


# ------------------------------------------------------------------------------------------ building


def _history_periods(member: MemberInfo | None, now: datetime, every: int) -> int:
    """Earlier periods worth comparing with: up to four, fewer for someone who joined recently."""
    if member is None or member.created_at is None:
        return HISTORY_WEEKS
    weeks = max(0, (now - member.created_at).days // 7)
    return max(0, min(HISTORY_WEEKS, weeks // every))


def load_for(
    session: Session,
    workspace: Workspace,
    recipients: Sequence[Recipient],
    *,
    now: datetime,
    slot: Slot,
    include_current: bool = False,
    member_ids: Iterable[int] | None = None,
    playbook: Playbook | None = None,
) -> tuple[DigestIndex, list[str]]:
    """Load what ``recipients`` need (one constant set of queries) and index it (``playbook``: whose
    nudge cadence decides how far ahead "coming up" looks)."""
    tomorrow = now.date() + timedelta(days=1)
    until = (
        upcoming_until(tomorrow, playbook.policy.nudge_cadence, playbook.policy.working_hours)
        if playbook is not None
        else tomorrow
    )
    every = max((r.every_weeks for r in recipients), default=1)
    member_weeks = (HISTORY_WEEKS + 1) * every
    chart = any(r.kind is not DigestKind.LEARNER for r in recipients) and not include_current
    weeks = max(member_weeks, CHART_WEEKS if chart else 0)
    zones = set(session.scalars(select(Member.tz).where(Member.workspace_id == workspace.id).distinct())) | {
        r.tz for r in recipients
    }
    windows = week_windows(zones, now=now, weeks=weeks, slot_day=slot.day, include_current=include_current)
    data = load_digest_data(
        session,
        workspace,
        windows,
        member_weeks=member_weeks,
        chart=chart,
        today=now.date() - timedelta(days=1),
        horizon=max(now.date() + UPCOMING_HORIZON, until + timedelta(days=1)),
        member_ids=None if member_ids is None else sorted(set(member_ids)),
    )
    return DigestIndex.of(data, weeks), sorted(zones)


def build_workspace_digests(
    session: Session,
    workspace: Workspace,
    *,
    now: datetime,
    playbook: Playbook,
    recipients: Sequence[Recipient] | None = None,
) -> list[PreparedDigest]:
    """Every digest due at ``now`` (or exactly ``recipients``), ready to render."""
    slot = slot_for(playbook.policy, workspace.settings)
    if recipients is None:
        recipients = due_recipients(workspace, member_infos(session, workspace.id), now=now, slot=slot)
    if not recipients:
        return []
    index, _ = load_for(session, workspace, recipients, now=now, slot=slot, playbook=playbook)
    builder = _Builder(index, workspace, now=now, playbook=playbook, slot=slot, include_current=False)
    built = []
    for recipient in recipients:
        member = index.members.get(recipient.member_id or 0)  # loaded with their settings
        reader = date_reader_of(member.settings) if member is not None else ENGLISH_SHORT
        try:
            with dates_as(reader):  # the reader's own way
                built.append(builder.build(recipient))
        except Exception:  # one digest's bug must not hold back everyone else's
            logger.exception("building the %s digest for %s failed", recipient.kind.value, recipient.target)
    return built


@dataclass
class _Builder:
    index: DigestIndex
    workspace: Workspace
    now: datetime
    playbook: Playbook
    slot: Slot
    include_current: bool

    def build(self, recipient: Recipient) -> PreparedDigest:
        if recipient.kind is DigestKind.LEARNER:
            return self.learner(recipient)
        if recipient.kind is DigestKind.MANAGER:
            return self.manager(recipient)
        return self.organisation(recipient)

    def _starts(self, tz: str, weeks: int) -> list[date]:
        return window_starts(
            self.now, tz, weeks=weeks, slot_day=self.slot.day, include_current=self.include_current
        )

    def learner(self, recipient: Recipient) -> PreparedDigest:
        assert recipient.member_id is not None
        member = self.index.members.get(recipient.member_id)
        every = recipient.every_weeks
        style = style_of(member.style if member else None)
        today = local_today(self.now, recipient.tz)
        periods = _history_periods(member, self.now, every)
        digest = learner_digest_of(
            style,
            recipient.week.covered_start,
            self.index.member_week(recipient.member_id, every),
            self.index.earlier([recipient.member_id], every, periods),
            today=today,
            playbook=self.playbook,
            every_weeks=every,
        )
        upcoming = self.index.next_negotiations.get(recipient.member_id)
        if upcoming is not None and upcoming.date is not None and upcoming.date < today:
            upcoming = None  # "Next up" never points at a day already past in the member's zone
        policy = self.playbook.policy
        context = learner_context(
            digest,
            period=period_words(recipient.week.covered_start, every, self.include_current, today),
            currency=self.playbook.policy.default_currency,
            next_negotiation=(upcoming.negotiation_id, upcoming.title, upcoming.date) if upcoming else None,
            every_weeks=every,
            in_progress=self.include_current,
            upcoming_until=upcoming_until(today, policy.nudge_cadence, policy.working_hours),
            min_base=policy.rollup_min_cell,
        )
        skip = None
        if digest.quiet and recipient.quiet is Quiet.SKIP and not self.include_current:
            skip = "a quiet week, and the member asked for no digest then"
        return PreparedDigest(recipient, DigestKind.LEARNER.template, context, None, skip, digest.quiet)

    def manager(self, recipient: Recipient) -> PreparedDigest:
        assert recipient.member_id is not None
        manager = self.index.members.get(recipient.member_id)
        reports = self.index.reports.get(recipient.member_id, [])
        every = recipient.every_weeks
        today = local_today(self.now, recipient.tz)
        styles = {str(m.id): style_of(m.style) for m in reports}
        weeks = {str(m.id): self.index.member_week(m.id, every) for m in reports}
        team_name = f"Team of {manager.display_name}" if manager and manager.display_name else "Your team"
        digest = manager_digest_of(
            styles,
            recipient.week.covered_start,
            weeks,
            self.index.earlier([m.id for m in reports], every, HISTORY_WEEKS),
            approvals(self.index, reports),
            now=self.now,
            today=today,
            playbook=self.playbook,
            team=team_name,
        )
        chart = None
        if not self.include_current:
            chart = self._chart([recipient.member_id], recipient.tz)
        context = manager_context(
            digest,
            members={str(m.id): m for m in reports},
            period=period_words(recipient.week.covered_start, every, self.include_current, today),
            currency=self.playbook.policy.default_currency,
            in_progress=self.include_current,
            min_base=self.playbook.policy.rollup_min_cell,
        )
        return PreparedDigest(recipient, DigestKind.MANAGER.template, context, chart, None, digest.quiet)

    def _chart(self, manager_ids: Sequence[int | None] | None, tz: str) -> ChartSeries:
        """The 12-week series of a team (``manager_ids``) or of everyone (None)."""
        starts = self._starts(tz, CHART_WEEKS)
        offset = self.index.weeks - CHART_WEEKS
        weeks: list[tuple[date, Tally]] = []
        teams = (
            list(self.index.team_weeks.values())
            if manager_ids is None
            else [self.index.team_weeks.get(manager_id, {}) for manager_id in manager_ids]
        )
        for position, start in enumerate(starts):
            acc = Acc()
            for team in teams:
                found = team.get(offset + position)
                if found is not None:
                    acc.add(found)
            weeks.append((start, acc.tally()))
        return chart_series(weeks, self.playbook.policy.default_currency)

    def organisation(self, recipient: Recipient) -> PreparedDigest:
        every = 1
        index = self.index
        last = index.weeks - 1
        names = {m.id: m.display_name for m in index.data.members}
        groups: list[GroupTally] = []
        style_counts: dict[Style | None, int] = {}
        for member in index.data.members:
            style = style_of(member.style)
            style_counts[style] = style_counts.get(style, 0) + 1
        for (member_id, week, kind), acc in index.by_kind.items():
            ago = last - week
            if ago < 0 or ago > HISTORY_WEEKS:
                continue
            owner = index.members.get(member_id)
            if owner is None:
                continue
            team = team_label(owner.manager_id, names)
            groups.append(GroupTally(ago, team, style_of(owner.style), kind, acc.tally()))
        giveaways = [row for rows in index.giveaways.values() for week, row in rows if week == last]
        pool = [row for rows in index.giveaways.values() for _, row in rows]
        commitments = [row for rows in index.commitments.values() for row in rows]
        today = local_today(self.now, recipient.tz)
        digest = org_digest_of(
            recipient.week.covered_start,
            groups,
            giveaways=giveaways,
            recurring_pool=pool,
            commitments=commitments,
            style_counts=style_counts,
            today=today,
            playbook=self.playbook,
        )
        team_members: dict[str, int] = {}
        for member in index.data.members:
            if member.manager_id is not None:
                label = team_label(member.manager_id, names)
                team_members[label] = team_members.get(label, 0) + 1
        min_cell = rollup_min_cell(self.playbook, self.workspace.settings)
        digest = suppress_small_cells(digest, min_cell, team_members)
        chart = None if self.include_current else self._chart(None, recipient.tz)
        context = org_context(
            digest,
            name=self.workspace.name or "Your organisation",
            period=period_words(recipient.week.covered_start, every, self.include_current, today),
            currency=self.playbook.policy.default_currency,
            members=len(index.data.members),
            in_progress=self.include_current,
            min_cell=min_cell,
        )
        return PreparedDigest(recipient, DigestKind.ORGANISATION.template, context, chart, None, False)


ROLLUP_MIN_CELL_KEY: Final = "rollup_min_cell"


def rollup_min_cell(playbook: Playbook, settings: Mapping[str, Any] | None) -> int:
    """The smallest group the roll-up shows: the workspace's ``rollup_min_cell`` setting when it is a
    whole number from 1 to 100, else the playbook's ``policy.rollup_min_cell`` (default 3)."""
    value = (settings or {}).get(ROLLUP_MIN_CELL_KEY)
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 100:
        return value
    return playbook.policy.rollup_min_cell


def team_label(manager_id: int | None, names: Mapping[int, str]) -> str:
    if manager_id is None:
        return NO_TEAM
    return f"Team of {names.get(manager_id) or 'someone'}"


def approvals(index: DigestIndex, reports: Sequence[MemberInfo]) -> list[ApprovalRow]:
    ids = {m.id for m in reports}
    return [
        ApprovalRow(
            str(trade.id),
            str(trade.requester_id),
            str(trade.approver_id or ""),
            None,
            f"{trade.give_item} for {trade.get_item}",
            trade.waiting_since,
        )
        for trade in index.data.pending_trades
        if trade.requester_id in ids
    ]


def render_digest(prepared: PreparedDigest, chart: ChartFile | None = None, chart_note: str = "") -> Message:
    """The digest's message; managers' and the organisation's with their chart when uploaded."""
    context = dict(prepared.context)
    if prepared.recipient.kind is not DigestKind.LEARNER:
        context["chart"] = {"file_id": chart.file_id, "alt": chart.alt_text} if chart else None
        context["chart_note"] = chart_note
    return render_message(prepared.template, **context)


# ------------------------------------------------------------------------------------------ on demand


def member_infos(session: Session, workspace_id: int, **where: Any) -> list[MemberInfo]:
    query = select(Member).where(Member.workspace_id == workspace_id)
    for name, value in where.items():
        query = query.where(getattr(Member, name) == value)
    return [
        MemberInfo(m.id, m.slack_user_id, m.display_name, m.tz, m.manager_id, m.style, m.role,
                   m.is_slack_admin, m.settings or {}, m.created_at)
        for m in session.scalars(query.order_by(Member.id))
    ]  # fmt: skip
