"""The playground's clock: reading "+1 day" and "next Monday 09:00", moving only forward, ticking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.playground.clock import DemoClock, Ticker, TimeTravelError, resolve_travel

WEDNESDAY = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)  # 10:00 in London, 05:00 in New York


class Real:
    """A stand-in for real time that the test moves."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.mark.parametrize(
    ("typed", "tz", "expected"),
    [
        ("+1 day", "Europe/London", WEDNESDAY + timedelta(days=1)),
        ("+ 3 hours", "Europe/London", WEDNESDAY + timedelta(hours=3)),
        ("+2 weeks", "Europe/London", WEDNESDAY + timedelta(weeks=2)),
        ("+45m", "Europe/London", WEDNESDAY + timedelta(minutes=45)),
        ("next Monday 09:00", "Europe/London", datetime(2026, 11, 23, 9, 0, tzinfo=UTC)),
        ("Next monday 9am", "America/New_York", datetime(2026, 11, 23, 14, 0, tzinfo=UTC)),
        ("monday", "Europe/London", datetime(2026, 11, 23, 9, 0, tzinfo=UTC)),
        ("Wednesday 08:00", "Europe/London", datetime(2026, 11, 25, 8, 0, tzinfo=UTC)),
        ("tomorrow 17:30", "Europe/London", datetime(2026, 11, 19, 17, 30, tzinfo=UTC)),
        ("09:00", "Europe/London", datetime(2026, 11, 19, 9, 0, tzinfo=UTC)),
        ("11:00", "Europe/London", datetime(2026, 11, 18, 11, 0, tzinfo=UTC)),
        ("2026-12-01 09:00", "Asia/Kolkata", datetime(2026, 12, 1, 3, 30, tzinfo=UTC)),
        ("2026-12-01", "Europe/London", datetime(2026, 12, 1, 9, 0, tzinfo=UTC)),
        ("2026-12-01T09:00:00Z", "Asia/Kolkata", datetime(2026, 12, 1, 9, 0, tzinfo=UTC)),
    ],
)
def test_what_people_type_is_read_in_their_time_zone(typed: str, tz: str, expected: datetime) -> None:
    assert resolve_travel(typed, WEDNESDAY, tz) == expected


@pytest.mark.parametrize("typed", ["", "   ", "soon", "next blursday", "25:00", "+1 fortnight", "13pm"])
def test_unreadable_instants_are_refused_with_an_example(typed: str) -> None:
    with pytest.raises(TimeTravelError) as raised:
        resolve_travel(typed, WEDNESDAY, "Europe/London")
    assert "“+1 day”" in str(raised.value)


@given(st.text(max_size=60))
def test_any_text_is_an_instant_or_a_clear_refusal(typed: str) -> None:
    try:
        instant = resolve_travel(typed, WEDNESDAY, "Europe/London")
    except TimeTravelError as error:
        assert str(error)
    else:
        assert instant.tzinfo is not None


def test_the_clock_runs_with_real_time_and_only_jumps_forward() -> None:
    real = Real(datetime(2030, 1, 1, tzinfo=UTC))
    clock = DemoClock(real, start=WEDNESDAY)
    assert clock.now() == WEDNESDAY
    real.at += timedelta(seconds=30)
    assert clock.now() == WEDNESDAY + timedelta(seconds=30)
    monday = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert clock.travel_to(monday) == monday
    assert clock.timestamp() == monday.timestamp()
    with pytest.raises(TimeTravelError, match="only moves forward"):
        clock.travel_to(WEDNESDAY)
    with pytest.raises(TimeTravelError, match="more than a year"):
        clock.travel_to(monday + timedelta(days=400))
    assert clock.now() == monday


def test_a_pinned_clock_reads_the_pinned_instant_until_released() -> None:
    clock = DemoClock(Real(WEDNESDAY))
    past = WEDNESDAY - timedelta(weeks=6)
    with clock.pinned(past):
        assert clock.now() == past
    assert clock.now() == WEDNESDAY


def test_time_travel_ticks_as_of_the_new_instant_and_reports_failures() -> None:
    clock = DemoClock(Real(WEDNESDAY))
    seen: list[datetime] = []

    def run_tick() -> str:
        seen.append(clock.now())
        if len(seen) == 2:
            raise RuntimeError("database is locked")
        return "tick ok"

    ticker = Ticker(clock, run_tick, every=0)
    result = ticker.travel(WEDNESDAY + timedelta(days=1))
    assert (result.summary, result.error, seen) == ("tick ok", None, [WEDNESDAY + timedelta(days=1)])
    failed = ticker.tick()
    assert failed.error == "RuntimeError: database is locked" and ticker.last is failed
