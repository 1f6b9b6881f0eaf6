"""A member's nudge preferences: how often they are reminded and their working hours (stored in
``Member.settings``, defaults from the playbook), and the settings modal's use cases."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, time
from enum import StrEnum
from typing import Any, Final

from sqlalchemy.orm import Session

from bot.holidays import NO_COUNTRY, OWN_COUNTRY_KEY, known_countries, member_holidays
from bot.playbook import playbook_of
from bot.services import Services
from coaching.commitments import (
    reduced_cadence,
)
from coaching.dates import (
    DATE_LANGUAGE_KEY,
    DATE_STYLE_KEY,
    ENGLISH,
    LANGUAGES,
    SLACK_LOCALE_KEY,
    DateStyle,
    date_reader_of,
    language_of,
)
from coaching.errors import CoachingError
from coaching.playbook import Playbook, Policy
from coaching.workspace_settings import effective_policy
from coaching.worktime import WEEKDAY_NAMES, NudgeStep, WorkingHours, parse_weekday
from coaching.zones import zone_country
from storage.models import Member, Workspace
from storage.queries import audit
from storage.queries import commitments as queries
from templates.ids.commitments import CommitBlock

logger = logging.getLogger(__name__)
DIGEST_CADENCE_KEY = "digest"  # the keys bot.digests.schedule reads
DIGEST_QUIET_KEY = "digest_quiet"


class NudgeMode(StrEnum):
    NORMAL = "normal"
    FEWER = "fewer"
    PAUSED = "paused"

    @property
    def label(self) -> str:
        return {
            "normal": "As usual",
            "fewer": "Fewer: on the due day and one last reminder",
            "paused": "Paused: no reminders",
        }[self.value]


@dataclass(frozen=True, slots=True)
class NudgePrefs:
    """Everything that decides when one member is nudged."""

    hours: WorkingHours
    cadence: tuple[NudgeStep, ...]
    max_unanswered: int
    mode: NudgeMode
    own_hours: bool = False  # the member set their own working hours


def parse_hours(raw: Any, default: WorkingHours) -> WorkingHours:
    """Working hours from settings JSON; anything unreadable keeps ``default`` (and is logged)."""
    if not isinstance(raw, Mapping):
        return default
    try:
        start = time.fromisoformat(str(raw.get("start", default.start.isoformat("minutes"))))
        end = time.fromisoformat(str(raw.get("end", default.end.isoformat("minutes"))))
        days_raw = raw.get("days")
        if days_raw is None:
            days = default.days
        else:
            parsed = [parse_weekday(str(day)) for day in days_raw]
            if any(day is None for day in parsed):
                raise CoachingError(f"unknown weekday in {days_raw!r}")
            days = tuple(sorted(day for day in parsed if day is not None))
        return WorkingHours(start, end, days)
    except (CoachingError, ValueError, TypeError) as error:
        logger.warning("ignoring unusable working hours %r: %s", raw, error)
        return default


def hours_settings(hours: WorkingHours) -> dict[str, Any]:
    return {
        "start": hours.start.isoformat("minutes"),
        "end": hours.end.isoformat("minutes"),
        "days": [WEEKDAY_NAMES[day] for day in hours.days],
    }


def nudge_prefs(
    policy: Policy,
    workspace_settings: Mapping[str, Any] | None,
    member_settings: Mapping[str, Any] | None,
    around: date | None = None,
    tz: str | None = None,
) -> NudgePrefs:
    """What decides one member's nudges: the workspace's settings over the playbook's policy (one
    registry, :mod:`coaching.workspace_settings`), then the member's own choices. ``around`` (a date
    near the nudges) brings in the public holidays of the workspace's country for those years, and
    of the member's own (``bot.holidays.member_country``, from their choice or their zone ``tz``)."""
    member_settings = member_settings or {}
    policy = effective_policy(policy, workspace_settings)
    hours = policy.working_hours
    own = isinstance(member_settings.get("working_hours"), Mapping)
    hours = parse_hours(member_settings.get("working_hours"), hours)
    holidays = member_holidays(policy, workspace_settings, member_settings, tz, around)
    hours = replace(hours, holidays=holidays)
    try:
        mode = NudgeMode(str(member_settings.get("nudges", NudgeMode.NORMAL)))
    except ValueError:
        mode = NudgeMode.NORMAL
    cadence = tuple(policy.nudge_cadence)
    if mode is NudgeMode.FEWER:
        cadence = reduced_cadence(cadence)
    elif mode is NudgeMode.PAUSED:
        cadence = ()
    return NudgePrefs(hours, cadence, policy.max_unanswered_nudges, mode, own)


