from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from coaching.commitments import (
    CommitmentConditions,
    Consequence,
    Nudge,
    lapse_instant,
    late_cancellation_consequence,
    nudge_line,
    nudge_schedule,
    pending_nudge,
    zone,
)
from coaching.errors import CoachingError
from coaching.items import Commitment, Side
from coaching.money import Money
from coaching.playbook import Playbook
from coaching.styles import Style
from coaching.worktime import (
    DEFAULT_CADENCE,
    NudgeStep,
    StepKind,
    WorkingHours,
    add_working_days,
    local_instant,
    next_working_instant,
    parse_weekday,
    working_day_on_or_before,
)


def exactly(message: str) -> str:
    """A ``pytest.raises`` pattern for ``message`` exactly: nothing may be wrapped around it."""
    return rf"\A{re.escape(message)}\Z"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def schedule(due: date, key: str, **kwargs: object) -> list[tuple[str, str]]:
    return [(n.key, n.at.strftime("%Y-%m-%d %H:%M")) for n in nudge_schedule(due, key, **kwargs)]  # type: ignore[arg-type]


CONDITIONS = CommitmentConditions(14, 50, Money.of(4000, "USD"), "Ops")


class TestConsequence:
    def test_inside_the_window(self) -> None:
        consequence = late_cancellation_consequence(
            CONDITIONS, event_date=date(2025, 3, 20), cancelled_on=date(2025, 3, 18)
        )
        assert consequence == Consequence(
            charge=Money.of(2000, "USD"),
            units=1,
            percent=50,
            base=Money.of(4000, "USD"),
            charged_to="Ops",
            notice_given_days=2,
            sentence="50 % of 4,000 USD = 2,000 USD charged back to Ops",
        )

    def test_several_places(self) -> None:
        consequence = late_cancellation_consequence(
            CONDITIONS, event_date=date(2025, 3, 20), cancelled_on=date(2025, 3, 18), units=4
        )
        assert consequence is not None
        assert consequence.charge == Money.of(8000, "USD")
        assert consequence.sentence == "4 × 50 % of 4,000 USD = 8,000 USD charged back to Ops"

    def test_window_boundaries(self) -> None:
        event = date(2025, 3, 20)
        assert (
            late_cancellation_consequence(CONDITIONS, event_date=event, cancelled_on=date(2025, 3, 6)) is None
        )
        late = late_cancellation_consequence(CONDITIONS, event_date=event, cancelled_on=date(2025, 3, 7))
        assert late is not None and late.notice_given_days == 13
        after = late_cancellation_consequence(CONDITIONS, event_date=event, cancelled_on=date(2025, 3, 21))
        assert after is not None and after.notice_given_days == -1

    def test_rounds_to_the_minor_unit(self) -> None:
        odd = CommitmentConditions(7, 33, Money(1001, "USD"), "Sales")
        consequence = late_cancellation_consequence(
            odd, event_date=date(2025, 1, 8), cancelled_on=date(2025, 1, 7)
        )
        assert consequence is not None and consequence.charge == Money(330, "USD")  # 330.33 cents → 330

    def test_validation(self) -> None:
        with pytest.raises(CoachingError, match=exactly("the notice window must be 0 to 365 days")):
            CommitmentConditions(400, 50, Money(1, "USD"), "Ops")
        with pytest.raises(CoachingError, match=exactly("the chargeback must be 0 to 100 %")):
            CommitmentConditions(14, 150, Money(1, "USD"), "Ops")
        with pytest.raises(CoachingError, match=exactly("the value charged against cannot be negative")):
            CommitmentConditions(14, 50, Money(-1, "USD"), "Ops")
        with pytest.raises(CoachingError, match=exactly("say who is charged back")):
            CommitmentConditions(14, 50, Money(1, "USD"), " ")
        with pytest.raises(CoachingError, match=exactly("at least one place must be cancelled")):
            late_cancellation_consequence(
                CONDITIONS, event_date=date(2025, 1, 2), cancelled_on=date(2025, 1, 1), units=0
            )

    def test_from_policy_and_describe(self, playbook: Playbook) -> None:
        conditions = CommitmentConditions.from_policy(playbook.policy, Money.of(4000, "USD"), "Ops")
        assert conditions == CONDITIONS
        assert (
            conditions.describe()
            == "Cancelling with less than 14 days' notice: 50 % of 4,000 USD charged back to Ops."
        )
        one_day = CommitmentConditions(1, 10, Money.of(100, "EUR"), "HR")
        assert (
            one_day.describe()
            == "Cancelling with less than 1 day's notice: 10 % of 100 EUR charged back to HR."
        )


