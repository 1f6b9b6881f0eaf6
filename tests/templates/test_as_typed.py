"""User text shows exactly as typed in Slack: no formatting gained or lost, inside app-built styling too.

``bot.testkit.mrkdwn_display`` models how a Slack client formats mrkdwn; these tests put typed text
through the one escaping function (and through real templates) and read it back the way Slack shows it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.testkit.mrkdwn_display import displayed, runs
from templates import escape_mrkdwn, render_message
from templates.escape import GUARD
from templates.render import environment, resolve_fields

# Slack's formatting and control characters, with letters, spaces, punctuation and a line break.
typed = st.text(alphabet=st.sampled_from([*"*_~`<>&", "a", "b", "Z", "7", " ", ".", "(", ")", "\n", "é"]))


def text_of(source: str, **context: Any) -> str:
    data = json.loads(environment().from_string('{"text": "' + source + '"}').render(**context))
    return str(resolve_fields(data)["text"])


def test_the_model_formats_like_slack() -> None:
    """The reader itself: markers pair at word edges only, and the escaped entities decode once."""
    assert [(r.text, sorted(r.styles)) for r in runs("a *b* _c_ ~d~ `e*f*`")] == [
        ("a ", []),
        ("b", ["bold"]),
        (" ", []),
        ("c", ["italic"]),
        (" ", []),
        ("d", ["strike"]),
        (" ", []),
        ("e*f*", ["code"]),
    ]
    assert displayed("2*3*4 snake_case_name") == "2*3*4 snake_case_name"
    assert displayed("*(UK)*") == "*(UK)*"  # closing after punctuation: not bold, asterisks show
    assert displayed("&amp;lt; &lt;@U1&gt; <@U1>") == "&lt; <@U1> @U1"


@pytest.mark.parametrize(
    "typed_text",
    ["*bold*", "_italic_", "~strike~", "`code`", "a * b * c", "snake_case", "*", "**", "(*x*)", "x*)"],
)
def test_formatting_characters_stay_literal(typed_text: str) -> None:
    escaped = escape_mrkdwn(typed_text)
    assert displayed(escaped) == typed_text
    assert all(not run.styles for run in runs(escaped))


@given(typed)
def test_typed_text_reads_back_as_typed_with_no_style(value: str) -> None:
    shown = runs("Before " + escape_mrkdwn(value) + " after")
    assert "".join(r.text for r in shown) == f"Before {value} after"
    assert all(not r.styles for r in shown)


@pytest.mark.parametrize(("wrapper", "style"), [("*", "bold"), ("_", "italic"), ("~", "strike")])
@given(value=typed.filter(lambda v: v.strip() and "\n" not in v))
def test_inside_a_styled_wrapper_all_of_it_is_styled_and_no_marker_shows(
    wrapper: str, style: str, value: str
) -> None:
    """``*{{ title }}*``: the title is bold, whole, and the app's asterisks never print."""
    mrkdwn = text_of(wrapper + "{{ v }}" + wrapper, v=value)
    shown = runs(mrkdwn)
    assert "".join(r.text for r in shown) == value
    assert all(r.styles == {style} for r in shown)


@given(value=typed.filter(lambda v: v.strip() and "\n" not in v))
def test_a_real_template_shows_the_title_bold_and_the_body_plain(value: str) -> None:
    message = render_message("messages/notice", level="warning", title=value, body=value)
    section = message.blocks[-1]["text"]["text"]
    title_line, body = section.split("\n", 1)
    assert displayed(title_line) == ":warning: " + value
    assert all(r.styles == {"bold"} for r in runs(title_line)[1:])
    assert displayed(body) == value and all(not r.styles for r in runs(body))


def test_escaping_adds_only_invisible_characters_and_entities() -> None:
    escaped = escape_mrkdwn("*hi* & <b>")
    assert escaped.replace(GUARD, "") == "*hi* &amp; &lt;b&gt;"


def test_plain_fields_keep_the_raw_text() -> None:
    assert text_of("{{ v|plain }}", v="*a*_b_") == "*a*_b_"


@given(typed)
def test_only_mrkdwn_text_is_guarded_ids_values_and_plain_text_keep_the_characters(value: str) -> None:
    """An id, a button value or a plain_text label is not formatted by Slack: it gets the text as typed
    (``& < >`` escaped as always), never an invisible guard that would change what comes back."""
    source = (
        '{"blocks": [{"type": "actions", "block_id": "{{ v }}", "elements": [{"type": "button",'
        ' "action_id": "{{ v }}", "value": "{{ v }}", "text": {"type": "plain_text", "text": "{{ v }}"}}]},'
        ' {"type": "section", "text": {"type": "mrkdwn", "text": "{{ v }}"}}], "text": "{{ v }}"}'
    )
    data = resolve_fields(json.loads(environment().from_string(source).render(v=value)))
    raw = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    button = data["blocks"][0]["elements"][0]
    assert data["blocks"][0]["block_id"] == button["action_id"] == button["value"] == raw
    assert button["text"]["text"] == raw
    assert data["blocks"][1]["text"]["text"] == data["text"] == escape_mrkdwn(value)
    assert displayed(data["text"]) == value
