"""Weekly digest content for learners, managers and the organisation, from plain rows.

The storage layer selects a week's rows (and the four weeks before it) and hands them over as the
dataclasses below; everything here is arithmetic and wording. Money follows the same rules as the
debrief (see :mod:`coaching.debrief`): per currency, exact, never converted. Trends are computed on
the playbook's default currency.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from fractions import Fraction
from typing import Final

from coaching.counterparts import CounterpartKind
from coaching.debrief import CurrencyBalance, Outcome, balance_by_currency
from coaching.items import Concession
from coaching.matching import normalise
from coaching.money import Money, MoneyTotals
from coaching.phrasing import format_ratio, plural, quoted
from coaching.playbook import Playbook
from coaching.styles import Style, profile_for

SPARK_BARS: Final = "▁▂▃▄▅▆▇█"
FLAT_PERCENT: Final = 5
"""Changes smaller than this (in % of the earlier average) are reported as flat."""
UPCOMING_DAYS: Final = 7
NO_TEAM: Final = "no team"
NO_STYLE: Final = "no_style"


# --------------------------------------------------------------------------------------------------
# Rows.


@dataclass(frozen=True, slots=True)
class NegotiationRow:
    """One negotiation that was debriefed in the week."""

    member_id: str
    team: str | None
    style: Style | None
    counterpart_kind: CounterpartKind
    outcome: Outcome
    occurred_on: date
    title: str = ""


@dataclass(frozen=True, slots=True)
class ConcessionRow:
    """One ledger entry: a concession with its cost and what came back."""

    member_id: str
    team: str | None
    style: Style | None
    counterpart_kind: CounterpartKind
    concession: Concession
    occurred_on: date
    limit_breached: bool = False


class CommitmentStatus(StrEnum):
    OPEN = "open"
    KEPT = "kept"
    LAPSED = "lapsed"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class CommitmentRow:
    """A commitment owned by a member: kept or lapsed this week, or still open."""

    member_id: str
    team: str | None
    what: str
    due: date
    status: CommitmentStatus


@dataclass(frozen=True, slots=True)
class ApprovalRow:
    """A trade request still waiting for a decision."""

    request_id: str
    proposer_id: str
    approver_id: str
    team: str | None
    summary: str
    waiting_since: datetime


@dataclass(frozen=True, slots=True)
class WeekRows:
    """Everything for one week (``week_start`` is its Monday)."""

    week_start: date
    negotiations: tuple[NegotiationRow, ...] = ()
    concessions: tuple[ConcessionRow, ...] = ()
    commitments: tuple[CommitmentRow, ...] = ()
    approvals: tuple[ApprovalRow, ...] = ()

    def for_member(self, member_id: str) -> WeekRows:
        """Only this member's rows (approvals: the ones they proposed)."""
        return WeekRows(
            self.week_start,
            tuple(row for row in self.negotiations if row.member_id == member_id),
            tuple(row for row in self.concessions if row.member_id == member_id),
            tuple(row for row in self.commitments if row.member_id == member_id),
            tuple(row for row in self.approvals if row.proposer_id == member_id),
        )


# --------------------------------------------------------------------------------------------------
# Metrics.


@dataclass(frozen=True, slots=True)
class WeekMetrics:
    """The numbers behind every digest."""

    negotiations: int
    agreed: int
    no_deal: int
    paused: int
    conceded: MoneyTotals
    received: MoneyTotals
    balances: tuple[CurrencyBalance, ...]
    giveaways: int
    giveaway_total: MoneyTotals
    money_left_behind: MoneyTotals
    top_giveaway: ConcessionRow | None
    limits_breached: int
    commitments_kept: int
    commitments_lapsed: int
    commitments_upcoming: tuple[CommitmentRow, ...]

    def balance_in(self, currency: str) -> CurrencyBalance | None:
        return next((b for b in self.balances if b.currency == currency), None)


