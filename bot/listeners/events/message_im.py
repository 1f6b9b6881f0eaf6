"""`message.im`: someone typed to Parley in its Messages tab; answer with what Parley can do."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot import edge
from bot.flows.dm_help_notifier import reply_to_dm
from bot.flows.playbook_upload_notifier import playbook_files, reply_to_shared_playbook
from bot.services import Services


def handle(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
) -> None:
    event = body.get("event")
    if not isinstance(event, dict):
        return
    if playbook_files(event) and edge.user_id(body) and context.bot_token:
        # A playbook shared as a file: checked like a pasted one (issue 17).
        reply_to_shared_playbook(services, client, edge.actor(context), event, context.bot_token)
        return
    reply_to_dm(client, event, bot_user_id=context.bot_user_id, retry_reason=edge.retry_reason(context))
