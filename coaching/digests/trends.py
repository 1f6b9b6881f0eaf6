"""Trends against the previous weeks (direction, sparkline, words) and the style's tip of the week."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

from coaching.digests.rows import FLAT_PERCENT, SPARK_BARS
from coaching.money import Money, MoneyTotals
from coaching.phrasing import plural
from coaching.playbook import Playbook
from coaching.styles import Style


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