class TestWorkTime:
    def test_weekdays(self) -> None:
        assert [parse_weekday(x) for x in ("mon", "Monday", " SUN ", "funday")] == [0, 0, 6, None]

    def test_working_hours_validation(self) -> None:
        with pytest.raises(
            CoachingError, match=exactly("working hours must start before they end (18:00:00 – 09:00:00)")
        ):
            WorkingHours(time(18), time(9))
        with pytest.raises(
            CoachingError, match=exactly("working days must be one or more of 0 (Monday) … 6 (Sunday)")
        ):
            WorkingHours(days=())
        with pytest.raises(
            CoachingError, match=exactly("working days must be one or more of 0 (Monday) … 6 (Sunday)")
        ):
            WorkingHours(days=(7,))
        with pytest.raises(CoachingError, match=exactly("working days must not repeat")):
            WorkingHours(days=(1, 1))
        with pytest.raises(
            CoachingError, match=exactly("working hours are local wall-clock times, without a time zone")
        ):
            WorkingHours(time(9, tzinfo=UTC), time(18))

    def test_contains(self) -> None:
        hours = WorkingHours()
        assert hours.contains(datetime(2025, 3, 10, 9, 0))
        assert not hours.contains(datetime(2025, 3, 10, 18, 0))
        assert not hours.contains(datetime(2025, 3, 8, 10, 0))  # Saturday

    def test_steps(self) -> None:
        assert [step.key for step in DEFAULT_CADENCE] == ["before-1", "due", "after-1", "after-3"]
        assert NudgeStep.parse(" After-3 ") == NudgeStep(StepKind.AFTER, 3)
        assert NudgeStep.parse("due") == NudgeStep(StepKind.DUE)
        for bad in ("before-0", "later", "after-100"):
            with pytest.raises(
                CoachingError,
                match=exactly(f"'{bad}' is not a nudge step: use 'before-N', 'due' or 'after-N'"),
            ):
                NudgeStep.parse(bad)
        with pytest.raises(CoachingError, match=exactly("the 'due' step has no day count")):
            NudgeStep(StepKind.DUE, 1)
        with pytest.raises(
            CoachingError, match=exactly("'before' and 'after' steps count 1 to 99 working days")
        ):
            NudgeStep(StepKind.AFTER, 0)

    def test_working_day_arithmetic(self) -> None:
        friday, saturday, monday = date(2025, 3, 7), date(2025, 3, 8), date(2025, 3, 10)
        assert add_working_days(friday, 1) == monday
        assert add_working_days(monday, -1) == friday
        assert add_working_days(saturday, 0) == saturday
        assert add_working_days(monday, 5) == date(2025, 3, 17)
        assert working_day_on_or_before(saturday) == friday
        assert working_day_on_or_before(monday) == monday
        sunday_week = WorkingHours(days=(6, 0, 1, 2, 3))
        assert add_working_days(date(2025, 3, 6), 1, sunday_week) == date(2025, 3, 9)

    def test_local_instant_and_next_working_instant(self) -> None:
        new_york = ZoneInfo("America/New_York")
        assert local_instant(date(2025, 3, 9), time(2, 30), new_york) == utc(2025, 3, 9, 7, 30)  # 03:30 EDT
        saturday_noon = utc(2025, 3, 8, 17, 0)
        assert next_working_instant(saturday_noon, new_york) == utc(2025, 3, 10, 13, 0)
        early = utc(2025, 3, 10, 11, 0)  # 07:00 EDT
        assert next_working_instant(early, new_york) == utc(2025, 3, 10, 13, 0)
        inside = utc(2025, 3, 10, 15, 7)
        assert next_working_instant(inside, new_york) == inside
        with pytest.raises(CoachingError, match=exactly("moment must be timezone-aware")):
            next_working_instant(datetime(2025, 3, 10), new_york)


