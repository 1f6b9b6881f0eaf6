"""The trade and commit forms are checked in ``coaching`` keyed by field enums (mapped to blocks in bot/)."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from coaching.commitment_form import CommitField, CommitForm, check_basics, check_conditions
from coaching.playbook import ChargebackDefaults
from coaching.trade_form import TradeField, reject_reason_problem

TODAY = date(2026, 12, 7)
DEFAULTS = ChargebackDefaults(notice_days=2, percent=10)

optional_text = st.none() | st.text(max_size=40)


@settings(max_examples=200)
@given(optional_text, optional_text, optional_text, optional_text)
def test_any_typed_basics_are_read_or_explained_per_field(
    what: str | None, owner: str | None, owed: str | None, due: str | None
) -> None:
    errors: dict[CommitField, str] = {}
    basics = check_basics(CommitForm(what, owner, owed, due), TODAY, errors)
    assert set(errors) <= {CommitField.WHAT, CommitField.OWNER, CommitField.OWED_TO, CommitField.DUE}
    assert all(message.strip() for message in errors.values())
    if not errors:
        assert basics.due is not None and basics.due >= TODAY and basics.what and basics.owner_user_id


def test_a_past_date_names_the_first_day_allowed() -> None:
    errors: dict[CommitField, str] = {}
    check_basics(CommitForm("Send it", "U1", None, "2026-12-06"), TODAY, errors)
    assert errors == {CommitField.DUE: "That date has passed: pick Mon 7 Dec 2026 or later."}


def test_empty_notice_and_percent_take_the_playbooks() -> None:
    errors: dict[CommitField, str] = {}
    form = CommitForm(value_base="4,000 USD", charged_to="Ops")
    conditions, size = check_conditions(form, DEFAULTS, "USD", errors)
    assert errors == {} and conditions is not None and size is not None
    assert (size.units, size.unit) == (1, "")
    assert (conditions.notice_days, conditions.chargeback_percent, conditions.charged_to) == (2, 10, "Ops")


def test_conditions_without_a_value_are_explained_under_it() -> None:
    errors: dict[CommitField, str] = {}
    assert check_conditions(CommitForm(percent="120"), DEFAULTS, "USD", errors) == (None, None)
    assert set(errors) == {CommitField.PERCENT, CommitField.VALUE_BASE}


def test_a_rejection_needs_a_short_enough_why() -> None:
    assert reject_reason_problem("") == "Say why, so the proposer can come back with a better trade."
    assert reject_reason_problem("x" * 2001) == "Keep it to 2000 characters."
    assert reject_reason_problem("😀" * 1001) == "Keep it to 2000 characters."  # UTF-16 units
    assert reject_reason_problem("Too costly") is None
    assert {field.value for field in TradeField} == {"get", "get_value", "give", "give_cost", "reason"}
