"""Message metadata and ``conversations.history`` in the fake, as Slack documents them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.testkit.fake_slack import FakeSlack
from tests.fake_slack.conftest import ALICE, ManualClock

METADATA = {"event_type": "parley_outbox", "event_payload": {"outbox_id": 7}}


def error_of(call: Any) -> str:
    with pytest.raises(SlackApiError) as raised:
        call()
    return str(raised.value.response["error"])


def dm(client: WebClient) -> str:
    return str(client.conversations_open(users=ALICE)["channel"]["id"])


def post_some(client: WebClient, wall: ManualClock, channel: str, count: int) -> list[str]:
    stamps = []
    for n in range(count):
        wall.advance(1.0)
        stamps.append(client.chat_postMessage(channel=channel, text=f"m{n}", metadata=METADATA)["ts"])
    return stamps


def test_metadata_is_stored_as_an_object_from_json_or_a_form_string(
    client: WebClient, slack: FakeSlack
) -> None:
    channel = dm(client)
    client.chat_postMessage(channel=channel, text="json", metadata=METADATA)
    client.api_call(
        "chat.postMessage", data={"channel": channel, "text": "form", "metadata": json.dumps(METADATA)}
    )
    assert [m["metadata"] for m in slack.messages(channel)] == [METADATA, METADATA]


@pytest.mark.parametrize(
    ("metadata", "error"),
    [
        ("{not json", "invalid_metadata_format"),
        ('["a"]', "invalid_metadata_format"),
        ('{"event_payload": {}}', "invalid_metadata_schema"),
        ('{"event_type": "x", "event_payload": "y"}', "invalid_metadata_schema"),
    ],
)
def test_malformed_metadata_is_refused_and_nothing_is_posted(
    client: WebClient, slack: FakeSlack, metadata: str, error: str
) -> None:
    channel = dm(client)
    call = lambda: client.api_call(  # noqa: E731
        "chat.postMessage", data={"channel": channel, "text": "x", "metadata": metadata}
    )
    assert error_of(call) == error
    assert slack.messages(channel) == []


def test_history_is_newest_first_and_shows_metadata_only_when_asked(
    client: WebClient, wall: ManualClock
) -> None:
    channel = dm(client)
    stamps = post_some(client, wall, channel, 3)
    plain = client.conversations_history(channel=channel)
    assert [m["ts"] for m in plain["messages"]] == stamps[::-1]
    assert all("metadata" not in m for m in plain["messages"])
    full = client.conversations_history(channel=channel, include_all_metadata=True)
    assert all(m["metadata"] == METADATA for m in full["messages"])


def test_history_pages_with_limit_and_cursor_and_honours_oldest(client: WebClient, wall: ManualClock) -> None:
    channel = dm(client)
    stamps = post_some(client, wall, channel, 5)
    first = client.conversations_history(channel=channel, limit=2)
    assert [m["ts"] for m in first["messages"]] == stamps[:2:-1] and first["has_more"] is True
    cursor = first["response_metadata"]["next_cursor"]
    second = client.conversations_history(channel=channel, limit=2, cursor=cursor)
    assert [m["ts"] for m in second["messages"]] == [stamps[2], stamps[1]]
    since = client.conversations_history(channel=channel, oldest=stamps[2])
    assert [m["ts"] for m in since["messages"]] == [stamps[4], stamps[3]]  # oldest itself is excluded
    inclusive = client.conversations_history(channel=channel, oldest=stamps[2], inclusive=True)
    assert [m["ts"] for m in inclusive["messages"]] == [stamps[4], stamps[3], stamps[2]]


def test_history_needs_the_scope_for_the_kind_of_conversation(slack: FakeSlack) -> None:
    slack.add_team(
        "T0OTHER", bot_token="xoxb-other", bot_user_id="U0OTHERBOT", scopes={"chat:write", "im:write"}
    )
    slack.add_user("U0CAROL", team_id="T0OTHER")
    other = WebClient(base_url=slack.api_url, token="xoxb-other")
    channel = other.conversations_open(users="U0CAROL")["channel"]["id"]
    assert error_of(lambda: other.conversations_history(channel=channel)) == "missing_scope"
    assert error_of(lambda: other.conversations_history(channel="C0NOPE")) == "channel_not_found"


def test_replies_are_the_thread_oldest_first_with_metadata_only_when_asked(
    client: WebClient, wall: ManualClock
) -> None:
    channel = dm(client)
    parent, other = post_some(client, wall, channel, 2)
    wall.advance(1.0)
    reply = client.chat_postMessage(channel=channel, thread_ts=parent, text="r", metadata=METADATA)["ts"]
    thread = client.conversations_replies(channel=channel, ts=parent, include_all_metadata=True)
    assert [m["ts"] for m in thread["messages"]] == [parent, reply]
    assert thread["messages"][1]["metadata"] == METADATA and thread["has_more"] is False
    plain = client.conversations_replies(channel=channel, ts=parent)
    assert all("metadata" not in m for m in plain["messages"])
    assert [m["ts"] for m in client.conversations_replies(channel=channel, ts=other)["messages"]] == [other]
    assert client.conversations_replies(channel=channel, ts=parent, limit=1)["has_more"] is True


def test_replies_of_a_message_that_does_not_exist_are_refused(client: WebClient) -> None:
    channel = dm(client)
    missing = "1.000001"
    assert error_of(lambda: client.conversations_replies(channel=channel, ts=missing)) == "thread_not_found"
    assert error_of(lambda: client.conversations_replies(channel="D0NOPE", ts=missing)) == "channel_not_found"
