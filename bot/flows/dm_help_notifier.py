"""A message typed to Parley in its Messages tab gets a short help reply, once, never to a bot.

Parley works through ``/negotiate``; a DM would otherwise meet silence. Only a person's own new
message is answered: edits, deletions and every other subtype, bot messages (Parley's own reply comes
back as a ``message.im`` event too) and Slack's ``http_timeout`` retries of a delivery already received
are ignored, so a reply can never start a loop or come twice.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.subcommands import SUBCOMMANDS
from templates import Message, app_text, render_message

logger = logging.getLogger(__name__)

COMMAND = "/negotiate"


def wants_reply(
    event: Mapping[str, Any], *, bot_user_id: str | None, retry_reason: str | None = None
) -> bool:
    """True only for a person's own new message in a DM with Parley, delivered for the first time."""
    return (
        event.get("type") == "message"
        and event.get("channel_type") == "im"
        and not event.get("subtype")
        and not event.get("bot_id")
        and not event.get("bot_profile")
        and isinstance(event.get("user"), str)
        and event.get("user") != bot_user_id
        and retry_reason != "http_timeout"  # Slack resends when the ack was slow: we have it already
    )


def dm_help() -> Message:
    return render_message(
        "messages/dm_help",
        command=COMMAND,
        commands=[(sub.name, sub.args, app_text(sub.description)) for sub in SUBCOMMANDS],
    )


def reply_to_dm(
    client: WebClient, event: Mapping[str, Any], *, bot_user_id: str | None, retry_reason: str | None = None
) -> bool:
    """Answer ``event`` with the help text in the same DM (and thread); True if a reply was posted."""
    if not wants_reply(event, bot_user_id=bot_user_id, retry_reason=retry_reason):
        return False
    try:
        client.chat_postMessage(
            channel=str(event["channel"]), thread_ts=event.get("thread_ts"), **dm_help().as_kwargs()
        )
    except (SlackApiError, SlackRequestError, OSError) as error:  # a lost help reply is only logged
        logger.warning("could not answer a DM in %s: %s", event.get("channel"), error)
        return False
    return True
