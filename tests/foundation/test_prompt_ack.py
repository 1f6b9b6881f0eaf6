"""Slack gets its answer the moment a listener acks, while the listener carries on."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import Ack, App
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient

from bot.prompt_ack import AckWaitingExecutor, SignallingAck, signalling_ack
from bot.testkit import requests as slack_requests
from bot.testkit.fake_slack import DEFAULT_BOT_TOKEN, FakeSlack

SECRET = "prompt-ack-secret"


@pytest.fixture(scope="module")
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


def app_with(slack: FakeSlack, listener: Any) -> App:
    app = App(
        signing_secret=SECRET,
        client=WebClient(token=DEFAULT_BOT_TOKEN, base_url=slack.api_url),
        listener_executor=AckWaitingExecutor(max_workers=2),
    )
    app.use(signalling_ack)
    app.command("/negotiate")(listener)
    return app


def dispatch(app: App) -> Any:
    request = slack_requests.slash_command(
        user_id="U0ALICE", channel_id="D0ALICE", text="prep", trigger_id="1.2.abc"
    )
    return app.dispatch(BoltRequest(body=request.body, headers=request.headers(SECRET)))


def test_the_answer_goes_back_while_the_listener_is_still_working(slack: FakeSlack) -> None:
    release, finished = threading.Event(), threading.Event()

    def listener(ack: Ack) -> None:
        ack(text="on it")
        release.wait(10)  # the slow part: a modal, a DM, the Home tab
        finished.set()

    response = dispatch(app_with(slack, listener))
    assert response.status == 200 and "on it" in response.body
    assert not finished.is_set()  # dispatch did not wait for the listener to finish
    release.set()
    assert finished.wait(10)


def test_a_listener_that_fails_before_acking_does_not_hold_the_request(slack: FakeSlack) -> None:
    acks: list[SignallingAck] = []

    def listener(ack: Ack) -> None:
        acks.append(ack)  # type: ignore[arg-type]
        raise RuntimeError("broken before the ack")

    response = dispatch(app_with(slack, listener))
    assert response.status == 500
    assert acks and acks[0].done.is_set()  # woken by the listener ending, not by the 3-second limit


def test_parley_builds_its_app_with_the_waiting_executor(slack: FakeSlack) -> None:
    from bot.app import LISTENER_THREADS, build_app
    from bot.services import Services
    from bot.settings import Secret, Settings, SlackMode, SlackSettings
    from storage.db import Database

    settings = Settings(
        database_url="sqlite://",
        slack_api_url=slack.api_url,
        slack=SlackSettings(
            signing_secret=Secret(SECRET), mode=SlackMode.SINGLE, bot_token=Secret(DEFAULT_BOT_TOKEN)
        ),
    )
    app = build_app(Services(settings=settings, db=Database.from_url("sqlite://")))
    executor = app.listener_runner.listener_executor
    assert isinstance(executor, AckWaitingExecutor)
    assert executor._max_workers == LISTENER_THREADS
