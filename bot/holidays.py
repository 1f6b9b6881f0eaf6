"""Public holidays by country (the ``holidays`` package), for ``holiday_country`` in settings.

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
