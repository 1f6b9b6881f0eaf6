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

from bot.flows.prep import PlanMessage
from bot.messaging import SLACK_FAILURES, Posted, retry_rate_limited, slack_error, updated_in_place
from bot.replies import deliver_saved, tell_member
from templates import Message, app_text, escape_mrkdwn, trusted

logger = logging.getLogger(__name__)


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
