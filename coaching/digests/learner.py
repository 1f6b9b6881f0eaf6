"""The learner's weekly digest: their week, their trends, one tip for their style."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from coaching.digests.metrics import WeekMetrics, metrics_of
from coaching.digests.rows import CommitmentRow, ConcessionRow, WeekRows
from coaching.digests.tallies import Tally, tally_of
from coaching.digests.trends import Trend, standard_trends, tip_of_the_week
from coaching.phrasing import format_ratio, plural, quoted
from coaching.playbook import Playbook
from coaching.styles import Style


@dataclass(frozen=True, slots=True)
class MemberWeek:
    """One member's week as the storage layer hands it over: the tally, plus the rows a digest
    names — their giveaways (for the most expensive one) and their commitments (for what is coming up
    and what is overdue)."""

    member_id: str
    tally: Tally = Tally()  # noqa: RUF009 - Tally is frozen: one shared empty tally is safe
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