def most_expensive_giveaway(rows: Iterable[ConcessionRow], currency: str) -> ConcessionRow | None:
    """The priced giveaway that cost most, compared in ``currency``; if none is priced in it, in the
    first other currency (by code) that has one. Ties go to the earliest row."""
    priced = [row for row in rows if row.concession.is_giveaway and row.concession.cost is not None]
    if not priced:
        return None
    currencies = sorted({row.concession.cost.currency for row in priced if row.concession.cost is not None})
    chosen = currency if currency in currencies else currencies[0]
    candidates = [
        row for row in priced if row.concession.cost is not None and row.concession.cost.currency == chosen
    ]
    best = candidates[0]
    for row in candidates[1:]:
        assert row.concession.cost is not None and best.concession.cost is not None
        if row.concession.cost > best.concession.cost:
            best = row
    return best


def week_metrics(rows: WeekRows, *, today: date, playbook: Playbook) -> WeekMetrics:
    """Counts, money and commitments for one week of rows. ``today`` decides what is upcoming."""
    outcomes = [row.outcome for row in rows.negotiations]
    concessions = [row.concession for row in rows.concessions]
    conceded = MoneyTotals.of(c.cost for c in concessions)
    received = MoneyTotals.of(c.received_value for c in concessions if not c.is_giveaway)
    giveaways = [c for c in concessions if c.is_giveaway]
    horizon = today + timedelta(days=UPCOMING_DAYS)
    upcoming = tuple(
        sorted(
            (
                row
                for row in rows.commitments
                if row.status is CommitmentStatus.OPEN and today <= row.due < horizon
            ),
            key=lambda row: (row.due, row.what),
        )
    )
    return WeekMetrics(
        negotiations=len(outcomes),
        agreed=outcomes.count(Outcome.AGREED),
        no_deal=outcomes.count(Outcome.NO_DEAL),
        paused=outcomes.count(Outcome.PAUSED),
        conceded=conceded,
        received=received,
        balances=balance_by_currency(conceded, received, playbook.policy.balance_attention_ratio),
        giveaways=len(giveaways),
        giveaway_total=MoneyTotals.of(c.cost for c in giveaways),
        money_left_behind=MoneyTotals.of(c.left_behind() for c in concessions),
        top_giveaway=most_expensive_giveaway(rows.concessions, playbook.policy.default_currency),
        limits_breached=sum(1 for row in rows.concessions if row.limit_breached),
        commitments_kept=sum(1 for row in rows.commitments if row.status is CommitmentStatus.KEPT),
        commitments_lapsed=sum(1 for row in rows.commitments if row.status is CommitmentStatus.LAPSED),
        commitments_upcoming=upcoming,
    )


# --------------------------------------------------------------------------------------------------
# Trends.


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"
    FLAT = "flat"
    NEW = "new"
    """No earlier weeks to compare with."""


@dataclass(frozen=True, slots=True)
class Trend:
    """This week against the average of the earlier weeks (``values`` oldest first, this week last)."""

    label: str
    values: tuple[int, ...]
    direction: Direction
    words: str
    sparkline: str
    better: bool | None


