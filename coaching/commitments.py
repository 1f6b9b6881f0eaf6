"""Commitments with accountability: late-cancellation consequences and the nudge schedule.

Conditions are agreed when the commitment is made ("cancel with less than 14 days' notice and 50 %
is charged back to the department"), so the consequence is a calculation, not a negotiation.
Nudges land inside the owner's working hours in the owner's own time zone, skipping non-working
days, and each has a stable occurrence key (``before-1``, ``due``, ``after-1``, ``after-3``,
``snooze-20250307T0900Z``) for de-duplication.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Final

from coaching.dates import day_words
from coaching.errors import CoachingError
from coaching.items import Commitment, Side
from coaching.money import Money, parse_amount
from coaching.phrasing import plural, quoted
from coaching.playbook import Policy
from coaching.styles import Style, profile_for
from coaching.vocabulary import due_words
from coaching.worktime import (
    DEFAULT_CADENCE,
    DEFAULT_WORKING_HOURS,
    NudgeStep,
    StepKind,
    WorkingHours,
    add_working_days,
    local_instant,
    next_working_instant,
    wall_instants,
    working_day_on_or_before,
)
from coaching.zones import zone

DEFAULT_MAX_UNANSWERED: Final = 4


@dataclass(frozen=True, slots=True)
class CommitmentConditions:
    """Cancelling with fewer than ``notice_days`` days' notice charges ``chargeback_percent`` % of
    ``value_base`` (per unit, e.g. per attendee) back to ``charged_to``."""

    notice_days: int
    chargeback_percent: int
    value_base: Money
    charged_to: str

    def __post_init__(self) -> None:
        if not 0 <= self.notice_days <= 365:
            raise CoachingError("the notice window must be 0 to 365 days")
        if not 0 <= self.chargeback_percent <= 100:
            raise CoachingError("the chargeback must be 0 to 100 %")
        if self.value_base.amount_minor < 0:
            raise CoachingError("the value charged against cannot be negative")
        if not self.charged_to.strip():
            raise CoachingError("say who is charged back")

    @classmethod
    def from_policy(cls, policy: Policy, value_base: Money, charged_to: str) -> CommitmentConditions:
        """Conditions with the playbook's default notice window and percentage."""
        return cls(policy.chargeback.notice_days, policy.chargeback.percent, value_base, charged_to)

    def describe(self, unit: str = "") -> str:
        """``Cancelling with less than 14 days' notice: 50 % of 4,000 USD charged back to Ops.``
        (``… of 1,800 USD per seat …`` when the base is the value of one ``unit``)."""
        notice = "1 day's" if self.notice_days == 1 else f"{self.notice_days} days'"
        each = f" per {unit}" if unit else ""
        return (
            f"Cancelling with less than {notice} notice: "
            f"{self.chargeback_percent} % of {self.value_base}{each} charged back to {self.charged_to}."
        )


MAX_UNITS: Final = 10_000

