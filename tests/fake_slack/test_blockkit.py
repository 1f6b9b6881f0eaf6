"""bot/testkit/blockkit*.py: what Slack rejects is reported, what Slack accepts is not, nothing raises."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.testkit.blockkit import (
    BLOCKS_TOO_LONG,
    MESSAGE_BLOCK_TEXT,
    NO_FALLBACK_TEXT,
    NO_TEXT,
    VIEW_BLOCKS,
    VIEW_TOO_LARGE,
    message_problems,
    validate_message,
    validate_view,
    view_problems,
)
from tests.fake_slack.conftest import button, modal, section, text_input

PAYLOADS = Path(__file__).resolve().parents[3] / "shared" / "slack-payloads"  # next to the checkout

PLAIN = {"type": "plain_text", "text": "x"}


def options(n: int, text: str = "o") -> list[dict[str, Any]]:
    return [{"text": {"type": "plain_text", "text": text}, "value": f"v{i}"} for i in range(n)]


# A message using every element type Parley might render: none of it may be flagged (no false positives).
RICH_MESSAGE: list[dict[str, Any]] = [
    {"type": "header", "text": {"type": "plain_text", "text": "Your prep plan", "emoji": True}},
    {
        "type": "section",
        "text": {"type": "mrkdwn", "text": "*Trade*"},
        "fields": [PLAIN, {"type": "mrkdwn", "text": "y"}],
    },
    {
        "type": "section",
        "text": {"type": "mrkdwn", "text": "pick"},
        "accessory": {
            "type": "static_select",
            "action_id": "pick",
            "placeholder": PLAIN,
            "options": options(3),
            "initial_option": options(1)[0],
        },
    },
    {
        "type": "section",
        "text": PLAIN,
        "accessory": {"type": "overflow", "action_id": "more", "options": options(5)},
    },
    {
        "type": "section",
        "text": PLAIN,
        "accessory": {"type": "image", "image_url": "https://x/a.png", "alt_text": "a"},
    },
    {"type": "divider"},
    {
        "type": "context",
        "elements": [
            {"type": "mrkdwn", "text": "ctx"},
            {"type": "image", "image_url": "https://x/b", "alt_text": "b"},
        ],
    },
    {
        "type": "actions",
        "block_id": "plan_actions",
        "elements": [
            button("propose", "Propose a trade")
            | {
                "style": "primary",
                "confirm": {
                    "title": PLAIN,
                    "text": {"type": "mrkdwn", "text": "sure?"},
                    "confirm": PLAIN,
                    "deny": PLAIN,
                },
            },
            button("commit", "Add a commitment"),
            {"type": "datepicker", "action_id": "when", "initial_date": "2026-12-03", "placeholder": PLAIN},
            {"type": "users_select", "action_id": "who", "placeholder": PLAIN},
            {
                "type": "multi_static_select",
                "action_id": "tags",
                "option_groups": [{"label": PLAIN, "options": options(2)}],
            },
            {"type": "checkboxes", "action_id": "done", "options": options(2)},
            {"type": "radio_buttons", "action_id": "one", "options": options(2)},
        ],
    },
    {
        "type": "rich_text",
        "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": "r"}]}],
    },
    {"type": "image", "image_url": "https://x/c.png", "alt_text": "chart", "title": PLAIN},
]


@pytest.mark.skipif(not PAYLOADS.exists(), reason="shared/slack-payloads is not next to this checkout")
def test_examples_of_what_slack_sends_are_valid() -> None:
    view = json.loads((PAYLOADS / "view_submission.json").read_text())["view"]
    sent = {
        k: view[k] for k in ("type", "callback_id", "private_metadata", "title", "submit", "close", "blocks")
    }
    assert validate_view(sent) == []
    message = json.loads((PAYLOADS / "block_actions.button_in_dm.json").read_text())["message"]
    assert validate_message(message["blocks"], message["text"]) == []


def test_every_element_type_parley_uses_is_accepted() -> None:
    assert validate_message(RICH_MESSAGE, "Your prep plan") == []
    assert validate_view(modal(*RICH_MESSAGE[:9], text_input("title"))) == []
    assert validate_view({"type": "home", "blocks": RICH_MESSAGE[:9]}) == []


@pytest.mark.parametrize(
    ("blocks", "expected"),
    [
        ([section()] * 51, "no more than 50 items allowed [json-pointer:/blocks]"),
        ([{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}], "less than 151 characters"),
        ([{"type": "header", "text": {"type": "mrkdwn", "text": "h"}}], "expected plain_text, got 'mrkdwn'"),
        ([{"type": "section", "text": {"type": "mrkdwn", "text": "s" * 3001}}], "less than 3001 characters"),
        ([{"type": "section", "fields": [PLAIN] * 11}], "no more than 10 items allowed"),
        (
            [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}],
            "less than 2001 characters",
        ),
        ([{"type": "section"}], "must provide one of: text, fields"),
        ([{"type": "context", "elements": [PLAIN] * 11}], "no more than 10 items allowed"),
        ([{"type": "actions", "elements": [button(f"a{i}") for i in range(26)]}], "no more than 25 items"),
        ([{"type": "actions", "elements": [button("a"), button("a")]}], "duplicate action_id 'a'"),
        ([section(block_id="x"), section(block_id="x")], "duplicate block_id 'x'"),
        ([section(block_id="x" * 256)], "less than 256 characters [json-pointer:/blocks/0/block_id]"),
        ([{"type": "actions", "elements": [button("a", text="t" * 76)]}], "less than 76 characters"),
        ([{"type": "actions", "elements": [button("a", value="v" * 2001)]}], "less than 2001 characters"),
        ([{"type": "actions", "elements": [button("a") | {"url": "u" * 3001}]}], "less than 3001 characters"),
        (
            [
                {
                    "type": "actions",
                    "elements": [
                        button("a")
                        | {
                            "confirm": {
                                "title": {"type": "plain_text", "text": "t" * 101},
                                "text": PLAIN,
                                "confirm": PLAIN,
                                "deny": PLAIN,
                            }
                        }
                    ],
                }
            ],
            "/confirm/title/text",
        ),
        (
            [
                {
                    "type": "actions",
                    "elements": [
                        button("a")
                        | {
                            "confirm": {
                                "title": PLAIN,
                                "text": {"type": "plain_text", "text": "t" * 301},
                                "confirm": PLAIN,
                                "deny": PLAIN,
                            }
                        }
                    ],
                }
            ],
            "less than 301 characters",
        ),
        (
            [
                {
                    "type": "actions",
                    "elements": [{"type": "static_select", "action_id": "s", "options": options(101)}],
                }
            ],
            "no more than 100 items allowed",
        ),
        (
            [
                {
                    "type": "actions",
                    "elements": [
                        {"type": "static_select", "action_id": "s", "options": options(1, "o" * 76)}
                    ],
                }
            ],
            "options/0/text/text",
        ),
        (
            [
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "static_select",
                            "action_id": "s",
                            "options": [{"text": PLAIN, "value": "v" * 151}],
                        }
                    ],
                }
            ],
            "less than 151 characters",
        ),
        (
            [{"type": "section", "text": {"type": "plain_text", "text": "x", "verbatim": True}}],
            "invalid additional property: verbatim",
        ),
        ([{"type": "section", "text": PLAIN, "lable": "typo"}], "invalid additional property: lable"),
        ([{"type": "carousel_of_doom"}], "unknown block type 'carousel_of_doom'"),
        ([{"text": PLAIN}], "missing required field: type"),
        ([{"type": "header"}], "missing required field: text"),
        (["not a block"], "expected a block object"),
        ("[]", "expected an array"),
    ],
)
def test_each_limit_is_reported(blocks: Any, expected: str) -> None:
    found = validate_message(blocks, "fallback")
    assert any(expected in problem for problem in found), found


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        (
            modal(*[section()] * (VIEW_BLOCKS + 1)),
            "no more than 100 items allowed [json-pointer:/view/blocks]",
        ),
        (modal(title="t" * 25), "less than 25 characters [json-pointer:/view/title/text]"),
        (modal(submit={"type": "plain_text", "text": "s" * 25}), "/view/submit/text"),
        (modal(close={"type": "plain_text", "text": "c" * 25}), "/view/close/text"),
        (
            modal(private_metadata="m" * 3001),
            "less than 3001 characters [json-pointer:/view/private_metadata]",
        ),
        (modal(callback_id="c" * 256), "/view/callback_id"),
        (modal(text_input("a"), text_input("a")), "duplicate block_id 'a'"),
        ({**modal(text_input("a")), "submit": "Save"}, "expected a text object [json-pointer:/view/submit]"),
        ({"type": "modal", "title": PLAIN, "blocks": [text_input("a")]}, "missing required field: submit"),
        ({"type": "home", "blocks": [section()], "submit": PLAIN}, "a home view cannot have submit or close"),
        ({"type": "dialog", "blocks": [section()]}, "must be a valid enum value: modal or home"),
        ({"type": "modal", "blocks": [section()]}, "missing required field: title"),
        (modal(section(), id="V1"), "invalid additional property: id"),
        (modal({"type": "markdown", "text": "md"}), "block type 'markdown' is not allowed on this surface"),
        (modal({**text_input("a"), "label": {"type": "plain_text", "text": "l" * 2001}}), "less than 2001"),
        (modal({**text_input("a"), "hint": {"type": "plain_text", "text": "h" * 2001}}), "/hint/text"),
        (
            modal({**text_input("a"), "element": {"type": "plain_text_input", "max_length": 3001}}),
            "max_length",
        ),
        (
            modal({**text_input("a"), "element": {"type": "plain_text_input", "max_length": 0}}),
            "between 1 and 3000",
        ),
        (
            modal(
                {
                    **text_input("a"),
                    "element": {
                        "type": "plain_text_input",
                        "placeholder": {"type": "plain_text", "text": "p" * 151},
                    },
                }
            ),
            "/placeholder/text",
        ),
        (modal({**text_input("a"), "element": button("b")}), "element type 'button' is not allowed here"),
        ("not a view", "expected a view object"),
    ],
)
def test_each_view_limit_is_reported(view: Any, expected: str) -> None:
    found = validate_view(view)
    assert any(expected in problem for problem in found), found


def test_action_ids_are_unique_per_block_as_slack_requires() -> None:
    """Slack's scope for action_id is the block: the example view reuses ``value`` in every input."""
    assert validate_view(modal(text_input("title"), text_input("kind"))) == []


