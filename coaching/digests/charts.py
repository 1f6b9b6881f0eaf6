"""The series the digest charts are drawn from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from coaching.digests.tallies import Tally


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
