"""A strict fake Slack Web API on a local port, shipped with the app for tests and the playground.

It grants what Parley's manifest (``bot.manifest.build_manifest()``) asks for and nothing more: a call
whose scope the manifest lacks answers ``missing_scope``, ``profile.email`` needs ``users:read.email``.

with FakeSlack() as slack:
    slack.add_user("U0ALICE", tz="Europe/London")
    client = WebClient(base_url=slack.api_url, token="xoxb-test-token")
    client.chat_postMessage(channel="U0ALICE", text="hi")
    assert slack.last_message("U0ALICE")["text"] == "hi"
"""

from bot.testkit.fake_slack.fake import DEFAULT_BOT_TOKEN, Call, FakeSlack
from bot.testkit.fake_slack.methods import METHODS, SlackError
from bot.testkit.fake_slack.scopes import METHOD_SCOPES, AppConfig, EventNotSubscribed
from bot.testkit.fake_slack.state import TRIGGER_TTL

__all__ = [
    "DEFAULT_BOT_TOKEN",
    "METHODS",
    "METHOD_SCOPES",
    "TRIGGER_TTL",
    "AppConfig",
    "Call",
    "EventNotSubscribed",
    "FakeSlack",
    "SlackError",
]
