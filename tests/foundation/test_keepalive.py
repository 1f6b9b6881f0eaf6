"""Parley's Web API client keeps its connection to Slack open between calls, and nothing else changes."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.keepalive import PersistentWebClient, close_idle_connections
from bot.settings import Secret, Settings, SlackMode, SlackSettings
from bot.slack_client import build_web_client
from bot.testkit.fake_slack import DEFAULT_BOT_TOKEN, FakeSlack


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(clock=lambda: 0.0) as fake:
        fake.add_user("U0ALICE", name="alice", tz="Europe/London")
        yield fake
    close_idle_connections()


def client_for(slack: FakeSlack) -> WebClient:
    settings = Settings(
        database_url="sqlite://",
        slack_api_url=slack.api_url,
        slack=SlackSettings(
            signing_secret=Secret("s"), mode=SlackMode.SINGLE, bot_token=Secret(DEFAULT_BOT_TOKEN)
        ),
    )
    return build_web_client(settings, DEFAULT_BOT_TOKEN)


def test_calls_from_one_thread_share_one_connection(slack: FakeSlack) -> None:
    client = client_for(slack)
    assert isinstance(client, PersistentWebClient)
    for _ in range(3):
        assert client.users_info(user="U0ALICE")["user"]["tz"] == "Europe/London"
    client.chat_postMessage(channel="U0ALICE", text="hello")
    assert slack.connections_accepted == 1
    # A client built per request (as Bolt does) finds the thread's connection still open.
    assert client_for(slack).auth_test()["ok"]
    assert slack.connections_accepted == 1


def test_each_thread_has_its_own_connection(slack: FakeSlack) -> None:
    client = client_for(slack)
    client.auth_test()

    def elsewhere() -> None:
        client.auth_test()
        close_idle_connections()

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join(10)
    assert slack.connections_accepted == 2


def test_a_connection_the_server_closed_is_replaced_without_failing_the_call(slack: FakeSlack) -> None:
    client = client_for(slack)
    client.auth_test()
    slack.hang_up()  # what a server does to an idle keep-alive connection
    assert client.users_info(user="U0ALICE")["ok"]
    assert slack.connections_accepted == 2
    assert [call.method for call in slack.calls] == ["auth.test", "users.info"]  # sent once


def test_slack_errors_and_rate_limits_look_exactly_as_before(slack: FakeSlack) -> None:
    client = client_for(slack)
    with pytest.raises(SlackApiError) as refused:
        client.chat_postMessage(channel="C0NOWHERE", text="hi")
    assert refused.value.response["error"] == "channel_not_found"
    slack.rate_limit("chat.postMessage", retry_after=7)
    with pytest.raises(SlackApiError) as limited:
        client.chat_postMessage(channel="U0ALICE", text="hi")
    assert limited.value.response.status_code == 429
    assert limited.value.response.headers["Retry-After"] == "7"
    slack.fail_next("chat.postMessage", status=500)  # the retry handler tries once more, as before
    assert client.chat_postMessage(channel="U0ALICE", text="hi")["ok"]
    assert slack.connections_accepted == 1  # and all of it on one connection


def test_a_server_that_is_gone_is_a_connection_error(slack: FakeSlack) -> None:
    client = PersistentWebClient(token=DEFAULT_BOT_TOKEN, base_url=slack.api_url, retry_handlers=[])
    client.auth_test()
    slack.stop()
    with pytest.raises(OSError):
        client.auth_test()


def test_through_a_proxy_it_is_slack_sdks_own_transport(slack: FakeSlack) -> None:
    client = PersistentWebClient(
        token=DEFAULT_BOT_TOKEN, base_url=slack.api_url, proxy="http://127.0.0.1:9", retry_handlers=[]
    )
    with pytest.raises(OSError):  # nothing listens on the proxy: urllib's path was taken
        client.auth_test()
    assert slack.connections_accepted == 0
