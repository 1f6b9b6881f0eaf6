"""bot/testkit/requests.py: signatures slack-sdk accepts, payloads Bolt parses, Slack's real field sets."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from slack_bolt import Ack, App, BoltRequest, BoltResponse
from slack_bolt.request import internals, payload_utils
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from bot.testkit import requests as sr
from bot.testkit.fake_slack import DEFAULT_BOT_TOKEN, FakeSlack
from tests.fake_slack.conftest import ALICE, BOB, button, modal, section, text_input

SECRET = "test-signing-secret"
PAYLOADS = Path(__file__).resolve().parents[3] / "shared" / "slack-payloads"
needs_examples = pytest.mark.skipif(
    not PAYLOADS.exists(), reason="shared/slack-payloads is not next to the checkout"
)


def example(name: str) -> dict[str, Any]:
    return json.loads((PAYLOADS / name).read_text())


def bolt(request: sr.SlackRequest, secret: str = SECRET, timestamp: int | None = None) -> BoltRequest:
    """What Bolt's HTTP adapters build from Slack's request."""
    headers: dict[str, str | Sequence[str]] = {**request.headers(secret, timestamp)}
    return BoltRequest(body=request.body, headers=headers)


# ---------------------------------------------------------------------------------------------- signing


def test_sign_matches_slacks_documented_example() -> None:
    body = (
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
        "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
        "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
        "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    )
    assert sr.sign("8f742231b10e8888abcd99yyyzzz85a5", body, 1531420618) == {
        "X-Slack-Request-Timestamp": "1531420618",
        "X-Slack-Signature": "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
    }


def test_signature_verified_by_slack_sdk() -> None:
    request = sr.slash_command(
        user_id=ALICE, channel_id="D0ALICE", trigger_id="1.2.3", text="prep <!channel>"
    )
    verifier = SignatureVerifier(SECRET)
    assert verifier.is_valid_request(request.body, request.headers(SECRET))
    assert verifier.is_valid_request(
        request.body.encode(), sr.sign(SECRET, request.body.encode(), int(time.time()))
    )
    assert not verifier.is_valid_request(request.body, request.headers("another-secret"))
    assert not verifier.is_valid_request(
        request.body, request.headers(SECRET, timestamp=int(time.time()) - 301)
    )
    assert not verifier.is_valid_request(request.body + "&x=1", request.headers(SECRET))


# ---------------------------------------------------------------------------------------------- builders


@needs_examples
def test_slash_command_has_slacks_field_set() -> None:
    request = sr.slash_command(
        user_id=ALICE, channel_id="D0ALICE", trigger_id="1337.42.abcdef", text="prep Q3"
    )
    _, content_type = request
    assert content_type == "application/x-www-form-urlencoded"
    parsed = bolt(request).body
    assert set(parsed) == set(example("slash_command.form.json"))
    assert parsed["text"] == "prep Q3" and parsed["channel_name"] == "directmessage"
    assert payload_utils.is_slash_command(parsed)
    assert internals.extract_user_id(parsed) == ALICE and internals.extract_team_id(parsed) == "T0EXAMPLE"


@needs_examples
def test_block_actions_from_a_posted_message(client: WebClient, slack: FakeSlack) -> None:
    blocks = [
        section("Your plan"),
        {"type": "actions", "block_id": "plan_actions", "elements": [button("log")]},
    ]
    client.chat_postMessage(channel=ALICE, text="Your plan", blocks=blocks)
    message = slack.last_message(ALICE)
    assert message is not None
    trigger = slack.issue_trigger_id(ALICE)
    request = sr.block_actions(
        user_id=ALICE, trigger_id=trigger, action_id="log", message=message, channel_id="D0ALICE"
    )
    parsed = bolt(request).body
    assert set(parsed) == set(example("block_actions.button_in_dm.json"))
    assert payload_utils.is_block_actions(parsed)
    action = payload_utils.to_action(parsed)
    assert action is not None
    assert (action["action_id"], action["block_id"], action["value"], action["type"]) == (
        "log",
        "plan_actions",
        "v",
        "button",
    )
    assert set(action) == set(example("block_actions.button_in_dm.json")["actions"][0])
    assert parsed["container"] == {
        "type": "message",
        "message_ts": message["ts"],
        "channel_id": "D0ALICE",
        "is_ephemeral": False,
    }
    assert parsed["trigger_id"] == trigger and internals.extract_channel_id(parsed) == "D0ALICE"


def test_block_actions_inside_a_modal_carry_the_view_and_its_state() -> None:
    view = modal(
        text_input("title"),
        {
            "type": "actions",
            "block_id": "tools",
            "elements": [
                {
                    "type": "static_select",
                    "action_id": "kind",
                    "options": [{"text": {"type": "plain_text", "text": "Vendor"}, "value": "consultant"}],
                }
            ],
        },
    ) | {"id": "V0PREP"}
    request = sr.block_actions(
        user_id=ALICE,
        trigger_id="1.2.3",
        action_id="kind",
        value="consultant",
        view=view,
        state_values={"title": "Q3"},
    )
    parsed = bolt(request).body
    assert parsed["container"] == {"type": "view", "view_id": "V0PREP"}
    assert "message" not in parsed and "channel" not in parsed
    assert parsed["actions"][0]["selected_option"]["value"] == "consultant"
    assert parsed["view"]["state"]["values"]["title"]["value"] == {"type": "plain_text_input", "value": "Q3"}
    with pytest.raises(ValueError, match="no element"):
        sr.block_actions(user_id=ALICE, trigger_id="1.2.3", action_id="nope", view=view)
    with pytest.raises(ValueError, match="exactly one"):
        sr.block_actions(user_id=ALICE, trigger_id="1.2.3", action_id="kind")


@needs_examples
def test_view_submission_uses_the_right_key_per_element_type() -> None:
    sent = example("view_submission.json")["view"]
    view = {
        k: sent[k]
        for k in ("id", "type", "callback_id", "private_metadata", "title", "submit", "close", "blocks")
    }
    values = {
        "title": "Q3 renewal with Acme",
        "kind": "management",
        "date": dt.date(2026, 12, 3),
        "approver": "U0BOB",
        "budget": 40000,
        "tradeables": "Extra training day – $2,000\n<!channel> job aids: 800 USD",
    }
    parsed = bolt(sr.view_submission(view, values, user_id=ALICE)).body
    expected = sent["state"]["values"]
    assert parsed["view"]["state"]["values"].keys() == expected.keys()
    for block_id, actions in expected.items():
        ours = parsed["view"]["state"]["values"][block_id]["value"]
        assert ours.keys() == actions["value"].keys()
    assert parsed["view"]["state"]["values"]["kind"]["value"]["selected_option"]["value"] == "management"
    assert parsed["view"]["state"]["values"]["date"]["value"]["selected_date"] == "2026-12-03"
    assert parsed["view"]["state"]["values"]["budget"]["value"]["value"] == "40000"
    assert set(parsed) == set(example("view_submission.json"))
    assert set(parsed["view"]) == set(sent)
    assert payload_utils.is_view_submission(parsed) and internals.extract_user_id(parsed) == ALICE


def test_view_submission_defaults_and_typos() -> None:
    view = modal(
        {
            **text_input("title"),
            "element": {"type": "plain_text_input", "action_id": "v", "initial_value": "draft"},
        },
        text_input("notes"),
    )
    state = bolt(sr.view_submission(view, {"notes": None}, user_id=ALICE)).body["view"]["state"]["values"]
    assert state["title"]["v"]["value"] == "draft"  # untouched field keeps its initial value
    assert state["notes"]["value"]["value"] is None  # cleared field
    with pytest.raises(ValueError, match="titel"):
        sr.view_submission(view, {"titel": "x"}, user_id=ALICE)


@pytest.mark.parametrize(
    ("element", "value", "key", "expected"),
    [
        ({"type": "multi_users_select"}, [BOB], "selected_users", [BOB]),
        ({"type": "conversations_select"}, "C1", "selected_conversation", "C1"),
        ({"type": "channels_select"}, "C1", "selected_channel", "C1"),
        ({"type": "timepicker"}, dt.time(9, 30), "selected_time", "09:30"),
        (
            {"type": "checkboxes", "options": [{"text": {"type": "plain_text", "text": "A"}, "value": "a"}]},
            ["a"],
            "selected_options",
            [{"text": {"type": "plain_text", "text": "A"}, "value": "a"}],
        ),
        (
            {"type": "external_select"},
            "acme",
            "selected_option",
            {"text": {"type": "plain_text", "text": "acme", "emoji": True}, "value": "acme"},
        ),
        ({"type": "radio_buttons", "options": []}, None, "selected_option", None),
    ],
)
def test_state_entry_per_element_type(element: dict[str, Any], value: Any, key: str, expected: Any) -> None:
    assert sr.state_entry(element, value) == {"type": element["type"], key: expected}


def test_view_closed() -> None:
    parsed = bolt(sr.view_closed(modal() | {"id": "V1"}, user_id=ALICE, is_cleared=True)).body
    assert payload_utils.is_view_closed(parsed) and parsed["is_cleared"] is True


@needs_examples
def test_event_envelopes() -> None:
    request = sr.app_home_opened(ALICE, "D0ALICE", retry_num=1)
    assert request.content_type == "application/json"
    assert request.extra_headers == {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    parsed = bolt(request).body
    assert set(parsed) == set(example("event_callback.app_home_opened.json"))
    assert payload_utils.is_app_home_opened_event(parsed, tab="home")
    assert internals.extract_user_id(parsed) == ALICE and internals.extract_team_id(parsed) == "T0EXAMPLE"
    again = sr.app_home_opened(ALICE, "D0ALICE", event_id=parsed["event_id"], retry_num=2)
    assert again.payload["event_id"] == parsed["event_id"]
    assert bolt(sr.app_uninstalled()).body["event"]["type"] == "app_uninstalled"
    revoked = bolt(sr.tokens_revoked(bot_user_ids=["U0BOT"])).body["event"]
    assert revoked["tokens"] == {"oauth": [], "bot": ["U0BOT"]}
    assert bolt(sr.url_verification("c")).body["challenge"] == "c"


# ---------------------------------------------------------------------------------------------- through Bolt


@pytest.fixture
def app(slack: FakeSlack) -> App:
    """A tiny Bolt app on the fake: request verification on, listeners that call the Web API."""
    app = App(
        client=WebClient(base_url=slack.api_url, token=DEFAULT_BOT_TOKEN),
        signing_secret=SECRET,
        process_before_response=True,  # synchronous, so the test sees the effects when dispatch returns
    )

    @app.command("/negotiate")
    def open_prep(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=modal(text_input("title"), callback_id="prep"))

    @app.view("prep")
    def submit_prep(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        ack()
        title = view["state"]["values"]["title"]["value"]["value"]
        client.chat_postMessage(channel=body["user"]["id"], text=f"Plan for {title}", blocks=[section(title)])

    @app.event("app_home_opened")
    def home(event: dict[str, Any], client: WebClient) -> None:
        client.views_publish(user_id=event["user"], view={"type": "home", "blocks": [section("Dashboard")]})

    return app


def test_a_signed_command_opens_a_modal_and_its_submission_posts(app: App, slack: FakeSlack) -> None:
    command = sr.slash_command(
        user_id=ALICE, channel_id="D0ALICE", trigger_id=slack.issue_trigger_id(ALICE), text="prep"
    )
    assert app.dispatch(bolt(command)).status == 200
    [opened] = slack.open_views(ALICE)
    response: BoltResponse = app.dispatch(
        bolt(sr.view_submission(opened, {"title": "Q3 renewal"}, user_id=ALICE))
    )
    assert response.status == 200
    message = slack.last_message(ALICE)
    assert message is not None and message["text"] == "Plan for Q3 renewal"
    app.dispatch(bolt(sr.app_home_opened(ALICE, "D0ALICE")))
    assert slack.home(ALICE) is not None


def test_bolt_rejects_bad_signatures(app: App, slack: FakeSlack) -> None:
    command = sr.slash_command(user_id=ALICE, channel_id="D0ALICE", trigger_id=slack.issue_trigger_id(ALICE))
    forged = bolt(command, secret="wrong-secret")
    stale = bolt(command, timestamp=int(time.time()) - 600)
    assert app.dispatch(forged).status == 401 and app.dispatch(stale).status == 401
    assert slack.open_views(ALICE) == []
