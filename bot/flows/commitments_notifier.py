"""Commitments' outgoing Slack effects: show a commitment after it changed (the card in place, or the
member's list) and refresh their Home tab."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from slack_bolt import BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot import edge
from bot.flows.commitments import commit_defaults, list_commitments
from bot.flows.commitments_cards import current_card
from bot.flows.commitments_changes import Changed, Refusal
from bot.flows.commitments_presenter import card_message, commit_view, list_message
from bot.flows.home_notifier import refresh_home
from bot.members import Actor
from bot.messaging import SLACK_FAILURES, Posted, update_message
from bot.replies import answer, form_did_not_open
from bot.services import Services

logger = logging.getLogger(__name__)


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
            clicked = Posted(channel_id, message_ts)
            # A recorded card shows what the outbox will show it as (no flicker between two versions).
            card = current_card(services, actor.workspace_id, clicked)
            update_message(client, clicked, card or card_message(changed.item, note=changed.note))
    except SLACK_FAILURES as error:
        logger.warning("could not update the commitment message: %s", type(error).__name__)
    refresh_home(services, client, actor.workspace_id, actor.slack_user_id)


def change_and_show(
    services: Services,
    client: WebClient,
    body: Mapping[str, Any],
    respond: Respond | None,
    actor: Actor,
    surface: str,
    change: Callable[[], Changed],
) -> None:
    """Apply a button's change and update the message it came from, or say why nothing changed."""
    try:
        changed = change()
    except Refusal as refusal:
        answer(respond, client, body, "Nothing changed", str(refusal))
        return
    where = edge.clicked_message(body)
    show_changed(
        services, client, actor, changed, surface=surface,
        channel_id=where.channel if where else "", message_ts=where.ts if where else "",
        response_url=edge.response_url(body),
    )  # fmt: skip


def open_commit_modal(
    services: Services,
    body: Mapping[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond | None,
    negotiation_id: int | None,
) -> None:
    actor = edge.actor(context)
    defaults = commit_defaults(
        services, actor.workspace_id, actor.member_id, tz=actor.tz, slack_user_id=actor.slack_user_id,
        negotiation_id=negotiation_id,
    )  # fmt: skip
    try:
        client.views_open(trigger_id=edge.trigger_id(body), view=commit_view(defaults))
    except SLACK_FAILURES as error:
        form_did_not_open(respond, client, body, "form", error)
