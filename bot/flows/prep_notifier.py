"""The prep plan's Slack effects: the "Your three moves" card in the member's DM, and the full plan
as a reply in the card's thread.

Why a thread and not a *Full plan* button: a thread reply is there when the member opens the DM on
their phone before the meeting, needs no click to load (a modal would rebuild the plan on every
click and vanish when dismissed), and keeps the card short enough to read at a glance while the
buttons stay on the card. *Edit prep* updates both messages in place.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient

from bot.delivery.gateway import is_outbox_message
from bot.flows.prep import PlanMessage
from bot.messaging import SLACK_FAILURES, Posted, open_dm, retry_rate_limited, slack_error, updated_in_place
from bot.replies import deliver_saved, tell_member
from templates import Message, app_text, escape_mrkdwn, trusted

logger = logging.getLogger(__name__)

HISTORY_LIMIT = 50
"""Messages of the DM read back when looking for a card an earlier attempt may have posted."""


def deliver_plan(
    client: WebClient,
    user_id: str,
    channel_id: str,
    card: Message,
    full: Message,
    previous: PlanMessage | None,
) -> PlanMessage | None:
    """Post (or update in place) the card, then the full plan in its thread; where they now are, or
    ``None`` when the card could not be sent (the member is told where their saved prep is)."""
    before = Posted(previous.channel, previous.ts) if previous else None
    posted = deliver_saved(
        client, user_id, channel_id, card, before,
        title="Your prep is saved, but the plan didn't arrive",
        kept=app_text(
            "the negotiation is on Parley's Home tab, and `/negotiate debrief` offers it after the meeting."
        ),
    )  # fmt: skip
    if posted is None:
        return None
    reply = None
    if previous is not None and posted == before and previous.thread_ts:
        reply = Posted(posted.channel, previous.thread_ts)
    try:
        thread_ts = deliver_reply(client, posted, full, reply)
    except SLACK_FAILURES as error:
        logger.warning("full plan for %s not delivered: %s", user_id, slack_error(error))
        tell_member(
            client, user_id, channel_id,
            title="The full plan didn't arrive",
            body=trusted(
                f"Slack refused it ({escape_mrkdwn(slack_error(error))}). Your three moves are in your "
                "DM; click *Edit prep* and save to send the full plan again."
            ),
        )  # fmt: skip
        thread_ts = None
    return PlanMessage(posted.channel, posted.ts, thread_ts)


def deliver_reply(client: WebClient, card: Posted, message: Message, previous: Posted | None) -> str:
    """Update the reply ``previous`` in place, or reply in ``card``'s thread (also when it is gone);
    the reply's ts."""
    if previous is not None and updated_in_place(client, previous, message):
        return previous.ts
    response = retry_rate_limited(
        lambda: client.chat_postMessage(channel=card.channel, thread_ts=card.ts, **message.as_kwargs())
    )
    return str(response["ts"])


def posted_before(client: WebClient, user_id: str, row_id: int) -> PlanMessage | None:
    """The card an earlier attempt at outbox row ``row_id`` posted, found in the DM by its metadata
    (its thread reply is then posted again only if that attempt died between the two posts)."""
    try:
        channel = open_dm(client, user_id)
        page = client.conversations_history(channel=channel, limit=HISTORY_LIMIT, include_all_metadata=True)
    except SLACK_FAILURES as error:
        logger.warning("outbox row %s: cannot read the DM (%s); posting the plan", row_id, slack_error(error))
        return None
    for message in page.get("messages") or []:
        if is_outbox_message(message, row_id):
            thread = _reply_ts(client, channel, str(message.get("ts")))
            return PlanMessage(channel, str(message.get("ts")), thread)
    return None


def _reply_ts(client: WebClient, channel: str, ts: str) -> str | None:
    """The bot's first reply in the card's thread (the full plan), if it is there."""
    try:
        replies = client.conversations_replies(channel=channel, ts=ts, limit=5, include_all_metadata=True)
    except SLACK_FAILURES:
        return None
    for message in (replies.get("messages") or [])[1:]:
        if message.get("thread_ts") == ts and message.get("ts") != ts:
            return str(message.get("ts"))
    return None
