"""Retention periods in calendar months (pure: the day is passed in).

"Older than N months" counts calendar months back from today, clamping to the month's last day:
on 31 March, one month back is 28 (or 29) February, so a negotiation on 28 February is not yet older
than a month but one on 27 February is.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Final

TEXT_KEY: Final = "retention_text_months"
ALL_KEY: Final = "retention_all_months"
MAX_MONTHS: Final = 1200


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the month's last day when it is shorter)."""
    if months < 0:
        raise ValueError("months must not be negative")
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, _month_length(year, month)))


def _month_length(year: int, month: int) -> int:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return (following - date(year, month, 1)).days


def months_setting(settings: Mapping[str, Any] | None, key: str) -> int | None:
    """A retention setting: a whole number of months from 1 to 1200, or None (off) for anything else."""
    value = (settings or {}).get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 1 <= value <= MAX_MONTHS else None
