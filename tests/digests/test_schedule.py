"""When digests fall due, in whose time zone, and which week they cover (pure time arithmetic)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.digests.schedule import (
    Cadence,
    Quiet,
    Slot,
    cadence_of,
    current_week,
    due_week,
    fortnight_week,
    iso_week,
    quiet_of,
    slot_for,
    week_windows,
)
from coaching.digests import tip_of_the_week
from coaching.playbook import load_default
from coaching.styles import Style

MONDAY_9 = Slot(0, time(9))
PLAYBOOK = load_default()


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def test_the_default_slot_is_the_playbooks_monday_nine_oclock() -> None:
    assert slot_for(PLAYBOOK.policy, {}) == MONDAY_9
    assert MONDAY_9.describe() == "Mon 09:00"


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"digest_day": "fri", "digest_time": "16:30"}, Slot(4, time(16, 30))),
        ({"digest_day": "Wednesday"}, Slot(2, time(9))),
        ({"digest_day": 6}, Slot(6, time(9))),
        ({"digest_day": "someday", "digest_time": "25:99"}, MONDAY_9),  # invalid: the playbook's
        ({"digest_day": 9, "digest_time": 900}, MONDAY_9),
    ],
)
def test_a_workspace_can_move_the_slot(settings: dict[str, object], expected: Slot) -> None:
    assert slot_for(PLAYBOOK.policy, settings) == expected


def test_member_settings_default_to_weekly_and_a_short_quiet_digest() -> None:
    assert cadence_of({}) is Cadence.WEEKLY and cadence_of(None) is Cadence.WEEKLY
    assert cadence_of({"digest": "fortnightly"}) is Cadence.FORTNIGHTLY
    assert cadence_of({"digest": "garbage"}) is Cadence.WEEKLY
    assert quiet_of({}) is Quiet.SEND and quiet_of({"digest_quiet": "skip"}) is Quiet.SKIP


def test_due_at_nine_on_the_members_own_monday() -> None:
    assert due_week(utc(2026, 11, 23, 8, 59), "Europe/London", MONDAY_9, Cadence.WEEKLY) is None
    due = due_week(utc(2026, 11, 23, 9), "Europe/London", MONDAY_9, Cadence.WEEKLY)
    assert due is not None
    assert (due.label, due.covered_start, due.weeks, due.due_at) == (
        "2026-W48",
        date(2026, 11, 16),
        1,
        utc(2026, 11, 23, 9),
    )
    # New York's Monday 09:00 is 14:00 UTC
    assert due_week(utc(2026, 11, 23, 13, 59), "America/New_York", MONDAY_9, Cadence.WEEKLY) is None
    assert due_week(utc(2026, 11, 23, 14), "America/New_York", MONDAY_9, Cadence.WEEKLY) is not None


def test_a_member_in_utc_plus_13_is_due_on_their_monday_which_is_sunday_in_utc() -> None:
    zone = "Pacific/Tongatapu"  # UTC+13 all year
    assert due_week(utc(2026, 11, 22, 19, 59), zone, MONDAY_9, Cadence.WEEKLY) is None
    due = due_week(utc(2026, 11, 22, 20), zone, MONDAY_9, Cadence.WEEKLY)
    assert due is not None and due.label == "2026-W48" and due.covered_start == date(2026, 11, 16)
    assert due.due_at == utc(2026, 11, 22, 20)
    # still due for two days (a clock that was down catches up), never days late
    assert due_week(utc(2026, 11, 24, 19, 59), zone, MONDAY_9, Cadence.WEEKLY).label == "2026-W48"  # type: ignore[union-attr]
    assert due_week(utc(2026, 11, 24, 20), zone, MONDAY_9, Cadence.WEEKLY) is None


def test_off_never_and_fortnightly_every_other_week() -> None:
    assert due_week(utc(2026, 11, 23, 12), "UTC", MONDAY_9, Cadence.OFF) is None
    weeks = [utc(2026, 11, 23, 12) + timedelta(weeks=n) for n in range(8)]
    sent = [due_week(at, "UTC", MONDAY_9, Cadence.FORTNIGHTLY) is not None for at in weeks]
    assert sent in ([True, False] * 4, [False, True] * 4)
    first = next(at for at, yes in zip(weeks, sent, strict=True) if yes)
    due = due_week(first, "UTC", MONDAY_9, Cadence.FORTNIGHTLY)
    assert due is not None and due.weeks == 2 and due.covered_start == (first - timedelta(weeks=2)).date()
    assert fortnight_week(date(2026, 12, 28)) != fortnight_week(date(2027, 1, 4))  # across ISO week 53


def test_a_sunday_slot_is_never_caught_up_past_the_end_of_its_week() -> None:
    sunday = Slot(6, time(23))
    assert due_week(utc(2026, 11, 29, 23, 30), "UTC", sunday, Cadence.WEEKLY) is not None
    assert due_week(utc(2026, 11, 30, 0, 30), "UTC", sunday, Cadence.WEEKLY) is None  # a new ISO week


def test_a_friday_slot_covers_the_seven_days_before_it() -> None:
    friday = Slot(4, time(16, 30))
    due = due_week(utc(2026, 11, 27, 16, 30), "UTC", friday, Cadence.WEEKLY)
    assert due is not None and due.covered_start == date(2026, 11, 20) and due.label == "2026-W48"


def test_windows_follow_each_zone_and_daylight_saving() -> None:
    windows = week_windows(
        ["Pacific/Tongatapu", "Europe/London"],
        now=utc(2026, 11, 23, 12),
        weeks=6,
        slot_day=0,
        include_current=False,
    )
    tonga = [w for w in windows if w.tz == "Pacific/Tongatapu"]
    london = [w for w in windows if w.tz == "Europe/London"]
    assert [w.index for w in tonga] == list(range(6))
    assert tonga[-1].starts == utc(2026, 11, 15, 11) and tonga[-1].ends == utc(2026, 11, 22, 11)
    assert london[-1].starts == utc(2026, 11, 16) and london[-1].ends == utc(2026, 11, 23)
    # London left summer time on 25 Oct: the week of 19 Oct is an hour longer, and they still tile
    autumn = next(w for w in london if w.starts.date() == date(2026, 10, 18))
    assert autumn.ends - autumn.starts == timedelta(hours=169)
    assert all(a.ends == b.starts for a, b in itertools.pairwise(london))


def test_on_demand_covers_the_week_in_progress() -> None:
    week = current_week(utc(2026, 11, 25, 10), "Europe/London", MONDAY_9)
    assert week.covered_start == date(2026, 11, 23) and week.label == "2026-W48"
    assert iso_week(date(2027, 1, 1)) == "2026-W53"


def test_fortnightly_readers_never_get_the_same_tip_twice_running() -> None:
    mondays = [date(2026, 11, 23) + timedelta(weeks=2 * n) for n in range(12)]
    tips = [tip_of_the_week(Style.CLOSER, monday, PLAYBOOK, every_weeks=2) for monday in mondays]
    assert all(a != b for a, b in itertools.pairwise(tips))
