"""Counterpart names: one key for the same organisation however it is typed (Hypothesis), near
duplicates suggested, different numbers kept apart, hostile text harmless; the admin command parser."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from coaching.counterpart_names import (
    LEGAL_FORMS,
    MAX_KEY_LENGTH,
    AdminCommand,
    Known,
    item_key,
    match_name,
    name_key,
    parse_admin_command,
    similarity,
)

WORDS = st.text(alphabet=st.characters(categories=("Ll", "Lu", "Nd")), min_size=2, max_size=12)
NAMES = st.lists(WORDS, min_size=1, max_size=4).map(" ".join).filter(lambda n: bool(name_key(n)))
SUFFIXES = st.sampled_from(["Ltd", "Ltd.", "LIMITED", "Inc.", "GmbH", "S.A.", "plc", "LLC", "Co.", "Corp"])


@pytest.mark.parametrize(
    "typed", ["Northwind", "Northwind Ltd", "northwind ltd.", "NORTHWIND LIMITED", " The Northwind Company ",
              "Northwind, Inc.", "Nörthwind GmbH", "northwind\u00a0ltd"]
)  # fmt: skip
def test_the_issues_examples_are_one_counterpart(typed: str) -> None:
    assert name_key(typed) == "northwind"


@given(
    NAMES,
    SUFFIXES,
    st.sampled_from([str.lower, str.upper, str.title, str]),
    st.sampled_from([" ", "  ", "\t"]),
)
def test_case_whitespace_punctuation_and_legal_forms_do_not_change_the_key(
    name: str, suffix: str, case: object, space: str
) -> None:
    base = name_key(name)
    if base.split()[-1] in LEGAL_FORMS or base.split()[0] == "the":
        return  # a name that itself ends in a legal form: covered by the examples
    variant = f"{space}{case(name)},{space}{suffix}{space}"  # type: ignore[operator]
    assert name_key(variant) == base


@given(st.text(max_size=400))
@example("<!channel> *bold* `code` <@U123>")
@example("\x00\u202e\ufeff")
def test_any_text_gives_a_short_plain_key_and_never_raises(text: str) -> None:
    key = name_key(text)
    assert len(key) <= MAX_KEY_LENGTH
    assert all(ch.isalnum() or ch == " " for ch in key)
    assert key == name_key(key) or key == ""  # idempotent (a key is its own key)
    assert item_key(text) == item_key(item_key(text))


@given(NAMES)
def test_a_name_is_an_exact_match_for_itself_and_needs_no_choice(name: str) -> None:
    known = [Known(1, name, name_key(name), 3)]
    match = match_name(name.upper() + " Ltd", known)
    assert [k.id for k in match.exact] == [1] and not match.needs_choice


def test_near_duplicates_are_suggested_not_merged() -> None:
    known = [Known(1, "Northwind Traders", "northwind traders", 2), Known(2, "Contoso", "contoso", 5)]
    match = match_name("Northwind Trader", known)
    assert match.exact == () and [k.id for k in match.similar] == [1] and match.needs_choice
    assert match_name("Northwind", known).similar[0].id == 1  # an extra word: suggested


def test_different_numbers_are_different_counterparts() -> None:
    assert similarity("store 12", "store 13") == 0.0
    assert not match_name("Store 13", [Known(1, "Store 12", "store 12")]).needs_choice


def test_two_counterparts_with_one_key_ask_which() -> None:
    known = [Known(1, "Acme", "acme", 1), Known(2, "ACME Ltd", "acme", 4)]
    match = match_name("acme", known)
    assert match.needs_choice and [k.id for k in match.exact] == [2, 1]  # most negotiations first


def test_an_empty_or_punctuation_only_name_is_no_counterpart() -> None:
    assert name_key("  ...  ") == "" and match_name("—", [Known(1, "x", "x")]).options == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", AdminCommand("list")),
        ("merge 12 into 7", AdminCommand("merge", 12, 7)),
        ("MERGE #12 with #7", AdminCommand("merge", 12, 7)),
        ("unmerge 12", AdminCommand("unmerge", 12)),
        ("rename 7 to  Northwind   Group", AdminCommand("rename", 7, name="Northwind Group")),
        ("delete 7", AdminCommand("delete", 7)),
        ("restore 7", AdminCommand("restore", 7)),
        ("merge 12", None),
        ("delete seven", None),
        ("rename 7", None),
    ],
)
def test_admin_commands_are_read_or_refused(text: str, expected: AdminCommand | None) -> None:
    assert parse_admin_command(text) == expected


@given(st.text(max_size=200))
def test_the_admin_parser_never_raises(text: str) -> None:
    parse_admin_command(text)
