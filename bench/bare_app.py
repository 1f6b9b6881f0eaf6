"""The floor for request-path benchmarks: a bare Bolt app on the same gunicorn stack as Parley.

Its `/negotiate` handler only acks and opens a trivial modal — the least any Slack app can do.
Served with ``gunicorn 'bench.bare_app:wsgi()'`` and the same worker settings as ``parley serve``.
"""

from __future__ import annotations

import os
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

TRIVIAL_MODAL = {
    "type": "modal",
    "title": {"type": "plain_text", "text": "Hello"},
    "close": {"type": "plain_text", "text": "Close"},
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hi."}}],
}


def wsgi() -> SlackRequestHandler:
    client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    app = App(signing_secret=os.environ["SLACK_SIGNING_SECRET"], client=client, name="bare")

    @app.command("/negotiate")
    def negotiate(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=command["trigger_id"], view=TRIVIAL_MODAL)

    return SlackRequestHandler(app)
