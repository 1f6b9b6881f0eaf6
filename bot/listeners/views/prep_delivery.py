"""Posting a plan or an analysis to the member after the database has committed it.

The record is already saved when these run, so a Slack failure must never lose it or look like it was
lost: a rate limit with a short ``Retry-After`` is retried once (500s are retried by the client
itself), a message that cannot be updated in place is posted anew, and anything else is reported to
the member ephemerally where they are, saying that what they wrote is kept. Also who clicked a plan's
button and on which negotiation. Shared by the prep and debrief listeners (no ``register``: not a
listener itself).
"""

from __future__ import annotations

import logging
from typing import Any, Final, TypeVar

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.flows.home import refresh_home
from bot.members import Actor, actor_for_interaction
from bot.messaging import Posted, open_dm, post_dm, post_notice, retry_rate_limited, update_message
from bot.metadata import MetadataError, NegotiationRef, load
from bot.services import Services
from templates import Message, render_message

logger = logging.getLogger(__name__)

T = TypeVar("T")
"""Seconds a listener thread may wait for Slack's ``Retry-After`` (after the ack, never before)."""
REPOST_ERRORS: Final = frozenset(
    {"message_not_found", "cant_update_message", "channel_not_found", "edit_window_closed"}
)
"""``chat.update`` answers after which the plan is posted as a new message instead."""


def slack_error(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return str(error.response.get("error") or f"HTTP {error.response.status_code}")
    return type(error).__name__


def deliver(client: WebClient, user_id: str, message: Message, previous: Posted | None = None) -> Posted:
    """Update ``previous`` in place, or post to the member's DM (also when the old message is gone).

    Raises ``SlackApiError`` / ``SlackClientError`` / ``OSError`` when Slack cannot be reached or refuses.
    """
    if previous is not None:
        try:
            retry_rate_limited(lambda: update_message(client, previous, message))
        except SlackApiError as error:
            if slack_error(error) not in REPOST_ERRORS:
                raise
            logger.info("message %s is gone (%s): posting a new one", previous.ts, slack_error(error))
        else:
            return previous
    return retry_rate_limited(lambda: post_dm(client, user_id, message))


def tell_member(
    client: WebClient, user_id: str, channel_id: str, *, title: str, body: str, level: str = "warning"
) -> None:
    """An ephemeral notice where the member is (the channel they started from, else their DM); best effort."""
    channels = [c for c in (channel_id,) if c]
    try:
        dm = open_dm(client, user_id)
    except (SlackClientError, OSError) as error:
        logger.warning("could not open the DM with %s: %s", user_id, slack_error(error))
    else:
        if dm not in channels:
            channels.append(dm)
    for channel in channels:

        def notice(channel: str = channel) -> None:
            post_notice(client, channel, user_id, level=level, title=title, body=body)

        try:
            retry_rate_limited(notice)
            return
        except (SlackClientError, OSError) as error:
            logger.warning("notice to %s in %s failed: %s", user_id, channel, slack_error(error))


def answer(
    respond: Respond, client: WebClient, click: dict[str, Any], title: str, body: str, level: str = "warning"
) -> None:
    """An ephemeral reply to a click: through its response_url when it has one (a button in a
    message, in a DM or a channel), else (a Home tab button) as an ephemeral notice in the DM."""
    if click.get("response_url"):
        notice = render_message("messages/notice", level=level, title=title, body=body)
        respond(response_type="ephemeral", replace_original=False, **notice.as_kwargs())
        return
    user = click.get("user") or {}
    tell_member(client, str(user.get("id", "")), "", title=title, body=body, level=level)


def clicked_negotiation(
    services: Services,
    client: WebClient,
    body: dict[str, Any],
    respond: Respond,
    context: BoltContext,
    *,
    instead: str,
) -> tuple[NegotiationRef, Actor] | None:
    """The negotiation a plan's button names and the member who clicked; None (after saying so, with
    ``instead`` as what to run now) when the button's value is not one Parley wrote."""
    try:
        ref = load(NegotiationRef, click_value(body))
    except MetadataError:
        answer(respond, client, body, "That button doesn't work any more", instead)
        return None
    return ref, actor_for_interaction(services, client, body, context)


def modal_did_not_open(
    respond: Respond, client: WebClient, body: dict[str, Any], actor: Actor, form: str, error: Exception
) -> None:
    """Slack refused ``views.open`` (usually an expired trigger): log it and ask for another click."""
    logger.warning("could not open the %s modal for %s: %s", form, actor.slack_user_id, slack_error(error))
    answer(
        respond,
        client,
        body,
        f"The {form} form didn't open",
        "Slack didn't let Parley open it in time; click again.",
    )


def click_value(body: dict[str, Any]) -> str | None:
    actions = body.get("actions") or [{}]
    value = actions[0].get("value") if isinstance(actions[0], dict) else None
    return value if isinstance(value, str) else None


def click_channel(body: dict[str, Any]) -> str:
    channel = body.get("channel") or (body.get("container") or {})
    value = channel.get("id") or channel.get("channel_id") if isinstance(channel, dict) else ""
    return value if isinstance(value, str) else ""


def refresh(services: Services, client: WebClient, actor: Actor) -> None:
    """Re-publish the member's Home tab after a change; a failure there never undoes the change."""
    try:
        refresh_home(services, client, actor.workspace_id, actor.slack_user_id)
    except Exception:  # the record is saved; a stale Home tab is refreshed on the next visit
        logger.exception("refreshing the Home tab of %s failed", actor.slack_user_id)
