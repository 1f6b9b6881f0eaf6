"""Working time in a member's own time zone: working hours, working days and nudge steps.

Shared by the playbook (which sets the defaults) and commitment nudges (which use them), so both
speak the same ``before-1`` / ``due`` / ``after-3`` language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

from coaching.errors import CoachingError

WEEKDAY_NAMES: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Weekday names as written in the playbook; index = ``date.weekday()`` (Monday = 0)."""


def parse_weekday(text: str) -> int | None:
    """``"mon"``, ``"Monday"`` → 0 … ``"sun"`` → 6; None when it is not a weekday name."""
    word = text.strip().lower()
    for index, name in enumerate(WEEKDAY_NAMES):
        full = date(2024, 1, 1 + index).strftime("%A").lower()  # 2024-01-01 was a Monday
        if word in (name, full):
            return index
    return None


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """When a member may be nudged: ``start`` ≤ local time < ``end`` on one of ``days`` that is not
    one of ``holidays`` (local dates: the workspace's holidays and its country's public holidays)."""

    start: time = time(9, 0)
    end: time = time(18, 0)
    days: tuple[int, ...] = field(default=(0, 1, 2, 3, 4))
    holidays: frozenset[date] = field(default=frozenset())

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise CoachingError("working hours are local wall-clock times, without a time zone")
        if not self.start < self.end:
            raise CoachingError(f"working hours must start before they end ({self.start} – {self.end})")
        if not self.days or any(day not in range(7) for day in self.days):
            raise CoachingError("working days must be one or more of 0 (Monday) … 6 (Sunday)")
        if len(set(self.days)) != len(self.days):
            raise CoachingError("working days must not repeat")

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.days and day not in self.holidays

    def contains(self, local: datetime) -> bool:
        """Whether a local wall-clock moment is inside working hours."""
        return (
            self.is_working_day(local.date()) and self.start <= local.time().replace(tzinfo=None) < self.end
        )


DEFAULT_WORKING_HOURS: Final = WorkingHours()


class StepKind(StrEnum):
    BEFORE = "before"
    DUE = "due"
    AFTER = "after"


_STEP = re.compile(r"^(before|after)-([1-9]\d?)$|^due$")


@dataclass(frozen=True, slots=True)
class NudgeStep:
    """One step of a nudge cadence, counted in working days from the due date."""

    kind: StepKind
    days: int = 0

    def __post_init__(self) -> None:
        if self.kind is StepKind.DUE and self.days != 0:
            raise CoachingError("the 'due' step has no day count")
        if self.kind is not StepKind.DUE and not 1 <= self.days <= 99:
            raise CoachingError("'before' and 'after' steps count 1 to 99 working days")

    @property
    def key(self) -> str:
        """The occurrence key, also its spelling in the playbook: ``before-1``, ``due``, ``after-3``."""
        return "due" if self.kind is StepKind.DUE else f"{self.kind.value}-{self.days}"

    @classmethod
    def parse(cls, text: str) -> NudgeStep:
        """Read ``before-N``, ``due`` or ``after-N``; raises :class:`CoachingError` otherwise."""
        match = _STEP.match(text.strip().lower())
        if not match:
            raise CoachingError(f"'{text}' is not a nudge step: use 'before-N', 'due' or 'after-N'")
        if match.group(1) is None:
            return cls(StepKind.DUE)
        return cls(StepKind(match.group(1)), int(match.group(2)))


DEFAULT_CADENCE: Final = (
    NudgeStep(StepKind.BEFORE, 1),
    NudgeStep(StepKind.DUE),
    NudgeStep(StepKind.AFTER, 1),
    NudgeStep(StepKind.AFTER, 3),
)


def add_working_days(day: date, count: int, hours: WorkingHours = DEFAULT_WORKING_HOURS) -> date:
    """The date ``count`` working days after ``day`` (before it when negative), not counting ``day``."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    current = day
    while remaining:
        current += timedelta(days=step)
        if hours.is_working_day(current):
            remaining -= 1
    return current


def working_day_on_or_before(day: date, hours: WorkingHours = DEFAULT_WORKING_HOURS) -> date:
    """``day`` itself if it is a working day, else the last working day before it."""
    current = day
    while not hours.is_working_day(current):
        current -= timedelta(days=1)
    return current


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock ``at`` on ``day`` in ``zone``.

    A wall time skipped by a DST jump (e.g. 02:30 on the spring-forward night) is read with the
    offset before the jump, which lands just after it, the way a wall clock would be set.
    """
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def wall_instants(day: date, at: time, zone: ZoneInfo) -> tuple[datetime, ...]:
    """The real UTC instants at which the wall clock in ``zone`` reads ``at`` on ``day``, earliest first.

    Usually one; two when a backward DST change repeats that wall time (a fold). When a forward change
    skips it (a gap), the one instant is the jump itself: the first moment the clock reads later than
    ``at``, rather than :func:`local_instant`'s reading with the old offset.
    """
    wall = datetime.combine(day, at)
    readings = sorted({wall.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1)})
    real = tuple(moment for moment in readings if _wall(moment, zone) == wall)
    if real:
        return real
    # A gap: the offset before the jump reads ``at`` too late, the offset after it too early.
    # The jump lies between; find it to the second (tz data has no finer transitions).
    low, high = readings[0], readings[-1]
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) // 2
        middle -= timedelta(microseconds=middle.microsecond)
        if _wall(middle, zone) >= wall:
            high = middle
        else:
            low = middle
    return (high,)


def _wall(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


def next_working_instant(
    moment: datetime, zone: ZoneInfo, hours: WorkingHours = DEFAULT_WORKING_HOURS
) -> datetime:
    """The earliest UTC instant at or after ``moment`` (aware) that is inside working hours in ``zone``.

    Working hours are wall-clock times, so DST changes shape them: a window that a forward jump
    shortens starts at the jump, one it erases entirely (a midnight jump over ``00:00–01:00``, say)
    is skipped for the next real one, and one a backward change repeats opens again on the second
    pass of the clock.
    """
    if moment.tzinfo is None:
        raise CoachingError("moment must be timezone-aware")
    moment = moment.astimezone(UTC)
    if hours.contains(moment.astimezone(zone)):
        return moment
    day = moment.astimezone(zone).date() - timedelta(days=1)  # a fall-back may repeat yesterday's hours
    for _ in range(16 + len(hours.holidays)):  # a week to the next working day, plus erased days
        if hours.is_working_day(day):
            for instant in wall_instants(day, hours.start, zone):
                if instant >= moment and hours.contains(instant.astimezone(zone)):
                    return instant
        day += timedelta(days=1)
    raise CoachingError("no working hours in the next two weeks")  # pragma: no cover - days is never empty


def first_working_morning(
    moment: datetime, zone: ZoneInfo, hours: WorkingHours = DEFAULT_WORKING_HOURS
) -> datetime:
    """The start of the first working day at or after ``moment`` (aware): where a reminder that fell
    due while someone was away lands, rather than in the middle of their first afternoon back."""
    if moment.tzinfo is None:
        raise CoachingError("moment must be timezone-aware")
    moment = moment.astimezone(UTC)
    day = moment.astimezone(zone).date()
    for _ in range(16 + len(hours.holidays)):
        if hours.is_working_day(day):
            for instant in wall_instants(day, hours.start, zone):
                if instant >= moment:
                    return instant
        day += timedelta(days=1)
    raise CoachingError("no working day in the next two weeks")  # pragma: no cover - days is never empty
