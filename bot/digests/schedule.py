"""When each digest is due, and which weeks it covers, in each recipient's own time zone.

The schedule is a local day and time (default the playbook's ``digest_day`` / ``digest_time``,
Monday 09:00; a workspace may override them in ``/negotiate settings``). On a workspace holiday the
digest goes out on the next working day of the same week. A recipient's digest of ISO week *W* — *W*
counted on their own calendar — is due from that day and time of *W* in their time zone for
:data:`CATCH_UP` (and never past the end of *W*): a clock that was down on Monday morning still
sends it on Tuesday, but a digest is never sent days late, and nobody gets last week's digest on a
Sunday because they were first seen then. It covers the seven days before the digest's day (with the
default, their Monday 00:00 to Monday 00:00: the week just ended), or the fourteen days before it
for members who read it every other week; fortnightly digests go out in the weeks whose number,
counted from a fixed Monday, is even. ``/negotiate digest`` shows the seven days from the last
digest day to the end of the next: the week in progress so far.

Members choose in ``Member.settings``: ``"digest"`` — ``weekly`` (default), ``fortnightly`` or ``off``;
``"digest_quiet"`` — ``send`` (default: a short digest for a quiet week) or ``skip`` (none).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, Final
from zoneinfo import ZoneInfo

from coaching.playbook import Policy
from coaching.workspace_settings import effective_policy
from coaching.worktime import WEEKDAY_NAMES, local_instant
from coaching.zones import safe_zone
from storage.queries.digests import WeekWindow

CADENCE_KEY: Final = "digest"
QUIET_KEY: Final = "digest_quiet"
DAY_KEY: Final = "digest_day"
TIME_KEY: Final = "digest_time"
TZ_KEY: Final = "digest_tz"
HISTORY_WEEKS: Final = 4
"""Earlier periods a trend compares with."""
CHART_WEEKS: Final = 12
CATCH_UP: Final = timedelta(days=2)
"""How long after its time a missed digest is still sent."""


class Cadence(StrEnum):
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    OFF = "off"

    @property
    def every_weeks(self) -> int:
        return 2 if self is Cadence.FORTNIGHTLY else 1

    @property
    def words(self) -> str:
        return {"weekly": "every week", "fortnightly": "every other week", "off": "never"}[self.value]


class Quiet(StrEnum):
    SEND = "send"
    SKIP = "skip"


def cadence_of(settings: Mapping[str, Any] | None) -> Cadence:
    try:
        return Cadence(str((settings or {}).get(CADENCE_KEY) or Cadence.WEEKLY.value))
    except ValueError:
        return Cadence.WEEKLY


def quiet_of(settings: Mapping[str, Any] | None) -> Quiet:
    try:
        return Quiet(str((settings or {}).get(QUIET_KEY) or Quiet.SEND.value))
    except ValueError:
        return Quiet.SEND


@dataclass(frozen=True, slots=True)
class Slot:
    """The local weekday (Monday = 0) and time digests go out; on a holiday, the next working day."""

    day: int
    at: time
    holidays: frozenset[date] = frozenset()
    working_days: tuple[int, ...] = (0, 1, 2, 3, 4)

    def day_in(self, monday: date) -> date:
        """The digest's local date in the week of ``monday``: its day, or when that is a holiday the
        next working day that is not one (never past the week)."""
        day = monday + timedelta(days=self.day)
        while day in self.holidays and day < monday + timedelta(days=6):
            day += timedelta(days=1)
            while day.weekday() not in self.working_days and day < monday + timedelta(days=6):
                day += timedelta(days=1)
        return day

    def describe(self) -> str:
        return f"{WEEKDAY_NAMES[self.day].title()} {self.at.strftime('%H:%M')}"


def slot_for(
    policy: Policy, workspace_settings: Mapping[str, Any] | None, holidays: frozenset[date] = frozenset()
) -> Slot:
    """The playbook's day and time, overridden by the workspace's settings (read through the
    settings registry, so an invalid stored value keeps the playbook's), skipping ``holidays``."""
    effective = effective_policy(policy, workspace_settings)
    at = effective.digest_time.replace(second=0, microsecond=0, tzinfo=None)
    return Slot(effective.digest_day, at, holidays, effective.working_hours.days)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def local_monday(now: datetime, tz: ZoneInfo) -> date:
    """The Monday of the local week containing ``now``."""
    return monday_of(now.astimezone(tz).date())


def iso_week(monday: date) -> str:
    """``2026-W48``."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def fortnight_week(monday: date) -> bool:
    """Whether fortnightly digests go out in the week of ``monday`` (every other week)."""
    return (monday.toordinal() // 7) % 2 == 0


@dataclass(frozen=True, slots=True)
class DueWeek:
    """A digest due now: its ISO week (the delivery week, on the recipient's calendar), the first
    day it covers and how many weeks it covers (1, or 2 for fortnightly)."""

    delivery_monday: date
    covered_start: date
    weeks: int
    due_at: datetime

    @property
    def label(self) -> str:
        return iso_week(self.delivery_monday)


def due_week(now: datetime, tz_key: str | None, slot: Slot, cadence: Cadence) -> DueWeek | None:
    """The digest due at ``now`` for someone in ``tz_key`` with ``cadence``, if any is due."""
    if cadence is Cadence.OFF:
        return None
    tz = safe_zone(tz_key)
    monday = local_monday(now, tz)
    if cadence is Cadence.FORTNIGHTLY and not fortnight_week(monday):
        return None
    day = slot.day_in(monday)
    if day in slot.holidays:
        return None  # a whole week of holidays: no digest
    at = local_instant(day, slot.at, tz)
    if now < at or now >= at + CATCH_UP:
        return None
    weeks = cadence.every_weeks
    start = monday + timedelta(days=slot.day)  # the period it covers does not move with a holiday
    return DueWeek(monday, start - timedelta(weeks=weeks), weeks, at)


def period_anchor(now: datetime, tz: ZoneInfo, slot_day: int) -> date:
    """The latest local digest day (weekday ``slot_day``) on or before ``now``'s local date."""
    today = now.astimezone(tz).date()
    return today - timedelta(days=(today.weekday() - slot_day) % 7)


def current_week(now: datetime, tz_key: str | None, slot: Slot) -> DueWeek:
    """The week in progress (for ``/negotiate digest``), from the last digest day to now."""
    tz = safe_zone(tz_key)
    anchor = period_anchor(now, tz, slot.day)
    return DueWeek(local_monday(now, tz), anchor, 1, now)


def week_windows(
    tz_keys: Iterable[str], *, now: datetime, weeks: int, slot_day: int, include_current: bool
) -> list[WeekWindow]:
    """``weeks`` seven-day windows per time zone (``Member.tz`` values as stored), oldest first,
    each starting at local midnight of the digest day. The last one ends at the latest digest day
    (the week just ended) or, with ``include_current``, is the week in progress."""
    windows = []
    for key in sorted(set(tz_keys)):
        tz = safe_zone(key)
        anchor = period_anchor(now, tz, slot_day)
        last = anchor if include_current else anchor - timedelta(weeks=1)
        for index in range(weeks):
            start_day = last - timedelta(weeks=weeks - 1 - index)
            starts = datetime.combine(start_day, time(0), tzinfo=tz).astimezone(UTC)
            ends = datetime.combine(start_day + timedelta(weeks=1), time(0), tzinfo=tz).astimezone(UTC)
            windows.append(WeekWindow(key, index, starts, ends))
    return windows


def window_starts(
    now: datetime, tz_key: str | None, *, weeks: int, slot_day: int, include_current: bool
) -> list[date]:
    """The local first days of the windows :func:`week_windows` builds for ``tz_key`` (chart labels)."""
    anchor = period_anchor(now, safe_zone(tz_key), slot_day)
    last = anchor if include_current else anchor - timedelta(weeks=1)
    return [last - timedelta(weeks=weeks - 1 - index) for index in range(weeks)]
