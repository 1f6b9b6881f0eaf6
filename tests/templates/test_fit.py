"""Truncation that respects Block Kit's limits instead of failing, and refuses to cut data."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from templates import limits as L
from templates.escape import escape_mrkdwn
from templates.fit import LimitError, fit_message, fit_view, text_length, truncate
from templates.render import Message
from tests.templates.conftest import hostile_text, problems


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def message(*blocks: dict[str, Any], text: str = "fallback") -> dict[str, Any]:
    return {"text": text, "blocks": list(blocks)}


def modal(*blocks: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "modal", "title": {"type": "plain_text", "text": "T"}, "blocks": list(blocks), **extra}


# ------------------------------------------------------------------------------------------ truncate


def test_short_text_is_untouched() -> None:
    assert truncate("hello", 5) == "hello"


def test_long_text_ends_with_an_ellipsis_within_the_limit() -> None:
    assert truncate("abcdefgh", 5) == "abcd…"


@pytest.mark.parametrize("entity", ["&amp;", "&lt;", "&gt;"])
@pytest.mark.parametrize("offset", range(6))
def test_never_cuts_inside_an_entity(entity: str, offset: int) -> None:
    text = "x" * offset + entity + "y" * 10
    for limit in range(1, len(text)):
        cut = truncate(text, limit).removesuffix("…")
        assert cut.count("&") == cut.count(";"), (text, limit, cut)


def test_never_cuts_a_trusted_token() -> None:
    text = "Owner: <@U0123456789> and more words here"
    for limit in range(1, len(text)):
        cut = truncate(text, limit)
        assert ("<@" in cut) == ("<@U0123456789>" in cut), (limit, cut)


def test_never_splits_a_surrogate_pair_or_an_emoji_sequence() -> None:
    text = "ab" + "👩‍👩‍👧" + "😀" * 5 + "e\u0301"
    for limit in range(1, text_length(text)):
        cut = truncate(text, limit)
        assert text_length(cut) <= limit
        body = cut.removesuffix("…")
        assert not body.endswith("\u200d")
        body.encode("utf-8")  # no half pair
    split_pair = "x\ud83d\ude00y"  # a pair kept as two code points, as from some JSON decoders
    assert truncate(split_pair, 3) == "x…"


@given(hostile_text, st.integers(min_value=1, max_value=400))
def test_truncation_of_escaped_text_fits_and_keeps_entities_whole(raw: str, limit: int) -> None:
    text = escape_mrkdwn(raw)
    cut = truncate(text, limit)
    assert text_length(cut) <= limit
    body = cut.removesuffix("…")
    assert text.startswith(body.rstrip()) or text.startswith(body)
    assert body.count("&") == body.count("&amp;") + body.count("&lt;") + body.count("&gt;")


def test_length_counts_utf16_units() -> None:
    assert text_length("a😀") == 3
    assert truncate("😀😀😀", 4) == "😀…"


# ------------------------------------------------------------------------------------------ messages


def test_every_text_is_cut_to_its_own_limit() -> None:
    big = "x" * 5_000
    fitted = fit_message(
        message(
            {"type": "header", "text": {"type": "plain_text", "text": big}},
            section(big),
            {
                "type": "actions",
                "elements": [{"type": "button", "text": {"type": "plain_text", "text": big}}],
            },
            text=big * 10,
        )
    )
    header, body, actions = fitted["blocks"]
    assert len(header["text"]["text"]) == L.HEADER_TEXT
    assert len(body["text"]["text"]) == L.SECTION_TEXT
    assert len(actions["elements"][0]["text"]["text"]) == L.BUTTON_TEXT
    assert len(fitted["text"]) == L.MESSAGE_TEXT


def test_empty_text_becomes_an_ellipsis_because_slack_rejects_empty_text() -> None:
    fitted = fit_message(message(section(""), text=" "))
    assert fitted["blocks"][0]["text"]["text"] == "…"
    assert fitted["text"] == "…"


def test_200_blocks_become_49_plus_and_n_more() -> None:
    fitted = fit_message(message(*(section(f"item {i}") for i in range(200))))
    assert len(fitted["blocks"]) == L.MESSAGE_BLOCKS
    assert fitted["blocks"][-1] == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "…and 151 more"}],
    }


def test_dividers_do_not_count_as_items() -> None:
    blocks = [b for i in range(60) for b in (section(f"item {i}"), {"type": "divider"})]
    fitted = fit_message(message(*blocks))
    shown = sum(1 for b in fitted["blocks"] if b["type"] == "section")
    assert fitted["blocks"][-1]["elements"][0]["text"] == f"…and {60 - shown} more"


def test_exactly_50_blocks_need_no_note() -> None:
    fitted = fit_message(message(*(section("x") for _ in range(50))))
    assert len(fitted["blocks"]) == 50 and fitted["blocks"][-1]["type"] == "section"


def test_total_block_text_stays_under_slacks_message_limit() -> None:
    fitted = fit_message(message(*(section("y" * 3_000) for _ in range(10))))
    total = sum(len(b["text"]["text"]) for b in fitted["blocks"] if b["type"] == "section")
    assert total <= L.MESSAGE_BLOCK_TEXT
    assert fitted["blocks"][-1]["elements"][0]["text"].startswith("…and ")
    assert problems(Message(fitted["text"], fitted["blocks"])) == []


def test_one_huge_block_is_shrunk_rather_than_dropped() -> None:
    fields = [{"type": "mrkdwn", "text": "f" * 2_000} for _ in range(10)]
    fitted = fit_message(
        message({"type": "section", "text": {"type": "mrkdwn", "text": "t" * 3_000}, "fields": fields})
    )
    assert fitted["blocks"][0]["type"] == "section"
    assert problems(Message(fitted["text"], fitted["blocks"])) == []


def test_fields_and_context_elements_are_capped_with_a_note() -> None:
    fields = [{"type": "mrkdwn", "text": f"f{i}"} for i in range(15)]
    elements = [{"type": "plain_text", "text": f"c{i}"} for i in range(12)]
    fitted = fit_message(
        message({"type": "section", "fields": fields}, {"type": "context", "elements": elements})
    )
    section_block, context = fitted["blocks"]
    assert len(section_block["fields"]) == L.SECTION_FIELDS
    assert section_block["fields"][-1] == {"type": "mrkdwn", "text": "…and 6 more"}
    assert len(context["elements"]) == L.CONTEXT_ELEMENTS
    assert context["elements"][-1]["text"] == "…and 3 more"


def test_actions_and_options_are_capped() -> None:
    buttons = [
        {"type": "button", "text": {"type": "plain_text", "text": "b"}, "action_id": f"a{i}"}
        for i in range(30)
    ]
    options = [{"text": {"type": "plain_text", "text": "o" * 100}, "value": str(i)} for i in range(120)]
    select = {"type": "static_select", "action_id": "s", "options": options}
    fitted = fit_message(
        message({"type": "actions", "elements": buttons}, {"type": "actions", "elements": [select]})
    )
    assert len(fitted["blocks"][0]["elements"]) == L.ACTIONS_ELEMENTS
    fitted_options = fitted["blocks"][1]["elements"][0]["options"]
    assert len(fitted_options) == L.SELECT_OPTIONS
    assert all(len(o["text"]["text"]) == L.OPTION_TEXT for o in fitted_options)


@pytest.mark.parametrize(
    ("element", "key"),
    [
        ({"type": "button", "text": {"type": "plain_text", "text": "b"}, "value": "v" * 2_001}, "value"),
        (
            {"type": "button", "text": {"type": "plain_text", "text": "b"}, "action_id": "a" * 256},
            "action_id",
        ),
        (
            {
                "type": "button",
                "text": {"type": "plain_text", "text": "b"},
                "url": "https://a.example/" + "x" * 3_000,
            },
            "url",
        ),
        (
            {
                "type": "static_select",
                "options": [{"text": {"type": "plain_text", "text": "o"}, "value": "v" * 151}],
            },
            "value",
        ),
    ],
)
def test_values_and_ids_are_never_truncated(element: dict[str, Any], key: str) -> None:
    with pytest.raises(LimitError, match=key):
        fit_message(message({"type": "actions", "elements": [element]}))


# ------------------------------------------------------------------------------------------ views


def test_view_title_submit_close_are_cut_to_24() -> None:
    view = modal(
        section("x"),
        submit={"type": "plain_text", "text": "s" * 40},
        close={"type": "plain_text", "text": "c" * 40},
    )
    view["title"]["text"] = "x" * 20 + "&amp;yyy"
    fitted = fit_view(view)
    assert fitted["title"]["text"] == "x" * 20 + "…"
    assert all(len(fitted[k]["text"]) <= L.VIEW_TITLE for k in ("title", "submit", "close"))


def test_private_metadata_over_the_limit_is_an_error_not_a_truncation() -> None:
    with pytest.raises(LimitError, match="private_metadata"):
        fit_view(modal(section("x"), private_metadata="m" * 3_001))
    assert fit_view(modal(section("x"), private_metadata="m" * 3_000))["private_metadata"] == "m" * 3_000


def test_views_keep_99_blocks_and_note_the_rest() -> None:
    fitted = fit_view(modal(*(section(f"row {i}") for i in range(200))))
    assert len(fitted["blocks"]) == L.VIEW_BLOCKS
    assert fitted["blocks"][-1]["elements"][0]["text"] == "…and 101 more"


def test_a_huge_view_is_kept_under_slacks_byte_limit() -> None:
    fitted = fit_view(modal(*(section("\x01" * 3_000) for _ in range(100))))
    assert problems(fitted) == []
