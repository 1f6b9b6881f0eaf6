"""LOG_FORMAT=json: one JSON object a line, carrying the request's id, workspace and entry point — also
on lines a listener logs after the ack, on the listener pool's thread."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot import logjson
from bot.metrics import wrap_web_app
from bot.prompt_ack import AckWaitingExecutor
from bot.testkit import requests as slack_requests
from bot.web import ParleyWSGI
from tests.app.conftest import SIGNING_SECRET, Parley
from tests.app.test_metrics import wsgi_request


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logjson.JsonFormatter())
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


def lines(stream: io.StringIO) -> list[dict[str, str]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_a_listeners_lines_carry_the_request(parley: Parley, json_lines: io.StringIO) -> None:
    db = parley.services.db
    web = wrap_web_app(ParleyWSGI(parley.app, db), db, None)  # the WSGI stack gunicorn serves
    before = dict(logjson.current())
    parley.slack.fail_next("views.open", error="invalid_arguments")  # the prep command logs a warning
    request = slack_requests.slash_command(
        user_id="U0ALICE",
        channel_id="D0ALICE",
        text="prep",
        trigger_id=parley.slack.issue_trigger_id("U0ALICE"),
        response_url=parley.slack.issue_response_url("D0ALICE", "U0ALICE"),
    )
    headers = {**request.headers(SIGNING_SECRET), "X-Request-ID": "proxy-id-42"}
    status, _ = wsgi_request(web, "POST", "/slack/events", request.body, headers)
    assert status == "200 OK"
    [warning] = [line for line in lines(json_lines) if line["level"] == "WARNING"]
    assert "could not open the prep form" in warning["message"], warning
    assert warning.get("workspace") == slack_requests.DEFAULT_TEAM_ID, warning
    assert warning["entry_point"] == "command:/negotiate"
    assert warning["request_id"] == "proxy-id-42"  # the proxy's id, so its logs and Parley's line up
    assert dict(logjson.current()) == before, "the request's fields end with the request"


def test_exceptions_are_one_line_and_fields_without_a_request_are_absent(json_lines: io.StringIO) -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("parley.test").exception("it failed")
    [line] = lines(json_lines)
    assert line["message"] == "it failed" and "ValueError: boom" in line["exception"]
    assert "request_id" not in line and line["logger"] == "parley.test"


def test_the_listener_pool_runs_listeners_in_the_requests_context() -> None:
    pool = AckWaitingExecutor(max_workers=1)
    seen: list[dict[str, str]] = []
    token = logjson.bind(request_id="req-1", workspace="T1", entry_point="action:x")
    try:
        pool.submit(lambda: seen.append(dict(logjson.current()))).result(timeout=5)
    finally:
        logjson.reset(token)
        pool.shutdown()
    assert seen == [{"request_id": "req-1", "workspace": "T1", "entry_point": "action:x"}]


@pytest.mark.parametrize(
    ("given", "kept"),
    [("abc-123_X.y", True), ("", False), (None, False), ("a" * 65, False), ("id with spaces", False)],
)
def test_a_proxys_request_id_is_kept_only_when_it_looks_like_one(given: str | None, kept: bool) -> None:
    result = logjson.request_id(given)
    assert (result == given) is kept
    assert len(result) <= 64


def test_no_request_fields_outlive_a_dispatch(parley: Parley) -> None:
    """Socket Mode and tests call Bolt's dispatch directly, without the WSGI layer."""
    before = dict(logjson.current())
    parley.command("help")
    assert dict(logjson.current()) == before == {}
