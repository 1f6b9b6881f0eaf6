"""Time zones and stored styles as Slack and the database hand them over: one parser each.

Members' zones come from Slack's ``users.info`` and styles from a database column; either can be
missing or unusable, and every feature must read them the same way (an unusable zone is UTC, an
unknown style is none).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo

from coaching.errors import CoachingError
from coaching.styles import Style

_ZONE_KEY = re.compile(r"^[A-Za-z0-9_+\-]+(?:/[A-Za-z0-9_+\-]+){0,2}$")


def zone(key: str) -> ZoneInfo:
    """The IANA time zone ``key`` (e.g. ``Pacific/Honolulu``); raises :class:`CoachingError` if unknown."""
    if not _ZONE_KEY.match(key or ""):
        raise CoachingError(f"'{key}' is not an IANA time zone name")
    try:
        return ZoneInfo(key)
    except (ValueError, KeyError, OSError):
        raise CoachingError(f"'{key}' is not an IANA time zone name") from None


def safe_zone_key(key: str | None) -> str:
    """``key`` if it names a usable IANA zone, else ``"UTC"`` (Slack can hand over anything)."""
    try:
        zone(key or "UTC")
    except CoachingError:
        return "UTC"
    return key or "UTC"


@lru_cache(maxsize=1024)
def safe_zone(key: str | None) -> ZoneInfo:
    """The IANA zone, or UTC for a missing or unusable one (cached: every member asks)."""
    return zone(safe_zone_key(key))


def local_today(now: datetime, key: str | None) -> date:
    """The calendar date at ``now`` in zone ``key`` (UTC if it is unusable)."""
    return now.astimezone(safe_zone(key)).date()


def parse_style(value: str | None) -> Style | None:
    """A stored style, or None when it is empty or not (any more) one of Parley's styles."""
    try:
        return Style(value) if value else None
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    text = resources.files("coaching").joinpath("data/zone_countries.tab").read_text(encoding="utf-8")
    pairs = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {key: country.strip() for key, country in pairs}


def zone_country(key: str | None) -> str | None:
    """The country a time zone belongs to, from the tz database's ``zone.tab`` (``Europe/Berlin`` →
    ``DE``, ``America/New_York`` → ``US``); None for UTC, an alias zone.tab does not list, or nothing.
    A zone shared by several countries (``Europe/Zurich`` also covers Liechtenstein) names the one
    zone.tab gives it, its largest."""
    return _zone_countries().get(key or "")
