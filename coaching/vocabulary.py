"""One vocabulary: what *due*, *overdue*, *lapsed*, *kept*, *active* and *working days* mean.

Home, nudges, digests and ``parley export`` all count with these functions, so two screens can never
disagree about the same commitment. ``today`` is always the owner's local date (the caller knows it).

* **due** — open, and its due date is today.
* **upcoming** — open, due after today and no later than :func:`upcoming_until` (the playbook's earliest
  "before" nudge, and never less than :data:`UPCOMING_DAYS` days ahead): every commitment a "Coming up"
  nudge was sent for is in the digest's "Coming up" list.
* **overdue** — still to be delivered (open, or lapsed and not yet done or cancelled) with its due date
  passed. A state: it is overdue until someone marks it done or cancels it.
* **lapsed** — an event: the due date ended without it being kept. Counted once, in the week it
  happened. Every lapsed commitment that is still to be delivered is also overdue; the digest says
  both ("2 lapsed this week; 3 overdue now").
* **kept** — marked done on or before its due date. Done after the due date is *done late*: it was
  lapsed, and is counted as lapsed, never as kept.
* **active** — a member who logged at least one negotiation (a debrief) in the period.
* **working days** — days in the owner's working week (``WorkingHours.days``); "overdue by N working
  days" counts the working days after the due date up to and including today.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import Final

from coaching.phrasing import plural
from coaching.worktime import DEFAULT_WORKING_HOURS, NudgeStep, StepKind, WorkingHours, add_working_days

__all__ = [
    "LIVE_STATUSES",
    "UPCOMING_DAYS",
    "Standing",
    "due_words",
    "is_active",
    "is_due",
    "is_kept",
    "is_overdue",
    "is_upcoming",
    "standing",
    "upcoming_until",
    "working_days_late",
]

UPCOMING_DAYS: Final = 7
"""The shortest look-ahead for "coming up" (a week); the nudge cadence may make it longer."""

OPEN: Final = "open"
DONE: Final = "done"
CANCELLED: Final = "cancelled"
LAPSED: Final = "lapsed"
LIVE_STATUSES: Final = frozenset({OPEN, LAPSED})
"""Stored statuses of a commitment still to be delivered (nudged; can be done or cancelled)."""


class Standing(StrEnum):
    """Where one commitment stands today, in the words every screen uses."""

    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"
    KEPT = "kept"
    DONE_LATE = "done late"
    CANCELLED = "cancelled"


def is_overdue(status: str, due: date, today: date) -> bool:
    """Still to be delivered and its due date has passed."""
    return status in LIVE_STATUSES and due < today


def is_due(status: str, due: date, today: date) -> bool:
    """Still to be delivered and due today."""
    return status in LIVE_STATUSES and due == today


def upcoming_until(
    today: date, cadence: tuple[NudgeStep, ...] = (), hours: WorkingHours = DEFAULT_WORKING_HOURS
) -> date:
    """The last due date "coming up" covers: a week on, or further if a "before" nudge starts earlier."""
    before = max((step.days for step in cadence if step.kind is StepKind.BEFORE), default=0)
    last = add_working_days(today, before, hours) if before else today
    # a due date on a non-working day is counted from the working day before it: cover the days off
    while not hours.is_working_day(last + timedelta(days=1)):
        last += timedelta(days=1)
    return max(today + timedelta(days=UPCOMING_DAYS), last)


def is_upcoming(status: str, due: date, today: date, until: date) -> bool:
    """Open and due after today, no later than ``until`` (from :func:`upcoming_until`)."""
    return status == OPEN and today < due <= until


def is_kept(status: str, due: date, closed_on: date | None) -> bool:
    """Marked done on or before its due date (``closed_on``: the owner's local date it was marked)."""
    return status == DONE and (closed_on is None or closed_on <= due)


def standing(status: str, due: date, today: date, closed_on: date | None = None) -> Standing:
    """The one word for where a commitment stands today."""
    if status == CANCELLED:
        return Standing.CANCELLED
    if status == DONE:
        return Standing.KEPT if is_kept(status, due, closed_on) else Standing.DONE_LATE
    if due < today:
        return Standing.OVERDUE
    if due == today:
        return Standing.DUE
    return Standing.UPCOMING


def working_days_late(due: date, today: date, hours: WorkingHours = DEFAULT_WORKING_HOURS) -> int:
    """Working days after ``due`` up to and including ``today`` (0 when not past due)."""
    count, day = 0, due + timedelta(days=1)
    while day <= today:
        count += int(hours.is_working_day(day))
        day += timedelta(days=1)
    return count


def due_words(due: date, today: date, hours: WorkingHours = DEFAULT_WORKING_HOURS) -> str:
    """``due today``, ``due tomorrow``, ``due in 9 days``, ``overdue by 4 working days``."""
    if due == today:
        return "due today"
    if due > today:
        days = (due - today).days
        return "due tomorrow" if days == 1 else f"due in {days} days"
    late = working_days_late(due, today, hours)
    return f"overdue by {plural(late, 'working day')}" if late else "overdue (since a non-working day)"


def is_active(negotiations_logged: int) -> bool:
    """A member is active in a period when they logged at least one negotiation in it."""
    return negotiations_logged > 0
