"""The one vocabulary: due, upcoming, overdue, lapsed, kept, active and working days."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coaching.commitments import nudge_line
from coaching.items import Commitment, Side
from coaching.vocabulary import (
    Standing,
    due_words,
    is_active,
    is_due,
    is_kept,
    is_overdue,
    is_upcoming,
    standing,
    upcoming_until,
    working_days_late,
)
from coaching.worktime import DEFAULT_CADENCE, NudgeStep, StepKind, WorkingHours

FRI = date(2026, 12, 4)


def test_overdue_is_live_and_past_due_whatever_the_stored_status_says() -> None:
    assert is_overdue("open", FRI, date(2026, 12, 5))
    assert is_overdue("lapsed", FRI, date(2026, 12, 9)), "a lapsed commitment still to deliver is overdue"
    assert not is_overdue("done", FRI, date(2026, 12, 9))
    assert not is_overdue("cancelled", FRI, date(2026, 12, 9))
    assert not is_overdue("open", FRI, FRI)
    assert is_due("open", FRI, FRI) and not is_due("open", FRI, date(2026, 12, 5))


def test_kept_means_done_by_the_due_date_and_done_late_is_not_kept() -> None:
    assert is_kept("done", FRI, FRI)
    assert not is_kept("done", FRI, date(2026, 12, 7))
    assert standing("done", FRI, date(2026, 12, 9), closed_on=date(2026, 12, 7)) is Standing.DONE_LATE
    assert standing("done", FRI, date(2026, 12, 9), closed_on=FRI) is Standing.KEPT
    assert standing("lapsed", FRI, date(2026, 12, 9)) is Standing.OVERDUE
    assert standing("open", FRI, FRI) is Standing.DUE
    assert standing("open", FRI, date(2026, 12, 1)) is Standing.UPCOMING


def test_working_days_late_counts_the_working_days_after_the_due_date() -> None:
    assert working_days_late(FRI, FRI) == 0
    assert working_days_late(FRI, date(2026, 12, 6)) == 0  # the weekend
    assert working_days_late(FRI, date(2026, 12, 7)) == 1
    assert working_days_late(FRI, date(2026, 12, 10)) == 4
    six_days = WorkingHours(days=(0, 1, 2, 3, 4, 5))
    assert working_days_late(FRI, date(2026, 12, 7), six_days) == 2


def test_a_nudge_sent_late_says_how_late_it_is_then_not_the_steps_number() -> None:
    """The after-3 nudge deferred to Thursday is 4 working days late, and says so."""
    commitment = Commitment("me", "Send the deck", FRI, Side.OURS)
    line = nudge_line(commitment, None, key="after-3", today=date(2026, 12, 10))
    assert line.startswith("Overdue by 4 working days:")
    assert nudge_line(commitment, None, key="after-1", today=date(2026, 12, 7)).startswith(
        "Overdue by 1 working day:"
    )


def test_upcoming_reaches_as_far_as_the_earliest_before_nudge() -> None:
    today = date(2026, 12, 7)  # a Monday
    assert upcoming_until(today, DEFAULT_CADENCE) == date(2026, 12, 14)  # a week
    long = (NudgeStep(StepKind.BEFORE, 7), NudgeStep(StepKind.DUE))
    assert upcoming_until(today, long) == date(2026, 12, 16)  # 7 working days: 9 calendar days
    assert is_upcoming("open", date(2026, 12, 16), today, upcoming_until(today, long))
    assert not is_upcoming("open", date(2026, 12, 17), today, upcoming_until(today, long))


@given(
    due=st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)),
    before=st.integers(min_value=1, max_value=20),
)
def test_every_commitment_a_coming_up_nudge_is_sent_for_is_upcoming(due: date, before: int) -> None:
    """The before-N nudge's day is inside the window the digest lists as "coming up"."""
    from coaching.commitments import nudge_schedule

    cadence = (NudgeStep(StepKind.BEFORE, before), NudgeStep(StepKind.DUE))
    first = nudge_schedule(due, "UTC", cadence=cadence)[0]
    sent_on = first.local.date()
    if sent_on < due:
        assert is_upcoming("open", due, sent_on, upcoming_until(sent_on, cadence))
        assert nudge_line(
            Commitment("me", "x", due, Side.OURS), None, key=first.key, today=sent_on
        ).startswith("Coming up, due ")


@pytest.mark.parametrize(
    ("due", "today", "words"),
    [
        (FRI, FRI, "due today"),
        (FRI, date(2026, 12, 3), "due tomorrow"),
        (FRI, date(2026, 11, 25), "due in 9 days"),
        (FRI, date(2026, 12, 8), "overdue by 2 working days"),
    ],
)
def test_due_words(due: date, today: date, words: str) -> None:
    assert due_words(due, today) == words


def test_active_means_a_negotiation_was_logged() -> None:
    assert is_active(1) and not is_active(0)
