"""Working hours across DST transitions: windows a jump shortens or erases, and hours a fall-back repeats.

Working hours are wall-clock times, so the real instants inside them change shape on transition days.
The rule is one: the next working instant is the earliest real instant at or after the moment whose
local wall time is inside working hours.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from coaching.commitments import SnoozeChoice, nudge_schedule, snooze_until
from coaching.worktime import WorkingHours, local_instant, next_working_instant, wall_instants

NEW_YORK = ZoneInfo("America/New_York")  # 2025-03-09 02:00 EST → 03:00 EDT; 2025-11-02 02:00 EDT → 01:00 EST
SANTIAGO = ZoneInfo("America/Santiago")  # 2024-09-08 00:00 −04 → 01:00 −03 (a Sunday)
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")  # 2025-10-05 02:00 +10:30 → 02:30 +11 (a half-hour jump)
SUNDAY_MIDNIGHT_HOUR = WorkingHours(time(0), time(1), (6,))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


class TestWallInstants:
    def test_an_ordinary_wall_time_is_one_instant(self) -> None:
        assert wall_instants(date(2025, 3, 10), time(9), NEW_YORK) == (utc(2025, 3, 10, 13),)

    def test_a_repeated_wall_time_is_two_instants_an_hour_apart(self) -> None:
        assert wall_instants(date(2025, 11, 2), time(1, 30), NEW_YORK) == (
            utc(2025, 11, 2, 5, 30),  # 01:30 EDT, first pass
            utc(2025, 11, 2, 6, 30),  # 01:30 EST, second pass
        )

    def test_a_skipped_wall_time_is_the_jump_itself(self) -> None:
        assert wall_instants(date(2025, 3, 9), time(2, 30), NEW_YORK) == (utc(2025, 3, 9, 7),)  # 03:00 EDT
        # local_instant keeps its wall-clock reading with the old offset: half an hour past the jump.
        assert local_instant(date(2025, 3, 9), time(2, 30), NEW_YORK) == utc(2025, 3, 9, 7, 30)

    def test_a_skipped_midnight_is_the_jump(self) -> None:
        assert wall_instants(date(2024, 9, 8), time(0), SANTIAGO) == (utc(2024, 9, 8, 4),)  # 01:00 −03

    def test_a_half_hour_jump(self) -> None:
        assert wall_instants(date(2025, 10, 5), time(2, 10), LORD_HOWE) == (utc(2025, 10, 4, 15, 30),)


class TestGaps:
    def test_a_window_erased_by_a_midnight_jump_moves_to_the_next_working_sunday(self) -> None:
        saturday_afternoon = utc(2024, 9, 7, 18)  # 14:00 −04 in Santiago
        assert next_working_instant(saturday_afternoon, SANTIAGO, SUNDAY_MIDNIGHT_HOUR) == utc(2024, 9, 15, 3)

    def test_an_erased_window_moves_to_the_next_working_day_not_the_next_week(self) -> None:
        hours = WorkingHours(time(0), time(1), (6, 0))
        assert next_working_instant(utc(2024, 9, 7, 18), SANTIAGO, hours) == utc(
            2024, 9, 9, 3
        )  # Mon 00:00 −03

    def test_a_window_shortened_by_a_jump_starts_at_the_jump(self) -> None:
        hours = WorkingHours(time(2, 30), time(4), (6,))
        assert next_working_instant(utc(2025, 3, 8, 17), NEW_YORK, hours) == utc(2025, 3, 9, 7)  # 03:00 EDT

    def test_a_window_the_jump_ends_exactly_at_is_erased(self) -> None:
        hours = WorkingHours(time(2), time(3), (6,))
        assert next_working_instant(utc(2025, 3, 8, 17), NEW_YORK, hours) == utc(2025, 3, 16, 6)  # 02:00 EDT

    def test_a_half_hour_jump_shortens_the_window_by_half_an_hour(self) -> None:
        hours = WorkingHours(time(2), time(3), (6,))  # Sunday 2025-10-05 in Lord Howe: 02:30–03:00 is left
        assert next_working_instant(utc(2025, 10, 4, 6), LORD_HOWE, hours) == utc(2025, 10, 4, 15, 30)

    def test_the_snooze_that_used_to_land_outside_working_hours(self) -> None:
        snoozed = utc(2024, 9, 7, 18)
        nudges = nudge_schedule(
            date(2024, 9, 6), "America/Santiago", hours=SUNDAY_MIDNIGHT_HOUR, snoozed_until=snoozed
        )
        assert [(n.key, n.local.isoformat()) for n in nudges] == [
            ("snooze-20240915T0300Z", "2024-09-15T00:00:00-03:00"),
            ("after-3", "2024-09-22T00:00:00-03:00"),
        ]

    def test_a_day_snooze_into_an_erased_window(self) -> None:
        saturday = utc(2024, 9, 7, 18)
        assert snooze_until(
            SnoozeChoice.DAY, now=saturday, zone_key="America/Santiago", hours=SUNDAY_MIDNIGHT_HOUR
        ) == utc(2024, 9, 15, 3)

    def test_a_day_snooze_into_a_shortened_window_starts_at_the_jump(self) -> None:
        hours = WorkingHours(time(2, 30), time(4), (6,))
        assert snooze_until(
            SnoozeChoice.DAY, now=utc(2025, 3, 8, 17), zone_key="America/New_York", hours=hours
        ) == utc(2025, 3, 9, 7)

    def test_a_scheduled_nudge_on_an_erased_day_moves_to_the_next_working_day(self) -> None:
        nudges = nudge_schedule(date(2024, 9, 8), "America/Santiago", hours=SUNDAY_MIDNIGHT_HOUR)
        assert [(n.key, n.local.isoformat()) for n in nudges] == [
            ("before-1", "2024-09-01T00:00:00-04:00"),
            ("due", "2024-09-15T00:00:00-03:00"),
            ("after-1", "2024-09-15T00:00:00-03:00"),
            ("after-3", "2024-09-29T00:00:00-03:00"),
        ]


class TestFolds:
    HOURS = WorkingHours(time(1, 30), time(1, 45), (6,))  # Sunday 2025-11-02 in New York runs it twice

    def test_missing_the_first_pass_waits_for_the_second(self) -> None:
        first_pass_late = utc(2025, 11, 2, 5, 50)  # 01:50 EDT
        assert next_working_instant(first_pass_late, NEW_YORK, self.HOURS) == utc(2025, 11, 2, 6, 30)

    def test_early_in_the_second_pass_never_goes_back_to_the_first(self) -> None:
        second_pass_early = utc(2025, 11, 2, 6, 10)  # 01:10 EST, after 01:30 EDT has passed
        assert next_working_instant(second_pass_early, NEW_YORK, self.HOURS) == utc(2025, 11, 2, 6, 30)

    def test_before_the_fold_the_first_pass_comes_first(self) -> None:
        assert next_working_instant(utc(2025, 11, 1, 16), NEW_YORK, self.HOURS) == utc(2025, 11, 2, 5, 30)

    def test_inside_the_second_pass_is_inside(self) -> None:
        assert next_working_instant(utc(2025, 11, 2, 6, 40), NEW_YORK, self.HOURS) == utc(2025, 11, 2, 6, 40)

    def test_after_both_passes_it_is_next_week(self) -> None:
        assert next_working_instant(utc(2025, 11, 2, 6, 45), NEW_YORK, self.HOURS) == utc(2025, 11, 9, 6, 30)


ZONES = [
    "America/Santiago",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Asia/Tehran",
    "UTC",
]


@settings(max_examples=150, deadline=None)
@given(
    moment=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2037, 12, 1), timezones=st.just(UTC)
    ),
    key=st.sampled_from(ZONES),
    start_hour=st.integers(0, 12),
    length_quarters=st.integers(1, 44),
    days=st.sets(st.integers(0, 6), min_size=1).map(lambda s: tuple(sorted(s))),
)
def test_the_next_working_instant_is_the_earliest_real_one(
    moment: datetime, key: str, start_hour: int, length_quarters: int, days: tuple[int, ...]
) -> None:
    zone = ZoneInfo(key)
    hours = WorkingHours(
        time(start_hour),
        (datetime(2000, 1, 1, start_hour) + timedelta(minutes=15 * length_quarters)).time(),
        days,
    )
    found = next_working_instant(moment, zone, hours)
    assert found >= moment
    assert hours.contains(found.astimezone(zone))
    # Every offset and transition in these zones is on a quarter hour, so a working stretch starts on one:
    # no quarter hour between the moment and the answer may be a working instant.
    probe = moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)
    probe += timedelta(minutes=15)
    while probe < found:
        assert not hours.contains(probe.astimezone(zone)), probe
        probe += timedelta(minutes=15)
