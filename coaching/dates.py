"""The one way Parley writes a calendar date or a local moment in a message: ``Sun 6 Dec 2026``.

A calendar date (a due date, a negotiation's day) is the same day for everybody, so it is written out
the same way everywhere: weekday, day without a leading zero, month, year — ``Sun 6 Dec 2026``. The year
may be left off only where the surrounding text already fixes it (a digest's week). A moment (a snooze
ending, a trade's deadline) is written in the reader's own zone with the same date words plus the time,
``Sun 6 Dec 2026 at 09:00``; messages that go to many readers use Slack's ``<!date^…>`` token instead
(``templates.mrkdwn.date``), which each Slack client shows in its reader's own zone and locale.
"""

from __future__ import annotations

from datetime import date, datetime

__all__ = ["day_words", "moment_words"]


def day_words(day: date, *, year: bool = True) -> str:
    """``Sun 6 Dec 2026`` (``Sun 6 Dec`` with ``year=False``)."""
    text = f"{day:%a} {day.day} {day:%b}"
    return f"{text} {day.year}" if year else text


def moment_words(local: datetime, *, year: bool = True, zone_name: bool = False) -> str:
    """``Sun 6 Dec 2026 at 09:00`` for a moment already in the reader's zone (``… 09:00 CET``)."""
    text = f"{day_words(local.date(), year=year)} at {local:%H:%M}"
    return f"{text} {local.tzname()}" if zone_name and local.tzname() else text