def prefs_for(session: Session, playbook: Playbook, member: Member, around: date | None = None) -> NudgePrefs:
    workspace = session.get(Workspace, member.workspace_id)
    settings = workspace.settings if workspace else None
    return nudge_prefs(playbook.policy, settings, member.settings, around, member.tz)


def existing_member(session: Session, workspace_id: int, member_id: int) -> Member:
    """The member a listener has already resolved, so one that exists."""
    member = queries.member_by_id(session, workspace_id, member_id)
    assert member is not None
    return member


def member_and_prefs(
    session: Session, playbook: Playbook, workspace_id: int, member_id: int
) -> tuple[Member, NudgePrefs]:
    """The opening of every use case that reminds or lists for a member: them and their nudge prefs."""
    member = existing_member(session, workspace_id, member_id)
    return member, prefs_for(session, playbook, member)


FROM_SLACK: Final = "slack"
"""The date-language choice that follows their Slack language (no ``date_language`` stored)."""


@dataclass(frozen=True, slots=True)
class SettingsState:
    mode: NudgeMode
    hours: WorkingHours
    own_hours: bool
    workspace_hours: str
    digest: str = "weekly"  # the member's digest cadence and quiet-week choice
    digest_quiet: str = "send"
    date_style: str = DateStyle.SHORT.value
    date_language: str = FROM_SLACK  # a key of LANGUAGES they chose, or FROM_SLACK
    slack_language: str = ENGLISH  # the LANGUAGES key their Slack language gives
    holiday_country: str = ""  # their own choice ("" : their time zone's, if the workspace counts it)
    zone_country: str = ""  # the country their time zone implies


def nudge_settings(services: Services, workspace_id: int, member_id: int) -> SettingsState:
    playbook = playbook_of(services, workspace_id)
    with services.db.session() as session:
        member, prefs = member_and_prefs(session, playbook, workspace_id, member_id)
        workspace = session.get(Workspace, workspace_id)
        default = nudge_prefs(playbook.policy, workspace.settings if workspace else None, None)
        settings = member.settings or {}
        return SettingsState(
            prefs.mode,
            prefs.hours,
            prefs.own_hours,
            describe_hours(default.hours),
            str(settings.get(DIGEST_CADENCE_KEY) or "weekly"),
            str(settings.get(DIGEST_QUIET_KEY) or "send"),
            date_reader_of(settings).style.value,
            chosen if (chosen := str(settings.get(DATE_LANGUAGE_KEY) or "")) in LANGUAGES else FROM_SLACK,
            language_of(settings.get(SLACK_LOCALE_KEY)),
            str(settings.get(OWN_COUNTRY_KEY) or ""),
            zone_country(member.tz) or "",
        )


@dataclass(frozen=True, slots=True)
class SettingsForm:
    mode: str | None = None
    start: str | None = None
    end: str | None = None
    days: tuple[str, ...] = field(default_factory=tuple)
    digest: str | None = None  # None: the form did not show the digest choices (nothing changes)
    digest_quiet: str | None = None
    date_style: str | None = None  # None: not shown (nothing changes), like the digest choices
    date_language: str | None = None  # a key of LANGUAGES, or FROM_SLACK
    holiday_country: str | None = None  # "": their time zone's country


