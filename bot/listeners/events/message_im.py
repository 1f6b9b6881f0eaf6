"""`message.im`: someone typed to Parley in its Messages tab; answer with what Parley can do."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext, BoltRequest
from slack_sdk import WebClient

from bot.flows.dm_reply import reply_to_dm
from bot.services import Services


def _in_a_dm(event: dict[str, Any]) -> bool:
    return event.get("channel_type") == "im"


def register(app: App, services: Services) -> None:
    @app.event("message", matchers=[_in_a_dm])
    def message_im(
        event: dict[str, Any], client: WebClient, context: BoltContext, request: BoltRequest
    ) -> None:
        retry_reason = next(iter(request.headers.get("x-slack-retry-reason", [])), None)
        reply_to_dm(client, event, bot_user_id=context.bot_user_id, retry_reason=retry_reason)
