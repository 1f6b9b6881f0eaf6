"""Weekly digest content for learners, managers and the organisation, from plain rows or tallies.

Two ways in, one way out. Small inputs (tests, one member) can be handed over as rows
(:class:`WeekRows`: one per negotiation, concession and commitment); a whole workspace comes as
:class:`Tally` aggregates — what the storage layer's ``GROUP BY`` queries return per member, week and
counterpart kind — plus the few rows a digest names (giveaways, commitments, approvals). The row
functions (:func:`learner_digest`, :func:`manager_digest`, :func:`org_digest`) tally their rows and
call the tally ones (:func:`learner_digest_of`, :func:`manager_digest_of`, :func:`org_digest_of`), so
both give the same numbers. Everything here is arithmetic and wording. Money follows the same rules
as the debrief (see :mod:`coaching.debrief`): per currency, exact, never converted. Trends and charts
are computed on the playbook's default currency.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Final, Protocol

from coaching.counterparts import CounterpartKind
from coaching.debrief import CurrencyBalance, Outcome, balance_by_currency
from coaching.items import Concession
from coaching.matching import normalise
from coaching.money import Money, MoneyTotals
from coaching.phrasing import format_ratio, plural, quoted
from coaching.playbook import Playbook
from coaching.styles import Style, profile_for
from coaching.vocabulary import upcoming_until

SPARK_BARS: Final = "▁▂▃▄▅▆▇█"
FLAT_PERCENT: Final = 5
"""Changes smaller than this (in % of the earlier average) are reported as flat."""
UPCOMING_DAYS: Final = 7
NO_TEAM: Final = "no team"
NO_STYLE: Final = "no_style"
NO_MONEY: Final = MoneyTotals()


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
    """A commitment owned by a member: kept or lapsed this week, or still open.

    ``nudges_unanswered``: reminders sent about it that got no answer (for the non-responders).
    """

    member_id: str
    team: str | None
    what: str
    due: date
    status: CommitmentStatus
    nudges_unanswered: int = 0


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
# Tallies: the additive aggregates a week boils down to.


def _sum_money(totals: Iterable[MoneyTotals]) -> MoneyTotals:
    sums: dict[str, int] = {}
    for total in totals:
        for money in total.amounts:
            sums[money.currency] = sums.get(money.currency, 0) + money.amount_minor
    return MoneyTotals(tuple(Money(sums[code], code) for code in sorted(sums)))


@dataclass(frozen=True, slots=True)
class Tally:
    """What a member (or a team, or everyone) did in one week, as sums that add up.

    This is the shape of a ``GROUP BY`` row: counts and per-currency totals. A currency appears in a
    total once any amount in it was recorded (even a zero), exactly as :class:`MoneyTotals` does.
    ``received`` counts what came back for concessions; ``money_left_behind`` is the giveaways' costs
    plus the shortfalls of trades that came back worth less (see :meth:`Concession.left_behind`).
    """

    negotiations: int = 0
    agreed: int = 0
    no_deal: int = 0
    paused: int = 0
    conceded: MoneyTotals = NO_MONEY
    received: MoneyTotals = NO_MONEY
    giveaways: int = 0
    giveaway_total: MoneyTotals = NO_MONEY
    money_left_behind: MoneyTotals = NO_MONEY
    limits_breached: int = 0
    commitments_kept: int = 0
    commitments_lapsed: int = 0

    @classmethod
    def total(cls, tallies: Iterable[Tally]) -> Tally:
        """The sum of many tallies (one pass; cheaper than adding them two by two)."""
        items = list(tallies)
        if len(items) == 1:
            return items[0]
        return cls(
            negotiations=sum(t.negotiations for t in items),
            agreed=sum(t.agreed for t in items),
            no_deal=sum(t.no_deal for t in items),
            paused=sum(t.paused for t in items),
            conceded=_sum_money(t.conceded for t in items),
            received=_sum_money(t.received for t in items),
            giveaways=sum(t.giveaways for t in items),
            giveaway_total=_sum_money(t.giveaway_total for t in items),
            money_left_behind=_sum_money(t.money_left_behind for t in items),
            limits_breached=sum(t.limits_breached for t in items),
            commitments_kept=sum(t.commitments_kept for t in items),
            commitments_lapsed=sum(t.commitments_lapsed for t in items),
        )

    def __add__(self, other: Tally) -> Tally:
        if not isinstance(other, Tally):
            return NotImplemented
        return Tally.total((self, other))

    @property
    def is_quiet(self) -> bool:
        """Nothing logged: no negotiation, no concession, no commitment kept or lapsed."""
        return (
            self.negotiations == 0
            and self.giveaways == 0
            and self.conceded.is_empty()
            and self.received.is_empty()
            and self.commitments_kept == 0
            and self.commitments_lapsed == 0
            and self.limits_breached == 0
        )


def concession_tally(concession: Concession, *, limit_breached: bool = False) -> Tally:
    """One concession's contribution to a week (the rule every storage query must match)."""
    giveaway = concession.is_giveaway
    return Tally(
        conceded=MoneyTotals.of((concession.cost,)),
        received=MoneyTotals() if giveaway else MoneyTotals.of((concession.received_value,)),
        giveaways=int(giveaway),
        giveaway_total=MoneyTotals.of((concession.cost,)) if giveaway else MoneyTotals(),
        money_left_behind=MoneyTotals.of((concession.left_behind(),)),
        limits_breached=int(limit_breached),
    )


