"""`/negotiate`, `/negotiate help` and unknown subcommands: help, on the ack itself, valid Block Kit."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.subcommands import SUBCOMMANDS, parse_command_text
from bot.testkit.blockkit import validate_message
from tests.app.conftest import Parley, response_json


@pytest.mark.parametrize("text", ["", "help", "  HELP  ", "nonsense", "prep-ish stuff"])
def test_help_is_the_ack_itself(parley: Parley, text: str) -> None:
    parley.slack.reset_calls()
    response = parley.command(text)
    assert response.status == 200
    body = response_json(response)
    assert body["response_type"] == "ephemeral"
    assert validate_message(body["blocks"], body["text"]) == []
    shown = " ".join(block["text"]["text"] for block in body["blocks"] if block["type"] == "section")
    for sub in SUBCOMMANDS:
        assert f"/negotiate {sub.name}" in shown
    # Nothing had to be called on Slack before answering: the ack carries the reply, so it is instant
    # and works in channels the bot is not in.
    assert [call.method for call in parley.slack.calls] == []


def test_unknown_subcommand_is_named_back_safely(parley: Parley) -> None:
    body = response_json(parley.command("<!channel> now"))
    texts = " ".join(block["text"]["text"] for block in body["blocks"] if block["type"] == "section")
    assert "There is no `/negotiate &lt;!channel&gt;`" in texts
    assert "<!channel>" not in str(body)


def test_help_works_in_a_channel_too(parley: Parley) -> None:
    response = parley.command("help", channel_id="C0GENERAL")
    assert response.status == 200
    assert response_json(response)["response_type"] == "ephemeral"


def test_help_lists_exactly_the_subcommands_that_exist(parley: Parley) -> None:
    body = response_json(parley.command("help"))
    listed = {
        match.group(1)
        for block in body["blocks"]
        if block["type"] == "section"
        for match in re.finditer(r"`/negotiate ([\w-]+)", block["text"]["text"])
    }
    assert listed == {sub.name for sub in SUBCOMMANDS}


@given(st.text(max_size=300))
@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_parse_command_text_never_fails(text: str) -> None:
    name, rest = parse_command_text(text)
    assert name == name.lower()
    assert " " not in name and "\n" not in name
    if not text.strip():
        assert (name, rest) == ("help", "")
    else:
        assert text.strip().lower().startswith(name) or text.strip().split()[0].lower() == name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("prep Q3 renewal", ("prep", "Q3 renewal")),
        ("  Prep   Q3  ", ("prep", "Q3")),
        ("prep\nline two", ("prep", "line two")),
        ("digest", ("digest", "")),
        ("", ("help", "")),
    ],
)
def test_parse_command_text_examples(text: str, expected: tuple[str, str]) -> None:
    assert parse_command_text(text) == expected


def test_every_subcommand_has_a_handler_and_every_handler_is_listed() -> None:
    from bot.listeners.commands.negotiate import HANDLERS

    assert set(HANDLERS) == {sub.name for sub in SUBCOMMANDS} - {"help"}
