"""A week's metrics from its tally: balances, giveaways, money left behind, commitments, what is
coming up."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from coaching.debrief import CurrencyBalance, balance_by_currency
from coaching.digests.rows import UPCOMING_DAYS, CommitmentRow, CommitmentStatus, ConcessionRow, WeekRows
from coaching.digests.tallies import Tally, tally_of
from coaching.money import MoneyTotals
from coaching.playbook import Playbook
from coaching.vocabulary import upcoming_until


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
