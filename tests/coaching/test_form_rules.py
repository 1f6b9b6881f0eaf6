"""Every rule of the trade and commit forms, one example each at its boundary, with the exact
message a member reads (these pin the behaviour `make mutate` found unpinned)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from coaching.commitment_form import (
    CommitBasics,
    CommitField,
    CommitForm,
    blank,
    check_basics,
    check_conditions,
    format_day,
    whole_number,
    without_nul,
)
from coaching.commitments import CommitmentConditions, UnitValue
from coaching.counterparts import CounterpartKind
from coaching.direction import both_sides, both_sides_message, wrong_side
from coaching.items import Tradeable, Want
from coaching.money import Money
from coaching.playbook import ChargebackDefaults, Playbook
from coaching.trade_form import TermsForm, TradeField, giveaway_coaching, read_terms, reject_reason_problem
from coaching.trades import TradeTerms

TODAY = date(2026, 12, 7)
DEFAULTS = ChargebackDefaults(notice_days=2, percent=10)
BASICS = CommitForm(what="Send the quote", owner_user_id="U1", due="2026-12-08")
VALUED = CommitForm(value_base="4,000 USD", charged_to="Ops")


def basics(form: CommitForm) -> tuple[CommitBasics, dict[CommitField, str]]:
    errors: dict[CommitField, str] = {}
    return check_basics(form, TODAY, errors), errors


def conditions(
    form: CommitForm,
) -> tuple[tuple[CommitmentConditions | None, UnitValue | None], dict[CommitField, str]]:
    errors: dict[CommitField, str] = {}
    return check_conditions(form, DEFAULTS, "USD", errors), errors


def terms(
    form: TermsForm, playbook: Playbook, style: str | None = None
) -> tuple[TradeTerms | None, dict[TradeField, str]]:
    return read_terms(form, default_currency="USD", style=style, playbook=playbook)


class TestCommitBasics:
    def test_a_complete_form_is_read_trimmed(self) -> None:
        read, errors = basics(CommitForm("  Send it ", " U1 ", " U2 ", " 2026-12-07 "))
        assert errors == {}
        assert read is not None
        assert (read.what, read.owner_user_id, read.owed_to_user_id, read.due) == (
            "Send it",
            "U1",
            "U2",
            TODAY,
        )

    def test_each_missing_field_is_explained(self) -> None:
        read, errors = basics(CommitForm(what="  ", owed_to_user_id=" "))
        assert errors == {
            CommitField.WHAT: "Say what will be done, e.g. “Send the revised quote to Dana”.",
            CommitField.OWNER: "Choose who owns it: you or another member.",
            CommitField.DUE: "Pick the date it is due.",
        }
        assert read is not None
        assert read.owed_to_user_id is None and read.due is None

    def test_an_empty_form_explains_every_field(self) -> None:
        assert set(basics(CommitForm())[1]) == {CommitField.WHAT, CommitField.OWNER, CommitField.DUE}

    def test_what_is_at_most_500_characters(self) -> None:
        assert basics(replace(BASICS, what="x" * 500))[1] == {}
        assert basics(replace(BASICS, what="x" * 501))[1] == {
            CommitField.WHAT: "Keep it to 500 characters (this is 501)."
        }

    def test_nobody_owes_a_commitment_to_themselves(self) -> None:
        assert basics(replace(BASICS, owed_to_user_id="U1"))[1] == {
            CommitField.OWED_TO: (
                "The owner can't owe it to themselves: leave this empty or pick someone else."
            )
        }
        assert basics(replace(BASICS, owed_to_user_id="U2"))[1] == {}

    def test_the_due_date_is_read_from_the_calendar_today_to_three_years_ahead(self) -> None:
        assert basics(replace(BASICS, due="soon"))[1] == {CommitField.DUE: "Pick the date from the calendar."}
        assert basics(replace(BASICS, due="2026-12-07"))[1] == {}
        assert basics(replace(BASICS, due="2029-12-31"))[1] == {}
        assert basics(replace(BASICS, due="2030-01-01"))[1] == {
            CommitField.DUE: "Pick a date within 3 years."
        }
        assert basics(replace(BASICS, due="2026-12-06"))[1] == {
            CommitField.DUE: "That date has passed: pick Mon 7 Dec 2026 or later."
        }
        assert format_day(date(2027, 1, 2)) == "Sat 2 Jan 2027"


class TestWholeNumbers:
    @pytest.mark.parametrize(
        ("typed", "read"),
        [
            (None, None),
            ("", None),
            ("  ", None),
            ("0", 0),
            (" 7 ", 7),
            ("50%", 50),
            ("50 %", 50),
            ("100", 100),
        ],
    )
    def test_read(self, typed: str | None, read: int | None) -> None:
        assert whole_number(typed, 0, 100, "The percentage") == (read, None)

    @pytest.mark.parametrize("typed", ["-1", "1.5", "ten", "٣", "1234567", "5%%"])
    def test_not_a_whole_number(self, typed: str) -> None:
        assert whole_number(typed, 0, 100, "The percentage") == (
            None,
            "The percentage must be a whole number from 0 to 100.",
        )

    def test_out_of_range(self) -> None:
        assert whole_number("101", 0, 100, "The percentage") == (
            None,
            "The percentage must be from 0 to 100.",
        )
        assert whole_number("4", 5, 9, "X") == (None, "X must be from 5 to 9.")
        assert whole_number("123456", 0, 999_999, "X") == (123456, None)

    def test_blank_and_nul(self) -> None:
        assert blank(None) and blank(" \t") and not blank(" x ")
        cleaned = without_nul(CommitForm(what="a\x00b", owner_user_id=None, due="\x002026-12-08"))
        assert cleaned == CommitForm(what="ab", owner_user_id=None, due="2026-12-08")


class TestCommitConditions:
    def test_no_conditions_at_all(self) -> None:
        assert conditions(CommitForm()) == ((None, None), {})

    def test_units_each_notice_and_percentage_as_typed(self) -> None:
        (read, size), errors = conditions(
            replace(
                VALUED, value_base=" 12 seats x $1,800 ", notice_days=" 7 ", percent="50%", charged_to=" Ops "
            )
        )
        assert errors == {}
        assert read is not None
        assert (read.notice_days, read.chargeback_percent, read.charged_to) == (7, 50, "Ops")
        assert read is not None
        assert read.value_base == Money.of(1800, "USD")
        assert read is not None and size is not None
        assert (size.units, size.unit, size.each) == (12, "seat", Money.of(1800, "USD"))

    def test_zero_notice_and_zero_percent_are_kept_not_replaced_by_the_playbook(self) -> None:
        (read, _), errors = conditions(replace(VALUED, notice_days="0", percent="0"))
        assert read is not None
        assert errors == {}
        assert (read.notice_days, read.chargeback_percent) == (0, 0)

    @pytest.mark.parametrize("field", ["notice_days", "percent", "charged_to"])
    def test_any_condition_without_a_value_asks_for_the_value(self, field: str) -> None:
        assert conditions(replace(CommitForm(), **{field: "5"})) == (
            (None, None),
            {
                CommitField.VALUE_BASE: (
                    "Give the value the percentage is charged on (e.g. 4,000 USD), or clear the conditions."
                )
            },
        )

    def test_a_value_that_cannot_be_read(self) -> None:
        assert conditions(replace(VALUED, value_base="bogus")) == (
            (None, None),
            {
                CommitField.VALUE_BASE: (
                    "'bogus' is not an amount: write it like 4,000 USD, €2,500 or 12 seats × $1,800."
                )
            },
        )

    def test_who_is_charged_is_required_and_at_most_200_characters(self) -> None:
        assert conditions(replace(VALUED, charged_to=None)) == (
            (None, None),
            {CommitField.CHARGED_TO: "Say who is charged back, e.g. the Ops department."},
        )
        assert conditions(replace(VALUED, charged_to=" ")) == (
            (None, None),
            {CommitField.CHARGED_TO: "Say who is charged back, e.g. the Ops department."},
        )
        assert conditions(replace(VALUED, charged_to="x" * 201)) == (
            (None, None),
            {CommitField.CHARGED_TO: "Keep it to 200 characters."},
        )
        (read, _), errors = conditions(replace(VALUED, charged_to="x" * 200))
        assert errors == {} and read is not None

    def test_bad_notice_or_percentage_keeps_nothing(self) -> None:
        assert conditions(replace(VALUED, notice_days="366")) == (
            (None, None),
            {CommitField.NOTICE_DAYS: "The notice window must be from 0 to 365."},
        )
        assert conditions(replace(VALUED, percent="101")) == (
            (None, None),
            {CommitField.PERCENT: "The percentage must be from 0 to 100."},
        )
        (read, _), errors = conditions(replace(VALUED, notice_days="365", percent="100"))
        assert read is not None
        assert errors == {}
        assert (read.notice_days, read.chargeback_percent) == (365, 100)


class TestTradeTerms:
    def test_terms_are_read_trimmed_with_their_amounts(self, playbook: Playbook) -> None:
        read, errors = terms(
            TermsForm(get=" Case study ", get_value="$2,000", give=" Day ", give_cost=" 1.5k "), playbook
        )
        assert errors == {}
        assert read is not None
        assert (read.give, read.give_cost, read.get, read.get_value) == (
            "Day",
            Money.of(1500, "USD"),
            "Case study",
            Money.of(2000, "USD"),
        )

    def test_nothing_to_give(self, playbook: Playbook) -> None:
        assert terms(TermsForm(get="x"), playbook) == (None, {TradeField.GIVE: "Say what we would give."})

    def test_lengths_are_500_500_and_2000(self, playbook: Playbook) -> None:
        ok = TermsForm(give="g" * 500, get="w" * 500, reason="r" * 2000)
        assert terms(ok, playbook)[1] == {}
        long = TermsForm(give="g" * 501, get="w" * 501, reason="r" * 2001)
        assert terms(long, playbook) == (
            None,
            {
                TradeField.GIVE: "Keep it to 500 characters.",
                TradeField.GET: "Keep it to 500 characters.",
                TradeField.REASON: "Keep it to 2000 characters.",
            },
        )

    def test_amounts_that_cannot_be_read(self, playbook: Playbook) -> None:
        form = TermsForm(give="g", get="w", give_cost="abc", get_value="1" * 61)
        assert terms(form, playbook) == (
            None,
            {
                TradeField.GIVE_COST: "'abc' is not an amount: type it like 2,000, $2,000, 1.5k or 800 EUR.",
                TradeField.GET_VALUE: (
                    "That is too long to be an amount: type it like 2,000, $2,000 or 800 EUR."
                ),
            },
        )
        sixty = "USD" + " " * 52 + "1,000"  # 60 characters: still read as an amount
        read, errors = terms(replace(form, give_cost="", get_value=sixty), playbook)
        assert errors == {} and read is not None and read.get_value == Money.of(1000, "USD")

    def test_a_giveaway_is_refused_with_the_coaching_for_the_style(self, playbook: Playbook) -> None:
        expected = giveaway_coaching("Free seats", "closer", playbook)
        assert expected == (
            "Nothing is asked in return: a giveaway invites the next request. Add what they give. "
            "🦁 Closer: Holds firm through the middle, then gives the final concession (often the biggest) "
            "to get the signature, usually without asking for anything back."
        )
        assert terms(TermsForm(give="Free seats"), playbook, "closer") == (None, {TradeField.GET: expected})
        _, errors = terms(TermsForm(give="g" * 501), playbook)
        assert errors[TradeField.GET].startswith("Nothing is asked in return")

    def test_a_rejection_reason(self) -> None:
        assert reject_reason_problem("x" * 2000) is None


class TestDirection:
    def test_an_item_on_both_sides(self) -> None:
        gives = (Tradeable("Case study"), Tradeable("Onboarding day"))
        assert both_sides(gives, (Want("case  STUDY."), Want("Term"))) == ("Case study",)
        assert both_sides_message(("Case study",)) == (
            "“Case study” is also in what you want: keep each item on one side — something you give, "
            "or something you want in return."
        )
        assert both_sides_message(("A", "B")).startswith("“A”, “B” are also in what you want")

    def test_an_item_on_the_wrong_side_names_the_kind_and_the_fix(self) -> None:
        warnings = wrong_side(
            (Tradeable("24-month term"), Tradeable("Onboarding day")), CounterpartKind.CUSTOMER
        )
        assert [w.item for w in warnings] == ["24-month term"]
        assert warnings[0].message == (
            "“24-month term” is usually something a customer gives you: move it to what you want "
            "in return (it is left out of your trades)."
        )
        extra = wrong_side(
            (Tradeable("Logo on their site"),), CounterpartKind.CUSTOMER, ("logo on their site",)
        )
        assert [w.item for w in extra] == ["Logo on their site"]
        assert wrong_side((Tradeable("Logo on their site"),), CounterpartKind.CUSTOMER) == ()
