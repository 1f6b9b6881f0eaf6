"""Snooze lengths and the reduced cadence for members who asked for fewer nudges."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coaching.commitments import SnoozeChoice, nudge_schedule, reduced_cadence, snooze_until
from coaching.errors import CoachingError
from coaching.worktime import DEFAULT_CADENCE, NudgeStep, StepKind, WorkingHours


def exactly(message: str) -> str:
    """A ``pytest.raises`` pattern for ``message`` exactly: nothing may be wrapped around it."""
    return rf"\A{re.escape(message)}\Z"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


class TestSnoozeUntil:
    def test_one_day_is_the_next_working_morning(self) -> None:
        friday_afternoon = utc(2026, 11, 27, 15)
        assert snooze_until(SnoozeChoice.DAY, now=friday_afternoon, zone_key="Europe/London") == utc(
            2026, 11, 30, 9
        )
        tuesday = utc(2026, 11, 24, 15)
        assert snooze_until(SnoozeChoice.DAY, now=tuesday, zone_key="Europe/London") == utc(2026, 11, 25, 9)

    def test_until_monday_is_next_monday_even_on_a_monday(self) -> None:
        monday = utc(2026, 11, 23, 10)
        assert snooze_until(SnoozeChoice.MONDAY, now=monday, zone_key="Europe/London") == utc(2026, 11, 30, 9)
        thursday = utc(2026, 11, 26, 10)
        assert snooze_until(SnoozeChoice.MONDAY, now=thursday, zone_key="Europe/London") == utc(
            2026, 11, 30, 9
        )

    def test_a_week_in_the_owners_zone_across_a_dst_change(self) -> None:
        # New York changes to EDT on 2026-03-08: a week from Wednesday 4 March is 09:00 EDT = 13:00 UTC.
        wednesday = utc(2026, 3, 4, 15)
        assert snooze_until(SnoozeChoice.WEEK, now=wednesday, zone_key="America/New_York") == utc(
            2026, 3, 11, 13
        )

    def test_the_local_date_decides_not_the_utc_one(self) -> None:
        # 20:00 UTC Sunday is already Monday 10:00 in Kiritimati (UTC+14): "1 day" is Tuesday there.
        late_sunday = utc(2026, 11, 22, 20)
        assert snooze_until(SnoozeChoice.DAY, now=late_sunday, zone_key="Pacific/Kiritimati") == utc(
            2026, 11, 23, 19
        )

    def test_a_week_landing_on_a_non_working_day_moves_on(self) -> None:
        hours = WorkingHours(days=(0, 1, 2, 3))  # Monday to Thursday
        friday = utc(2026, 11, 27, 10)  # snoozed on a Friday (they worked anyway)
        assert snooze_until(SnoozeChoice.WEEK, now=friday, zone_key="UTC", hours=hours) == utc(2026, 12, 7, 9)

    def test_needs_an_aware_moment(self) -> None:
        with pytest.raises(CoachingError, match=exactly("now must be timezone-aware")):
            snooze_until(SnoozeChoice.DAY, now=datetime(2026, 11, 27, 15), zone_key="UTC")

    def test_labels(self) -> None:
        assert [choice.label for choice in SnoozeChoice] == ["1 day", "Until Monday", "1 week"]

    @settings(max_examples=200, deadline=None)
    @given(
        moment=st.datetimes(
            min_value=datetime(2001, 1, 1), max_value=datetime(2037, 1, 1), timezones=st.just(UTC)
        ),
        choice=st.sampled_from(list(SnoozeChoice)),
        key=st.sampled_from(["Pacific/Honolulu", "Pacific/Kiritimati", "America/New_York", "Europe/London"]),
    )
    def test_always_later_and_inside_working_hours(
        self, moment: datetime, choice: SnoozeChoice, key: str
    ) -> None:
        until = snooze_until(choice, now=moment, zone_key=key)
        local = until.astimezone(ZoneInfo(key))
        assert until > moment
        assert WorkingHours().contains(local.replace(tzinfo=None))
        assert until - moment <= timedelta(days=10)


class TestReducedCadence:
    def test_keeps_the_due_day_and_the_last_chase(self) -> None:
        assert [step.key for step in reduced_cadence(DEFAULT_CADENCE)] == ["due", "after-3"]

    def test_without_a_due_step_the_first_stands_in(self) -> None:
        cadence = (NudgeStep(StepKind.BEFORE, 2), NudgeStep(StepKind.AFTER, 1))
        assert [step.key for step in reduced_cadence(cadence)] == ["before-2", "after-1"]
        assert reduced_cadence((NudgeStep(StepKind.DUE),)) == (NudgeStep(StepKind.DUE),)
        assert reduced_cadence(()) == ()

    def test_the_reduced_schedule_is_a_subset_of_the_full_one(self) -> None:
        full = nudge_schedule(date(2026, 11, 26), "Europe/London")
        fewer = nudge_schedule(date(2026, 11, 26), "Europe/London", cadence=reduced_cadence(DEFAULT_CADENCE))
        assert set(fewer) <= set(full) and len(fewer) == 2
        assert all(nudge.local.time() == time(9) for nudge in fewer)
