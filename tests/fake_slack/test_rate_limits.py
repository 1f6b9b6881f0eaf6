"""429 with Retry-After (injected and realistic), failure injection, and slack-sdk's retry handlers."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import builtin_handlers, handler
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler, ServerErrorRetryHandler

from bot.testkit.fake_slack import DEFAULT_BOT_TOKEN, FakeSlack
from bot.testkit.fake_slack.ratelimit import (
    CHANNEL_BURST,
    TIER_PER_MINUTE,
    WORKSPACE_POST_PER_MINUTE,
    RateLimiter,
)
from tests.fake_slack.conftest import ALICE, BOB, ManualClock


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """slack-sdk's retry handlers sleep on the calling thread; record the sleeps instead of waiting."""
    recorded: list[float] = []
    fake_time = SimpleNamespace(sleep=recorded.append)
    monkeypatch.setattr(builtin_handlers, "time", fake_time)
    monkeypatch.setattr(handler, "time", fake_time)
    return recorded


def test_rate_limit_answers_429_with_retry_after(client: WebClient, slack: FakeSlack) -> None:
    slack.rate_limit("chat.postMessage", times=2, retry_after=7)
    for _ in range(2):
        with pytest.raises(SlackApiError) as raised:
            client.chat_postMessage(channel=ALICE, text="hi")
        assert raised.value.response.status_code == 429
        assert raised.value.response.headers["Retry-After"] == "7"
        assert raised.value.response["error"] == "ratelimited"
    client.chat_postMessage(channel=ALICE, text="hi")
    assert [c.status for c in slack.calls_to("chat.postMessage")] == [429, 429, 200]
    assert len(slack.messages(ALICE)) == 1


def test_rate_limit_retry_handler_honours_retry_after(slack: FakeSlack, sleeps: list[float]) -> None:
    client = WebClient(
        base_url=slack.api_url,
        token=DEFAULT_BOT_TOKEN,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    slack.rate_limit("users.info", retry_after=3)
    assert client.users_info(user=ALICE)["user"]["id"] == ALICE
    assert len(sleeps) == 1 and 3 <= sleeps[0] < 4  # Retry-After plus slack-sdk's random jitter
    assert [c.status for c in slack.calls_to("users.info")] == [429, 200]


def test_fail_next_with_an_error_name(client: WebClient, slack: FakeSlack) -> None:
    slack.fail_next("chat.postMessage", error="channel_not_found", times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as raised:
            client.chat_postMessage(channel=ALICE, text="hi")
        assert raised.value.response.status_code == 200
        assert raised.value.response["error"] == "channel_not_found"
    assert client.chat_postMessage(channel=ALICE, text="hi")["ok"]


def test_fail_next_with_a_server_error_is_retried_by_slack_sdk(slack: FakeSlack, sleeps: list[float]) -> None:
    plain = WebClient(base_url=slack.api_url, token=DEFAULT_BOT_TOKEN)
    slack.fail_next("views.publish", status=500)
    with pytest.raises(SlackApiError) as raised:
        plain.views_publish(user_id=ALICE, view={"type": "home", "blocks": [{"type": "divider"}]})
    assert raised.value.response.status_code == 500 and raised.value.response["error"] == "internal_error"
    retrying = WebClient(
        base_url=slack.api_url, token=DEFAULT_BOT_TOKEN, retry_handlers=[ServerErrorRetryHandler()]
    )
    slack.fail_next("views.publish", status=503, error="service_unavailable")
    retrying.views_publish(user_id=ALICE, view={"type": "home", "blocks": [{"type": "divider"}]})
    assert [c.status for c in slack.calls_to("views.publish")] == [500, 503, 200]
    assert len(sleeps) == 1


# ---------------------------------------------------------------------------------------------- realistic


@pytest.fixture
def strict(clock: ManualClock, wall: ManualClock) -> Iterator[FakeSlack]:
    with FakeSlack(clock=clock, wall_clock=wall, enforce_rate_limits=True) as fake:
        fake.add_user(ALICE)
        fake.add_user(BOB)
        yield fake


def test_post_message_is_about_one_per_second_per_channel(strict: FakeSlack, clock: ManualClock) -> None:
    client = WebClient(base_url=strict.api_url, token=DEFAULT_BOT_TOKEN)
    for i in range(CHANNEL_BURST):
        client.chat_postMessage(channel=ALICE, text=f"burst {i}")
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel=ALICE, text="one too many")
    assert raised.value.response.status_code == 429 and raised.value.response.headers["Retry-After"] == "1"
    client.chat_postMessage(channel=BOB, text="another channel has its own bucket")
    clock.advance(1.0)
    client.chat_postMessage(
        channel="D0ALICE", text="a second later"
    )  # the DM id and the user id share a bucket
    assert [m["text"] for m in strict.messages(ALICE)][-1] == "a second later"


def test_tier_three_allows_fifty_a_minute(strict: FakeSlack, clock: ManualClock) -> None:
    client = WebClient(base_url=strict.api_url, token=DEFAULT_BOT_TOKEN)
    for _ in range(TIER_PER_MINUTE[3]):
        client.conversations_open(users=ALICE)
    with pytest.raises(SlackApiError) as raised:
        client.conversations_open(users=ALICE)
    assert raised.value.response.headers["Retry-After"] == "2"  # 60 s / 50 calls = 1.2 s for the next token
    clock.advance(1.2)
    client.conversations_open(users=ALICE)


def test_token_buckets_per_tier_and_workspace(clock: ManualClock) -> None:
    limiter = RateLimiter(clock)
    assert all(limiter.check("T1", "users.info") is None for _ in range(TIER_PER_MINUTE[4]))
    assert limiter.check("T1", "users.info") == 1  # 100/min: the next token in 0.6 s
    assert limiter.check("T2", "users.info") is None  # per workspace
    assert limiter.check("T1", "views.open") is None  # per method
    assert all(limiter.check("T1", "auth.test") is None for _ in range(1_000))  # not limited
    posted = [limiter.check("T1", "chat.postMessage", f"C{i}") for i in range(WORKSPACE_POST_PER_MINUTE)]
    assert posted == [None] * WORKSPACE_POST_PER_MINUTE
    assert limiter.check("T1", "chat.postMessage", "C_FRESH") == 1  # the workspace bucket is empty
    clock.advance(60)
    assert limiter.check("T1", "chat.postMessage", "C_FRESH") is None


def test_a_refused_call_takes_no_token(clock: ManualClock) -> None:
    limiter = RateLimiter(clock)
    for _ in range(CHANNEL_BURST):
        limiter.check("T1", "chat.postMessage", "C1")
    assert limiter.check("T1", "chat.postMessage", "C1") == 1
    clock.advance(1.0)
    assert limiter.check("T1", "chat.postMessage", "C1") is None
    assert limiter.check("T1", "chat.postMessage", "C1") == 1
