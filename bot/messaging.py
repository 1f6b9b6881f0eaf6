"""The request path's outgoing Slack calls: DMs, in-place updates and ephemeral notices.

Domain code never touches ``WebClient``; listeners call these with a rendered
:class:`templates.Message`. Scheduled messages go through the outbox instead.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from templates import Message, render_message

T = TypeVar("T")
logger = logging.getLogger(__name__)

# The longest Retry-After worth waiting out on a listener thread, which serves other people's clicks;
# a longer one is reported to the member instead (scheduled sends wait in the delivery worker).
MAX_INLINE_RETRY_AFTER: Final = 2


def retry_rate_limited(call: Callable[[], T], *, sleep: Callable[[float], None] = time.sleep) -> T:
    """``call()``, retried once when Slack rate-limits it with a short ``Retry-After``.

    500s are already retried by the client (``bot.slack_client``); anything else raises for the
    caller to report.
    """
    try:
        return call()
    except SlackApiError as error:
        wait = _retry_after(error)
        if wait is None or wait > MAX_INLINE_RETRY_AFTER:
            raise
        if wait:
            sleep(wait)
        return call()


def _retry_after(error: SlackApiError) -> int | None:
    if error.response.status_code != 429:
        return None
    headers = error.response.headers or {}
    raw = headers.get("Retry-After") or headers.get("retry-after")
    try:
        return max(int(raw), 0) if raw is not None else 1
    except (TypeError, ValueError):
        return None


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


SLACK_FAILURES: Final = (SlackClientError, OSError)
"""What a Slack Web API call raises when Slack refuses it or cannot be reached."""


def slack_error(error: BaseException) -> str:
    """A short, loggable name for a Slack failure: Slack's error code, else the exception's type."""
    if isinstance(error, SlackApiError):
        return str(error.response.get("error") or f"HTTP {error.response.status_code}")
    return type(error).__name__


REPOST_ERRORS: Final = frozenset(
    {"message_not_found", "cant_update_message", "channel_not_found", "edit_window_closed"}
)
"""``chat.update`` answers after which a message is posted anew instead."""


def deliver(client: WebClient, user_id: str, message: Message, previous: Posted | None = None) -> Posted:
    """Update ``previous`` in place, or post to the member's DM (also when the old message is gone).

    A record is already saved when this runs, so a short rate limit is waited out once (500s are
    retried by the client). Raises one of :data:`SLACK_FAILURES` when Slack cannot be reached or refuses.
    """
    if previous is not None and updated_in_place(client, previous, message):
        return previous
    return retry_rate_limited(lambda: post_dm(client, user_id, message))


def updated_in_place(client: WebClient, previous: Posted, message: Message) -> bool:
    """Update ``previous`` to ``message``; False when it is gone (one of :data:`REPOST_ERRORS`: post it
    anew), any other refusal raised. A short rate limit is waited out once."""
    try:
        retry_rate_limited(lambda: update_message(client, previous, message))
    except SlackApiError as error:
        if slack_error(error) not in REPOST_ERRORS:
            raise
        logger.info("message %s is gone (%s): posting it anew", previous.ts, slack_error(error))
        return False
    return True
