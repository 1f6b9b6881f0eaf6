"""What a tick did, in words a person reads in the playground (not the operator's log line)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.delivery.worker import DeliveryReport
from bot.scheduler.registry import JobRun
from bot.scheduler.tick import TickReport, in_words

AT = datetime(2026, 12, 7, 9, 0, 0, 84, tzinfo=UTC)


def test_a_busy_tick_in_words() -> None:
    report = TickReport(
        AT,
        [JobRun("commitment_nudges", 20, 19), JobRun("digests", 1, 1), JobRun("trade_timers", 1, 0)],
        DeliveryReport(sent=19, skipped=1),
    )
    words = in_words(report)
    assert words == (
        "19 commitment reminders and 1 weekly digest due, 19 messages delivered and 1 no longer needed."
    )
    assert "tick" not in words and "2026" not in words and "enqueued" not in words


def test_one_of_each_is_singular_and_a_quiet_tick_says_so() -> None:
    report = TickReport(AT, [JobRun("trade_timers", 1, 1)], DeliveryReport(sent=1))
    assert in_words(report) == "1 trade reminder or expiry due and 1 message delivered."
    assert in_words(TickReport(AT)) == "nothing was due."
