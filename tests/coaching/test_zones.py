"""One reader for a member's time zone and stored style: anything Slack or the database holds is read
without raising (an unusable zone is UTC, an unknown style is none)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coaching.styles import Style
from coaching.zones import local_today, parse_style, safe_zone, safe_zone_key, zone_country


@given(st.one_of(st.none(), st.text(max_size=40)))
def test_any_zone_key_reads_as_a_zone(key: str | None) -> None:
    assert isinstance(safe_zone(key), ZoneInfo)
    assert safe_zone(key).key == safe_zone_key(key)


def test_usable_and_unusable_zones() -> None:
    assert safe_zone("Pacific/Honolulu").key == "Pacific/Honolulu"
    for bad in (None, "", "America", "../etc/passwd", "Mars/Olympus"):
        assert safe_zone_key(bad) == "UTC"


def test_local_today_is_the_members_date() -> None:
    now = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    assert local_today(now, "Pacific/Honolulu") == date(2026, 11, 22)
    assert local_today(now, "not a zone") == date(2026, 11, 23)


@given(st.one_of(st.none(), st.text(max_size=20), st.sampled_from([s.value for s in Style])))
def test_any_stored_style_reads_as_a_style_or_none(value: str | None) -> None:
    parsed = parse_style(value)
    assert parsed is None or parsed.value == value


@pytest.mark.parametrize(
    ("key", "country"),
    [
        ("Europe/Berlin", "DE"),
        ("America/New_York", "US"),
        ("Asia/Kolkata", "IN"),
        ("Europe/London", "GB"),
        ("UTC", None),  # no country: as docs/admin.md says
        ("US/Eastern", None),  # an old alias zone.tab does not list
        ("Not/AZone", None),
        ("", None),
        (None, None),
    ],
)
def test_a_time_zone_names_its_country_only_where_zone_tab_does(key: str | None, country: str | None) -> None:
    assert zone_country(key) == country