def sparkline(values: Sequence[int]) -> str:
    """One bar per value, scaled from zero (or the lowest negative value) to the highest: ``▁▃▅█``."""
    if not values:
        return ""
    low, high = min(0, *values), max(values)
    if high == low:
        return SPARK_BARS[0] * len(values)
    span = high - low
    top = len(SPARK_BARS) - 1
    return "".join(SPARK_BARS[(2 * (value - low) * top + span) // (2 * span)] for value in values)


def _round_half_up(value: Fraction) -> int:
    """Nearest integer, halves away from zero."""
    magnitude = math.floor(abs(value) + Fraction(1, 2))
    return magnitude if value >= 0 else -magnitude


def trend(
    label: str,
    values: Sequence[int],
    *,
    higher_is_better: bool | None,
    show: Callable[[int], str] = str,
) -> Trend:
    """Direction and size in words, e.g. ``up 50 % on the 4-week average (2 → 3)``.

    The last value is this week, the ones before it (up to four) the earlier weeks. A change of
    less than :data:`FLAT_PERCENT` % of the earlier average is flat; from an average of zero any rise
    is "up from none". ``show`` formats a value (e.g. minor units as money).
    """
    if not values:
        raise ValueError("a trend needs at least this week's value")
    current, earlier = values[-1], list(values[:-1])
    spark = sparkline(values)
    if not earlier:
        return Trend(label, tuple(values), Direction.NEW, "no earlier weeks to compare with yet", spark, None)
    weeks = plural(len(earlier), "week")
    average = Fraction(sum(earlier), len(earlier))
    shown_average = show(_round_half_up(average))
    if average == 0:
        if current == 0:
            direction, words = Direction.FLAT, f"none this week or in the previous {weeks}"
        elif current > 0:
            direction, words = Direction.UP, f"up from none in the previous {weeks} to {show(current)}"
        else:
            direction, words = Direction.DOWN, f"down from zero in the previous {weeks} to {show(current)}"
    else:
        percent = _round_half_up((current - average) * 100 / abs(average))
        if abs(percent) < FLAT_PERCENT:
            direction = Direction.FLAT
            words = f"about the same as the {len(earlier)}-week average ({shown_average} → {show(current)})"
        else:
            direction = Direction.UP if percent > 0 else Direction.DOWN
            words = (
                f"{direction.value} {abs(percent)} % on the {len(earlier)}-week average "
                f"({shown_average} → {show(current)})"
            )
    better: bool | None = None
    if higher_is_better is not None and direction in (Direction.UP, Direction.DOWN):
        better = (direction is Direction.UP) == higher_is_better
    return Trend(label, tuple(values), direction, words, spark, better)


def _money_show(currency: str) -> Callable[[int], str]:
    def show(minor: int) -> str:
        return str(Money(minor, currency))

    return show


def standard_trends(weeks: Sequence[WeekMetrics], currency: str) -> tuple[Trend, Trend, Trend, Trend]:
    """Negotiations, giveaways, money left behind and give/get difference (``received − conceded``),
    the money ones in ``currency``; ``weeks`` oldest first, this week last."""
    left = [week.money_left_behind.get(currency).amount_minor for week in weeks]
    difference = [
        week.received.get(currency).amount_minor - week.conceded.get(currency).amount_minor for week in weeks
    ]
    show = _money_show(currency)
    return (
        trend("Negotiations", [week.negotiations for week in weeks], higher_is_better=None),
        trend("Giveaways", [week.giveaways for week in weeks], higher_is_better=False),
        trend("Money left behind", left, higher_is_better=False, show=show),
        trend("Give/get difference", difference, higher_is_better=True, show=show),
    )


def tip_of_the_week(style: Style | None, week: date, playbook: Playbook) -> str:
    """The style's tip for the ISO week containing ``week``.

    Tips rotate in playbook order by week number counted from a fixed Monday, so consecutive weeks
    (also across a year end) always get different tips; the playbook guarantees at least two.
    """
    tips = playbook.tips_for(style)
    monday = week - timedelta(days=week.weekday())
    return tips[(monday.toordinal() // 7) % len(tips)]


# --------------------------------------------------------------------------------------------------
# Digests.


@dataclass(frozen=True, slots=True)
class LearnerDigest:
    member_id: str
    style: Style | None
    week_start: date
    metrics: WeekMetrics
    trends: tuple[Trend, ...]
    tip: str
    headline: str
    top_giveaway: str | None


def _giveaway_line(row: ConcessionRow | None) -> str | None:
    if row is None or row.concession.cost is None:
        return None
    item, cost = quoted(row.concession.item), row.concession.cost
    return f"Most expensive giveaway: {item} ({cost}), with nothing in return."


def _history_metrics(history: Sequence[WeekRows], today: date, playbook: Playbook) -> list[WeekMetrics]:
    ordered = sorted(history, key=lambda week: week.week_start)[-4:]
    return [week_metrics(week, today=today, playbook=playbook) for week in ordered]


def _headline(metrics: WeekMetrics, currency: str) -> str:
    if metrics.negotiations == 0 and metrics.conceded.is_empty():
        return "No negotiations logged this week."
    parts = [f"{plural(metrics.negotiations, 'negotiation')} ({metrics.agreed} agreed)"]
    balance = metrics.balance_in(currency) or (metrics.balances[0] if metrics.balances else None)
    if balance is not None:
        ratio = f", {format_ratio(balance.ratio)}" if balance.ratio is not None else ""
        parts.append(f"conceded {balance.conceded}, received {balance.received}{ratio}")
    if metrics.giveaways:
        parts.append(plural(metrics.giveaways, "giveaway"))
    if not metrics.money_left_behind.is_zero():
        parts.append(f"{metrics.money_left_behind} left behind")
    return "; ".join(parts) + "."


def learner_digest(
    member_id: str,
    style: Style | None,
    week: WeekRows,
    history: Sequence[WeekRows],
    *,
    today: date,
    playbook: Playbook,
) -> LearnerDigest:
    """One learner's week: deals, balance, money left behind, commitments, trends and a tip.

    ``week`` and ``history`` may hold other members' rows; only ``member_id``'s are counted.
    """
    currency = playbook.policy.default_currency
    own = week.for_member(member_id)
    metrics = week_metrics(own, today=today, playbook=playbook)
    earlier = _history_metrics([w.for_member(member_id) for w in history], today, playbook)
    return LearnerDigest(
        member_id=member_id,
        style=style,
        week_start=week.week_start,
        metrics=metrics,
        trends=standard_trends([*earlier, metrics], currency),
        tip=tip_of_the_week(style, week.week_start, playbook),
        headline=_headline(metrics, currency),
        top_giveaway=_giveaway_line(metrics.top_giveaway),
    )


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
class ManagerDigest:
    team: str | None
    week_start: date
    team_metrics: WeekMetrics
    members: tuple[MemberLine, ...]
    trends: tuple[Trend, ...]
    needs_attention: tuple[AttentionItem, ...]
    overdue_commitments: tuple[CommitmentRow, ...]
    pending_approvals: tuple[PendingApproval, ...]


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
    team_rows = WeekRows(
        week.week_start,
        tuple(r for r in week.negotiations if r.member_id in ids),
        tuple(r for r in week.concessions if r.member_id in ids),
        tuple(r for r in week.commitments if r.member_id in ids),
        tuple(r for r in week.approvals if r.proposer_id in ids),
    )
    team_metrics = week_metrics(team_rows, today=today, playbook=playbook)
    lines = tuple(
        MemberLine(
            member_id,
            members[member_id],
            week_metrics(team_rows.for_member(member_id), today=today, playbook=playbook),
        )
        for member_id in sorted(ids)
    )
    attention: list[AttentionItem] = []
    for line in lines:
        attention.extend(_attention(line.member_id, line.metrics, playbook))
    approvals = tuple(
        sorted(
            (
                PendingApproval(row, int((now - row.waiting_since).total_seconds() // 3600))
                for row in team_rows.approvals
            ),
            key=lambda pending: (-pending.age_hours, pending.row.request_id),
        )
    )
    for pending in approvals:
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
                for r in team_rows.commitments
                if r.status is CommitmentStatus.LAPSED
                or (r.status is CommitmentStatus.OPEN and r.due < today)
            ),
            key=lambda r: (r.due, r.member_id, r.what),
        )
    )
    earlier = _history_metrics(
        [
            WeekRows(
                w.week_start,
                tuple(r for r in w.negotiations if r.member_id in ids),
                tuple(r for r in w.concessions if r.member_id in ids),
                tuple(r for r in w.commitments if r.member_id in ids),
            )
            for w in history
        ],
        today,
        playbook,
    )
    return ManagerDigest(
        team=team,
        week_start=week.week_start,
        team_metrics=team_metrics,
        members=lines,
        trends=standard_trends([*earlier, team_metrics], playbook.policy.default_currency),
        needs_attention=tuple(attention),
        overdue_commitments=overdue,
        pending_approvals=approvals,
    )


@dataclass(frozen=True, slots=True)
class RollupRow:
    """One group of the organisation roll-up (a team, a counterpart kind or a style)."""

    key: str
    label: str
    negotiations: int
    agreed: int
    conceded: MoneyTotals
    received: MoneyTotals
    giveaways: int
    money_left_behind: MoneyTotals


@dataclass(frozen=True, slots=True)
class RecurringGiveaway:
    """An item given away more than once (matched like limits: case and punctuation ignored)."""

    item: str
    count: int
    total: MoneyTotals


@dataclass(frozen=True, slots=True)
class OrgDigest:
    week_start: date
    metrics: WeekMetrics
    trends: tuple[Trend, ...]
    by_team: tuple[RollupRow, ...]
    by_kind: tuple[RollupRow, ...]
    by_style: tuple[RollupRow, ...]
    recurring_giveaways: tuple[RecurringGiveaway, ...]


@dataclass
class _Group:
    negotiations: list[NegotiationRow] = field(default_factory=list)
    concessions: list[ConcessionRow] = field(default_factory=list)


def _rollup(
    week: WeekRows, key_of: Callable[[NegotiationRow | ConcessionRow], str], label_of: Callable[[str], str]
) -> tuple[RollupRow, ...]:
    groups: dict[str, _Group] = {}
    for negotiation in week.negotiations:
        groups.setdefault(key_of(negotiation), _Group()).negotiations.append(negotiation)
    for concession in week.concessions:
        groups.setdefault(key_of(concession), _Group()).concessions.append(concession)
    rows = []
    for key in sorted(groups):
        group = groups[key]
        items = [row.concession for row in group.concessions]
        rows.append(
            RollupRow(
                key=key,
                label=label_of(key),
                negotiations=len(group.negotiations),
                agreed=sum(1 for row in group.negotiations if row.outcome is Outcome.AGREED),
                conceded=MoneyTotals.of(c.cost for c in items),
                received=MoneyTotals.of(c.received_value for c in items if not c.is_giveaway),
                giveaways=sum(1 for c in items if c.is_giveaway),
                money_left_behind=MoneyTotals.of(c.left_behind() for c in items),
            )
        )
    return tuple(rows)


def recurring_giveaways(
    rows: Iterable[ConcessionRow], currency: str, *, top: int = 5
) -> tuple[RecurringGiveaway, ...]:
    """Items given away at least twice, most often first, then by total cost in ``currency``,
    then alphabetically; shown with the wording of their first occurrence."""
    grouped: dict[str, list[ConcessionRow]] = {}
    for row in rows:
        if row.concession.is_giveaway:
            grouped.setdefault(normalise(row.concession.item), []).append(row)
    found = [
        RecurringGiveaway(
            group[0].concession.item, len(group), MoneyTotals.of(r.concession.cost for r in group)
        )
        for key, group in grouped.items()
        if len(group) >= 2 and key
    ]
    found.sort(key=lambda g: (-g.count, -g.total.get(currency).amount_minor, normalise(g.item)))
    return tuple(found[:top])


def _style_label(key: str) -> str:
    return profile_for(None if key == NO_STYLE else Style(key)).label


def org_digest(
    week: WeekRows, history: Sequence[WeekRows], *, today: date, playbook: Playbook, top: int = 5
) -> OrgDigest:
    """The organisation roll-up: totals and trends, per team / counterpart kind / style, and the
    items given away most often over this week and the earlier ones."""
    currency = playbook.policy.default_currency
    metrics = week_metrics(week, today=today, playbook=playbook)
    earlier = _history_metrics(history, today, playbook)
    all_concessions = [row for w in (*history, week) for row in w.concessions]
    return OrgDigest(
        week_start=week.week_start,
        metrics=metrics,
        trends=standard_trends([*earlier, metrics], currency),
        by_team=_rollup(week, lambda row: row.team or NO_TEAM, lambda key: key),
        by_kind=_rollup(week, lambda row: row.counterpart_kind.value, lambda key: CounterpartKind(key).label),
        by_style=_rollup(week, lambda row: row.style.value if row.style else NO_STYLE, _style_label),
        recurring_giveaways=recurring_giveaways(all_concessions, currency, top=top),
    )
