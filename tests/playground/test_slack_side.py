"""What Slack does with the app's answers, against a stand-in app that checks signatures and answers
whatever the test says: ``response_action`` errors / update / push / clear, the empty ack, a slash
command's reply on the ack, ``view_closed`` only when asked for, and the payloads' shapes."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from bot.playground.slack_side import Container, InteractionError, SlackSide
from bot.testkit.fake_slack import DEFAULT_BOT_TOKEN, FakeSlack

SECRET = "stand-in-secret"
ALEX = "U0ALEX"


def modal(title: str, *blocks: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": "cb",
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": list(blocks)
        or [
            {
                "type": "input",
                "block_id": "name",
                "label": {"type": "plain_text", "text": "Name"},
                "element": {"type": "plain_text_input", "action_id": "name"},
            }
        ],
        **extra,
    }


@dataclass
class StandIn:
    """A WSGI app on a loopback port: records verified requests, answers ``answer``."""

    answer: dict[str, Any] = field(default_factory=dict)
    received: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        headers = {
            "x-slack-request-timestamp": environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", ""),
            "x-slack-signature": environ.get("HTTP_X_SLACK_SIGNATURE", ""),
        }
        if not SignatureVerifier(SECRET).is_valid_request(body, headers):
            start_response("401 Unauthorized", [("Content-Type", "text/plain")])
            return [b"bad signature"]
        if environ.get("CONTENT_TYPE", "").startswith("application/json"):
            self.received.append(json.loads(body))
        else:
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            self.received.append(json.loads(form["payload"]) if "payload" in form else form)
        content = json.dumps(self.answer).encode() if self.answer else b""
        start_response("200 OK", [("Content-Type", "application/json")])
        return [content]


class _Quiet(WSGIRequestHandler):
    def log_message(self, *_args: Any) -> None:
        pass


@pytest.fixture
def world() -> Iterator[tuple[SlackSide, FakeSlack, StandIn, WebClient]]:
    app = StandIn()
    server = make_server("127.0.0.1", 0, app, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    with FakeSlack() as slack:
        slack.add_user(ALEX, name="alex")
        slack.add_channel("C0DEALS", name="negotiations")
        url = f"http://127.0.0.1:{server.server_address[1]}/slack/events"
        yield (
            SlackSide(slack, url, SECRET, DEFAULT_BOT_TOKEN),
            slack,
            app,
            WebClient(base_url=slack.api_url, token=DEFAULT_BOT_TOKEN),
        )
    server.shutdown()
    server.server_close()


def open_modal(slack: FakeSlack, client: WebClient, view: dict[str, Any]) -> str:
    return client.views_open(trigger_id=slack.issue_trigger_id(ALEX), view=view)["view"]["id"]


def titles(slack: FakeSlack) -> list[str]:
    return [v["title"]["text"] for v in slack.open_views(ALEX)]


def test_a_slash_command_is_a_signed_form_and_a_reply_on_the_ack_lands_as_an_ephemeral(world: Any) -> None:
    side, slack, app, _ = world
    app.answer = {"response_type": "ephemeral", "text": "Here is what I can do"}
    outcome = side.command(ALEX, "C0DEALS", "help")
    assert (outcome.status, outcome.notice) == (200, None)
    sent = app.received[-1]
    assert (sent["command"], sent["text"], sent["channel_id"], sent["channel_name"]) == (
        "/negotiate",
        "help",
        "C0DEALS",
        "negotiations",
    )
    assert sent["trigger_id"] and sent["response_url"].startswith(slack.base_url)
    assert [e["text"] for e in slack.ephemerals("C0DEALS", ALEX)] == ["Here is what I can do"]


def test_errors_leave_the_modal_as_it_was(world: Any) -> None:
    side, slack, app, client = world
    view_id = open_modal(slack, client, modal("Prepare"))
    app.answer = {"response_action": "errors", "errors": {"name": "Say who"}}
    outcome = side.submit(ALEX, view_id, {"name": None})
    assert outcome.errors == {"name": "Say who"} and titles(slack) == ["Prepare"]
    assert app.received[-1]["view"]["state"]["values"]["name"]["name"] == {
        "type": "plain_text_input",
        "value": None,
    }


def test_update_push_clear_and_the_empty_ack(world: Any) -> None:
    side, slack, app, client = world
    view_id = open_modal(slack, client, modal("One"))
    app.answer = {"response_action": "update", "view": modal("Two")}
    side.submit(ALEX, view_id, {"name": "x"})
    assert titles(slack) == ["Two"]
    app.answer = {"response_action": "push", "view": modal("Three")}
    side.submit(ALEX, view_id, {"name": "x"})
    assert titles(slack) == ["Two", "Three"]
    top = slack.open_views(ALEX)[-1]["id"]
    app.answer = {}
    side.submit(ALEX, top, {"name": "x"})
    assert titles(slack) == ["Two"]  # an empty ack closes the submitted view only
    app.answer = {"response_action": "push", "view": modal("Four")}
    side.submit(ALEX, view_id, {"name": "x"})
    app.answer = {"response_action": "clear"}
    side.submit(ALEX, slack.open_views(ALEX)[-1]["id"], {"name": "x"})
    assert titles(slack) == []


def test_closing_sends_view_closed_only_when_the_app_asked(world: Any) -> None:
    side, slack, app, client = world
    quiet = open_modal(slack, client, modal("Quiet"))
    side.close(ALEX, quiet)
    assert app.received == [] and titles(slack) == []
    loud = open_modal(slack, client, modal("Loud", notify_on_close=True))
    side.close(ALEX, loud)
    assert app.received[-1]["type"] == "view_closed" and titles(slack) == []


def test_clicks_in_messages_ephemerals_modals_and_home_carry_their_container(world: Any) -> None:
    side, slack, app, client = world
    button = {"type": "button", "action_id": "go", "text": {"type": "plain_text", "text": "Go"}, "value": "7"}
    actions = [{"type": "actions", "block_id": "acts", "elements": [button]}]
    posted = client.chat_postMessage(channel=ALEX, text="hi", blocks=actions)
    side.click(ALEX, Container("message", posted["channel"], posted["ts"]), "go")
    sent = app.received[-1]
    assert sent["container"]["type"] == "message" and sent["message"]["ts"] == posted["ts"]
    assert sent["actions"][0]["value"] == "7" and sent["channel"]["id"] == posted["channel"]

    ephemeral_ts = client.chat_postEphemeral(channel="C0DEALS", user=ALEX, text="hi", blocks=actions)
    side.click(ALEX, Container("ephemeral", "C0DEALS", ephemeral_ts["message_ts"]), "go")
    assert app.received[-1]["container"]["is_ephemeral"] is True and "message" not in app.received[-1]

    pick = {
        "type": "static_select",
        "action_id": "pick",
        "options": [{"text": {"type": "plain_text", "text": "A"}, "value": "a"}],
    }
    section = {"type": "section", "block_id": "s", "text": {"type": "mrkdwn", "text": "x"}, "accessory": pick}
    view_id = open_modal(slack, client, modal("Form", section))
    side.click(ALEX, Container("view", view_id=view_id), "pick", value="a")
    assert app.received[-1]["actions"][0]["selected_option"]["value"] == "a"

    client.views_publish(user_id=ALEX, view={"type": "home", "blocks": actions})
    side.click(ALEX, Container("home"), "go")
    assert app.received[-1]["view"]["type"] == "home"
    with pytest.raises(InteractionError):
        side.click(ALEX, Container("view", view_id="V404"), "go")


def test_a_tab_opened_is_an_app_home_opened_event(world: Any) -> None:
    side, _, app, _ = world
    side.open_tab(ALEX, "home")
    event = app.received[-1]
    assert (event["type"], event["event"]["type"], event["event"]["tab"]) == (
        "event_callback",
        "app_home_opened",
        "home",
    )
