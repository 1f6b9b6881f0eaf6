"""The playground's server and its Slack side, over real HTTP: the page's API, signed requests to the
app, ``response_action`` handling, time travel, and the guards that keep other web sites out."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.playground.clock import DemoClock
from bot.playground.demo import Playground, remove_database
from bot.playground.demo_team import MANAGER, NEWCOMER
from bot.playground.slack_side import SlackSide
from bot.subcommands import SUBCOMMANDS
from templates.ids.style import StyleCallback
from tests.playground.conftest import new_playground


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Playground]:
    playground = new_playground(Path(tmp_path_factory.mktemp("server")))
    playground.start()
    try:
        yield playground
    finally:
        playground.stop()


def call(
    playground: Playground,
    path: str,
    body: dict[str, Any] | None = None,
    *,
    headers: dict[str, str] | None = None,
    raw: bytes | None = None,
) -> tuple[int, dict[str, str], bytes]:
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    request = urllib.request.Request(
        playground.url + path,
        data=data,
        headers={"Content-Type": "application/json", **(headers or {})},
        method="POST" if data is not None else "GET",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def api(playground: Playground, path: str, body: dict[str, Any] | None = None) -> tuple[int, dict[str, Any]]:
    status, _, content = call(playground, path, body)
    return status, json.loads(content)


def state(playground: Playground, user: str = NEWCOMER.user_id) -> dict[str, Any]:
    status, body = api(playground, f"/api/state?user={user}")
    assert status == 200
    return body


# ---------------------------------------------------------------------------------------------- the page


def test_the_page_and_its_assets_are_served_locally_with_a_strict_policy(running: Playground) -> None:
    status, headers, content = call(running, "/")
    assert status == 200 and b"Parley playground" in content
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    for name in ("app.js", "blocks.js", "mrkdwn.js", "emoji.js", "playground.css"):
        status, _, content = call(running, f"/static/{name}")
        assert status == 200 and content
        assert b"https://" not in content.replace(b"https://example.com", b"")  # nothing from a CDN
    for missing in ("/static/nope.js", "/static/../demo.py", "/static/.hidden.js", "/files/F404", "/x"):
        assert call(running, missing)[0] == 404


def test_other_hosts_and_non_json_posts_are_refused(running: Playground) -> None:
    assert call(running, "/api/state", headers={"Host": "evil.example"})[0] == 403
    form = b"user=U0ALEX&channel=D0ALEX&text=help"
    status, _, _ = call(running, "/api/command", raw=form, headers={"Content-Type": "text/plain"})
    assert status == 415


def test_state_is_the_workspace_as_one_person_sees_it(running: Playground) -> None:
    seen = state(running, "")  # nobody chosen yet: the newcomer
    assert seen["me"]["id"] == NEWCOMER.user_id
    assert [c["name"] for c in seen["commands"]] == [s.name for s in SUBCOMMANDS]
    assert {c["kind"] for c in seen["channels"]} == {"app", "channel"}
    assert seen["dm"] == running.slack.dm_channel(NEWCOMER.user_id)
    assert len(seen["people"]) == 8
    manager = state(running, MANAGER.user_id)
    assert manager["messages"][manager["dm"]], "the manager's DM holds the seeded approval requests"
    status, body = api(running, "/api/state?user=U0NOBODY")
    assert status == 409 and "unknown user" in body["error"]


# ---------------------------------------------------------------------------------------------- interactions


def test_a_reply_on_the_ack_shows_as_an_ephemeral_in_that_channel(running: Playground) -> None:
    dm = running.slack.dm_channel(NEWCOMER.user_id)
    status, outcome = api(running, "/api/command", {"user": NEWCOMER.user_id, "channel": dm, "text": "help"})
    assert (status, outcome["notice"]) == (200, None)
    replies = state(running)["ephemerals"][dm]
    assert replies and "/negotiate" in replies[-1]["text"]


def test_modal_errors_come_back_under_their_inputs_and_close_removes_the_modal(running: Playground) -> None:
    user, dm = NEWCOMER.user_id, running.slack.dm_channel(NEWCOMER.user_id)
    api(running, "/api/command", {"user": user, "channel": dm, "text": "style"})
    assert running.slack.wait_for(lambda: running.slack.open_views(user))
    view = running.slack.open_views(user)[-1]
    assert view["callback_id"] == StyleCallback.ASSESSMENT
    status, outcome = api(running, "/api/submit", {"user": user, "view_id": view["id"], "values": {}})
    input_blocks = {b["block_id"] for b in view["blocks"] if b["type"] == "input"}
    assert status == 200 and outcome["errors"] and set(outcome["errors"]) <= input_blocks
    assert running.slack.open_views(user)[-1]["id"] == view["id"]  # still open, nothing lost
    status, _ = api(running, "/api/close", {"user": user, "view_id": view["id"]})
    assert status == 200 and running.slack.open_views(user) == []
    status, body = api(running, "/api/submit", {"user": user, "view_id": view["id"], "values": {}})
    assert status == 409 and "no longer" in body["error"]


def test_bad_interaction_bodies_are_refused_plainly(running: Playground) -> None:
    user = NEWCOMER.user_id
    status, body = api(
        running, "/api/action", {"user": user, "container": {"kind": "nope"}, "action_id": "x"}
    )
    assert status == 409 and body["error"] == "unknown container"
    status, body = api(running, "/api/action", {"user": user, "action_id": 3})
    assert status == 400
    status, body = api(running, "/api/submit", {"user": user, "view_id": "V1", "values": {"b": {"x": 1}}})
    assert status == 400 and "string" in body["error"]


def test_every_request_to_the_app_is_signed_and_a_wrong_signature_is_refused(running: Playground) -> None:
    forged = SlackSide(running.slack, running.request_url, "not-the-secret", "xoxb-test-token")
    outcome = forged.command(NEWCOMER.user_id, running.slack.dm_channel(NEWCOMER.user_id), "help")
    assert outcome.status == 401 and "HTTP 401" in (outcome.notice or "")


def test_time_travel_moves_the_clock_forward_and_ticks(running: Playground) -> None:
    before = running.clock.now()
    status, body = api(running, "/api/travel", {"user": NEWCOMER.user_id, "to": "+1 hour"})
    assert status == 200 and body["error"] is None and body["summary"].startswith("It is now ")
    assert (
        "tick" not in body["summary"]
        and "enqueued" not in body["summary"]
        and "+00:00" not in body["summary"]
    )
    assert running.clock.now() - before >= timedelta(hours=1)
    assert body["summary"].endswith(state(running)["tick"]["summary"])
    status, body = api(running, "/api/travel", {"user": NEWCOMER.user_id, "to": "2020-01-01 09:00"})
    assert status == 422 and "only moves forward" in body["error"]
    status, body = api(running, "/api/travel", {"user": NEWCOMER.user_id, "to": "whenever"})
    assert status == 422 and "+1 day" in body["error"]


def test_the_state_waits_for_news(running: Playground) -> None:
    version = state(running)["version"]
    dm = running.slack.dm_channel(NEWCOMER.user_id)
    later = threading.Timer(
        0.2, lambda: api(running, "/api/command", {"user": NEWCOMER.user_id, "channel": dm, "text": "help"})
    )
    later.start()
    try:
        status, body = api(running, f"/api/state?user={NEWCOMER.user_id}&since={version}")
    finally:
        later.join()
    assert status == 200 and body["version"] != version


def test_a_restart_keeps_the_history_and_the_clock(tmp_path: Path) -> None:
    ahead = datetime.now(UTC) + timedelta(days=30)
    first = Playground(tmp_path / "demo.db", port=0, tick_every=0, clock=DemoClock(start=ahead))
    assert first.start().seeded is not None
    try:
        jumped = datetime.fromisoformat(first.travel(NEWCOMER.user_id, "+3 days")["now"])
    finally:
        first.stop()
    again = Playground(tmp_path / "demo.db", port=0, tick_every=0)  # the same file, real time
    try:
        assert again.start().seeded is None
        assert again.clock.now() >= jumped
    finally:
        again.stop()


def test_reset_removes_the_database_and_its_companions(tmp_path: Path) -> None:
    files = [tmp_path / name for name in ("demo.db", "demo.db-wal", "demo.db-shm")]
    for file in files:
        file.write_bytes(b"x")
    remove_database(tmp_path / "demo.db")
    assert not any(file.exists() for file in files)
