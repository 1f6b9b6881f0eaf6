"""Checking the commit form as typed: one error per field, keyed by :class:`CommitField`.

Pure (today is passed in): the bot looks the chosen negotiation up in between (it decides the
currency of the conditions) and maps the fields to its input blocks (``bot.flows.commitments_modal``),
as prep and debrief do, so errors land under the input they are about.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from coaching.commitments import CommitmentConditions, UnitValue, parse_unit_value
from coaching.dates import day_words
from coaching.errors import CoachingError
from coaching.playbook import ChargebackDefaults

MAX_WHAT: Final = 500
MAX_CHARGED_TO: Final = 200
MAX_VALUE_TEXT: Final = 60
"""The value a chargeback is charged on, as typed (``12 seats × 1,800 USD``)."""
MAX_YEARS_AHEAD: Final = 3


class CommitField(StrEnum):
    """The commit modal's fields; errors are keyed by these."""

    WHAT = "what"
    OWNER = "owner_user_id"
    OWED_TO = "owed_to_user_id"
    DUE = "due"
    NEGOTIATION = "negotiation"
    NOTICE_DAYS = "notice_days"
    PERCENT = "percent"
    VALUE_BASE = "value_base"
    CHARGED_TO = "charged_to"


@dataclass(frozen=True, slots=True)
class CommitForm:
    """The commit modal's fields as submitted (raw; None for an empty field)."""

    what: str | None = None
    owner_user_id: str | None = None
    owed_to_user_id: str | None = None
    due: str | None = None
    negotiation: str | None = None
    notice_days: str | None = None
    percent: str | None = None
    value_base: str | None = None
    charged_to: str | None = None


@dataclass(frozen=True, slots=True)
class CommitBasics:
    """What, who and when, as checked (empty where the field had a problem)."""

    what: str
    owner_user_id: str
    owed_to_user_id: str | None
    due: date | None


def format_day(day: date) -> str:
    """``Mon 30 Nov 2026`` (:func:`coaching.dates.day_words`)."""
    return day_words(day)


def without_nul(form: CommitForm) -> CommitForm:
    """NUL cannot be stored (PostgreSQL refuses it) nor shown: drop it, keep everything else typed."""
    return CommitForm(*(None if v is None else v.replace("\x00", "") for v in astuple(form)))


def blank(value: str | None) -> bool:
    return value is None or not value.strip()


def whole_number(text: str | None, low: int, high: int, what: str) -> tuple[int | None, str | None]:
    if blank(text):
        return None, None
    assert text is not None
    cleaned = text.strip().removesuffix("%").strip()
    if not (cleaned.isascii() and cleaned.isdigit() and len(cleaned) <= 6):
        return None, f"{what} must be a whole number from {low} to {high}."
    number = int(cleaned)
    if not low <= number <= high:
        return None, f"{what} must be from {low} to {high}."
    return number, None


def check_basics(form: CommitForm, today: date, errors: dict[CommitField, str]) -> CommitBasics:
    """What will be done, by whom, owed to whom and when (not before ``today``, the member's day)."""
    what = (form.what or "").strip()
    if not what:
        errors[CommitField.WHAT] = "Say what will be done, e.g. “Send the revised quote to Dana”."
    elif len(what) > MAX_WHAT:
        errors[CommitField.WHAT] = f"Keep it to {MAX_WHAT} characters (this is {len(what)})."
    owner = (form.owner_user_id or "").strip()
    if not owner:
        errors[CommitField.OWNER] = "Choose who owns it: you or another member."
    owed = (form.owed_to_user_id or "").strip() or None
    if owed is not None and owed == owner:
        errors[CommitField.OWED_TO] = (
            "The owner can't owe it to themselves: leave this empty or pick someone else."
        )
    due: date | None = None
    if blank(form.due):
        errors[CommitField.DUE] = "Pick the date it is due."
    else:
        try:
            due = date.fromisoformat((form.due or "").strip())
        except ValueError:
            errors[CommitField.DUE] = "Pick the date from the calendar."
        else:
            if due < today:
                errors[CommitField.DUE] = f"That date has passed: pick {format_day(today)} or later."
            elif due.year > today.year + MAX_YEARS_AHEAD:
                errors[CommitField.DUE] = f"Pick a date within {MAX_YEARS_AHEAD} years."
    return CommitBasics(what, owner, owed, due)


def check_conditions(
    form: CommitForm, defaults: ChargebackDefaults, currency: str, errors: dict[CommitField, str]
) -> tuple[CommitmentConditions | None, UnitValue | None]:
    """Conditions apply when a value is given; empty notice and percentage take the playbook's. The
    value may be N units at a value each (``12 seats × $1,800``): the chargeback is then per unit."""
    given = [not blank(v) for v in (form.notice_days, form.percent, form.value_base, form.charged_to)]
    notice, notice_error = whole_number(form.notice_days, 0, 365, "The notice window")
    percent, percent_error = whole_number(form.percent, 0, 100, "The percentage")
    if notice_error:
        errors[CommitField.NOTICE_DAYS] = notice_error
    if percent_error:
        errors[CommitField.PERCENT] = percent_error
    if not any(given):
        return None, None
    if blank(form.value_base):
        errors[CommitField.VALUE_BASE] = (
            "Give the value the percentage is charged on (e.g. 4,000 USD), or clear the conditions."
        )
        return None, None
    if len((form.value_base or "").strip()) > MAX_VALUE_TEXT:
        errors[CommitField.VALUE_BASE] = f"Keep it to {MAX_VALUE_TEXT} characters, like 12 seats × $1,800."
        return None, None
    try:
        size = parse_unit_value((form.value_base or "").strip(), default_currency=currency)
    except CoachingError as error:
        errors[CommitField.VALUE_BASE] = f"{error}: write it like 4,000 USD, €2,500 or 12 seats × $1,800."
        return None, None
    charged_to = (form.charged_to or "").strip()
    if not charged_to:
        errors[CommitField.CHARGED_TO] = "Say who is charged back, e.g. the Ops department."
        return None, None
    if len(charged_to) > MAX_CHARGED_TO:
        errors[CommitField.CHARGED_TO] = f"Keep it to {MAX_CHARGED_TO} characters."
        return None, None
    if notice_error or percent_error:
        return None, None
    try:
        conditions = CommitmentConditions(
            defaults.notice_days if notice is None else notice,
            defaults.percent if percent is None else percent,
            size.each,
            charged_to,
        )
    except CoachingError as error:
        errors[CommitField.VALUE_BASE] = str(error)
        return None, None
    return conditions, size
