"""The real Bolt app, wired to a real database and the strict fake Slack, driven by signed requests."""

from __future__ import annotations

import contextvars
import io
import json
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from slack_bolt import App, BoltResponse
from slack_bolt.request import BoltRequest

from bot.app import build_app
from bot.services import Services
from bot.settings import Secret, Settings, SlackMode, SlackSettings
from bot.testkit import requests as slack_requests
from bot.testkit.fake_slack import DEFAULT_BOT_TOKEN, FakeSlack
from storage.db import Database

SIGNING_SECRET = "test-signing-secret"
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
UNSET: Any = slack_requests.UNSET


class InlineExecutor(Executor):
    """Runs listeners on the calling thread: dispatch returns once every side effect has happened.
    Each in a copy of the caller's context, as the production pool does (``bot.prompt_ack``)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(contextvars.copy_context().run(fn, *args, **kwargs))
        except BaseException as error:  # the future carries it, as a pool would
            future.set_exception(error)
        return future


@dataclass
class Parley:
    app: App
    services: Services
    slack: FakeSlack

    def send(
        self,
        request: slack_requests.SlackRequest,
        *,
        timestamp: int | None = None,
        secret: str = SIGNING_SECRET,
    ) -> BoltResponse:
        headers = request.headers(secret, timestamp)
        return self.app.dispatch(BoltRequest(body=request.body, headers=headers))

    def command(
        self, text: str = "", *, user_id: str = "U0ALICE", channel_id: str = "D0ALICE"
    ) -> BoltResponse:
        return self.send(
            slack_requests.slash_command(
                user_id=user_id,
                channel_id=channel_id,
                text=text,
                trigger_id=self.slack.issue_trigger_id(user_id),
                response_url=self.slack.issue_response_url(channel_id, user_id),
            )
        )

    def click(
        self,
        action_id: str,
        *,
        user_id: str = "U0ALICE",
        message: dict[str, Any] | None = None,
        channel_id: str | None = None,
        view: dict[str, Any] | None = None,
        block_id: str | None = None,
        value: Any = UNSET,
    ) -> BoltResponse:
        """Click ``action_id`` in a message the fake Slack holds (give ``channel_id``) or in a view."""
        if message is not None and channel_id is None:
            channel_id = self.slack.dm_channel(user_id)
        return self.send(
            slack_requests.block_actions(
                user_id=user_id,
                trigger_id=self.slack.issue_trigger_id(user_id),
                action_id=action_id,
                block_id=block_id,
                value=value,
                message=message,
                channel_id=channel_id,
                view=view,
                response_url=(
                    self.slack.issue_response_url(channel_id, user_id, message_ts=(message or {}).get("ts"))
                    if channel_id
                    else None
                ),
            )
        )

    def open_view(self, user_id: str = "U0ALICE") -> dict[str, Any]:
        """The modal on top of the member's stack, as Slack holds it."""
        views = self.slack.open_views(user_id)
        assert views, f"no modal is open for {user_id}"
        return views[-1]

    def submit(
        self, values: dict[str, Any], *, user_id: str = "U0ALICE", view: dict[str, Any] | None = None
    ) -> BoltResponse:
        """Submit the open modal (or ``view``) with ``{block_id: value}``."""
        return self.send(
            slack_requests.view_submission(view or self.open_view(user_id), values, user_id=user_id)
        )

    def open_home(self, user_id: str = "U0ALICE") -> BoltResponse:
        return self.send(slack_requests.app_home_opened(user_id, self.slack.dm_channel(user_id)))

    def dms(self, user_id: str = "U0ALICE") -> list[dict[str, Any]]:
        return self.slack.messages(self.slack.dm_channel(user_id))


def wsgi_request(
    wsgi: Callable[..., Any], path: str, query: str = "", cookie: str = ""
) -> tuple[str, dict[str, str], str]:
    """GET ``path`` from a WSGI app as a server would; the status line, the headers (lower-cased
    names) and the body."""
    captured: list[Any] = []
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": io.BytesIO(b""),
        "HTTP_COOKIE": cookie,
    }
    body = b"".join(wsgi(environ, lambda line, headers: captured.extend([line, headers])))
    return captured[0], {k.lower(): v for k, v in captured[1]}, body.decode()


def wsgi_get(wsgi: Callable[..., Any], path: str) -> tuple[str, str]:
    """GET ``path``; the status line and the body."""
    status, _headers, body = wsgi_request(wsgi, path)
    return status, body


def response_json(response: BoltResponse) -> dict[str, Any]:
    return json.loads(response.body) if response.body else {}


def make_settings(db: Database, slack: FakeSlack) -> Settings:
    return Settings(
        database_url=str(db.engine.url),
        slack_api_url=slack.api_url,
        slack=SlackSettings(
            signing_secret=Secret(SIGNING_SECRET), mode=SlackMode.SINGLE, bot_token=Secret(DEFAULT_BOT_TOKEN)
        ),
    )


CLIENT_ID = "1111.2222"
CLIENT_SECRET = "client-secret"
ENCRYPTION_KEY = "yWn5yJk7Xq0Lr6Jt2c9W8s1Zb4Vd3Fh5Gk7Lm9Np0Qs="  # a Fernet key for tests only


def make_oauth_settings(db: Database, slack: FakeSlack) -> Settings:
    """Settings for the OAuth (distributed app) mode: installs through /slack/install, tokens encrypted."""
    return Settings(
        database_url=str(db.engine.url),
        slack_api_url=slack.api_url,
        slack=SlackSettings(
            signing_secret=Secret(SIGNING_SECRET),
            mode=SlackMode.OAUTH,
            client_id=CLIENT_ID,
            client_secret=Secret(CLIENT_SECRET),
            state_secret=Secret("state-secret"),
        ),
        encryption_key=Secret(ENCRYPTION_KEY),
    )


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    # A still monotonic clock: trigger ids never expire on their own, so a slow machine cannot fail a
    # test with expired_trigger_id (tests that want expiry inject it with fail_next).
    with FakeSlack(clock=lambda: 0.0) as fake:
        fake.add_user("U0ALICE", name="alice", real_name="Alice Example", tz="Europe/London")
        fake.add_user("U0BOB", name="bob", real_name="Bob Manager", tz="America/New_York")
        fake.add_channel("C0GENERAL", name="general", members=["U0ALICE", "U0BOB"])
        yield fake
        assert_no_missing_scope(fake)


def assert_no_missing_scope(fake: FakeSlack) -> None:
    """The manifest's grants hold in every test: a missing_scope the app swallowed still fails it.
    (An answer a test injected with fail_next() names no scope: that test asked for the failure.)"""
    refused = [
        f"{c.method} needs {c.response['needed']}"
        for c in fake.calls
        if c.error == "missing_scope" and "needed" in c.response
    ]
    assert refused == [], f"Slack would refuse these calls: the manifest lacks their scope: {refused}"


@pytest.fixture
def parley(db: Database, slack: FakeSlack) -> Parley:
    services = Services(settings=make_settings(db, slack), db=db, clock=lambda: NOW)
    return Parley(build_app(services, listener_executor=InlineExecutor()), services, slack)
