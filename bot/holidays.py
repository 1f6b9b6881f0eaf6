"""Public holidays by country (the ``holidays`` package), for ``holiday_country`` in settings.

Kept in ``bot/`` because it is a third-party data library: ``coaching/`` only ever sees the dates.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date

import holidays


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
