"""Shared by the commitment listeners: who is clicking, and showing a commitment after it changed.

Not a listener itself (no ``register``): the handlers are ``commit_*.py`` next to it and in ``views/``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.webhook import WebhookClient

from bot.flows.commitments import (
    Changed,
    CommitmentRef,
    Refusal,
    card_message,
    list_commitments,
    list_message,
)
from bot.flows.home import refresh_home
from bot.members import Actor, actor_for_interaction
from bot.messaging import Posted, update_message
from bot.metadata import MetadataError, load
from bot.services import Services
from templates import Message, render_message

logger = logging.getLogger(__name__)


def clicked_commitment(
    services: Services,
    client: WebClient,
    body: dict[str, Any],
    action: dict[str, Any],
    context: BoltContext,
    respond: Respond,
) -> tuple[CommitmentRef, Actor] | None:
    """The commitment a button names and the member who clicked; None (after saying so) when the
    button's value is not one Parley wrote."""
    try:
        ref = load(CommitmentRef, action.get("value"))
    except MetadataError:
        tell(respond, "That button is out of date", "Run `/negotiate commitments` to see your commitments.")
        return None
    return ref, actor_for_interaction(services, client, body, context)


def notice_message(title: str, text: str, level: str = "warning") -> Message:
    return render_message("messages/notice", level=level, title=title, body=text)


def tell(respond: Respond, title: str, text: str, level: str = "warning") -> None:
    """An ephemeral notice where the member clicked (through the action's response_url)."""
    try:
        respond(
            response_type="ephemeral",
            replace_original=False,
            **notice_message(title, text, level).as_kwargs(),
        )
    except Exception:  # the response_url may have expired; nothing else to tell them with
        logger.warning("could not show a notice: %s", title)


def show_changed(
    services: Services,
    client: WebClient,
    actor: Actor,
    changed: Changed,
    *,
    surface: str,
    channel_id: str = "",
    message_ts: str = "",
    response_url: str = "",
) -> None:
    """Update the message the member acted on: the card in place, or their list (ephemeral)."""
    try:
        if surface == "list":
            listing = list_commitments(services, actor.workspace_id, actor.member_id)
            message = list_message(listing, note=changed.note)
            if response_url:
                WebhookClient(response_url).send(
                    replace_original=True, response_type="ephemeral", **message.as_kwargs()
                )
        elif channel_id and message_ts:
            update_message(
                client, Posted(channel_id, message_ts), card_message(changed.item, note=changed.note)
            )
    except (SlackApiError, SlackRequestError, OSError) as error:
        logger.warning("could not update the commitment message: %s", type(error).__name__)
    refresh_home(services, client, actor.workspace_id, actor.slack_user_id)


def change_and_show(
    services: Services,
    client: WebClient,
    body: dict[str, Any],
    respond: Respond,
    actor: Actor,
    surface: str,
    change: Callable[[], Changed],
) -> None:
    """Apply a button's change and update the message it came from, or say why nothing changed."""
    try:
        changed = change()
    except Refusal as refusal:
        tell(respond, "Nothing changed", str(refusal))
        return
    channel, ts, response_url = message_location(body)
    show_changed(
        services, client, actor, changed, surface=surface, channel_id=channel, message_ts=ts,
        response_url=response_url,
    )  # fmt: skip


def message_location(body: dict[str, Any]) -> tuple[str, str, str]:
    """(channel id, message ts, response_url) of the message a block action came from."""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id") or ""
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts") or ""
    return str(channel), str(ts), str(body.get("response_url") or "")