class TestNudgeSchedule:
    def test_default_cadence_in_new_york_across_the_dst_change(self) -> None:
        # DST starts on Sunday 2025-03-09: Friday is EST (UTC−5), Monday EDT (UTC−4).
        assert schedule(date(2025, 3, 10), "America/New_York") == [
            ("before-1", "2025-03-07 14:00"),
            ("due", "2025-03-10 13:00"),
            ("after-1", "2025-03-11 13:00"),
            ("after-3", "2025-03-13 13:00"),
        ]

    def test_europe_across_the_dst_change(self) -> None:
        assert schedule(date(2025, 3, 31), "Europe/London") == [
            ("before-1", "2025-03-28 09:00"),
            ("due", "2025-03-31 08:00"),
            ("after-1", "2025-04-01 08:00"),
            ("after-3", "2025-04-03 08:00"),
        ]

    def test_honolulu(self) -> None:
        assert schedule(date(2025, 3, 10), "Pacific/Honolulu") == [
            ("before-1", "2025-03-07 19:00"),
            ("due", "2025-03-10 19:00"),
            ("after-1", "2025-03-11 19:00"),
            ("after-3", "2025-03-13 19:00"),
        ]

    def test_kiritimati_is_a_day_ahead_of_utc(self) -> None:
        nudges = nudge_schedule(date(2025, 3, 10), "Pacific/Kiritimati")
        assert [(n.key, n.at) for n in nudges] == [
            ("before-1", utc(2025, 3, 6, 19)),
            ("due", utc(2025, 3, 9, 19)),
            ("after-1", utc(2025, 3, 10, 19)),
            ("after-3", utc(2025, 3, 12, 19)),
        ]
        assert [n.local.strftime("%a %d %H:%M") for n in nudges] == [
            "Fri 07 09:00",
            "Mon 10 09:00",
            "Tue 11 09:00",
            "Thu 13 09:00",
        ]

    def test_weekend_due_date_moves_the_due_nudge_back(self) -> None:
        assert schedule(date(2025, 3, 8), "UTC") == [
            ("before-1", "2025-03-06 09:00"),
            ("due", "2025-03-07 09:00"),
            ("after-1", "2025-03-10 09:00"),
            ("after-3", "2025-03-12 09:00"),
        ]

    def test_custom_hours_days_cadence_and_limit(self) -> None:
        hours = WorkingHours(time(8), time(16), (6, 0, 1, 2, 3))  # Sunday to Thursday
        nudges = schedule(
            date(2025, 3, 9),
            "Asia/Jerusalem",
            hours=hours,
            cadence=(NudgeStep(StepKind.BEFORE, 2), NudgeStep(StepKind.DUE), NudgeStep(StepKind.AFTER, 1)),
            max_unanswered=2,
            at=time(10, 30),
        )
        assert nudges == [("before-2", "2025-03-05 08:30"), ("due", "2025-03-09 08:30")]

    def test_snooze_replaces_what_it_skipped(self) -> None:
        nudges = nudge_schedule(date(2025, 3, 10), "Europe/London", snoozed_until=utc(2025, 3, 10, 12, 0))
        assert [(n.key, n.at) for n in nudges] == [
            ("snooze-20250310T1200Z", utc(2025, 3, 10, 12, 0)),
            ("after-1", utc(2025, 3, 11, 9, 0)),
            ("after-3", utc(2025, 3, 13, 9, 0)),
        ]

    def test_snooze_into_the_weekend_resumes_on_monday_and_drops_that_days_nudge(self) -> None:
        nudges = nudge_schedule(date(2025, 3, 7), "Europe/London", snoozed_until=utc(2025, 3, 8, 10, 0))
        assert [(n.key, n.at) for n in nudges] == [
            ("snooze-20250310T0900Z", utc(2025, 3, 10, 9, 0)),
            ("after-3", utc(2025, 3, 12, 9, 0)),
        ]

    def test_a_snooze_before_everything_changes_nothing(self) -> None:
        plain = nudge_schedule(date(2025, 3, 10), "UTC")
        assert nudge_schedule(date(2025, 3, 10), "UTC", snoozed_until=utc(2025, 3, 1)) == plain

    def test_bad_arguments(self) -> None:
        with pytest.raises(CoachingError, match=exactly("'Mars/Olympus' is not an IANA time zone name")):
            nudge_schedule(date(2025, 3, 10), "Mars/Olympus")
        with pytest.raises(CoachingError, match=exactly("'../etc/passwd' is not an IANA time zone name")):
            zone("../etc/passwd")
        with pytest.raises(CoachingError, match=exactly("'America' is not an IANA time zone name")):
            zone("America")
        with pytest.raises(CoachingError, match=exactly("max_unanswered must be at least 1")):
            nudge_schedule(date(2025, 3, 10), "UTC", max_unanswered=0)
        with pytest.raises(
            CoachingError, match=exactly("nudges must be sent inside working hours (09:00:00–18:00:00)")
        ):
            nudge_schedule(date(2025, 3, 10), "UTC", at=time(20))
        with pytest.raises(CoachingError, match=exactly("snoozed_until must be timezone-aware")):
            nudge_schedule(date(2025, 3, 10), "UTC", snoozed_until=datetime(2025, 3, 10))

    @settings(max_examples=300, deadline=None)
    @given(
        due=st.dates(min_value=date(2000, 1, 1), max_value=date(2037, 12, 31)),
        key=st.sampled_from(
            [
                "Pacific/Honolulu",
                "Pacific/Kiritimati",
                "America/New_York",
                "Europe/London",
                "Australia/Lord_Howe",
                "Asia/Kathmandu",
                "America/Santiago",
                "Asia/Tehran",
                "UTC",
            ]
        ),
        start_hour=st.integers(0, 12),
        length=st.integers(1, 11),
        days=st.sets(st.integers(0, 6), min_size=1).map(lambda s: tuple(sorted(s))),
        snooze_hours=st.none() | st.integers(-100, 400),
    )
    # Found by Hypothesis: snoozed (to Saturday 14:00) into the Sunday on which Santiago's clocks jump
    # from 00:00 to 01:00, erasing the 00:00–01:00 working window; the nudge must wait a week.
    @example(due=date(2024, 9, 6), key="America/Santiago", start_hour=0, length=1, days=(6,), snooze_hours=30)
    def test_every_nudge_is_inside_working_hours_in_the_owners_zone(
        self,
        due: date,
        key: str,
        start_hour: int,
        length: int,
        days: tuple[int, ...],
        snooze_hours: int | None,
    ) -> None:
        hours = WorkingHours(time(start_hour), time(start_hour + length), days)
        snooze = (
            None
            if snooze_hours is None
            else datetime.combine(due, time(12), tzinfo=UTC) + timedelta(hours=snooze_hours)
        )
        nudges = nudge_schedule(due, key, hours=hours, snoozed_until=snooze)
        assert 1 <= len(nudges) <= 4
        assert [n.at for n in nudges] == sorted(n.at for n in nudges)
        assert len({n.key for n in nudges}) == len(nudges)
        for nudge in nudges:
            assert nudge.at.utcoffset() == timedelta(0)
            assert nudge.local == nudge.at.astimezone(ZoneInfo(key))
            assert hours.contains(nudge.local.replace(tzinfo=None)), nudge
            if snooze is not None:
                assert nudge.at >= snooze


