"""Public holidays by country (the ``holidays`` package): the workspace's ``holiday_country`` and each
member's own (their choice, else their time zone's country).

Kept in ``bot/`` because it is a third-party data library: ``coaching/`` only ever sees the dates.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import holidays

from coaching.playbook import Policy
from coaching.workspace_settings import holiday_dates, value_of
from coaching.zones import zone_country


@functools.cache
def known_countries() -> frozenset[str]:
    """The ISO 3166 alpha-2 codes the package has public holidays for."""
    return frozenset(code for code in holidays.list_supported_countries() if len(code) == 2)


@functools.cache
def _country_year(code: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(code, years=year).keys())


def public_holidays(code: str | None, years: Iterable[int]) -> frozenset[date]:
    """The public holidays of ``code`` in ``years`` (none for an unknown or empty code)."""
    if not code or code not in known_countries():
        return frozenset()
    found: set[date] = set()
    for year in years:
        found |= _country_year(code, year)
    return frozenset(found)


def workspace_holidays(
    policy: Policy, workspace_settings: Mapping[str, Any] | None, around: date | None
) -> frozenset[date]:
    """The workspace's own holidays, plus its country's public holidays in the years around
    ``around`` (none without a date: callers that schedule pass one)."""
    own = holiday_dates(policy, workspace_settings)
    country = value_of("holiday_country", policy, workspace_settings)
    if around is None or not country:
        return own
    return own | public_holidays(country, range(around.year - 1, around.year + 2))


OWN_COUNTRY_KEY = "holiday_country"
"""A member's own choice of public-holiday country in ``Member.settings``: a code, or ``none``."""
NO_COUNTRY = "none"


def member_country(
    member_settings: Mapping[str, Any] | None, tz: str | None, *, from_zone: bool = True
) -> str | None:
    """Whose public holidays a member keeps: their own choice (a country code, or ``none`` for no
    country of their own), else — ``from_zone``, the workspace's ``member_holidays`` setting — the
    country their Slack time zone is in (``coaching.zones.zone_country``: ``Europe/Berlin`` → DE).
    Slack's standard profile has no country field, so the zone is the hint."""
    chosen = (member_settings or {}).get(OWN_COUNTRY_KEY)
    if chosen == NO_COUNTRY:
        return None
    if isinstance(chosen, str) and chosen in known_countries():
        return chosen
    if not from_zone:
        return None
    country = zone_country(tz)
    return country if country in known_countries() else None


def member_holidays(
    policy: Policy,
    workspace_settings: Mapping[str, Any] | None,
    member_settings: Mapping[str, Any] | None,
    tz: str | None,
    around: date | None,
) -> frozenset[date]:
    """One member's holidays: the workspace's (its list and its country's) plus the public holidays
    of the member's own country (:func:`member_country`) in the years around ``around``."""
    shared = workspace_holidays(policy, workspace_settings, around)
    if around is None:
        return shared
    from_zone = value_of("member_holidays", policy, workspace_settings) is True
    own = member_country(member_settings, tz, from_zone=from_zone)
    return shared | public_holidays(own, range(around.year - 1, around.year + 2))
