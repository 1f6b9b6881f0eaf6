"""The workspace settings registry: every key an admin may set in ``/negotiate settings``, its
default, how a form value is read and checked, and how it overrides the playbook's policy.

One table, so the admin screen, the audit trail, ``docs/admin.md`` and every reader agree: readers
never pick raw values out of ``Workspace.settings``; they ask :func:`effective_policy` (for the
numbers the playbook also sets) or :func:`value_of` (for the others), and a stored value that no
longer validates falls back to its default instead of breaking a job. Pure: values in, values out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, time
from enum import StrEnum
from fractions import Fraction
from typing import Any, Final

from coaching.errors import CoachingError
from coaching.money import AmountError, is_currency, parse_amount
from coaching.phrasing import format_ratio
from coaching.playbook import Policy
from coaching.worktime import WEEKDAY_NAMES, NudgeStep, WorkingHours, parse_weekday

MAX_HOLIDAYS: Final = 60
DEFAULT_ROLLUP_MIN_CELL: Final = 3


class SettingError(CoachingError):
    """A form value that cannot be used; the message is shown under the field."""


class Group(StrEnum):
    """One modal each on the admin screen."""

    TIME = "time"
    DIGESTS = "digests"
    APPROVALS = "approvals"
    DATA = "data"

    @property
    def heading(self) -> str:
        return {
            "time": "Working time",
            "digests": "Digests and nudges",
            "approvals": "Approvals",
            "data": "Data and privacy",
        }[self.value]


class Kind(StrEnum):
    HOURS = "hours"  # {"start": "09:00", "end": "18:00", "days": ["mon", …]}
    WEEKDAY = "weekday"
    TIME = "time"
    INT = "int"
    OPTIONAL_INT = "optional_int"  # empty = off (None)
    BOOL = "bool"
    CHOICE = "choice"
    CURRENCY = "currency"
    AMOUNT = "amount"
    RATIO = "ratio"
    CADENCE = "cadence"
    DATES = "dates"
    COUNTRY = "country"


@dataclass(frozen=True, slots=True)
class Setting:
    key: str
    group: Group
    label: str
    kind: Kind
    hint: str
    default: Callable[[Policy], Any]
    low: int = 0
    high: int = 0
    choices: tuple[tuple[str, str], ...] = ()


def _hours_json(hours: WorkingHours) -> dict[str, Any]:
    return {
        "start": hours.start.isoformat("minutes"),
        "end": hours.end.isoformat("minutes"),
        "days": [WEEKDAY_NAMES[day] for day in hours.days],
    }


def _const(value: Any) -> Callable[[Policy], Any]:
    return lambda _policy: value


SETTINGS: Final[tuple[Setting, ...]] = (
    Setting("working_hours", Group.TIME, "Working hours and days", Kind.HOURS,
            "Nudges and reminders arrive only inside these hours, in each member's own time zone.",
            lambda p: _hours_json(p.working_hours)),
    Setting("holidays", Group.TIME, "Holidays", Kind.DATES,
            "One date a line (YYYY-MM-DD): no nudges or digests that day; they come the next working day.",
            _const([])),
    Setting("holiday_country", Group.TIME, "Public holidays of", Kind.COUNTRY,
            "A country code (e.g. GB, US, DE) whose public holidays count as holidays; empty for none.",
            _const(None)),
    Setting("member_holidays", Group.TIME, "Members' own public holidays", Kind.BOOL,
            "Also each member's country's public holidays: their own choice, else their Slack time zone's "
            "country (Europe/Berlin: DE).", _const(False)),
    Setting("digest_day", Group.DIGESTS, "Digest day", Kind.WEEKDAY,
            "The day weekly digests go out, in each member's time zone.",
            lambda p: WEEKDAY_NAMES[p.digest_day]),
    Setting("digest_time", Group.DIGESTS, "Digest time", Kind.TIME,
            "The local time digests go out.", lambda p: p.digest_time.isoformat("minutes")),
    Setting("nudge_cadence", Group.DIGESTS, "Nudge cadence", Kind.CADENCE,
            "Working days from a commitment's due date, e.g. before-1, due, after-1, after-3.",
            lambda p: [step.key for step in p.nudge_cadence]),
    Setting("max_unanswered_nudges", Group.DIGESTS, "Nudges before Parley stops", Kind.INT,
            "How many unanswered nudges a commitment gets before the lapse is reported.",
            lambda p: p.max_unanswered_nudges, 1, 20),
    Setting("max_concession", Group.APPROVALS, "Concessions above this need approval", Kind.AMOUNT,
            "A single concession costing more than this is escalated (in the default currency unless named).",
            lambda p: str(p.max_concession)),
    Setting("balance_attention_ratio", Group.APPROVALS, "Minimum get/give ratio", Kind.RATIO,
            "A trade needs attention when what we get is worth less than this multiple of what we give.",
            lambda p: str(float(p.balance_attention_ratio))),
    Setting("approval_reminder_hours", Group.APPROVALS, "Remind the approver after (hours)", Kind.INT,
            "", lambda p: p.approval_reminder_hours, 1, 24 * 90),
    Setting("approval_escalation_hours", Group.APPROVALS, "Escalate after (hours)", Kind.INT,
            "Must be more than the reminder.", lambda p: p.approval_escalation_hours, 1, 24 * 90),
    Setting("approval_expiry_hours", Group.APPROVALS, "Expire after (hours)", Kind.INT,
            "Must be more than the escalation.", lambda p: p.approval_expiry_hours, 1, 24 * 90),
    Setting("default_currency", Group.APPROVALS, "Default currency", Kind.CURRENCY,
            "An ISO 4217 code such as USD, EUR or GBP.", lambda p: p.default_currency),
    Setting("rollup_min_cell", Group.DATA, "Organisation roll-up: smallest group shown", Kind.INT,
            "Roll-up cells with fewer people than this are hidden, so nobody can be singled out.",
            _const(DEFAULT_ROLLUP_MIN_CELL), 1, 100),
    Setting("counterpart_sharing", Group.DATA, "Share counterpart history", Kind.BOOL,
            "Whether members see this workspace's aggregate history with a counterpart.", _const(True)),
    Setting("retention_text_months", Group.DATA, "Delete free text after (months)", Kind.OPTIONAL_INT,
            "Empty: keep.", _const(None), 1, 240),
    Setting("retention_all_months", Group.DATA, "Delete everything after (months)", Kind.OPTIONAL_INT,
            "Empty: keep. At least the free-text period.", _const(None), 1, 240),
    Setting("leaver_policy", Group.DATA, "When someone leaves", Kind.CHOICE,
            "", _const("keep"), choices=(("keep", "Keep their records"), ("anonymise", "Anonymise them"))),
    Setting("leaver_anonymise_days", Group.DATA, "Anonymise leavers after (days)", Kind.INT,
            "", _const(30), 0, 3650),
)  # fmt: skip

BY_KEY: Final[Mapping[str, Setting]] = {setting.key: setting for setting in SETTINGS}


def in_group(group: Group) -> tuple[Setting, ...]:
    return tuple(setting for setting in SETTINGS if setting.group is group)


# --- reading a form value ------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def _clock(raw: object, what: str) -> time:
    try:
        moment = time.fromisoformat(str(raw or "").strip())
    except ValueError:
        raise SettingError(f"Pick a time for {what}.") from None
    return moment.replace(second=0, microsecond=0)


def _integer(setting: Setting, raw: object) -> int:
    text = str(raw if raw is not None else "").strip().replace(",", "")
    if not re.fullmatch(r"-?\d{1,9}", text):
        raise SettingError(f"Enter a whole number from {setting.low} to {setting.high}.")
    number = int(text)
    if not setting.low <= number <= setting.high:
        raise SettingError(f"Enter a whole number from {setting.low} to {setting.high}.")
    return number


def _as_list(raw: object) -> list[str]:
    if isinstance(raw, str):
        return [part for part in re.split(r"[\s,;]+", raw) if part]
    if isinstance(raw, Iterable):
        return [str(part) for part in raw]
    return []


def parse_value(
    setting: Setting, raw: object, *, countries: frozenset[str] = frozenset(), currency: str = "USD"
) -> Any:
    """The JSON value to store for ``raw`` (a form's text, selection or list); raises
    :class:`SettingError` with the message to show under the field."""
    kind = setting.kind
    if kind is Kind.HOURS:
        fields = raw if isinstance(raw, Mapping) else {}
        start = _clock(fields.get("start"), "the start of the working day")
        end = _clock(fields.get("end"), "the end of the working day")
        if not start < end:
            raise SettingError("The working day must end after it starts.")
        wanted = _as_list(fields.get("days"))
        days = sorted({d for d in (parse_weekday(x) for x in wanted) if d is not None})
        if not days or len(days) != len(set(wanted)):
            raise SettingError("Tick at least one working day.")
        return _hours_json(WorkingHours(start, end, tuple(days)))
    if kind is Kind.WEEKDAY:
        day = parse_weekday(str(raw or ""))
        if day is None:
            raise SettingError("Pick a day of the week.")
        return WEEKDAY_NAMES[day]
    if kind is Kind.TIME:
        return _clock(raw, "this").isoformat("minutes")
    if kind is Kind.INT:
        return _integer(setting, raw)
    if kind is Kind.OPTIONAL_INT:
        if not str(raw or "").strip():
            return None
        return _integer(setting, raw)
    if kind is Kind.BOOL:
        text = str(raw or "").strip().lower()
        if text not in ("true", "false"):
            raise SettingError("Pick yes or no.")
        return text == "true"
    if kind is Kind.CHOICE:
        if raw not in {value for value, _ in setting.choices}:
            raise SettingError("Pick one of the options.")
        return raw
    if kind is Kind.CURRENCY:
        code = str(raw or "").strip().upper()
        if not is_currency(code):
            raise SettingError("Enter an ISO 4217 currency code such as USD, EUR or GBP.")
        return code
    if kind is Kind.AMOUNT:
        text = str(raw or "").strip()
        try:
            amount = parse_amount(text, currency)
        except (AmountError, CoachingError) as error:
            raise SettingError(f"Enter an amount such as 5,000 or 5,000 EUR ({error}).") from None
        if amount.amount_minor <= 0:
            raise SettingError("Enter an amount above zero.")
        return str(amount)
    if kind is Kind.RATIO:
        text = str(raw or "").strip().rstrip("x×").strip()
        try:
            ratio = Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise SettingError("Enter a number above 0 and at most 100, such as 1.5.") from None
        if not 0 < ratio <= 100 or len(text) > 12:
            raise SettingError("Enter a number above 0 and at most 100, such as 1.5.")
        return text
    if kind is Kind.CADENCE:
        steps: list[NudgeStep] = []
        for word in _as_list(raw):
            try:
                steps.append(NudgeStep.parse(word.strip().lower()))
            except (CoachingError, ValueError):
                raise SettingError(
                    f"'{word[:20]}' is not a nudge step: use before-N, due or after-N (N from 1 to 99)."
                ) from None
        if not steps:
            raise SettingError("Give at least one step, such as due.")
        if len({step.key for step in steps}) != len(steps):
            raise SettingError("Each step may appear only once.")
        return [step.key for step in sorted(steps, key=_step_order)]
    if kind is Kind.DATES:
        dates: set[date] = set()
        for word in _as_list(raw):
            try:
                if not _ISO_DATE.match(word):
                    raise ValueError(word)
                dates.add(date.fromisoformat(word))
            except ValueError:
                raise SettingError(f"'{word[:20]}' is not a date: write YYYY-MM-DD, one a line.") from None
        if len(dates) > MAX_HOLIDAYS:
            raise SettingError(f"At most {MAX_HOLIDAYS} dates.")
        return [day.isoformat() for day in sorted(dates)]
    if kind is Kind.COUNTRY:
        code = str(raw or "").strip().upper()
        if not code:
            return None
        if not _COUNTRY.match(code) or (countries and code not in countries):
            raise SettingError("Enter a two-letter country code Parley knows, such as GB, US or DE.")
        return code
    raise AssertionError(kind)  # pragma: no cover - every kind is handled above


def _step_order(step: NudgeStep) -> int:
    return -step.days if step.key.startswith("before") else (0 if step.key == "due" else step.days)


def cross_check(values: Mapping[str, Any]) -> dict[str, str]:
    """Rules between settings (on the values a save would leave in force); errors by key."""
    errors: dict[str, str] = {}
    reminder = values.get("approval_reminder_hours")
    escalation = values.get("approval_escalation_hours")
    expiry = values.get("approval_expiry_hours")
    if isinstance(reminder, int) and isinstance(escalation, int) and not reminder < escalation:
        errors["approval_escalation_hours"] = f"Must be more than the reminder ({reminder} hours)."
    if isinstance(escalation, int) and isinstance(expiry, int) and not escalation < expiry:
        errors["approval_expiry_hours"] = f"Must be more than the escalation ({escalation} hours)."
    text, everything = values.get("retention_text_months"), values.get("retention_all_months")
    if isinstance(text, int) and isinstance(everything, int) and everything < text:
        errors["retention_all_months"] = f"Must be at least the free-text period ({text} months)."
    return errors


# --- what is in force ----------------------------------------------------------------------------


def default_of(setting: Setting, policy: Policy) -> Any:
    return setting.default(policy)


def value_of(key: str, policy: Policy, settings: Mapping[str, Any] | None) -> Any:
    """The value in force for ``key``: the stored one if it still validates, else the default."""
    setting = BY_KEY[key]
    stored = (settings or {}).get(key, _MISSING)
    if stored is _MISSING:
        return default_of(setting, policy)
    if setting.kind is Kind.HOURS and isinstance(stored, Mapping):
        stored = {**default_of(setting, policy), **stored}  # a stored part keeps the rest's defaults
    try:
        return parse_value(setting, _form_of(setting, stored))
    except SettingError:
        return default_of(setting, policy)


_MISSING: Final = object()


def _form_of(setting: Setting, stored: Any) -> Any:
    """A stored JSON value as the form would submit it (so one parser checks both)."""
    if setting.kind is Kind.BOOL and isinstance(stored, bool):
        return "true" if stored else "false"
    if setting.kind is Kind.WEEKDAY and isinstance(stored, int) and 0 <= stored <= 6:
        return WEEKDAY_NAMES[stored]
    if setting.kind in (Kind.OPTIONAL_INT, Kind.INT) and isinstance(stored, bool):
        return None
    return stored


def values_in_force(policy: Policy, settings: Mapping[str, Any] | None) -> dict[str, Any]:
    return {setting.key: value_of(setting.key, policy, settings) for setting in SETTINGS}


def effective_policy(policy: Policy, settings: Mapping[str, Any] | None) -> Policy:
    """The playbook's policy with the workspace's overrides applied (only keys it has set)."""
    settings = settings or {}
    if not any(key in settings for key in _POLICY_KEYS):
        return policy
    values = values_in_force(policy, settings)
    hours = values["working_hours"]
    currency = values["default_currency"]
    try:
        max_concession = parse_amount(values["max_concession"], currency)
    except (AmountError, CoachingError):
        max_concession = policy.max_concession
    reminder, escalation, expiry = (
        values["approval_reminder_hours"],
        values["approval_escalation_hours"],
        values["approval_expiry_hours"],
    )
    if cross_check(values).keys() & {"approval_escalation_hours", "approval_expiry_hours"}:
        reminder, escalation, expiry = (
            policy.approval_reminder_hours,
            policy.approval_escalation_hours,
            policy.approval_expiry_hours,
        )
    return replace(
        policy,
        default_currency=currency,
        working_hours=WorkingHours(
            time.fromisoformat(hours["start"]),
            time.fromisoformat(hours["end"]),
            tuple(parse_weekday(day) or 0 for day in hours["days"]),
        ),
        nudge_cadence=tuple(NudgeStep.parse(key) for key in values["nudge_cadence"]),
        max_unanswered_nudges=values["max_unanswered_nudges"],
        balance_attention_ratio=Fraction(values["balance_attention_ratio"]),
        max_concession=max_concession,
        digest_day=parse_weekday(values["digest_day"]) or 0,
        digest_time=time.fromisoformat(values["digest_time"]),
        approval_reminder_hours=reminder,
        approval_escalation_hours=escalation,
        approval_expiry_hours=expiry,
    )


_POLICY_KEYS: Final = frozenset(
    {
        "working_hours", "digest_day", "digest_time", "nudge_cadence", "max_unanswered_nudges",
        "max_concession", "balance_attention_ratio", "approval_reminder_hours",
        "approval_escalation_hours", "approval_expiry_hours", "default_currency",
    }
)  # fmt: skip


def holiday_dates(policy: Policy, settings: Mapping[str, Any] | None) -> frozenset[date]:
    return frozenset(date.fromisoformat(day) for day in value_of("holidays", policy, settings))


def describe(setting: Setting, value: Any) -> str:
    """A value as the admin screen shows it."""
    kind = setting.kind
    if value is None:
        return "off" if kind is Kind.OPTIONAL_INT else "none"
    if kind is Kind.HOURS:
        days = ", ".join(day.title() for day in value["days"])
        return f"{value['start']}–{value['end']}, {days}"
    if kind is Kind.WEEKDAY:
        return str(value).title()
    if kind is Kind.BOOL:
        return "yes" if value else "no"
    if kind is Kind.CHOICE:
        return dict(setting.choices).get(value, str(value))
    if kind is Kind.RATIO:
        return format_ratio(Fraction(value))
    if kind in (Kind.CADENCE, Kind.DATES):
        return ", ".join(value) if value else "none"
    return str(value)