class TestAroundTheSchedule:
    def test_pending_nudge_sends_only_the_latest_due_one(self) -> None:
        nudges = nudge_schedule(date(2025, 3, 10), "UTC")
        assert pending_nudge(nudges, now=utc(2025, 3, 6), sent_keys=()) is None
        assert pending_nudge(nudges, now=utc(2025, 3, 7, 9), sent_keys=()) == nudges[0]
        assert pending_nudge(nudges, now=utc(2025, 3, 11, 12), sent_keys=()) == nudges[2]
        assert pending_nudge(nudges, now=utc(2025, 3, 11, 12), sent_keys=["after-1"]) is None

    def test_a_commitment_the_other_side_owes_is_not_coached_as_the_readers_own(self) -> None:
        """Issue 15: no "Good ideas count once they are delivered" to the person who is owed."""
        commitment = Commitment("they", "sign the renewal", date(2025, 3, 14), Side.THEIRS)
        lines = {nudge_line(commitment, style, owner="Acme") for style in (*Style, None)}
        assert lines == {
            "Due today: Acme owes you “sign the renewal” (due Fri 14 Mar 2025). "
            "Check it has arrived, and mark it received when it has."
        }
        assert nudge_line(commitment, Style.GAME_CHANGER, owner="they").startswith("Due today: They owe you")
        assert "Good ideas" not in nudge_line(commitment, Style.GAME_CHANGER)

    def test_lapse_is_midnight_after_the_due_date_in_the_owners_zone(self) -> None:
        assert lapse_instant(date(2025, 3, 10), "Pacific/Honolulu") == utc(2025, 3, 11, 10)
        assert lapse_instant(date(2025, 3, 10), "Pacific/Kiritimati") == utc(2025, 3, 10, 10)

    def test_nudge_lines_differ_by_style_and_moment(self) -> None:
        commitment = Commitment("me", "confirm all 10 VPs", date(2025, 3, 14), Side.OURS)
        lines = {style: nudge_line(commitment, style) for style in (*Style, None)}
        assert len(set(lines.values())) == 5
        assert lines[Style.CLOSER] == (
            "Due today: The deal isn't closed until this is done: “confirm all 10 VPs” (due Fri 14 Mar 2025)."
        )
        assert nudge_line(commitment, Style.DIPLOMAT, key="before-1") == (
            "Coming up: They are counting on this, and keeping it keeps their trust: "
            "“confirm all 10 VPs” (due Fri 14 Mar 2025)."
        )
        neutral = (
            "A commitment kept is a stronger position next time: “confirm all 10 VPs” (due Fri 14 Mar 2025)."
        )
        assert nudge_line(commitment, None, key="after-3") == f"Overdue by 3 working days: {neutral}"
        assert nudge_line(commitment, None, key="after-1") == f"Overdue by 1 working day: {neutral}"
        assert nudge_line(commitment, None, key="snooze-20250310T0900Z") == f"Back from snooze: {neutral}"
        assert nudge_line(commitment, Style.STRATEGIST, conditions=CONDITIONS) == (
            "Due today: This is part of the plan you agreed; delivering it keeps the numbers honest: "
            "“confirm all 10 VPs” (due Fri 14 Mar 2025). Cancelling with less than 14 "
            "days' notice: 50 % of 4,000 USD charged back to Ops."
        )

    def test_nudge_is_a_plain_value(self) -> None:
        nudge = Nudge("due", utc(2025, 3, 10, 9), utc(2025, 3, 10, 9))
        assert nudge.key == "due"
