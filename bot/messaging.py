"""The request path's outgoing Slack calls: DMs, in-place updates and ephemeral notices.

Domain code never touches ``WebClient``; listeners call these with a rendered
:class:`templates.Message`. Scheduled messages go through the outbox instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk import WebClient

from templates import Message, render_message


@dataclass(frozen=True)
class Posted:
    channel: str
    ts: str


def open_dm(client: WebClient, user_id: str) -> str:
    return str(client.conversations_open(users=user_id)["channel"]["id"])


def post_dm(client: WebClient, user_id: str, message: Message, *, thread_ts: str | None = None) -> Posted:
    channel = open_dm(client, user_id)
    response = client.chat_postMessage(channel=channel, thread_ts=thread_ts, **message.as_kwargs())
    return Posted(channel=channel, ts=str(response["ts"]))


def update_message(client: WebClient, posted: Posted, message: Message) -> None:
    client.chat_update(channel=posted.channel, ts=posted.ts, **message.as_kwargs())


def post_notice(
    client: WebClient,
    channel: str,
    user_id: str,
    *,
    level: str,
    title: str,
    body: str,
    details: list[str] | None = None,
) -> None:
    """An ephemeral notice where the member is (a DM or a channel)."""
    message = render_message("messages/notice", level=level, title=title, body=body, details=details or [])
    client.chat_postEphemeral(channel=channel, user=user_id, **message.as_kwargs())
