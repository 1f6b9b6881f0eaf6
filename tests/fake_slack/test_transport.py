"""The fake's HTTP side: every encoding slack-sdk uses, call recording, the change feed, lifecycle."""

from __future__ import annotations

import json
import re
import threading
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_sdk import WebClient

from bot.testkit.fake_slack import DEFAULT_BOT_TOKEN, Call, FakeSlack
from tests.fake_slack.conftest import ALICE, section


def raw(slack: FakeSlack, path: str, body: bytes | None, headers: dict[str, str]) -> dict[str, Any]:
    request = urllib.request.Request(slack.base_url + path, body, headers, method="POST" if body else "GET")
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def test_api_url_is_a_local_random_port() -> None:
    with FakeSlack() as one, FakeSlack() as two:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/api/", one.api_url)
        assert one.api_url != two.api_url


def test_start_and_stop_cleanly() -> None:
    slack = FakeSlack().start()
    url = slack.api_url
    assert WebClient(base_url=url, token=DEFAULT_BOT_TOKEN).auth_test()["ok"]
    slack.stop()
    slack.stop()  # idempotent
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url + "auth.test", timeout=2)
    with pytest.raises(RuntimeError, match="not running"):
        _ = slack.api_url


def test_form_encoded_with_token_field(slack: FakeSlack) -> None:
    body = urlencode(
        {"token": DEFAULT_BOT_TOKEN, "channel": ALICE, "text": "hi", "blocks": json.dumps([section()])}
    )
    answer = raw(
        slack, "/api/chat.postMessage", body.encode(), {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert answer["ok"] is True
    [call] = slack.calls
    assert call.token == DEFAULT_BOT_TOKEN and "token" not in call.args
    assert call.args["blocks"] == [section()]  # JSON-string arguments are recorded decoded


def test_get_with_query_parameters(slack: FakeSlack) -> None:
    answer = raw(slack, f"/api/users.info?{urlencode({'token': DEFAULT_BOT_TOKEN, 'user': ALICE})}", None, {})
    assert answer["user"]["id"] == ALICE


def test_json_body_needs_the_bearer_header(slack: FakeSlack) -> None:
    body = json.dumps({"token": DEFAULT_BOT_TOKEN, "channel": ALICE, "text": "hi"}).encode()
    answer = raw(slack, "/api/chat.postMessage", body, {"Content-Type": "application/json"})
    assert answer == {"ok": False, "error": "not_authed"}  # like Slack: no token inside JSON bodies
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Authorization": f"Bearer {DEFAULT_BOT_TOKEN}",
    }
    assert raw(slack, "/api/chat.postMessage", body, headers)["ok"] is True


def test_multipart_form(slack: FakeSlack) -> None:
    boundary = "----parley"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in {"token": DEFAULT_BOT_TOKEN, "channel": ALICE, "text": "multipart"}.items()
    ]
    body = ("".join(parts) + f"--{boundary}--\r\n").encode()
    answer = raw(
        slack, "/api/chat.postMessage", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    assert answer["ok"] is True and answer["message"]["text"] == "multipart"


def test_unknown_method_and_bad_json(slack: FakeSlack) -> None:
    headers = {"Authorization": f"Bearer {DEFAULT_BOT_TOKEN}", "Content-Type": "application/json"}
    assert raw(slack, "/api/chat.teleport", b"{}", headers)["error"] == "unknown_method"
    assert raw(slack, "/api/chat.postMessage", b"[1, 2", headers)["error"] == "invalid_json"


def test_calls_record_parsed_bodies(client: WebClient, slack: FakeSlack) -> None:
    client.chat_postMessage(channel=ALICE, text="one", blocks=[section("one")])
    client.users_info(user=ALICE)
    [post] = slack.calls_to("chat.postMessage")
    assert post.args == {"channel": ALICE, "text": "one", "blocks": [section("one")]}
    assert post.ok and post.status == 200 and post.response["channel"] == "D0ALICE"
    assert [c.method for c in slack.calls] == ["chat.postMessage", "users.info"]
    slack.reset_calls()
    assert slack.calls == []


def test_subscribe_and_version(client: WebClient, slack: FakeSlack) -> None:
    seen: list[Call] = []
    unsubscribe = slack.subscribe(seen.append)
    before = slack.version
    client.chat_postMessage(channel=ALICE, text="hi")
    assert [c.method for c in seen] == ["chat.postMessage"] and slack.version > before
    unsubscribe()
    client.chat_postMessage(channel=ALICE, text="again")
    assert len(seen) == 1


def test_wait_for_work_done_after_ack(client: WebClient, slack: FakeSlack) -> None:
    threading.Timer(0.05, lambda: client.chat_postMessage(channel=ALICE, text="later")).start()
    assert slack.wait_for(lambda: slack.messages(ALICE), timeout=5)
    assert not slack.wait_for(lambda: len(slack.messages(ALICE)) > 1, timeout=0.05)


def test_concurrent_calls_are_all_recorded_with_unique_ts(client: WebClient, slack: FakeSlack) -> None:
    def post_many(n: int) -> None:
        for i in range(10):
            client.chat_postMessage(channel=ALICE, text=f"{n}-{i}")

    threads = [threading.Thread(target=post_many, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stamps = [m["ts"] for m in slack.messages(ALICE)]
    assert len(stamps) == len(set(stamps)) == 80 == len(slack.calls)
    assert stamps == sorted(stamps)


def test_snapshot_is_json(client: WebClient, slack: FakeSlack) -> None:
    client.chat_postMessage(channel=ALICE, text="hi")
    client.views_publish(user_id=ALICE, view={"type": "home", "blocks": [section()]})
    client.files_upload_v2(content=b"\x00\x01", filename="a.bin")
    snapshot = json.loads(json.dumps(slack.snapshot()))
    assert snapshot["messages"]["D0ALICE"][0]["text"] == "hi"
    assert snapshot["homes"][ALICE]["type"] == "home"
    assert snapshot["users"][ALICE]["tz"] == "Europe/London"
    assert snapshot["version"] == slack.version
