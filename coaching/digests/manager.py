"""The manager's weekly digest: the team table, trends, what needs attention, pending approvals."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Final

from coaching.digests.learner import MemberWeek
from coaching.digests.metrics import WeekMetrics, metrics_of
from coaching.digests.rows import ApprovalRow, CommitmentRow, CommitmentStatus, WeekRows
from coaching.digests.tallies import Tally, tally_of
from coaching.digests.trends import Trend, standard_trends
from coaching.phrasing import format_ratio, plural, quoted
from coaching.playbook import Playbook
from coaching.styles import Style


class AttentionKind(StrEnum):
    LIMIT_BREACHED = "limit_breached"
    LAPSED_COMMITMENT = "lapsed_commitment"
    GIVEAWAYS = "giveaways"
    LOW_BALANCE = "low_balance"
    STALE_APPROVAL = "stale_approval"


_ATTENTION_ORDER: Final = tuple(AttentionKind)


@dataclass(frozen=True, slots=True)
class AttentionItem:
    """Something a manager should act on, and why, in one line."""

    member_id: str
    kind: AttentionKind
    why: str


@dataclass(frozen=True, slots=True)
class MemberLine:
    member_id: str
    style: Style | None
    metrics: WeekMetrics


@dataclass(frozen=True, slots=True)
class PendingApproval:
    row: ApprovalRow
    age_hours: int


@dataclass(frozen=True, slots=True)
class NonResponder:
    """A report with overdue commitments whose nudges went unanswered (told to their manager only)."""

    member_id: str
    commitments: int
    nudges: int


@dataclass(frozen=True, slots=True)
class ManagerDigest:
    team: str | None
    week_start: date
    team_metrics: WeekMetrics
    members: tuple[MemberLine, ...]
    trends: tuple[Trend, ...]
    needs_attention: tuple[AttentionItem, ...]
    overdue_commitments: tuple[CommitmentRow, ...]
    pending_approvals: tuple[PendingApproval, ...]
    non_responders: tuple[NonResponder, ...] = ()

    @property
    def quiet(self) -> bool:
        """Nobody in the team did anything and nothing waits on the manager."""
        return (
            self.team_metrics.quiet
            and not self.needs_attention
            and not self.overdue_commitments
            and not self.pending_approvals
        )


def _attention(member_id: str, metrics: WeekMetrics, playbook: Playbook) -> list[AttentionItem]:
    items: list[AttentionItem] = []
    if metrics.limits_breached:
        items.append(
            AttentionItem(
                member_id,
                AttentionKind.LIMIT_BREACHED,
                f"conceded past a prep limit {plural(metrics.limits_breached, 'time')}",
            )
        )
    if metrics.commitments_lapsed:
        items.append(
            AttentionItem(
                member_id,
                AttentionKind.LAPSED_COMMITMENT,
                f"{plural(metrics.commitments_lapsed, 'commitment')} lapsed",
            )
        )
    if metrics.giveaways:
        worth = f" worth {metrics.giveaway_total}" if not metrics.giveaway_total.is_empty() else ""
        items.append(
            AttentionItem(
                member_id,
                AttentionKind.GIVEAWAYS,
                f"{plural(metrics.giveaways, 'giveaway')}{worth}: concessions with nothing in return",
            )
        )
    standard = format_ratio(playbook.policy.balance_attention_ratio)
    for balance in metrics.balances:
        if balance.needs_attention and balance.ratio is not None:
            items.append(
                AttentionItem(
                    member_id,
                    AttentionKind.LOW_BALANCE,
                    f"got {format_ratio(balance.ratio)} back for what they gave in {balance.currency} "
                    f"(standard {standard}): conceded {balance.conceded}, received {balance.received}",
                )
            )
    return items


def _non_responders(rows: Iterable[CommitmentRow], today: date) -> tuple[NonResponder, ...]:
    counts: dict[str, list[int]] = {}
    for row in rows:
        if row.status is CommitmentStatus.OPEN and row.due < today and row.nudges_unanswered > 0:
            entry = counts.setdefault(row.member_id, [0, 0])
            entry[0] += 1
            entry[1] += row.nudges_unanswered
    return tuple(
        NonResponder(member_id, commitments, nudges)
        for member_id, (commitments, nudges) in sorted(counts.items(), key=lambda kv: (-kv[1][1], kv[0]))
    )


def manager_digest_of(
    members: Mapping[str, Style | None],
    week_start: date,
    weeks: Mapping[str, MemberWeek],
    earlier: Sequence[Tally],
    approvals: Sequence[ApprovalRow] = (),
    *,
    now: datetime,
    today: date,
    playbook: Playbook,
    team: str | None = None,
) -> ManagerDigest:
    """The team's week from each report's :class:`MemberWeek`: a line per member, trends against
    ``earlier`` (the team's tallies, oldest first, at most four used), what needs attention and why,
    overdue commitments, non-responders to nudges and approvals waiting (with their age in whole
    hours at ``now``).

    ``members`` maps each report's id to their style; weeks and approvals of anyone else are ignored.
    """
    ids = sorted(members)
    own = [weeks.get(member_id, MemberWeek(member_id)) for member_id in ids]
    giveaways = tuple(row for week in own for row in week.giveaways)
    commitments = tuple(row for week in own for row in week.commitments)
    team_tally = Tally.total([Tally(), *(week.tally for week in own)])
    team_metrics = metrics_of(
        team_tally, giveaways=giveaways, commitments=commitments, today=today, playbook=playbook
    )
    lines = tuple(
        MemberLine(
            week.member_id,
            members[week.member_id],
            metrics_of(
                week.tally,
                giveaways=week.giveaways,
                commitments=week.commitments,
                today=today,
                playbook=playbook,
            ),
        )
        for week in own
    )
    attention: list[AttentionItem] = []
    for line in lines:
        attention.extend(_attention(line.member_id, line.metrics, playbook))
    member_ids = set(ids)
    waiting = tuple(
        sorted(
            (
                PendingApproval(row, int((now - row.waiting_since).total_seconds() // 3600))
                for row in approvals
                if row.proposer_id in member_ids
            ),
            key=lambda pending: (-pending.age_hours, pending.row.request_id),
        )
    )
    for pending in waiting:
        if pending.age_hours >= playbook.policy.approval_reminder_hours:
            attention.append(
                AttentionItem(
                    pending.row.proposer_id,
                    AttentionKind.STALE_APPROVAL,
                    f"trade request {quoted(pending.row.summary)} has waited "
                    f"{plural(pending.age_hours, 'hour')} for a decision",
                )
            )
    attention.sort(key=lambda item: (_ATTENTION_ORDER.index(item.kind), item.member_id))
    overdue = tuple(
        sorted(
            (
                r
                for r in commitments
                if r.status is CommitmentStatus.LAPSED
                or (r.status is CommitmentStatus.OPEN and r.due < today)
            ),
            key=lambda r: (r.due, r.member_id, r.what),
        )
    )
    return ManagerDigest(
        team=team,
        week_start=week_start,
        team_metrics=team_metrics,
        members=lines,
        trends=standard_trends([*list(earlier)[-4:], team_metrics], playbook.policy.default_currency),
        needs_attention=tuple(attention),
        overdue_commitments=overdue,
        pending_approvals=waiting,
        non_responders=_non_responders(commitments, today),
    )


def manager_digest(
    members: Mapping[str, Style | None],
    week: WeekRows,
    history: Sequence[WeekRows],
    *,
    now: datetime,
    today: date,
    playbook: Playbook,
    team: str | None = None,
) -> ManagerDigest:
    """The team's week: a line per member, trends, what needs attention and why, overdue
    commitments and approvals waiting (with their age in whole hours at ``now``).

    ``members`` maps each report's id to their style; rows of anyone else are ignored.
    """
    ids = set(members)
    weeks = {}
    for member_id in ids:
        own = week.for_member(member_id)
        weeks[member_id] = MemberWeek(member_id, tally_of(own), own.concessions, own.commitments)
    earlier = [
        Tally.total(
            [Tally(), *(tally_of(w.for_member(member_id)) for member_id in ids)],
        )
        for w in sorted(history, key=lambda w: w.week_start)[-4:]
    ]
    return manager_digest_of(
        members,
        week.week_start,
        weeks,
        earlier,
        week.approvals,
        now=now,
        today=today,
        playbook=playbook,
        team=team,
    )
