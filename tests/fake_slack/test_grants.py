"""The fake grants what the manifest asks for and nothing more: scopes, events and profile emails."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.manifest import BOT_SCOPES, build_manifest
from bot.testkit import requests as sr
from bot.testkit.fake_slack import (
    DEFAULT_BOT_TOKEN,
    METHOD_SCOPES,
    METHODS,
    AppConfig,
    EventNotSubscribed,
    FakeSlack,
)
from bot.testkit.fake_slack.methods import method
from tests.fake_slack.conftest import ALICE, BOB


def without(path: tuple[str, ...], item: str) -> dict[str, Any]:
    """A copy of Parley's manifest with ``item`` removed from the list at ``path``."""
    manifest = copy.deepcopy(build_manifest())
    node: Any = manifest
    for key in path:
        node = node[key]
    node.remove(item)
    return manifest


SCOPES = ("oauth_config", "scopes", "bot")
EVENTS = ("settings", "event_subscriptions", "bot_events")


def test_every_install_is_granted_exactly_the_manifests_scopes() -> None:
    manifest = without(SCOPES, "files:write")
    with FakeSlack(manifest=manifest) as slack:
        client = WebClient(base_url=slack.api_url, token=DEFAULT_BOT_TOKEN)
        with pytest.raises(SlackApiError) as refused:
            client.files_getUploadURLExternal(filename="chart.png", length=10)
    answer = refused.value.response.data
    assert answer == {
        "ok": False,
        "error": "missing_scope",
        "needed": "files:write",
        "provided": ",".join(sorted(set(BOT_SCOPES) - {"files:write"})),
    }


def test_a_team_is_never_granted_a_scope_the_manifest_does_not_ask_for(slack: FakeSlack) -> None:
    with pytest.raises(ValueError, match=r"\['channels:history'\] are not in the manifest"):
        slack.add_team("T0GREEDY", bot_token="xoxb-greedy", scopes={"chat:write", "channels:history"})
    slack.add_team("T0OLD", bot_token="xoxb-old", scopes={"chat:write"})  # fewer: an older install
    client = WebClient(base_url=slack.api_url, token="xoxb-old")
    with pytest.raises(SlackApiError) as refused:
        client.users_info(user=ALICE)
    assert refused.value.response["needed"] == "users:read"


def test_every_method_the_fake_answers_has_its_scope_in_the_table() -> None:
    assert set(METHODS) <= set(METHOD_SCOPES)
    with pytest.raises(KeyError, match="METHOD_SCOPES"):
        method("admin.apps.approve")


def test_conversation_methods_need_the_scope_of_the_conversations_kind(slack: FakeSlack) -> None:
    slack.add_channel("C0PUBLIC")
    client = WebClient(base_url=slack.api_url, token=DEFAULT_BOT_TOKEN)
    client.conversations_open(users=ALICE)  # a DM: im:write, which Parley asks for
    with pytest.raises(SlackApiError) as refused:
        client.conversations_open(channel="C0PUBLIC")
    assert refused.value.response["needed"] == "channels:manage"


def profile_of(slack: FakeSlack, method: str) -> dict[str, Any]:
    client = WebClient(base_url=slack.api_url, token=DEFAULT_BOT_TOKEN)
    if method == "users.info":
        return dict(client.users_info(user=ALICE)["user"]["profile"])
    members = client.users_list()["members"]
    return dict(next(m for m in members if m["id"] == ALICE)["profile"])


@pytest.mark.parametrize("method_name", ["users.info", "users.list"])
def test_profile_email_only_with_users_read_email(method_name: str) -> None:
    with FakeSlack() as slack:
        slack.add_user(ALICE, name="alice")
        assert profile_of(slack, method_name)["email"] == "alice@example.example"
    with FakeSlack(manifest=without(SCOPES, "users:read.email")) as slack:
        slack.add_user(ALICE, name="alice")
        assert "email" not in profile_of(slack, method_name)


def test_users_list_pages_with_a_cursor(slack: FakeSlack) -> None:
    client = WebClient(base_url=slack.api_url, token=DEFAULT_BOT_TOKEN)
    first = client.users_list(limit=2)
    assert [m["id"] for m in first["members"]] == sorted([ALICE, BOB, "U0BOT"])[:2]
    cursor = first["response_metadata"]["next_cursor"]
    rest = client.users_list(limit=2, cursor=cursor)
    assert [m["id"] for m in rest["members"]] == sorted([ALICE, BOB, "U0BOT"])[2:]
    assert rest["response_metadata"]["next_cursor"] == ""
    with pytest.raises(SlackApiError) as refused:
        client.users_list(cursor="not-a-cursor")
    assert refused.value.response["error"] == "invalid_cursor"


def test_the_event_helpers_deliver_only_subscribed_events() -> None:
    sr.app_home_opened(ALICE, "D0ALICE")  # subscribed: delivered
    with pytest.raises(EventNotSubscribed, match="never delivers 'app_home_opened'"):
        sr.app_home_opened(ALICE, "D0ALICE", manifest=without(EVENTS, "app_home_opened"))
    with pytest.raises(EventNotSubscribed, match="never delivers 'reaction_added'"):
        sr.event_callback({"type": "reaction_added", "user": ALICE})
    with pytest.raises(EventNotSubscribed, match=r"never delivers 'message\.channels'"):
        sr.event_callback({"type": "message", "channel_type": "channel", "user": ALICE, "text": "hi"})
    with pytest.raises(ValueError, match="channel_type"):
        sr.event_callback({"type": "message", "user": ALICE, "text": "hi"})


def test_a_dm_event_needs_im_history_as_well_as_the_subscription() -> None:
    assert sr.message_im(ALICE, "D0ALICE", "hello").payload["event"]["channel_type"] == "im"
    with pytest.raises(EventNotSubscribed, match=r"'message\.im' needs the 'im:history' scope"):
        sr.message_im(ALICE, "D0ALICE", "hello", manifest=without(SCOPES, "im:history"))


def test_the_app_config_reads_the_manifest() -> None:
    config = AppConfig.from_manifest()
    assert config.scopes == frozenset(BOT_SCOPES)
    assert "app_home_opened" in config.bot_events and "message.im" in config.bot_events