def outcome_tally(outcome: Outcome) -> Tally:
    """One debriefed negotiation's contribution to a week."""
    return Tally(
        negotiations=1,
        agreed=int(outcome is Outcome.AGREED),
        no_deal=int(outcome is Outcome.NO_DEAL),
        paused=int(outcome is Outcome.PAUSED),
    )


def commitment_tally(status: CommitmentStatus) -> Tally:
    return Tally(
        commitments_kept=int(status is CommitmentStatus.KEPT),
        commitments_lapsed=int(status is CommitmentStatus.LAPSED),
    )


def tally_of(rows: WeekRows) -> Tally:
    """The tally of a week of rows."""
    return Tally.total(
        [
            Tally(),
            *(outcome_tally(row.outcome) for row in rows.negotiations),
            *(
                concession_tally(row.concession, limit_breached=row.limit_breached)
                for row in rows.concessions
            ),
            *(commitment_tally(row.status) for row in rows.commitments),
        ]
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

    @property
    def quiet(self) -> bool:
        """Nothing happened: no negotiation, no money moved, no commitment closed or coming up."""
        return (
            self.negotiations == 0
            and self.giveaways == 0
            and self.conceded.is_empty()
            and self.received.is_empty()
            and self.commitments_kept == 0
            and self.commitments_lapsed == 0
            and not self.commitments_upcoming
        )


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


def upcoming_commitments(
    rows: Iterable[CommitmentRow], today: date, until: date | None = None
) -> tuple[CommitmentRow, ...]:
    """Open commitments due from ``today`` to ``until`` (:func:`coaching.vocabulary.upcoming_until`;
    default :data:`UPCOMING_DAYS` days on), soonest first — the same window a "Coming up" nudge uses."""
    last = until if until is not None else today + timedelta(days=UPCOMING_DAYS - 1)
    return tuple(
        sorted(
            (row for row in rows if row.status is CommitmentStatus.OPEN and today <= row.due <= last),
            key=lambda row: (row.due, row.what),
        )
    )


def metrics_of(
    tally: Tally,
    *,
    giveaways: Iterable[ConcessionRow] = (),
    commitments: Iterable[CommitmentRow] = (),
    today: date,
    playbook: Playbook,
) -> WeekMetrics:
    """The metrics of a tally; ``giveaways`` name the most expensive one, ``commitments`` (open ones)
    the upcoming ones. ``today`` decides what is upcoming."""
    return WeekMetrics(
        negotiations=tally.negotiations,
        agreed=tally.agreed,
        no_deal=tally.no_deal,
        paused=tally.paused,
        conceded=tally.conceded,
        received=tally.received,
        balances=balance_by_currency(tally.conceded, tally.received, playbook.policy.balance_attention_ratio),
        giveaways=tally.giveaways,
        giveaway_total=tally.giveaway_total,
        money_left_behind=tally.money_left_behind,
        top_giveaway=most_expensive_giveaway(giveaways, playbook.policy.default_currency),
        limits_breached=tally.limits_breached,
        commitments_kept=tally.commitments_kept,
        commitments_lapsed=tally.commitments_lapsed,
        commitments_upcoming=upcoming_commitments(
            commitments,
            today,
            upcoming_until(today, playbook.policy.nudge_cadence, playbook.policy.working_hours),
        ),
    )


def week_metrics(rows: WeekRows, *, today: date, playbook: Playbook) -> WeekMetrics:
    """Counts, money and commitments for one week of rows. ``today`` decides what is upcoming."""
    return metrics_of(
        tally_of(rows),
        giveaways=rows.concessions,
        commitments=rows.commitments,
        today=today,
        playbook=playbook,
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
    percent: int | None = None
    """The change against the earlier average, in whole percent (None: no earlier weeks, or none
    to compare with)."""

    @property
    def short(self) -> str:
        """``up 50 %``, ``down 12 %``, ``steady``, ``up from none``, ``new`` — for tight spaces."""
        if self.direction is Direction.NEW:
            return "new"
        if self.direction is Direction.FLAT:
            return "steady"
        if self.percent is None:
            return f"{self.direction.value} from none"
        return f"{self.direction.value} {abs(self.percent):,} %"


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


def _round_div(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` to the nearest integer, halves away from zero (exact integers:
    this runs for every trend of every digest, where :class:`~fractions.Fraction` is too slow)."""
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    magnitude = (2 * abs(numerator) + denominator) // (2 * denominator)
    return magnitude if numerator >= 0 else -magnitude


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
    total, count = sum(earlier), len(earlier)
    shown_average = show(_round_div(total, count))
    percent: int | None = None
    if total == 0:
        if current == 0:
            direction, words = Direction.FLAT, f"none this week or in the previous {weeks}"
        elif current > 0:
            direction, words = Direction.UP, f"up from none in the previous {weeks} to {show(current)}"
        else:
            direction, words = Direction.DOWN, f"down from zero in the previous {weeks} to {show(current)}"
    else:
        percent = _round_div((current * count - total) * 100, abs(total))
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
    return Trend(label, tuple(values), direction, words, spark, better, percent)


def money_show(currency: str) -> Callable[[int], str]:
    """Formats minor units of ``currency`` as money, for :func:`trend`'s ``show``."""

    def show(minor: int) -> str:
        return str(Money(minor, currency))

    return show


class WeekNumbers(Protocol):
    """What a trend reads from a week: a :class:`Tally` or a :class:`WeekMetrics`."""

    @property
    def negotiations(self) -> int: ...
    @property
    def giveaways(self) -> int: ...
    @property
    def conceded(self) -> MoneyTotals: ...
    @property
    def received(self) -> MoneyTotals: ...
    @property
    def money_left_behind(self) -> MoneyTotals: ...


def standard_trends(weeks: Sequence[WeekNumbers], currency: str) -> tuple[Trend, Trend, Trend, Trend]:
    """Negotiations, giveaways, money left behind and give/get difference (``received − conceded``),
    the money ones in ``currency``; ``weeks`` oldest first, this week last."""
    left = [week.money_left_behind.get(currency).amount_minor for week in weeks]
    difference = [
        week.received.get(currency).amount_minor - week.conceded.get(currency).amount_minor for week in weeks
    ]
    show = money_show(currency)
    return (
        trend("Negotiations", [week.negotiations for week in weeks], higher_is_better=None),
        trend("Giveaways", [week.giveaways for week in weeks], higher_is_better=False),
        trend("Money left behind", left, higher_is_better=False, show=show),
        trend("Give/get difference", difference, higher_is_better=True, show=show),
    )


def tip_of_the_week(style: Style | None, week: date, playbook: Playbook, *, every_weeks: int = 1) -> str:
    """The style's tip for the ISO week containing ``week``.

    Tips rotate in playbook order by week number counted from a fixed Monday, so consecutive weeks
    (also across a year end) always get different tips; the playbook guarantees at least two. A
    member who reads the digest every ``every_weeks`` weeks rotates per digest instead, so two
    digests in a row never repeat a tip either.
    """
    if every_weeks < 1:
        raise ValueError("every_weeks is at least 1")
    tips = playbook.tips_for(style)
    monday = week - timedelta(days=week.weekday())
    return tips[((monday.toordinal() // 7) // every_weeks) % len(tips)]


# --------------------------------------------------------------------------------------------------
# Digests.


@dataclass(frozen=True, slots=True)
class MemberWeek:
    """One member's week as the storage layer hands it over: the tally, plus the rows a digest
    names — their giveaways (for the most expensive one) and their commitments (for what is coming up
    and what is overdue)."""

    member_id: str
    tally: Tally = Tally()
    giveaways: tuple[ConcessionRow, ...] = ()
    commitments: tuple[CommitmentRow, ...] = ()


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

    @property
    def quiet(self) -> bool:
        """A week with nothing to report: the digest is short (or, per the member's setting, not sent)."""
        return self.metrics.quiet


def _giveaway_line(row: ConcessionRow | None) -> str | None:
    if row is None or row.concession.cost is None:
        return None
    item, cost = quoted(row.concession.item), row.concession.cost
    return f"Most expensive giveaway: {item} ({cost}), with nothing in return."


def _history_tallies(history: Sequence[WeekRows]) -> list[Tally]:
    ordered = sorted(history, key=lambda week: week.week_start)[-4:]
    return [tally_of(week) for week in ordered]


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


def learner_digest_of(
    style: Style | None,
    week_start: date,
    week: MemberWeek,
    earlier: Sequence[Tally],
    *,
    today: date,
    playbook: Playbook,
    every_weeks: int = 1,
) -> LearnerDigest:
    """One learner's week from their tally: deals, balance, money left behind, commitments, trends
    against ``earlier`` (oldest first, at most the last four are used) and a tip."""
    currency = playbook.policy.default_currency
    metrics = metrics_of(
        week.tally, giveaways=week.giveaways, commitments=week.commitments, today=today, playbook=playbook
    )
    return LearnerDigest(
        member_id=week.member_id,
        style=style,
        week_start=week_start,
        metrics=metrics,
        trends=standard_trends([*list(earlier)[-4:], metrics], currency),
        tip=tip_of_the_week(style, week_start, playbook, every_weeks=every_weeks),
        headline=_headline(metrics, currency),
        top_giveaway=_giveaway_line(metrics.top_giveaway),
    )


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
    own = week.for_member(member_id)
    return learner_digest_of(
        style,
        week.week_start,
        MemberWeek(member_id, tally_of(own), own.concessions, own.commitments),
        _history_tallies([w.for_member(member_id) for w in history]),
        today=today,
        playbook=playbook,
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


@dataclass(frozen=True, slots=True)
class RollupRow:
    """One group of the organisation roll-up (a team, a counterpart kind, a style, or a style with
    one kind of counterpart). ``trend``: its money left behind against its earlier weeks;
    ``members``: how many members have that style (style rows only)."""

    key: str
    label: str
    negotiations: int
    agreed: int
    conceded: MoneyTotals
    received: MoneyTotals
    giveaways: int
    money_left_behind: MoneyTotals
    trend: Trend | None = None
    members: int | None = None
    suppressed: bool = False
    """Too small a group to show without pointing at a person: only its label is kept."""

    def too_small(self, min_cell: int) -> bool:
        """Fewer negotiations than ``min_cell``, or (when known) fewer members."""
        return self.negotiations < min_cell or (self.members is not None and self.members < min_cell)

    def hidden(self) -> RollupRow:
        """This row with every number removed (the label stays, so the reader knows it exists)."""
        return RollupRow(
            self.key, self.label, 0, 0, MoneyTotals(), MoneyTotals(), 0, MoneyTotals(), suppressed=True
        )


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
    hotspots: tuple[RollupRow, ...] = ()
    """Style × counterpart kind pairs that left the most money behind this week, most first."""
    non_responders: int = 0
    """Members with overdue commitments whose nudges went unanswered (a count: never names)."""


@dataclass(frozen=True, slots=True)
class GroupTally:
    """A tally labelled for the roll-up: one member's week with one kind of counterpart (or, with
    ``counterpart_kind`` None, the parts of a week that have no counterpart, like commitments).
    ``weeks_ago``: 0 for the digest's week, 1 for the week before, and so on."""

    weeks_ago: int
    team: str | None
    style: Style | None
    counterpart_kind: CounterpartKind | None
    tally: Tally


def _style_label(key: str) -> str:
    return profile_for(None if key == NO_STYLE else Style(key)).label


def _style_key(style: Style | None) -> str:
    return style.value if style else NO_STYLE


def _rollup(
    groups: Sequence[GroupTally],
    key_of: Callable[[GroupTally], str | None],
    label_of: Callable[[str], str],
    *,
    earlier_weeks: int,
    currency: str,
    members: Mapping[str, int] | None = None,
) -> tuple[RollupRow, ...]:
    by_key: dict[str, dict[int, list[Tally]]] = {key: {} for key in members or {}}
    for group in groups:
        key = key_of(group)
        if key is not None:
            by_key.setdefault(key, {}).setdefault(group.weeks_ago, []).append(group.tally)
    rows = []
    show = money_show(currency)
    for key in sorted(by_key):
        weeks = by_key[key]
        if 0 not in weeks and key not in (members or {}):
            continue  # nothing this week: not a row of this week's roll-up
        now = Tally.total([Tally(), *weeks.get(0, [])])
        series = [
            Tally.total([Tally(), *weeks.get(ago, [])]).money_left_behind.get(currency).amount_minor
            for ago in range(earlier_weeks, -1, -1)
        ]
        rows.append(
            RollupRow(
                key=key,
                label=label_of(key),
                negotiations=now.negotiations,
                agreed=now.agreed,
                conceded=now.conceded,
                received=now.received,
                giveaways=now.giveaways,
                money_left_behind=now.money_left_behind,
                trend=trend("Money left behind", series, higher_is_better=False, show=show),
                members=members.get(key, 0) if members is not None else None,
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


def org_digest_of(
    week_start: date,
    groups: Sequence[GroupTally],
    *,
    giveaways: Sequence[ConcessionRow] = (),
    recurring_pool: Sequence[ConcessionRow] = (),
    commitments: Sequence[CommitmentRow] = (),
    style_counts: Mapping[Style | None, int] | None = None,
    earlier_weeks: int = 4,
    today: date,
    playbook: Playbook,
    top: int = 5,
) -> OrgDigest:
    """The organisation roll-up from labelled tallies: totals and trends, per team, counterpart kind
    and style (with each group's trend of money left behind), the style × kind pairs leaving most
    money behind, and the items given away most often in ``recurring_pool`` (this week and the
    earlier ones). ``giveaways``: this week's, to name the most expensive; ``style_counts``: how many
    members have each style (the style distribution)."""
    currency = playbook.policy.default_currency
    earlier_weeks = max(0, min(4, earlier_weeks))
    by_week: dict[int, list[Tally]] = {}
    for group in groups:
        by_week.setdefault(group.weeks_ago, []).append(group.tally)
    current = Tally.total([Tally(), *by_week.get(0, [])])
    earlier = [Tally.total([Tally(), *by_week.get(ago, [])]) for ago in range(earlier_weeks, 0, -1)]
    metrics = metrics_of(
        current, giveaways=giveaways, commitments=commitments, today=today, playbook=playbook
    )
    counted = {_style_key(style): count for style, count in (style_counts or {}).items()}

    def kind_key(group: GroupTally) -> str | None:
        return group.counterpart_kind.value if group.counterpart_kind else None

    def pair_key(group: GroupTally) -> str | None:
        if group.counterpart_kind is None:
            return None
        return f"{_style_key(group.style)}/{group.counterpart_kind.value}"

    def pair_label(key: str) -> str:
        style, kind = key.split("/", 1)
        return f"{_style_label(style)} with {CounterpartKind(kind).label.lower()}"

    pairs = [
        row
        for row in _rollup(groups, pair_key, pair_label, earlier_weeks=earlier_weeks, currency=currency)
        if row.money_left_behind.get(currency).amount_minor > 0
    ]
    pairs.sort(key=lambda row: (-row.money_left_behind.get(currency).amount_minor, row.key))
    return OrgDigest(
        week_start=week_start,
        metrics=metrics,
        trends=standard_trends([*earlier, current], currency),
        by_team=_rollup(
            groups,
            lambda g: g.team or NO_TEAM,
            lambda key: key,
            earlier_weeks=earlier_weeks,
            currency=currency,
        ),
        by_kind=_rollup(
            groups,
            kind_key,
            lambda key: CounterpartKind(key).label,
            earlier_weeks=earlier_weeks,
            currency=currency,
        ),
        by_style=_rollup(
            [g for g in groups if g.counterpart_kind is not None or counted],
            lambda g: _style_key(g.style),
            _style_label,
            earlier_weeks=earlier_weeks,
            currency=currency,
            members=counted or None,
        ),
        recurring_giveaways=recurring_giveaways(recurring_pool, currency, top=top),
        hotspots=tuple(pairs[:top]),
        non_responders=len(_non_responders(commitments, today)),
    )


def _groups_of(week: WeekRows, weeks_ago: int) -> list[GroupTally]:
    groups = [
        GroupTally(weeks_ago, row.team, row.style, row.counterpart_kind, outcome_tally(row.outcome))
        for row in week.negotiations
    ]
    groups.extend(
        GroupTally(
            weeks_ago,
            row.team,
            row.style,
            row.counterpart_kind,
            concession_tally(row.concession, limit_breached=row.limit_breached),
        )
        for row in week.concessions
    )
    groups.extend(
        GroupTally(weeks_ago, row.team, None, None, commitment_tally(row.status)) for row in week.commitments
    )
    return groups


def suppress_small_cells(
    digest: OrgDigest, min_cell: int, team_members: Mapping[str, int] | None = None
) -> OrgDigest:
    """The roll-up with every cell under ``min_cell`` hidden, so "never individuals" stays true.

    A team, counterpart or style row with fewer negotiations than ``min_cell`` — or fewer members, where
    the count is known (styles; teams via ``team_members`` by label) — keeps its label and loses its
    numbers; a style × counterpart hotspot or a recurring giveaway under it is dropped. The totals
    above the rows are the whole organisation's and stay.
    """
    members = team_members or {}

    def team(row: RollupRow) -> RollupRow:
        small = row.too_small(min_cell) or members.get(row.label, min_cell) < min_cell
        return row.hidden() if small else row

    def group(row: RollupRow) -> RollupRow:
        return row.hidden() if row.too_small(min_cell) else row

    return replace(
        digest,
        by_team=tuple(team(row) for row in digest.by_team),
        by_kind=tuple(group(row) for row in digest.by_kind),
        by_style=tuple(group(row) for row in digest.by_style),
        hotspots=tuple(row for row in digest.hotspots if not row.too_small(min_cell)),
        recurring_giveaways=tuple(g for g in digest.recurring_giveaways if g.count >= min_cell),
    )


def org_digest(
    week: WeekRows, history: Sequence[WeekRows], *, today: date, playbook: Playbook, top: int = 5
) -> OrgDigest:
    """The organisation roll-up: totals and trends, per team / counterpart kind / style, and the
    items given away most often over this week and the earlier ones."""
    ordered = sorted(history, key=lambda w: w.week_start)[-4:]
    groups = _groups_of(week, 0)
    for ago, earlier in enumerate(reversed(ordered), start=1):
        groups.extend(_groups_of(earlier, ago))
    return org_digest_of(
        week.week_start,
        groups,
        giveaways=week.concessions,
        recurring_pool=[row for w in (*history, week) for row in w.concessions],
        commitments=week.commitments,
        earlier_weeks=len(ordered),
        today=today,
        playbook=playbook,
        top=top,
    )


# --------------------------------------------------------------------------------------------------
# Charts.


@dataclass(frozen=True, slots=True)
class ChartSeries:
    """Per week (oldest first) in one currency, in minor units: what was conceded and received, the
    give/get balance (``received − conceded``) and the money left behind."""

    currency: str
    week_starts: tuple[date, ...]
    conceded: tuple[int, ...]
    received: tuple[int, ...]
    left_behind: tuple[int, ...]

    @property
    def balance(self) -> tuple[int, ...]:
        return tuple(got - gave for gave, got in zip(self.conceded, self.received, strict=True))

    @property
    def empty(self) -> bool:
        return not any(self.conceded) and not any(self.received) and not any(self.left_behind)


def chart_series(weeks: Sequence[tuple[date, Tally]], currency: str) -> ChartSeries:
    """The chart's numbers from ``(week_start, tally)`` pairs, oldest first."""
    return ChartSeries(
        currency=currency,
        week_starts=tuple(start for start, _ in weeks),
        conceded=tuple(t.conceded.get(currency).amount_minor for _, t in weeks),
        received=tuple(t.received.get(currency).amount_minor for _, t in weeks),
        left_behind=tuple(t.money_left_behind.get(currency).amount_minor for _, t in weeks),
    )