_UNITS_TIMES = re.compile(
    r"^\s*(?P<count>\d{1,6})\s*(?P<unit>[^\d×*@$€£¥]*?)\s*(?:×|\*|\bx\b|\bX\b|@|\bat\b)\s*(?P<value>.+?)"
    r"\s*(?:\beach\b|\bper\s+\w+|/\s*\w+)?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class UnitValue:
    """A commitment's size: ``units`` of ``unit`` (``seat``; ``""`` unnamed) at ``each`` apiece."""

    units: int
    unit: str
    each: Money

    def count(self, units: int | None = None) -> str:
        """``12 seats``, ``1 seat``, ``3 units``."""
        return plural(self.units if units is None else units, self.unit or "unit")

    def describe(self) -> str:
        """``12 seats × 1,800 USD`` (``1,800 USD`` for a single unit with no name)."""
        if self.units == 1 and not self.unit:
            return str(self.each)
        return f"{self.count()} × {self.each}"


def parse_unit_value(text: str, *, default_currency: str) -> UnitValue:
    """Read a commitment's value as typed: ``12 seats × $1,800``, ``12 x 1800``, ``12 seats at $1,800
    each``, ``3 * €500 per day``; a plain amount (``$4,000``) is one unit. Raises
    :class:`CoachingError` with the reason when it can't be read."""
    match = _UNITS_TIMES.match(text)
    if match is None:
        return UnitValue(1, "", parse_amount(text.strip(), default_currency))
    units = int(match["count"])
    if not 1 <= units <= MAX_UNITS:
        raise CoachingError(f"the number of units must be from 1 to {MAX_UNITS:,}")
    unit = " ".join(match["unit"].split())
    if units != 1 and unit.endswith("s") and not unit.endswith("ss"):
        unit = unit[:-1]
    each = parse_amount(match["value"].strip(), default_currency)
    return UnitValue(units, unit[:40], each)


def read_count(text: str | None) -> int | None:
    """A count typed in a field (``3``, `` 12 ``); None when it is not a whole number. Whether it is
    in range depends on the commitment, so the caller checks that."""
    cleaned = (text or "").strip()
    if not (cleaned.isascii() and cleaned.isdigit() and len(cleaned) <= 6):
        return None
    return int(cleaned)


@dataclass(frozen=True, slots=True)
class Consequence:
    """What a late cancellation costs, and the sentence that says so."""

    charge: Money
    units: int
    percent: int
    base: Money
    charged_to: str
    notice_given_days: int
    sentence: str


def late_cancellation_consequence(
    conditions: CommitmentConditions, *, event_date: date, cancelled_on: date, units: int = 1
) -> Consequence | None:
    """The chargeback for cancelling ``units`` places on ``cancelled_on`` for ``event_date``.

    Inside the window means fewer than ``notice_days`` days' notice (``event_date − cancelled_on``;
    cancelling on or after the day counts too). Exactly ``notice_days`` days' notice is on time and
    gives None. The charge is ``percent`` % of the base per unit, rounded to the minor unit (halves
    up), times ``units``.
    """
    if units < 1:
        raise CoachingError("at least one place must be cancelled")
    notice = (event_date - cancelled_on).days
    if notice >= conditions.notice_days:
        return None
    charge, sentence = chargeback(conditions, units)
    return Consequence(
        charge=charge,
        units=units,
        percent=conditions.chargeback_percent,
        base=conditions.value_base,
        charged_to=conditions.charged_to,
        notice_given_days=notice,
        sentence=sentence,
    )


def chargeback(conditions: CommitmentConditions, units: int) -> tuple[Money, str]:
    """What charging back ``units`` costs and the sentence that says so:
    ``3 × 50 % of 1,800 USD = 2,700 USD charged back to Ops`` (no ``1 ×`` for one unit)."""
    charge = conditions.value_base.percent(conditions.chargeback_percent) * units
    count = f"{units} × " if units > 1 else ""
    sentence = (
        f"{count}{conditions.chargeback_percent} % of {conditions.value_base} = {charge} "
        f"charged back to {conditions.charged_to}"
    )
    return charge, sentence


def cancelled_in_all(
    size: UnitValue, conditions: CommitmentConditions | None, units_cancelled: int, units_charged: int
) -> str:
    """The sentence for several cancellations of one commitment added up (``size`` names the unit):
    ``In all, 5 seats cancelled: 5 × 50 % of 1,800 USD = 4,500 USD charged back to Ops``; ``""``
    when none of them was charged."""
    if conditions is None or units_charged < 1:
        return ""
    return f"In all, {size.count(units_cancelled)} cancelled: {chargeback(conditions, units_charged)[1]}"


@dataclass(frozen=True, slots=True)
class Nudge:
    """One nudge: its occurrence key, when to send it (UTC) and the owner's local time then."""

    key: str
    at: datetime
    local: datetime


def _day_for(step: NudgeStep, due: date, hours: WorkingHours) -> date:
    anchor = working_day_on_or_before(due, hours)
    if step.kind is StepKind.BEFORE:
        return add_working_days(anchor, -step.days, hours)
    if step.kind is StepKind.DUE:
        return anchor
    return add_working_days(due, step.days, hours)


def nudge_schedule(
    due: date,
    zone_key: str,
    *,
    hours: WorkingHours = DEFAULT_WORKING_HOURS,
    cadence: Sequence[NudgeStep] = DEFAULT_CADENCE,
    max_unanswered: int = DEFAULT_MAX_UNANSWERED,
    snoozed_until: datetime | None = None,
    at: time | None = None,
) -> tuple[Nudge, ...]:
    """When to nudge the owner of a commitment due on ``due`` who lives in ``zone_key``.

    Each cadence step is counted in working days: ``before-N`` from the due date (or, if that is not
    a working day, the last working day before it), ``due`` on that same day, ``after-N`` from the
    due date. Every nudge is sent at ``at`` (default: the start of working hours) local time.

    ``snoozed_until`` (aware) drops every nudge before it and adds one ``snooze-<UTC instant>`` nudge
    at the first working moment from then; later nudges on that same local day are dropped too. At
    most ``max_unanswered`` nudges are returned, earliest first.
    """
    if max_unanswered < 1:
        raise CoachingError("max_unanswered must be at least 1")
    tz = zone(zone_key)
    send_at = at or hours.start
    if not hours.start <= send_at < hours.end:
        raise CoachingError(f"nudges must be sent inside working hours ({hours.start}–{hours.end})")
    nudges: list[Nudge] = []
    for step in cadence:
        instant = local_instant(_day_for(step, due, hours), send_at, tz)
        instant = next_working_instant(instant, tz, hours)  # only moves when DST skipped the time
        nudges.append(Nudge(step.key, instant, instant.astimezone(tz)))
    nudges.sort(key=lambda nudge: nudge.at)
    if snoozed_until is not None:
        if snoozed_until.tzinfo is None:
            raise CoachingError("snoozed_until must be timezone-aware")
        resume = next_working_instant(snoozed_until, tz, hours)
        dropped = [nudge for nudge in nudges if nudge.at < resume]
        if dropped:
            local = resume.astimezone(tz)
            key = f"snooze-{resume:%Y%m%dT%H%MZ}"
            later = [n for n in nudges if n.at >= resume and n.local.date() != local.date()]
            nudges = [Nudge(key, resume, local), *later]
    return tuple(nudges[:max_unanswered])


def pending_nudge(schedule: Iterable[Nudge], *, now: datetime, sent_keys: Iterable[str]) -> Nudge | None:
    """The nudge to send now: the latest one whose time has come and that was not sent yet.

    Earlier unsent nudges are skipped (a late "1 day before" nudge would only confuse).
    """
    sent = set(sent_keys)
    due = [nudge for nudge in schedule if nudge.at <= now]
    if not due:
        return None
    latest = max(due, key=lambda nudge: nudge.at)
    return None if latest.key in sent else latest


def lapse_instant(due: date, zone_key: str) -> datetime:
    """When a commitment lapses: midnight at the end of its due date in the owner's zone (UTC)."""
    return local_instant(due + timedelta(days=1), time(0, 0), zone(zone_key)).astimezone(UTC)


def nudge_line(
    commitment: Commitment,
    style: Style | None,
    *,
    key: str = "due",
    conditions: CommitmentConditions | None = None,
    owner: str = "",
    today: date | None = None,
    hours: WorkingHours = DEFAULT_WORKING_HOURS,
) -> str:
    """The nudge message: where the commitment stands, why it matters for this style, and its
    conditions (if any). A commitment the other side owes (``side`` THEIRS, ``owner`` its label) is
    worded as owed to the reader, without the style's line about their own delivery.

    With ``today`` (the owner's local date when it is sent) the opening says where it stands *then*, in
    :mod:`coaching.vocabulary`'s words — a nudge deferred past a weekend says "Overdue by 4 working
    days", not the 3 of the step it was scheduled for. Without it the step's own count is used.
    """
    if today is not None and key.startswith("snooze-"):
        opening = f"Back from snooze, {due_words(commitment.due, today, hours)}:"
    elif today is not None:
        words = due_words(commitment.due, today, hours)
        opening = f"Coming up, {words}:" if commitment.due > today else words[0].upper() + words[1:] + ":"
    elif key.startswith("before-"):
        opening = "Coming up:"
    elif key.startswith("after-"):
        days = int(key.removeprefix("after-"))
        opening = f"Overdue by {plural(days, 'working day')}:"
    elif key.startswith("snooze-"):
        opening = "Back from snooze:"
    else:
        opening = "Due today:"
    if commitment.side is Side.THEIRS:
        # The other side delivers: no coaching of the reader's own follow-through, just what to check.
        who = owner.strip() or "the other side"
        who = "they" if who.lower() in ("they", "them") else who
        owes = f"{who[:1].upper()}{who[1:]} owe{'' if who == 'they' else 's'} you"
        why = (
            f"{owes} {quoted(commitment.what)} (due {day_words(commitment.due)}). "
            "Check it has arrived, and mark it received when it has."
        )
    else:
        why = profile_for(style).nudge.format(what=quoted(commitment.what), due=day_words(commitment.due))
    line = f"{opening} {why}"
    if conditions is not None:
        line += " " + conditions.describe()
    return line


class SnoozeChoice(StrEnum):
    """What the Snooze menu offers."""

    DAY = "day"
    MONDAY = "monday"
    WEEK = "week"

    @property
    def label(self) -> str:
        return {"day": "1 day", "monday": "Until Monday", "week": "1 week"}[self.value]


def snooze_until(
    choice: SnoozeChoice, *, now: datetime, zone_key: str, hours: WorkingHours = DEFAULT_WORKING_HOURS
) -> datetime:
    """When a snooze chosen at ``now`` ends (UTC), at the start of working hours in the owner's zone.

    ``DAY``: the next working day; ``MONDAY``: the next Monday (a week on if today is Monday);
    ``WEEK``: the same weekday next week. Either moves on to the next working moment if that day is
    not a working day.
    """
    if now.tzinfo is None:
        raise CoachingError("now must be timezone-aware")
    tz = zone(zone_key)
    today = now.astimezone(tz).date()
    if choice is SnoozeChoice.DAY:
        day = add_working_days(today, 1, hours)
    elif choice is SnoozeChoice.MONDAY:
        day = today + timedelta(days=(7 - today.weekday()) or 7)
    else:
        day = today + timedelta(days=7)
    return next_working_instant(wall_instants(day, hours.start, tz)[0], tz, hours)


def reduced_cadence(cadence: Sequence[NudgeStep]) -> tuple[NudgeStep, ...]:
    """The cadence for a member who asked for fewer nudges: the due-day nudge and the last chase.

    Without a ``due`` step the first step stands in for it; order is kept and nothing repeats.
    """
    if not cadence:
        return ()
    first = next((step for step in cadence if step.kind is StepKind.DUE), cadence[0])
    after = [step for step in cadence if step.kind is StepKind.AFTER]
    kept = {first, after[-1]} if after else {first}
    return tuple(step for step in cadence if step in kept)
