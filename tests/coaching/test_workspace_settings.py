"""The settings registry: any text an admin types is either stored in canonical form or refused with
a message (never another exception), a stored value reads back as itself, and the policy the
readers see is the playbook's with exactly the stored overrides."""

from __future__ import annotations

from datetime import date, time
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coaching.playbook import load_default
from coaching.workspace_settings import (
    BY_KEY,
    SETTINGS,
    Kind,
    SettingError,
    cross_check,
    effective_policy,
    holiday_dates,
    parse_value,
    value_of,
    values_in_force,
)

POLICY = load_default().policy
TEXTY = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            " 3 ",
            "9:00",
            "09:00",
            "mon",
            "Friday",
            "true",
            "before-2, due",
            "2026-12-25",
            "5,000 EUR",
            "1.5×",
            "GB",
        ]
    ),
)


@settings(max_examples=300)
@given(key=st.sampled_from([s.key for s in SETTINGS if s.kind is not Kind.HOURS]), raw=TEXTY)
def test_any_typed_value_is_stored_canonically_or_refused_with_a_message(key: str, raw: str) -> None:
    setting = BY_KEY[key]
    try:
        value = parse_value(setting, raw, countries=frozenset({"GB", "US"}))
    except SettingError as error:
        assert str(error)
        return
    assert value_of(key, POLICY, {key: value}) == value  # what is stored reads back as itself


@given(
    start=st.times(), end=st.times(), days=st.lists(st.sampled_from(["mon", "tue", "sat", "xyz"]), max_size=4)
)
def test_working_hours_are_checked_as_one_value(start: time, end: time, days: list[str]) -> None:
    raw = {"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M"), "days": days}
    try:
        value = parse_value(BY_KEY["working_hours"], raw)
    except SettingError:
        return
    assert value["start"] < value["end"] and value["days"] and "xyz" not in value["days"]


def test_defaults_come_from_the_playbook_and_agreed_keys() -> None:
    values = values_in_force(POLICY, {})
    assert values["digest_time"] == "09:00" and values["digest_day"] == "mon"
    assert values["rollup_min_cell"] == 3 and values["counterpart_sharing"] is True
    assert values["retention_text_months"] is None and values["retention_all_months"] is None
    assert values["leaver_policy"] == "keep" and values["leaver_anonymise_days"] == 30
    assert values["holidays"] == [] and values["holiday_country"] is None


def test_the_effective_policy_has_exactly_the_stored_overrides() -> None:
    assert effective_policy(POLICY, {}) is POLICY
    changed = effective_policy(
        POLICY,
        {"digest_time": "07:15", "max_concession": "2,500 EUR", "balance_attention_ratio": "1.5",
         "nudge_cadence": ["due"], "working_hours": {"start": "10:00"}},
    )  # fmt: skip
    assert changed.digest_time == time(7, 15) and changed.balance_attention_ratio == Fraction(3, 2)
    assert str(changed.max_concession) == "2,500 EUR" and [s.key for s in changed.nudge_cadence] == ["due"]
    assert changed.working_hours.start == time(10) and changed.working_hours.end == POLICY.working_hours.end
    assert changed.approval_expiry_hours == POLICY.approval_expiry_hours


@pytest.mark.parametrize(
    "stored",
    [
        {"digest_time": "nonsense"},
        {"digest_day": 9},
        {"approval_escalation_hours": 1},
        {"max_concession": []},
    ],
)
def test_a_stored_value_that_no_longer_validates_counts_as_the_default(stored: dict[str, Any]) -> None:
    policy = effective_policy(POLICY, stored)
    assert (policy.digest_time, policy.digest_day) == (POLICY.digest_time, POLICY.digest_day)
    assert policy.approval_escalation_hours == POLICY.approval_escalation_hours
    assert policy.max_concession == POLICY.max_concession


def test_rules_between_settings() -> None:
    assert set(cross_check({"approval_reminder_hours": 5, "approval_escalation_hours": 5})) == {
        "approval_escalation_hours"
    }
    assert set(cross_check({"retention_text_months": 12, "retention_all_months": 6})) == {
        "retention_all_months"
    }
    assert cross_check(values_in_force(POLICY, {})) == {}


def test_holidays_are_dates() -> None:
    assert holiday_dates(POLICY, {"holidays": ["2026-12-25", "2026-12-24"]}) == {
        date(2026, 12, 24),
        date(2026, 12, 25),
    }


def test_away_statuses_match_emoji_exactly_and_words_as_whole_words() -> None:
    from datetime import UTC, datetime

    from coaching.away import away_from

    now = datetime(2026, 11, 25, 9, tzinfo=UTC)
    markers = POLICY.away_statuses
    assert away_from({"emoji": ":palm_tree:"}, markers, now) is not None
    assert away_from({"text": "ooo till Monday"}, markers, now) is not None
    assert away_from({"text": "Holidaymaker call"}, markers, now) is None
    assert away_from({"text": "Out of Office"}, markers, now) is not None
    expired = int(datetime(2026, 11, 24, tzinfo=UTC).timestamp())
    assert away_from({"emoji": ":palm_tree:", "expiration": expired}, markers, now) is None
    later = int(datetime(2026, 11, 30, tzinfo=UTC).timestamp())
    away = away_from({"emoji": ":palm_tree:", "expiration": later}, markers, now)
    assert away is not None and away.until == datetime(2026, 11, 30, tzinfo=UTC)
    assert away_from(None, markers, now) is None and away_from({"text": "OOO"}, (), now) is None