def save_nudge_settings(
    services: Services, workspace_id: int, member_id: int, form: SettingsForm
) -> dict[str, str]:
    """Store the member's own nudge mode and working hours; errors keyed by block id (nothing stored)."""
    errors: dict[str, str] = {}
    try:
        mode = NudgeMode(form.mode or NudgeMode.NORMAL)
    except ValueError:
        errors[CommitBlock.NUDGES] = "Pick one of the options."
        mode = NudgeMode.NORMAL
    start = end = None
    try:
        start = time.fromisoformat(form.start or "")
    except ValueError:
        errors[CommitBlock.HOURS_START] = "Pick when your working day starts."
    try:
        end = time.fromisoformat(form.end or "")
    except ValueError:
        errors[CommitBlock.HOURS_END] = "Pick when your working day ends."
    if start is not None and end is not None and not start < end:
        errors[CommitBlock.HOURS_END] = "Your working day must end after it starts."
    days = tuple(sorted({d for d in (parse_weekday(x) for x in form.days) if d is not None}))
    if not days or len(days) != len(set(form.days)):
        errors[CommitBlock.DAYS] = "Tick at least one working day."
    if form.digest is not None and form.digest not in ("weekly", "fortnightly", "off"):
        errors[CommitBlock.DIGEST] = "Pick how often your digest comes."
    if form.digest_quiet is not None and form.digest_quiet not in ("send", "skip"):
        errors[CommitBlock.DIGEST_QUIET] = "Pick one of the options."
    if form.date_style is not None and form.date_style not in {style.value for style in DateStyle}:
        errors[CommitBlock.DATE_STYLE] = "Pick one of the options."
    if form.date_language not in (None, FROM_SLACK, *LANGUAGES):
        errors[CommitBlock.DATE_LANGUAGE] = "Pick one of the languages."
    country = _own_country(form.holiday_country)
    if country == _BAD:
        errors[CommitBlock.HOLIDAY_COUNTRY] = (
            "Enter a two-letter country code Parley knows (such as DE, GB or US), none, or leave it empty."
        )
    if errors:
        return errors
    assert start is not None and end is not None
    hours = WorkingHours(start, end, days)
    now = services.clock()
    with services.db.session() as session:
        member = existing_member(session, workspace_id, member_id)
        updated = dict(member.settings or {})
        updated["nudges"] = mode.value
        updated["working_hours"] = hours_settings(hours)
        digest = {}
        if form.digest is not None:
            digest[DIGEST_CADENCE_KEY] = form.digest
        if form.digest_quiet is not None:
            digest[DIGEST_QUIET_KEY] = form.digest_quiet
        if any(updated.get(key) != value for key, value in digest.items()):
            named = {("cadence" if key == DIGEST_CADENCE_KEY else "quiet"): v for key, v in digest.items()}
            audit.record(
                session, workspace_id, "digest.settings", "member", member.id, now,
                actor_id=member_id, **named,
            )  # fmt: skip
        updated.update(digest)
        if form.date_style is not None:
            updated[DATE_STYLE_KEY] = form.date_style
        if form.date_language == FROM_SLACK:
            updated.pop(DATE_LANGUAGE_KEY, None)
        elif form.date_language is not None:
            updated[DATE_LANGUAGE_KEY] = form.date_language
        if form.holiday_country is not None:
            if country:
                updated[OWN_COUNTRY_KEY] = country
            else:
                updated.pop(OWN_COUNTRY_KEY, None)
        member.settings = updated  # a new dict: JSON columns do not track changes in place
        audit.record(
            session, workspace_id, "member.nudge_settings", "member", member.id, now,
            actor_id=member_id, nudges=mode.value, working_hours=updated["working_hours"],
            date_style=updated.get(DATE_STYLE_KEY), date_language=updated.get(DATE_LANGUAGE_KEY),
            holiday_country=updated.get(OWN_COUNTRY_KEY),
        )  # fmt: skip
    return {}


_BAD: Final = "?"


def _own_country(raw: str | None) -> str | None:
    """A member's holiday country from the form: a known code, ``none``, "" (their zone's) — or _BAD."""
    text = (raw or "").strip()
    if not text:
        return ""
    if text.lower() == NO_COUNTRY:
        return NO_COUNTRY
    code = text.upper()
    return code if len(code) == 2 and code in known_countries() else _BAD


def describe_hours(hours: WorkingHours) -> str:
    """``09:00–18:00, Mon–Fri`` (or the days listed)."""
    days = [WEEKDAY_NAMES[day].title() for day in hours.days]
    if list(hours.days) == list(range(hours.days[0], hours.days[-1] + 1)) and len(days) > 2:
        span = f"{days[0]}–{days[-1]}"
    else:
        span = ", ".join(days)
    return f"{hours.start:%H:%M}–{hours.end:%H:%M}, {span}"