def test_problem_codes_choose_slacks_error() -> None:
    too_long = [section("x" * 2_500, block_id=f"b{i}") for i in range(MESSAGE_BLOCK_TEXT // 2_500 + 1)]
    assert [p.code for p in message_problems(too_long, "t")] == [BLOCKS_TOO_LONG]
    assert [p.code for p in message_problems([section()], None)] == [NO_FALLBACK_TEXT]
    assert [p.code for p in message_problems([section()], "   ")] == [NO_FALLBACK_TEXT]
    assert [p.code for p in message_problems(None, None)] == [NO_TEXT]
    assert [p.code for p in message_problems([], "")] == [NO_TEXT]
    assert message_problems(None, "just text") == []
    huge = modal(*[section("x" * 2_900, block_id=f"b{i}") for i in range(90)])
    assert VIEW_TOO_LARGE in [p.code for p in view_problems(huge)]


def test_problems_read_like_slacks_messages() -> None:
    header = [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}]
    assert validate_message(header, "t") == [
        "must be less than 151 characters [json-pointer:/blocks/0/text/text]"
    ]


def test_slack_sdk_is_a_second_opinion() -> None:
    """slack-sdk's validators run too: a datepicker's date format is checked only there."""
    blocks = [
        {
            "type": "actions",
            "elements": [{"type": "datepicker", "action_id": "d", "initial_date": "03/12/26"}],
        }
    ]
    assert validate_message(blocks, "t") == [
        "initial_date attribute must be in format 'YYYY-MM-DD' (slack-sdk) [json-pointer:/blocks/0]"
    ]


def test_remembered_verdicts_are_the_same_verdicts_at_each_place() -> None:
    """Verdicts are remembered by JSON text; where a block sits still comes from where it sits."""
    bad = {
        "type": "actions",
        "elements": [{"type": "datepicker", "action_id": "d", "initial_date": "12/31/26"}],
    }
    first = validate_message([bad], "t")
    again = validate_message([section(), bad, dict(bad, block_id="b2")], "t")
    assert first == [
        "initial_date attribute must be in format 'YYYY-MM-DD' (slack-sdk) [json-pointer:/blocks/0]"
    ]
    assert again == [
        "initial_date attribute must be in format 'YYYY-MM-DD' (slack-sdk) [json-pointer:/blocks/1]",
        "initial_date attribute must be in format 'YYYY-MM-DD' (slack-sdk) [json-pointer:/blocks/2]",
    ]
    assert validate_message([bad], "t") == first
    view = modal(bad)
    assert validate_view(view) == validate_view(json.loads(json.dumps(view)))
    problems = view_problems(view)
    problems.clear()  # a caller changing its list does not change the remembered one
    assert view_problems(view) != []


# ---------------------------------------------------------------------------------------------- never raises

VOCABULARY = [
    "type",
    "text",
    "block_id",
    "action_id",
    "elements",
    "element",
    "fields",
    "accessory",
    "options",
    "option_groups",
    "label",
    "title",
    "submit",
    "close",
    "blocks",
    "value",
    "confirm",
    "placeholder",
    "max_length",
    "initial_option",
    "private_metadata",
    "callback_id",
    "emoji",
    "verbatim",
]
TYPES = [
    "section",
    "header",
    "actions",
    "context",
    "input",
    "divider",
    "image",
    "plain_text",
    "mrkdwn",
    "button",
    "static_select",
    "overflow",
    "checkboxes",
    "plain_text_input",
    "datepicker",
    "modal",
    "home",
    "rich_text",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.sampled_from(TYPES),
)
json_like = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=6),
        st.dictionaries(
            st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=5), st.integers()), inner, max_size=6
        ),
    ),
    max_leaves=25,
)
small_json = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(VOCABULARY), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blocks=json_like, text=json_like)
def test_validate_message_never_raises(blocks: Any, text: Any) -> None:
    problems = validate_message(blocks, text)
    assert isinstance(problems, list) and all(isinstance(p, str) for p in problems)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(view=json_like)
def test_validate_view_never_raises(view: Any) -> None:
    problems = validate_view(view)
    assert isinstance(problems, list) and all(isinstance(p, str) for p in problems)


@settings(max_examples=150, deadline=None)
@given(
    block=st.builds(
        lambda kind, rest: {**rest, "type": kind},
        st.sampled_from(TYPES),
        st.dictionaries(st.sampled_from(VOCABULARY), small_json, max_size=5),
    )
)
def test_nearly_valid_blocks_never_raise(block: dict[str, Any]) -> None:
    assert isinstance(validate_message([block], "t"), list)
    assert isinstance(validate_view({"type": "modal", "title": PLAIN, "blocks": [block]}), list)
